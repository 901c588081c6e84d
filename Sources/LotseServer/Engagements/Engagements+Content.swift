import LotseAPI
import Vapor

// The wire types live in LotseAPI (Foundation only, shared with a future Swift SDK); here the engagements feature's become HTTP
// content.
extension Engagement: Content {}
extension EngagementItem: Content {}
extension EngagementEvent: Content {}
extension Questionnaire: Content {}
extension ProgramTemplate: Content {}
