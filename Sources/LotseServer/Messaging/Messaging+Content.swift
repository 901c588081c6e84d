import LotseAPI
import Vapor

// The wire types live in LotseAPI (Foundation only, shared with a future Swift SDK); here the messaging feature's become HTTP
// content.
extension Attachment: APIContent {}
extension Conversation: APIContent {}
extension Draft: APIContent {}
extension Message: APIContent {}
extension MessagePage: APIContent {}
extension WrappedConversationKey: APIContent {}
extension SaveDraft: APIContent {}
extension FormerMember: APIContent {}
