import Foundation

/// A prospective client's inquiry to a coach from the directory: the engagement, its conversation (epoch 1's key
/// for client and coach) and the sealed inquiry (goals and context) in one request. IDs are chosen by the client, so
/// a retry finds what the first attempt made.
public struct CreateInquiry: Codable, Sendable, Equatable {
    /// The new engagement's ID.
    public var id: UUID
    /// The coach's directory profile.
    public var profileId: UUID
    /// The conversation of client and coach.
    public var conversation: CreateConversation
    /// Goals and context, sealed under the conversation's epoch-1 key with `inquiry.id` as the item's ID.
    public var inquiry: SealedContent

    /// Creates the request.
    public init(id: UUID, profileId: UUID, conversation: CreateConversation, inquiry: SealedContent) {
        self.id = id
        self.profileId = profileId
        self.conversation = conversation
        self.inquiry = inquiry
    }
}

/// A coach invites one or more clients to an engagement (one-to-one, or a group coaching or workshop).
public struct CreateEngagement: Codable, Sendable, Equatable {
    /// The new engagement's ID.
    public var id: UUID
    /// The conversation of coach and clients; its other members are the clients.
    public var conversation: CreateConversation
    /// A group rather than one-to-one (a group may start with one client).
    public var isGroup: Bool

    /// Creates the request.
    public init(id: UUID, conversation: CreateConversation, isGroup: Bool) {
        self.id = id
        self.conversation = conversation
        self.isGroup = isGroup
    }
}

/// The coach proposes an agreement, or a new version of it.
public struct ProposeAgreement: Codable, Sendable, Equatable {
    /// How many sessions, 1 to 500.
    public var sessions: Int
    /// The fee, if any.
    public var fee: Price?
    /// `yyyy-mm-dd`.
    public var startsOn: String?
    /// `yyyy-mm-dd`, not before `startsOn`.
    public var endsOn: String?
    /// The scope, sealed.
    public var scope: SealedContent

    /// Creates the request.
    public init(sessions: Int, fee: Price?, startsOn: String?, endsOn: String?, scope: SealedContent) {
        self.sessions = sessions
        self.fee = fee
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.scope = scope
    }
}

/// A client confirms the agreement version they read.
public struct ConfirmAgreement: Codable, Sendable, Equatable {
    /// The version.
    public var version: Int

    /// Creates the request.
    public init(version: Int) { self.version = version }
}

/// The coach declines, or the client withdraws, with a reason that is sealed.
public struct DeclineEngagement: Codable, Sendable, Equatable {
    /// Why, sealed.
    public var reason: SealedContent?

    /// Creates the request.
    public init(reason: SealedContent?) { self.reason = reason }
}

/// The coach sends an intake questionnaire to the clients.
public struct SendIntake: Codable, Sendable, Equatable {
    /// One of the coach's questionnaires.
    public var questionnaireId: UUID

    /// Creates the request.
    public init(questionnaireId: UUID) { self.questionnaireId = questionnaireId }
}

/// The coach applies a program template: its steps become milestones due on their day.
public struct ApplyProgram: Codable, Sendable, Equatable {
    /// One of the coach's templates.
    public var templateId: UUID
    /// Day 0, `yyyy-mm-dd`.
    public var startsOn: String

    /// Creates the request.
    public init(templateId: UUID, startsOn: String) {
        self.templateId = templateId
        self.startsOn = startsOn
    }
}

/// The coach adds clients to a group; they join its conversation, and the next sender starts a key epoch for them.
public struct AddEngagementClients: Codable, Sendable, Equatable {
    /// The clients' account IDs.
    public var clients: [UUID]

    /// Creates the request.
    public init(clients: [UUID]) { self.clients = clients }
}

/// A question of an intake questionnaire.
public struct Question: Codable, Sendable, Equatable {
    /// Free text or a scale of 1 to 10.
    public enum Kind: String, Codable, Sendable {
        /// A free-text answer.
        case text
        /// A number from 1 to 10.
        case scale
    }

    /// Stable within the questionnaire; answers refer to it.
    public var id: UUID
    /// The question.
    public var text: String
    /// How it is answered.
    public var kind: Kind

    /// Creates the value.
    public init(id: UUID, text: String, kind: Kind) {
        self.id = id
        self.text = text
        self.kind = kind
    }
}

/// A coach's intake questionnaire. The questions are the coach's own material; the clients' answers are sealed.
public struct Questionnaire: Codable, Sendable, Equatable {
    /// Its ID.
    public var id: UUID
    /// Its title.
    public var title: String
    /// Its questions.
    public var questions: [Question]
    /// When it last changed.
    public var updatedAt: Date

    /// Creates the value.
    public init(id: UUID, title: String, questions: [Question], updatedAt: Date) {
        self.id = id
        self.title = title
        self.questions = questions
        self.updatedAt = updatedAt
    }
}

/// Creates or replaces a questionnaire (`PUT /questionnaires/{id}`).
public struct SaveQuestionnaire: Codable, Sendable, Equatable {
    /// 1 to 200 characters.
    public var title: String
    /// 1 to 50 questions.
    public var questions: [Question]

    /// Creates the request.
    public init(title: String, questions: [Question]) {
        self.title = title
        self.questions = questions
    }
}

/// A coach's reusable program, e.g. "First 100 days in a new job" with check-ins at days 1, 30, 60, 90 and 100.
public struct ProgramTemplate: Codable, Sendable, Equatable {
    /// Its ID.
    public var id: UUID
    /// Its name.
    public var name: String
    /// What it is for.
    public var description: String
    /// Its steps, by day.
    public var steps: [ProgramStep]
    /// When it last changed.
    public var updatedAt: Date

    /// Creates the value.
    public init(id: UUID, name: String, description: String, steps: [ProgramStep], updatedAt: Date) {
        self.id = id
        self.name = name
        self.description = description
        self.steps = steps
        self.updatedAt = updatedAt
    }
}

/// Creates or replaces a template (`PUT /templates/{id}`).
public struct SaveProgramTemplate: Codable, Sendable, Equatable {
    /// 1 to 200 characters.
    public var name: String
    /// Up to 2000 characters.
    public var description: String
    /// 1 to 100 steps, days 0 to 3650.
    public var steps: [ProgramStep]

    /// Creates the request.
    public init(name: String, description: String, steps: [ProgramStep]) {
        self.name = name
        self.description = description
        self.steps = steps
    }
}
