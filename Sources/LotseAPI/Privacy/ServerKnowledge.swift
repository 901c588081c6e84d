import Foundation

/// What the server knows about an account, as the account may download it (docs/privacy.md, "What the server
/// knows"): the metadata it keeps — sign-ins, devices, who talks to whom, when and how much — and the few plain texts
/// it holds (session titles, program answers that matching reads). Never what anyone wrote: that it holds only
/// encrypted, and the export made in the browser has it.
public struct ServerKnowledge: Codable, Sendable, Equatable {
    /// `lotse-server-knowledge-1`; field names stay stable within it.
    public var format: String
    public var generatedAt: Date
    public var account: KnownAccount
    public var sessions: [SessionSummary]
    /// The account's entries in the audit log, newest first.
    public var securityEvents: [SecurityEvent]
    public var conversations: [KnownConversation]
    public var engagements: [KnownEngagement]
    public var bookings: [KnownBooking]
    public var programs: [KnownParticipation]
    /// The account's end-to-end public keys, version by version (the private keys are never on the server).
    public var keyVersions: [KeyVersion]
    /// The lines of the notification center: what waited, about which engagement or match, when, read or not.
    public var notifications: [KnownNotification]
    /// The latest technical check of camera, microphone and connection, if one was made.
    public var techCheck: TechCheck?

    /// Creates the value.
    public init(
        generatedAt: Date, account: KnownAccount, sessions: [SessionSummary], securityEvents: [SecurityEvent],
        conversations: [KnownConversation], engagements: [KnownEngagement], bookings: [KnownBooking],
        programs: [KnownParticipation], keyVersions: [KeyVersion] = [], notifications: [KnownNotification] = [],
        techCheck: TechCheck? = nil
    ) {
        self.format = Self.currentFormat
        self.generatedAt = generatedAt
        self.account = account
        self.sessions = sessions
        self.securityEvents = securityEvents
        self.conversations = conversations
        self.engagements = engagements
        self.bookings = bookings
        self.programs = programs
        self.keyVersions = keyVersions
        self.notifications = notifications
        self.techCheck = techCheck
    }

    public static let currentFormat = "lotse-server-knowledge-1"
}

/// The account itself.
public struct KnownAccount: Codable, Sendable, Equatable {
    public var id: UUID
    public var email: String
    public var displayName: String
    public var role: Role
    public var language: Language
    public var createdAt: Date
    public var emailVerifiedAt: Date?
    public var isTwoFactorEnabled: Bool

    /// Creates the value.
    public init(
        id: UUID, email: String, displayName: String, role: Role, language: Language, createdAt: Date,
        emailVerifiedAt: Date?, isTwoFactorEnabled: Bool
    ) {
        self.id = id
        self.email = email
        self.displayName = displayName
        self.role = role
        self.language = language
        self.createdAt = createdAt
        self.emailVerifiedAt = emailVerifiedAt
        self.isTwoFactorEnabled = isTwoFactorEnabled
    }
}

/// A conversation the account is in: with whom, since when, how much was said when — not what.
public struct KnownConversation: Codable, Sendable, Equatable {
    public var id: UUID
    /// The other members, by display name.
    public var members: [String]
    public var joinedAt: Date
    /// Messages in it, and of those the account's own.
    public var messages: Int
    public var messagesSent: Int
    /// The encrypted messages' size in bytes.
    public var bytes: Int
    public var attachments: Int
    public var attachmentBytes: Int
    public var firstMessageAt: Date?
    public var lastMessageAt: Date?

    /// Creates the value.
    public init(
        id: UUID, members: [String], joinedAt: Date, messages: Int, messagesSent: Int, bytes: Int, attachments: Int,
        attachmentBytes: Int, firstMessageAt: Date?, lastMessageAt: Date?
    ) {
        self.id = id
        self.members = members
        self.joinedAt = joinedAt
        self.messages = messages
        self.messagesSent = messagesSent
        self.bytes = bytes
        self.attachments = attachments
        self.attachmentBytes = attachmentBytes
        self.firstMessageAt = firstMessageAt
        self.lastMessageAt = lastMessageAt
    }
}

/// An engagement the account is in, as coach or client: who with whom, and where it stands.
public struct KnownEngagement: Codable, Sendable, Equatable {
    public var id: UUID
    public var coachName: String
    public var clientNames: [String]
    public var status: EngagementStatus
    public var createdAt: Date

    /// Creates the value.
    public init(id: UUID, coachName: String, clientNames: [String], status: EngagementStatus, createdAt: Date) {
        self.id = id
        self.coachName = coachName
        self.clientNames = clientNames
        self.status = status
        self.createdAt = createdAt
    }
}

/// A session planned in one of the account's engagements.
public struct KnownBooking: Codable, Sendable, Equatable {
    public var id: UUID
    public var engagementId: UUID
    public var title: String
    public var startsAt: Date?
    public var durationMinutes: Int
    public var status: String
    public var format: String
    public var location: String?

    /// Creates the value.
    public init(
        id: UUID, engagementId: UUID, title: String, startsAt: Date?, durationMinutes: Int, status: String,
        format: String, location: String?
    ) {
        self.id = id
        self.engagementId = engagementId
        self.title = title
        self.startsAt = startsAt
        self.durationMinutes = durationMinutes
        self.status = status
        self.format = format
        self.location = location
    }
}

/// A mentoring program the account takes part in, and the structured answers matching reads (free-text answers
/// are sealed for the program's staff and not here).
public struct KnownParticipation: Codable, Sendable, Equatable {
    public var programName: String
    public var institutionName: String
    public var role: ParticipantRole
    public var state: ParticipantState
    public var joinedAt: Date?
    public var answers: [RegistrationAnswer]

    /// Creates the value.
    public init(
        programName: String, institutionName: String, role: ParticipantRole, state: ParticipantState,
        joinedAt: Date?, answers: [RegistrationAnswer]
    ) {
        self.programName = programName
        self.institutionName = institutionName
        self.role = role
        self.state = state
        self.joinedAt = joinedAt
        self.answers = answers
    }
}

/// A line of the notification center.
public struct KnownNotification: Codable, Sendable, Equatable {
    public var kind: NotificationKind
    /// The engagement, match or program it is about.
    public var about: UUID
    public var createdAt: Date
    public var readAt: Date?

    /// Creates the value.
    public init(kind: NotificationKind, about: UUID, createdAt: Date, readAt: Date?) {
        self.kind = kind
        self.about = about
        self.createdAt = createdAt
        self.readAt = readAt
    }
}
