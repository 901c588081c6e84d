import Vapor

/// Everything the messaging feature says no with.
enum MessagingError: AppError {
    /// No such conversation, or the requester is not a member (the same answer, so membership does not leak).
    case conversationNotFound
    /// A group has at most ``MessagingService/maximumMembers`` people.
    case tooManyMembers
    /// The wrapped keys must cover exactly the members, each once, for the right epoch, from the requester.
    case keysDoNotMatchMembers
    /// The conversation's key epoch moved on, or must move on first; fetch the conversation and keys again.
    case staleEpoch(current: Int)
    /// Someone else started the next epoch first.
    case epochTaken
    /// Only the conversation's creator may do this.
    case creatorOnly
    /// The same message or attachment ID was used for different content.
    case idConflict
    /// An attachment referred to by a message is unknown or belongs elsewhere.
    case attachmentNotFound
    /// A file is larger than the server accepts.
    case attachmentTooLarge(limit: Int)
    /// No draft is saved.
    case draftNotFound

    var status: HTTPStatus {
        switch self {
        case .staleEpoch, .epochTaken, .idConflict: .conflict
        case .tooManyMembers, .keysDoNotMatchMembers: .badRequest
        case .conversationNotFound, .attachmentNotFound, .draftNotFound: .notFound
        case .creatorOnly: .forbidden
        case .attachmentTooLarge: .payloadTooLarge
        }
    }

    var code: String {
        switch self {
        case .conversationNotFound: "messaging.conversation_not_found"
        case .tooManyMembers: "messaging.too_many_members"
        case .keysDoNotMatchMembers: "messaging.keys_do_not_match_members"
        case .staleEpoch: "messaging.stale_epoch"
        case .epochTaken: "messaging.epoch_taken"
        case .creatorOnly: "messaging.creator_only"
        case .idConflict: "messaging.id_conflict"
        case .attachmentNotFound: "messaging.attachment_not_found"
        case .attachmentTooLarge: "messaging.attachment_too_large"
        case .draftNotFound: "messaging.draft_not_found"
        }
    }

    var arguments: [String] {
        switch self {
        case .staleEpoch(let current): [String(current)]
        case .attachmentTooLarge(let limit): [String(limit / 1_048_576)]
        default: []
        }
    }
}
