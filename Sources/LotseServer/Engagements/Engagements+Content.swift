import LotseAPI
import Vapor

// The wire types live in LotseAPI (Foundation only, shared with a future Swift SDK); here the engagements feature's become HTTP
// content.
extension Engagement: APIContent {}
extension EngagementItem: APIContent {}
extension EngagementEvent: APIContent {}
extension Questionnaire: APIContent {}
extension ProgramTemplate: APIContent {}
