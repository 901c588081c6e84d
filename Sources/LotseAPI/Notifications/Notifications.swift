import Foundation

/// A step that waits for someone: the reason for one line in their notification center (docs/notifications.md).
/// Says what happened, never anything anyone wrote.
public enum NotificationKind: String, Codable, Sendable, CaseIterable {
    /// A prospective client sent the coach an inquiry.
    case inquiry
    /// A coach invited the client to an engagement.
    case invited
    /// The coach proposed times for the first meeting or a session.
    case timesProposed = "times_proposed"
    /// The client asked for other times than those proposed.
    case otherTimeAsked = "other_time_asked"
    /// A session was booked (the first meeting included).
    case booked
    /// A session was moved.
    case rescheduled
    /// A session was called off.
    case cancelled
    /// The coach proposed the agreement or changed it.
    case agreementProposed = "agreement_proposed"
    /// A client confirmed the agreement.
    case agreementConfirmed = "agreement_confirmed"
    /// Every client confirmed: the work starts.
    case started
    /// The coach sent a questionnaire.
    case questionnaire
    /// The coach declined the inquiry or invitation.
    case declined
    /// The client withdrew.
    case withdrawn
    /// A client waits in the video call's waiting room.
    case waiting
    /// The coach closed the engagement: time for the closing review.
    case closed
    /// A mentoring match waits for one's answer (staff published it, or a mentee asked); about the match.
    case matchProposed = "match_proposed"
    /// A request waiting for one's answer expires within a day; about the match.
    case requestExpiring = "request_expiring"
    /// Both said yes: the pair can start; about the match.
    case matchActive = "match_active"
    /// The partner opened the pair's shared space; about the pair's engagement (the match's ID).
    case pairStarted = "pair_started"
    /// The pair has been quiet for one rhythm: time to check in; about the pair's engagement.
    case checkIn = "check_in"
    /// The program's time for the pair is over: time for the closing review; about the pair's engagement.
    case pairCompleted = "pair_completed"
    /// The partner ended the pair before its time; about the match.
    case pairEnded = "pair_ended"
    /// Staff listed one's address for a program (the start page offers to join); about the program.
    case programInvited = "program_invited"
    /// Someone in the engagement deleted their account: it ended, and what they wrote stays (#20).
    case accountDeleted = "account_deleted"

    /// The group of mails a person can turn off in their settings.
    public var topic: NotificationTopic {
        switch self {
        case .inquiry, .invited, .declined, .withdrawn: .inquiries
        case .timesProposed, .otherTimeAsked, .booked, .rescheduled, .cancelled: .sessions
        case .agreementProposed, .agreementConfirmed, .started: .agreements
        case .questionnaire, .closed, .accountDeleted: .tasks
        case .waiting: .waitingRoom
        case .matchProposed, .requestExpiring, .matchActive, .pairStarted, .checkIn, .pairCompleted, .pairEnded,
            .programInvited:
            .programs
        }
    }
}

/// What a person may turn mails off for; in-app notifications always show.
public enum NotificationTopic: String, Codable, Sendable, CaseIterable {
    /// Inquiries, invitations, declines and withdrawals.
    case inquiries
    /// Proposed times, bookings and their changes.
    case sessions
    /// The agreement: proposed, changed, confirmed.
    case agreements
    /// Questionnaires and the closing review.
    case tasks
    /// Someone waits in the video call's waiting room.
    case waitingRoom = "waiting_room"
    /// New messages in conversations.
    case messages
    /// Mentoring programs: matches, requests about to expire, check-ins, the end of a pair.
    case programs
}

/// One line of a person's notification center.
public struct NotificationItem: Codable, Sendable, Equatable {
    /// The notification.
    public var id: UUID
    /// What happened.
    public var kind: NotificationKind
    /// The engagement it happened in (for a mentoring match before its engagement: the match, which gives the
    /// engagement its ID later).
    public var engagementId: UUID
    /// Who did it, by the name they chose.
    public var actorName: String?
    /// When it last happened (the same step again moves it up instead of adding a line).
    public var createdAt: Date
    /// Whether the person has seen it.
    public var read: Bool

    /// Creates the value.
    public init(
        id: UUID, kind: NotificationKind, engagementId: UUID, actorName: String?, createdAt: Date, read: Bool
    ) {
        self.id = id
        self.kind = kind
        self.engagementId = engagementId
        self.actorName = actorName
        self.createdAt = createdAt
        self.read = read
    }
}

/// The latest notifications, newest first, and how many are unread.
public struct NotificationList: Codable, Sendable, Equatable {
    /// How many are unread.
    public var unread: Int
    /// The latest 50.
    public var items: [NotificationItem]

    /// Creates the value.
    public init(unread: Int, items: [NotificationItem]) {
        self.unread = unread
        self.items = items
    }
}

/// Marks notifications read: those listed, those of one engagement, or (with neither) all of them.
public struct MarkNotificationsRead: Codable, Sendable, Equatable {
    /// These.
    public var ids: [UUID]?
    /// Every one about this engagement (opening its page does this).
    public var engagementId: UUID?
    /// Only these kinds of the engagement's (the waiting room's when the coach lets someone in).
    public var kinds: [NotificationKind]?

    /// Creates the value.
    public init(ids: [UUID]? = nil, engagementId: UUID? = nil, kinds: [NotificationKind]? = nil) {
        self.ids = ids
        self.engagementId = engagementId
        self.kinds = kinds
    }
}

/// Which mails a person does not want: they still see everything in the notification center.
public struct NotificationSettings: Codable, Sendable, Equatable {
    /// The topics they get no mail about.
    public var mutedTopics: [NotificationTopic]

    /// Creates the value.
    public init(mutedTopics: [NotificationTopic]) {
        self.mutedTopics = mutedTopics
    }
}
