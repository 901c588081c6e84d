import Foundation

/// Free text of an engagement, sealed in the browser (docs/crypto.md, "Engagements"). The server stores and checks
/// only its shape: `epoch` 1 or more is the engagement conversation's key of that epoch, signed by `author`; epoch 0
/// is the author's private-notes key, which only the author can derive.
public struct SealedContent: Codable, Sendable, Equatable {
    /// Chosen by the author's device; bound into the ciphertext, so it cannot be moved to another place.
    public var id: UUID
    /// Who sealed it.
    public var author: UUID
    /// The conversation key epoch, or 0 for the author's private key.
    public var epoch: UInt32
    /// Standard base64 of `nonce ‖ ciphertext ‖ tag`.
    public var ciphertext: String
    /// Standard base64 of the author's 64-byte `r ‖ s` signature over binding and ciphertext.
    public var signature: String

    /// Creates the value.
    public init(id: UUID, author: UUID, epoch: UInt32, ciphertext: String, signature: String) {
        self.id = id
        self.author = author
        self.epoch = epoch
        self.ciphertext = ciphertext
        self.signature = signature
    }
}

/// Where a coaching relationship stands.
public enum EngagementStatus: String, Codable, Sendable, CaseIterable {
    /// A prospective client asked, or a coach invited; nothing is agreed yet.
    case inquiry
    /// The coach proposed an agreement; the clients have not all confirmed it.
    case agreementProposed = "agreement_proposed"
    /// Agreed: the work is under way.
    case active
    /// The coach said no, politely.
    case declined
    /// The client withdrew before an agreement.
    case withdrawn
    /// Finished, with a closing review.
    case closed

    /// Not ended: people still work, plan sessions and meet in it.
    public static let ongoing: Set<EngagementStatus> = [.inquiry, .agreementProposed, .active]
}

/// Someone in an engagement.
public struct EngagementParticipant: Codable, Sendable, Equatable {
    /// The account.
    public var userId: UUID
    /// Their name (which may be a pseudonym).
    public var displayName: String
    /// The agreement version this client confirmed (clients only).
    public var confirmedVersion: Int?

    /// Creates the value.
    public init(userId: UUID, displayName: String, confirmedVersion: Int? = nil) {
        self.userId = userId
        self.displayName = displayName
        self.confirmedVersion = confirmedVersion
    }
}

/// The first meeting, before any agreement: the engagement's first booking, proposed by the coach from their free
/// times and picked by the client (docs/engagements.md).
public struct FirstMeeting: Codable, Sendable, Equatable {
    /// When: the booked start, or the earliest proposed time until the client picked one.
    public var at: Date
    /// Online or in person.
    public var format: SessionFormat
    /// Where, for in-person meetings.
    public var location: String?
    /// When the client picked a time (the session is booked).
    public var acceptedAt: Date?
    /// The booking it is: proposed times the client picks from, then a session in both calendars.
    public var bookingId: UUID?

    /// Creates the value.
    public init(at: Date, format: SessionFormat, location: String?, acceptedAt: Date?, bookingId: UUID? = nil) {
        self.at = at
        self.format = format
        self.location = location
        self.acceptedAt = acceptedAt
        self.bookingId = bookingId
    }
}

/// What coach and clients agree on before the work starts. The scope is sealed; the numbers are plain.
public struct Agreement: Codable, Sendable, Equatable {
    /// Counts up with every proposal; clients confirm one version.
    public var version: Int
    /// How many sessions.
    public var sessions: Int
    /// The fee, if any.
    public var fee: Price?
    /// First day, `yyyy-mm-dd`.
    public var startsOn: String?
    /// Last day, `yyyy-mm-dd`.
    public var endsOn: String?
    /// What the work covers, sealed.
    public var scope: SealedContent
    /// When this version was proposed.
    public var proposedAt: Date

    /// Creates the value.
    public init(
        version: Int, sessions: Int, fee: Price?, startsOn: String?, endsOn: String?, scope: SealedContent,
        proposedAt: Date
    ) {
        self.version = version
        self.sessions = sessions
        self.fee = fee
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.scope = scope
        self.proposedAt = proposedAt
    }
}

/// A reusable step of a program: a milestone or a check-in on a day counted from the start.
public struct ProgramStep: Codable, Sendable, Equatable {
    /// A milestone to reach, or a check-in to hold.
    public enum Kind: String, Codable, Sendable {
        /// Something to reach.
        case milestone
        /// A meeting to review progress.
        case checkIn = "check_in"
    }

    /// Days after the start (0 is the first day).
    public var day: Int
    /// What the step is called.
    public var title: String
    /// A milestone or a check-in.
    public var kind: Kind

    /// Creates the value.
    public init(day: Int, title: String, kind: Kind) {
        self.day = day
        self.title = title
        self.kind = kind
    }
}

/// The program an engagement follows, copied from a template when it was applied.
public struct EngagementProgram: Codable, Sendable, Equatable {
    /// The template it came from.
    public var templateId: UUID
    /// The template's name then.
    public var name: String
    /// Day 0, `yyyy-mm-dd`.
    public var startsOn: String
    /// The steps then.
    public var steps: [ProgramStep]

    /// Creates the value.
    public init(templateId: UUID, name: String, startsOn: String, steps: [ProgramStep]) {
        self.templateId = templateId
        self.name = name
        self.startsOn = startsOn
        self.steps = steps
    }
}

/// The intake questionnaire sent to the clients, copied when it was sent.
public struct EngagementIntake: Codable, Sendable, Equatable {
    /// The questionnaire it came from.
    public var questionnaireId: UUID
    /// Its title then.
    public var title: String
    /// Its questions then.
    public var questions: [Question]
    /// When it was sent.
    public var sentAt: Date

    /// Creates the value.
    public init(questionnaireId: UUID, title: String, questions: [Question], sentAt: Date) {
        self.questionnaireId = questionnaireId
        self.title = title
        self.questions = questions
        self.sentAt = sentAt
    }
}

/// A coaching or mentoring relationship: one coach, one or more clients, their conversation, and the process.
public struct Engagement: Codable, Sendable, Equatable {
    /// Chosen by the client that made it.
    public var id: UUID
    /// The end-to-end encrypted conversation of everyone in it; its keys seal the engagement's free text.
    public var conversationId: UUID
    /// The coach.
    public var coach: EngagementParticipant
    /// The clients.
    public var clients: [EngagementParticipant]
    /// A group coaching or workshop rather than one-to-one.
    public var isGroup: Bool
    /// Where it stands.
    public var status: EngagementStatus
    /// Who began it: a client's inquiry or a coach's invitation.
    public var initiatedBy: InitiatedBy
    /// The first meeting, if proposed.
    public var firstMeeting: FirstMeeting?
    /// The latest agreement proposal.
    public var agreement: Agreement?
    /// The coach's reason for declining or the client's for withdrawing, sealed.
    public var declineReason: SealedContent?
    /// The intake questionnaire, if sent.
    public var intake: EngagementIntake?
    /// The program it follows, if any.
    public var program: EngagementProgram?
    /// Open tasks (for dashboards).
    public var openTasks: Int
    /// The earliest due date of an open task or milestone.
    public var nextDueAt: Date?
    /// The average progress of its goals, 0 to 100, if it has goals.
    public var progress: Int?
    /// When it began.
    public var createdAt: Date
    /// When anything in it last changed.
    public var updatedAt: Date

    /// Who began an engagement.
    public enum InitiatedBy: String, Codable, Sendable {
        /// A prospective client wrote an inquiry.
        case client
        /// The coach invited the clients.
        case coach
        /// A mentoring program matched them: the mentor is in the coach's place, the mentee the client.
        case program
    }

    /// Creates the value.
    public init(
        id: UUID, conversationId: UUID, coach: EngagementParticipant, clients: [EngagementParticipant],
        isGroup: Bool, status: EngagementStatus, initiatedBy: InitiatedBy, firstMeeting: FirstMeeting?,
        agreement: Agreement?, declineReason: SealedContent?, intake: EngagementIntake?, program: EngagementProgram?,
        openTasks: Int, nextDueAt: Date?, progress: Int?, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.conversationId = conversationId
        self.coach = coach
        self.clients = clients
        self.isGroup = isGroup
        self.status = status
        self.initiatedBy = initiatedBy
        self.firstMeeting = firstMeeting
        self.agreement = agreement
        self.declineReason = declineReason
        self.intake = intake
        self.program = program
        self.openTasks = openTasks
        self.nextDueAt = nextDueAt
        self.progress = progress
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
