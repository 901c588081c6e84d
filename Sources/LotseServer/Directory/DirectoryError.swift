import Vapor

/// Everything the directory says no with.
enum DirectoryError: AppError {
    /// No such published profile (or the coach has none yet).
    case profileNotFound
    /// Only coaches have profiles.
    case coachesOnly
    /// Another coach's profile has this address.
    case slugTaken
    /// The photo is larger than 2 MiB.
    case photoTooLarge
    /// The photo is not PNG, JPEG or WebP.
    case photoType

    var status: HTTPStatus {
        switch self {
        case .profileNotFound: .notFound
        case .coachesOnly: .forbidden
        case .slugTaken: .conflict
        case .photoTooLarge: .payloadTooLarge
        case .photoType: .unsupportedMediaType
        }
    }

    var code: String {
        switch self {
        case .profileNotFound: "directory.profile_not_found"
        case .coachesOnly: "directory.coaches_only"
        case .slugTaken: "directory.slug_taken"
        case .photoTooLarge: "directory.photo_too_large"
        case .photoType: "directory.photo_type"
        }
    }

    var field: String? {
        self == .slugTaken ? "slug" : nil
    }
}
