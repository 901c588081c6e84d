import Vapor

/// Everything calls say no with.
enum VideoError: AppError {
    /// The engagement has ended (declined, withdrawn, closed): its call is over too.
    case engagementEnded
    /// A call has at most ``CallsService/maximumPeers`` tabs, waiting ones included.
    case roomFull
    /// No such peer in this call (it left, or was never there), or it is someone else's.
    case peerNotFound
    /// Only peers the coach let in may signal; a waiting one waits.
    case notAdmitted
    /// Only the engagement's coach lets people in or sends them out.
    case coachOnly
    /// The person has not done the tech check yet.
    case noTechCheck

    var status: HTTPStatus {
        switch self {
        case .engagementEnded, .roomFull: .conflict
        case .peerNotFound, .noTechCheck: .notFound
        case .notAdmitted, .coachOnly: .forbidden
        }
    }

    var code: String {
        switch self {
        case .engagementEnded: "video.engagement_ended"
        case .roomFull: "video.room_full"
        case .peerNotFound: "video.peer_not_found"
        case .notAdmitted: "video.not_admitted"
        case .coachOnly: "video.coach_only"
        case .noTechCheck: "video.no_tech_check"
        }
    }

    var arguments: [String] {
        switch self {
        case .roomFull: [String(CallsService.maximumPeers)]
        default: []
        }
    }
}
