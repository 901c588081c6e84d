import LotseAPI
import Vapor

// The wire types live in LotseAPI (Foundation only, shared with a future Swift SDK); here the messaging feature's become HTTP
// content.
extension Attachment: Content {}
extension Conversation: Content {}
extension Draft: Content {}
extension Message: Content {}
extension MessagePage: Content {}
extension WrappedConversationKey: Content {}
extension SaveDraft: Content {}
extension FormerMember: Content {}
