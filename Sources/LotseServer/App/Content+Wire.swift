import LotseAPI
import Vapor

// The wire types live in LotseAPI (Foundation only, shared with a future Swift SDK); here they become HTTP content.
extension APIError: Content {}
extension Account: Content {}
extension AccountSummary: Content {}
extension Accepted: Content {}
extension Health: Content {}
extension KDFParameters: Content {}
extension LoginResult: Content {}
extension RecoveryCodes: Content {}
extension SessionSummary: Content {}
extension SetupStatus: Content {}
extension SignedInSession: Content {}
extension TwoFactorSetup: Content {}
extension Attachment: Content {}
extension Conversation: Content {}
extension Draft: Content {}
extension Message: Content {}
extension MessagePage: Content {}
extension OwnKeys: Content {}
extension PublicKeys: Content {}
extension RecoveryKeys: Content {}
extension WrappedConversationKey: Content {}
extension SaveDraft: Content {}
extension FormerMember: Content {}
extension DirectoryProfile: Content {}
extension DirectoryPage: Content {}
extension Engagement: Content {}
extension EngagementItem: Content {}
extension EngagementEvent: Content {}
extension Questionnaire: Content {}
extension ProgramTemplate: Content {}
extension Availability: Content {}
extension SessionType: Content {}
extension FreeSlots: Content {}
extension Booking: Content {}
extension BookingSeries: Content {}
extension CalendarSettings: Content {}
extension CalendarFeed: Content {}
extension ICEConfiguration: Content {}
extension CallRoom: Content {}
extension TechCheck: Content {}
