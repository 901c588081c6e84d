import Foundation

/// What an item of an engagement is. Free text is always in `sealed`; the rest is plain so it can be listed.
public enum EngagementItemKind: String, Codable, Sendable, CaseIterable {
    /// The client's inquiry: goals and context (sealed), written once.
    case inquiry
    /// The client's answers to the intake questionnaire (sealed), seen by the coach and the author.
    case intake
    /// A goal set together, with progress 0 to 100.
    case goal
    /// A milestone, optionally of a goal (`parentId`) or a program step (`step`), with a due date.
    case milestone
    /// Something to do between sessions, with a due date.
    case task
    /// A progress review.
    case review
    /// Feedback after a session: a rating 1 to 5 and a comment, seen by the coach and the author.
    case feedback
    /// A coach's private note, sealed with the coach's own key: no one else can read it or even list it.
    case note
    /// The closing review.
    case closing
}

/// Open or done, for goals, milestones and tasks.
public enum EngagementItemStatus: String, Codable, Sendable {
    /// Still to do.
    case open
    /// Done.
    case done
}

/// One entry of an engagement's workspace.
public struct EngagementItem: Codable, Sendable, Equatable {
    /// Chosen by the device that made it; saving the same ID again updates it.
    public var id: UUID
    /// The engagement.
    public var engagementId: UUID
    /// What it is.
    public var kind: EngagementItemKind
    /// Who made it.
    public var author: UUID
    /// Its free text (title, description, answers, comment), sealed. Program steps may have none.
    public var sealed: SealedContent?
    /// Open or done (goals, milestones, tasks).
    public var status: EngagementItemStatus?
    /// 0 to 100 (goals).
    public var progress: Int?
    /// When it is due (milestones, tasks).
    public var dueAt: Date?
    /// 1 to 5 (feedback).
    public var rating: Int?
    /// The day of the session it is about (feedback), `yyyy-mm-dd`.
    public var sessionOn: String?
    /// The goal a milestone belongs to.
    public var parentId: UUID?
    /// The program step a milestone stands for (its index in `program.steps`).
    public var step: Int?
    /// Counts up with every change; an edit names the revision it started from.
    public var revision: Int
    /// When it was made.
    public var createdAt: Date
    /// When it last changed.
    public var updatedAt: Date
    /// When it was marked done.
    public var completedAt: Date?

    /// Creates the value.
    public init(
        id: UUID, engagementId: UUID, kind: EngagementItemKind, author: UUID, sealed: SealedContent?,
        status: EngagementItemStatus?, progress: Int?, dueAt: Date?, rating: Int?, sessionOn: String?,
        parentId: UUID?, step: Int?, revision: Int, createdAt: Date, updatedAt: Date, completedAt: Date?
    ) {
        self.id = id
        self.engagementId = engagementId
        self.kind = kind
        self.author = author
        self.sealed = sealed
        self.status = status
        self.progress = progress
        self.dueAt = dueAt
        self.rating = rating
        self.sessionOn = sessionOn
        self.parentId = parentId
        self.step = step
        self.revision = revision
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.completedAt = completedAt
    }
}

/// Creates or updates an item (`PUT …/items/{id}`): a retry with the same body changes nothing.
public struct SaveEngagementItem: Codable, Sendable, Equatable {
    /// What it is; cannot change once made.
    public var kind: EngagementItemKind
    /// Its free text, sealed with the item's ID as `sealed.id`.
    public var sealed: SealedContent?
    /// Open or done.
    public var status: EngagementItemStatus?
    /// 0 to 100.
    public var progress: Int?
    /// When it is due.
    public var dueAt: Date?
    /// 1 to 5.
    public var rating: Int?
    /// `yyyy-mm-dd`.
    public var sessionOn: String?
    /// The goal a milestone belongs to.
    public var parentId: UUID?
    /// For an update: the revision it was based on. A different current revision answers 409, so no one overwrites
    /// a change they have not seen.
    public var baseRevision: Int?

    /// Creates the request.
    public init(
        kind: EngagementItemKind, sealed: SealedContent? = nil, status: EngagementItemStatus? = nil,
        progress: Int? = nil, dueAt: Date? = nil, rating: Int? = nil, sessionOn: String? = nil,
        parentId: UUID? = nil, baseRevision: Int? = nil
    ) {
        self.kind = kind
        self.sealed = sealed
        self.status = status
        self.progress = progress
        self.dueAt = dueAt
        self.rating = rating
        self.sessionOn = sessionOn
        self.parentId = parentId
        self.baseRevision = baseRevision
    }
}

/// Something that happened in an engagement, for its timeline.
public struct EngagementEvent: Codable, Sendable, Equatable {
    /// What happened.
    public enum Kind: String, Codable, Sendable {
        /// A client wrote an inquiry.
        case inquirySent = "inquiry_sent"
        /// A coach invited clients.
        case invited
        /// The coach proposed a first meeting.
        case meetingProposed = "meeting_proposed"
        /// The client accepted it.
        case meetingAccepted = "meeting_accepted"
        /// The coach proposed an agreement (or a new version).
        case agreementProposed = "agreement_proposed"
        /// A client confirmed it.
        case agreementConfirmed = "agreement_confirmed"
        /// Everyone confirmed: the work starts.
        case started
        /// The coach declined.
        case declined
        /// The client withdrew.
        case withdrawn
        /// The coach sent the intake questionnaire.
        case intakeSent = "intake_sent"
        /// A program template was applied.
        case programApplied = "program_applied"
        /// A client joined.
        case clientAdded = "client_added"
        /// A client left or was removed.
        case clientRemoved = "client_removed"
        /// An item was added.
        case itemAdded = "item_added"
        /// A goal, milestone or task was marked done.
        case itemCompleted = "item_completed"
        /// The engagement was closed.
        case closed
    }

    /// The event's ID.
    public var id: UUID
    /// What happened.
    public var kind: Kind
    /// Who did it.
    public var actor: UUID
    /// The item it concerns.
    public var itemId: UUID?
    /// That item's kind.
    public var itemKind: EngagementItemKind?
    /// When.
    public var at: Date

    /// Creates the value.
    public init(id: UUID, kind: Kind, actor: UUID, itemId: UUID?, itemKind: EngagementItemKind?, at: Date) {
        self.id = id
        self.kind = kind
        self.actor = actor
        self.itemId = itemId
        self.itemKind = itemKind
        self.at = at
    }
}
