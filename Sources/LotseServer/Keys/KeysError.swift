import Vapor

/// Everything the keys say no with. The codes keep the `messaging.` prefix they shipped with.
enum KeysError: AppError {
    /// The account has no end-to-end keys yet.
    case keysMissing
    /// Keys are set up once; a different set was sent again.
    case keysExist
    /// A key or sealed value is not what docs/crypto.md describes.
    case malformed(field: String)
    /// No account with keys for that address or ID, or not one the requester may look up.
    case personNotFound
    /// A new recovery key without a valid signature by the account's keys.
    case unproven

    var status: HTTPStatus {
        switch self {
        case .keysMissing, .keysExist: .conflict
        case .malformed, .unproven: .badRequest
        case .personNotFound: .notFound
        }
    }

    var code: String {
        switch self {
        case .keysMissing: "messaging.keys_missing"
        case .keysExist: "messaging.keys_exist"
        case .malformed: "messaging.malformed"
        case .personNotFound: "messaging.member_not_found"
        case .unproven: "messaging.recovery_unproven"
        }
    }

    var field: String? {
        if case .malformed(let field) = self { return field }
        return nil
    }

    var arguments: [String] {
        if case .malformed(let field) = self { return [field] }
        return []
    }
}
