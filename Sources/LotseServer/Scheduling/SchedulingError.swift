import Vapor

/// Everything the scheduling feature says no with.
enum SchedulingError: AppError {
    /// No such booking, or the requester is not in it.
    case bookingNotFound
    /// No such session type of this engagement's coach, or it is retired.
    case sessionTypeNotFound
    /// The coach has not set up when they can be booked.
    case noAvailability
    /// Only coaches have availability and session types.
    case coachOnly
    /// Only the coach of the engagement may do this.
    case engagementCoachOnly
    /// Only a client of a one-to-one engagement books by themselves.
    case clientBookingNotAllowed
    /// The engagement is declined, withdrawn or closed.
    case engagementEnded
    /// The time is not one of the free slots (any more).
    case slotUnavailable
    /// Someone else booked that time at the same moment, or it meets another session.
    case slotTaken
    /// One session of a series would meet another booking; `date` names it.
    case seriesConflict(date: String)
    /// The coach's notice policy: clients may change a booking only until `hours` before it starts.
    case tooLateToChange(hours: Int)
    /// Not possible in this state (e.g. accepting a booking that is not proposed).
    case wrongStatus(current: String)
    /// The time is not one of the proposed ones.
    case notProposed
    /// The ID is already used for something else.
    case idConflict
    /// No such calendar feed (never made, or revoked).
    case feedNotFound

    var status: HTTPStatus {
        switch self {
        case .bookingNotFound, .sessionTypeNotFound, .feedNotFound: .notFound
        case .coachOnly, .engagementCoachOnly, .clientBookingNotAllowed: .forbidden
        case .noAvailability, .engagementEnded, .slotUnavailable, .slotTaken, .seriesConflict, .tooLateToChange,
            .wrongStatus, .notProposed, .idConflict:
            .conflict
        }
    }

    var code: String {
        switch self {
        case .bookingNotFound: "scheduling.booking_not_found"
        case .sessionTypeNotFound: "scheduling.session_type_not_found"
        case .noAvailability: "scheduling.no_availability"
        case .coachOnly: "scheduling.coach_only"
        case .engagementCoachOnly: "scheduling.engagement_coach_only"
        case .clientBookingNotAllowed: "scheduling.client_booking_not_allowed"
        case .engagementEnded: "scheduling.engagement_ended"
        case .slotUnavailable: "scheduling.slot_unavailable"
        case .slotTaken: "scheduling.slot_taken"
        case .seriesConflict: "scheduling.series_conflict"
        case .tooLateToChange: "scheduling.too_late_to_change"
        case .wrongStatus: "scheduling.wrong_status"
        case .notProposed: "scheduling.not_proposed"
        case .idConflict: "scheduling.id_conflict"
        case .feedNotFound: "scheduling.feed_not_found"
        }
    }

    var arguments: [String] {
        switch self {
        case .seriesConflict(let date): [date]
        case .tooLateToChange(let hours): [String(hours)]
        case .wrongStatus(let current): [current]
        default: []
        }
    }
}
