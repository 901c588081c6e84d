import Foundation

/// Where a program is in its life: set up, taking registrations, being matched, running, winding down, over.
public enum ProgramStatus: String, Codable, Sendable, CaseIterable {
    /// Staff set it up; nobody can join yet.
    case draft
    /// Participants register.
    case open
    /// Registration is closed; staff match.
    case matching
    /// Pairs work together.
    case active
    /// The end date has come; pairs complete and answer the closing survey.
    case closing
    /// Over, and read-only.
    case closed

    /// The status after this one, nil at the end.
    public var next: ProgramStatus? {
        switch self {
        case .draft: .open
        case .open: .matching
        case .matching: .active
        case .active: .closing
        case .closing: .closed
        case .closed: nil
        }
    }
}

/// Whether everyone starts together or participants join all year round.
public enum ProgramCohort: String, Codable, Sendable, CaseIterable {
    /// One cohort with fixed dates.
    case fixed
    /// People join and are matched at any time; each pair runs for the program's duration.
    case evergreen
}

/// How mentees and mentors find each other.
public enum MatchingMode: String, Codable, Sendable, CaseIterable {
    /// Mentees choose from suggestions that respect mentors' capacity; the mentor accepts.
    case choice
    /// Staff review the whole pool's optimum, pin pairs they require, and publish it.
    case review
    /// The optimum is published as it is.
    case automatic
}

/// What staff set about a program. Dates are calendar days (`2027-03-01`).
public struct ProgramSettings: Codable, Sendable, Equatable {
    /// Its name, e.g. "Mentoring for first-year students 2027".
    public var name: String
    /// What participants read before they register.
    public var description: String
    /// One cohort with dates, or all year round.
    public var cohort: ProgramCohort
    /// A fixed cohort's first day.
    public var startsOn: String?
    /// A fixed cohort's last day.
    public var endsOn: String?
    /// How long each pair works together, in months (1–36).
    public var durationMonths: Int
    /// How often pairs are asked to meet, in weeks (1–12).
    public var cadenceWeeks: Int
    /// How pairs are found.
    public var matchingMode: MatchingMode
    /// Days a mentor has to answer a request before it expires (1–60).
    public var requestExpiryDays: Int
    /// The template every pair starts from: milestones and check-ins, counted in days from the pair's first day
    /// (0–100 steps; absent is none).
    public var steps: [ProgramStep]

    /// Creates the value.
    public init(
        name: String, description: String = "", cohort: ProgramCohort = .fixed, startsOn: String? = nil,
        endsOn: String? = nil, durationMonths: Int = 6, cadenceWeeks: Int = 2, matchingMode: MatchingMode = .review,
        requestExpiryDays: Int = 7, steps: [ProgramStep] = []
    ) {
        self.name = name
        self.description = description
        self.cohort = cohort
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.durationMonths = durationMonths
        self.cadenceWeeks = cadenceWeeks
        self.matchingMode = matchingMode
        self.requestExpiryDays = requestExpiryDays
        self.steps = steps
    }

    private enum CodingKeys: String, CodingKey {
        case name, description, cohort, startsOn, endsOn, durationMonths, cadenceWeeks, matchingMode
        case requestExpiryDays, steps
    }

    /// Decodes the settings; `steps` may be absent (settings saved before programs had templates).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try container.decode(String.self, forKey: .name),
            description: try container.decode(String.self, forKey: .description),
            cohort: try container.decode(ProgramCohort.self, forKey: .cohort),
            startsOn: try container.decodeIfPresent(String.self, forKey: .startsOn),
            endsOn: try container.decodeIfPresent(String.self, forKey: .endsOn),
            durationMonths: try container.decode(Int.self, forKey: .durationMonths),
            cadenceWeeks: try container.decode(Int.self, forKey: .cadenceWeeks),
            matchingMode: try container.decode(MatchingMode.self, forKey: .matchingMode),
            requestExpiryDays: try container.decode(Int.self, forKey: .requestExpiryDays),
            steps: try container.decodeIfPresent([ProgramStep].self, forKey: .steps) ?? [])
    }
}

/// How many people a program has, by role.
public struct ProgramHeadcount: Codable, Sendable, Equatable {
    /// Mentees who registered.
    public var mentees: Int
    /// Mentors who registered.
    public var mentors: Int
    /// Imported or invited people who have not registered yet.
    public var invited: Int

    /// Creates the value.
    public init(mentees: Int, mentors: Int, invited: Int) {
        self.mentees = mentees
        self.mentors = mentors
        self.invited = invited
    }
}

/// A mentoring program as its staff see it.
public struct Program: Codable, Sendable, Equatable {
    /// Its identifier.
    public var id: UUID
    /// The institution that runs it.
    public var institutionId: UUID
    /// That institution's name.
    public var institutionName: String
    /// Where it is in its life.
    public var status: ProgramStatus
    /// What staff set.
    public var settings: ProgramSettings
    /// The code in its invitation link (`/join/<code>`).
    public var invitationCode: String
    /// Who is in it.
    public var headcount: ProgramHeadcount
    /// When it was created.
    public var createdAt: Date

    /// Creates the value.
    public init(
        id: UUID, institutionId: UUID, institutionName: String, status: ProgramStatus, settings: ProgramSettings,
        invitationCode: String, headcount: ProgramHeadcount, createdAt: Date
    ) {
        self.id = id
        self.institutionId = institutionId
        self.institutionName = institutionName
        self.status = status
        self.settings = settings
        self.invitationCode = invitationCode
        self.headcount = headcount
        self.createdAt = createdAt
    }
}

/// Moves a program to its next status (or keeps it where it is, for a retry).
public struct ChangeProgramStatus: Codable, Sendable, Equatable {
    /// The status wanted: the current one's next.
    public var status: ProgramStatus

    /// Creates the request.
    public init(status: ProgramStatus) { self.status = status }
}

/// A program as someone invited to it sees it before joining.
public struct ProgramInvitation: Codable, Sendable, Equatable {
    /// The program.
    public var programId: UUID
    /// Its name.
    public var name: String
    /// What it is about.
    public var description: String
    /// Who runs it.
    public var institutionName: String
    /// Whether it takes registrations now.
    public var isOpen: Bool
    /// For someone imported by staff: the role they were given; nil lets them choose.
    public var role: ParticipantRole?
    /// Whether the requester already joined.
    public var hasJoined: Bool

    /// Creates the value.
    public init(
        programId: UUID, name: String, description: String, institutionName: String, isOpen: Bool,
        role: ParticipantRole?, hasJoined: Bool
    ) {
        self.programId = programId
        self.name = name
        self.description = description
        self.institutionName = institutionName
        self.isOpen = isOpen
        self.role = role
        self.hasJoined = hasJoined
    }
}

/// What someone is in a program.
public enum ParticipantRole: String, Codable, Sendable, CaseIterable {
    /// Is mentored.
    case mentee
    /// Mentors.
    case mentor
}

/// How someone came into a program.
public enum ParticipantSource: String, Codable, Sendable, CaseIterable {
    /// Through the program's invitation link.
    case link
    /// By a mail address at one of the institution's domains.
    case domain
    /// Staff imported them from a list.
    case list
}

/// Where a participant is: invited by staff and not registered yet, or registered.
public enum ParticipantState: String, Codable, Sendable, CaseIterable {
    /// Imported by staff; has not joined yet.
    case invited
    /// Joined the program.
    case registered
}

/// Joins a program, through its invitation link or by the institution's mail domain. Joining again changes nothing.
public struct JoinProgram: Codable, Sendable, Equatable {
    /// The role chosen; someone imported by staff keeps the role they were given.
    public var role: ParticipantRole

    /// Creates the request.
    public init(role: ParticipantRole) { self.role = role }
}

/// Someone in a program, as staff see them: their name, address and role, never what they wrote to anyone.
public struct ProgramParticipant: Codable, Sendable, Equatable {
    /// The participation's identifier.
    public var id: UUID
    /// The account, once they registered.
    public var userId: UUID?
    /// Their name.
    public var displayName: String
    /// Their address.
    public var email: String
    /// Mentee or mentor.
    public var role: ParticipantRole
    /// Invited or registered.
    public var state: ParticipantState
    /// How they came in.
    public var source: ParticipantSource
    /// For someone under 16: whether their guardian confirmed (they are not matched before).
    public var guardianConsent: GuardianConsentState?
    /// Their free-text answers, with the reading staff member's key (none if they joined the staff later).
    public var freeText: SealedAnswers?

    /// Creates the value.
    public init(
        id: UUID, userId: UUID?, displayName: String, email: String, role: ParticipantRole, state: ParticipantState,
        source: ParticipantSource, guardianConsent: GuardianConsentState? = nil, freeText: SealedAnswers? = nil
    ) {
        self.guardianConsent = guardianConsent
        self.freeText = freeText
        self.id = id
        self.userId = userId
        self.displayName = displayName
        self.email = email
        self.role = role
        self.state = state
        self.source = source
    }
}

/// A list of participants for staff to import: CSV with the columns `name,email,role` (role `mentee` or `mentor`,
/// or German `Mentee`/`Mentor`), a header line optional, comma or semicolon separated.
public struct ImportParticipants: Codable, Sendable, Equatable {
    /// The file's text.
    public var csv: String

    /// Creates the request.
    public init(csv: String) { self.csv = csv }
}

/// What an import did. Nothing is imported unless every row is good.
public struct ImportedParticipants: Codable, Sendable, Equatable {
    /// Rows that added someone (each gets an invitation mail).
    public var added: Int
    /// Rows for people already in the program (left as they were).
    public var alreadyThere: Int

    /// Creates the value.
    public init(added: Int, alreadyThere: Int) {
        self.added = added
        self.alreadyThere = alreadyThere
    }
}

/// A program one may join, for the list on one's own start page.
public struct JoinableProgram: Codable, Sendable, Equatable {
    /// The program.
    public var programId: UUID
    /// Its name.
    public var name: String
    /// Who runs it.
    public var institutionName: String
    /// Why one may join: a staff list, or one's mail domain.
    public var source: ParticipantSource
    /// The role staff gave, for someone on their list.
    public var role: ParticipantRole?

    /// Creates the value.
    public init(
        programId: UUID, name: String, institutionName: String, source: ParticipantSource, role: ParticipantRole?
    ) {
        self.programId = programId
        self.name = name
        self.institutionName = institutionName
        self.source = source
        self.role = role
    }
}

/// What a registration question asks for.
public enum QuestionKind: String, Codable, Sendable, CaseIterable {
    /// One of `options`.
    case single
    /// Any of `options`.
    case multiple
    /// Languages one speaks, as language codes (`de`, `en`, `tr`).
    case languages
    /// One's time zone (`Europe/Berlin`).
    case timeZone = "time_zone"
    /// When one is usually free: slots 0–20, day by day from Monday (morning, afternoon, evening).
    case availability
    /// Topics from `options`, several allowed.
    case topics
    /// For mentors: how many mentees they take (1–10).
    case capacity
    /// Free text, sealed in the participant's browser for the program's staff (``SealedAnswers``): the server never
    /// reads it, so it is never required and never used for matching.
    case text
}

/// How matching uses a question asked of both mentees and mentors.
public enum MatchingUse: String, Codable, Sendable, CaseIterable {
    /// A pair must share an answer (a language, a free slot; time zones at most three hours apart).
    case must
    /// Overlapping answers add `weight` points.
    case weight
    /// Not used for matching.
    case none
}

/// One question of a program's registration.
public struct RegistrationQuestion: Codable, Sendable, Equatable {
    /// Chosen by staff's browser; stable across edits, so answers stay with their question.
    public var id: UUID
    /// What kind of answer it takes.
    public var kind: QuestionKind
    /// The question as participants read it.
    public var label: String
    /// Choices for `single`, `multiple` and `topics` (1–50 of them).
    public var options: [String]
    /// Who is asked: mentees, mentors or both. Matching compares only questions asked of both.
    public var askedOf: [ParticipantRole]
    /// How matching uses it.
    public var use: MatchingUse
    /// Points for `weight` (1–10).
    public var weight: Int
    /// Whether an answer is needed to register.
    public var isRequired: Bool

    /// Creates the value.
    public init(
        id: UUID, kind: QuestionKind, label: String, options: [String] = [],
        askedOf: [ParticipantRole] = [.mentee, .mentor], use: MatchingUse = .none, weight: Int = 1,
        isRequired: Bool = true
    ) {
        self.id = id
        self.kind = kind
        self.label = label
        self.options = options
        self.askedOf = askedOf
        self.use = use
        self.weight = weight
        self.isRequired = isRequired
    }
}

/// A program's registration questions. Staff change them until matching starts; participants are told that these
/// answers are what matching uses and what staff see.
public struct RegistrationQuestions: Codable, Sendable, Equatable {
    /// The questions in the order they are asked.
    public var questions: [RegistrationQuestion]

    /// Creates the value.
    public init(questions: [RegistrationQuestion]) { self.questions = questions }
}

/// One answer: `values` for choices, languages, topics and the time zone; `slots` for availability; `number` for
/// capacity.
public struct RegistrationAnswer: Codable, Sendable, Equatable {
    /// The question answered.
    public var questionId: UUID
    /// Chosen options, language codes, or the one time zone.
    public var values: [String]
    /// Free slots 0–20.
    public var slots: [Int]
    /// The capacity.
    public var number: Int?

    /// Creates the value.
    public init(questionId: UUID, values: [String] = [], slots: [Int] = [], number: Int? = nil) {
        self.questionId = questionId
        self.values = values
        self.slots = slots
        self.number = number
    }
}

/// A participant's answers; saving replaces the earlier ones.
public struct Registration: Codable, Sendable, Equatable {
    /// Their answers.
    public var answers: [RegistrationAnswer]
    /// For someone under 16: a parent's or guardian's address. They get a link to confirm that the participant may
    /// take part (Art. 8 GDPR); until then the participant is not matched.
    public var guardianEmail: String?
    /// The answers to free-text questions, sealed for the program's staff and the participant; absent clears them.
    public var sealedAnswers: SealedAnswers?
    /// The consent the participant gave with this save, by the version of its text (``Registration/consentVersion``):
    /// that the program's staff see these answers. Needed as long as none is on record.
    public var consent: String?

    /// The version of the consent text the registration page shows (docs/privacy.md, "Consent").
    public static let consentVersion = "program_answers.1"

    /// Creates the value.
    public init(
        answers: [RegistrationAnswer], guardianEmail: String? = nil, sealedAnswers: SealedAnswers? = nil,
        consent: String? = nil
    ) {
        self.answers = answers
        self.guardianEmail = guardianEmail
        self.sealedAnswers = sealedAnswers
        self.consent = consent
    }
}

/// Free-text registration answers, end-to-end encrypted (docs/programs.md, "Free text for staff"): a JSON object of
/// question ID to text, sealed like engagement text under a fresh key with the label `lotse registration answers v1`,
/// bound to the participation's ID; the key is wrapped like a conversation key (the participation's ID in the
/// conversation's place, epoch 1) for the participant and every member of the institution's staff.
public struct SealedAnswers: Codable, Sendable, Equatable {
    /// The answers, sealed and signed by the participant; `id` is the participation's ID, `epoch` 1.
    public var sealed: SealedContent
    /// The key, wrapped for the participant and each staff member; in answers, only the reader's own.
    public var keys: [WrappedConversationKey]
    /// In answers: the participant's signing key, to check the seal.
    public var authorSigningKey: String?

    /// Creates the value.
    public init(sealed: SealedContent, keys: [WrappedConversationKey], authorSigningKey: String? = nil) {
        self.sealed = sealed
        self.keys = keys
        self.authorSigningKey = authorSigningKey
    }
}

/// Where a guardian's confirmation for a participant under 16 stands.
public enum GuardianConsentState: String, Codable, Sendable, CaseIterable {
    /// Mailed; the guardian has not confirmed yet.
    case pending
    /// The guardian confirmed.
    case confirmed
}

/// What a guardian's link shows before they confirm.
public struct GuardianConsent: Codable, Sendable, Equatable {
    /// The participant's name.
    public var participantName: String
    /// The program.
    public var programName: String
    /// What it is about.
    public var programDescription: String
    /// Who runs it.
    public var institutionName: String
    /// Whether it is confirmed already.
    public var isConfirmed: Bool

    /// Creates the value.
    public init(
        participantName: String, programName: String, programDescription: String, institutionName: String,
        isConfirmed: Bool
    ) {
        self.participantName = participantName
        self.programName = programName
        self.programDescription = programDescription
        self.institutionName = institutionName
        self.isConfirmed = isConfirmed
    }
}

/// The token from a guardian's link.
public struct GuardianToken: Codable, Sendable, Equatable {
    /// The token.
    public var token: String

    /// Creates the value.
    public init(token: String) { self.token = token }
}

/// What a participant sees of their registration: the questions for their role and their answers so far.
public struct RegistrationForm: Codable, Sendable, Equatable {
    /// The program.
    public var programId: UUID
    /// Its name.
    public var programName: String
    /// The participation: what free-text answers are bound to.
    public var participantId: UUID
    /// The participant's role.
    public var role: ParticipantRole
    /// The questions asked of that role.
    public var questions: [RegistrationQuestion]
    /// The saved answers (empty before the first save).
    public var answers: [RegistrationAnswer]
    /// Whether every required question is answered.
    public var isComplete: Bool
    /// Whether answers can still change (until matching starts; all year in an evergreen program).
    public var isEditable: Bool
    /// How pairs are found: with `choice`, a mentee with a complete registration asks mentors.
    public var matchingMode: MatchingMode
    /// For someone under 16: the guardian's address, and whether they confirmed.
    public var guardianEmail: String?
    /// The guardian's confirmation, when one is needed.
    public var guardianConsent: GuardianConsentState?
    /// Whom free-text answers are sealed for besides the participant: the staff with keys.
    public var staffKeys: [PublicKeys]
    /// The saved free-text answers, with the participant's own key.
    public var sealedAnswers: SealedAnswers?
    /// When the participant agreed that the program's staff see the answers (nil: not, or withdrawn).
    public var consentGivenAt: Date?

    /// Creates the value.
    public init(
        programId: UUID, programName: String, participantId: UUID, role: ParticipantRole,
        questions: [RegistrationQuestion],
        answers: [RegistrationAnswer], isComplete: Bool, isEditable: Bool, matchingMode: MatchingMode = .review,
        guardianEmail: String? = nil, guardianConsent: GuardianConsentState? = nil, staffKeys: [PublicKeys] = [],
        sealedAnswers: SealedAnswers? = nil, consentGivenAt: Date? = nil
    ) {
        self.consentGivenAt = consentGivenAt
        self.participantId = participantId
        self.staffKeys = staffKeys
        self.sealedAnswers = sealedAnswers
        self.matchingMode = matchingMode
        self.guardianEmail = guardianEmail
        self.guardianConsent = guardianConsent
        self.programId = programId
        self.programName = programName
        self.role = role
        self.questions = questions
        self.answers = answers
        self.isComplete = isComplete
        self.isEditable = isEditable
    }
}

/// How much one criterion gave a pair: its share of the 0–100 score.
public struct CriterionPoints: Codable, Sendable, Equatable {
    /// The question compared.
    public var questionId: UUID
    /// Its text.
    public var label: String
    /// Points this pair got for it.
    public var points: Int
    /// Points a full overlap would give.
    public var maxPoints: Int

    /// Creates the value.
    public init(questionId: UUID, label: String, points: Int, maxPoints: Int) {
        self.questionId = questionId
        self.label = label
        self.points = points
        self.maxPoints = maxPoints
    }
}

/// A mentee and a mentor, as staff pin them or publish them.
public struct PairChoice: Codable, Sendable, Equatable, Hashable {
    /// The mentee's participation.
    public var menteeId: UUID
    /// The mentor's participation.
    public var mentorId: UUID

    /// Creates the value.
    public init(menteeId: UUID, mentorId: UUID) {
        self.menteeId = menteeId
        self.mentorId = mentorId
    }
}

/// Asks for the whole pool's best matching.
public struct ProposeMatching: Codable, Sendable, Equatable {
    /// Match as many mentees as possible first, then the highest total.
    public var everyoneFirst: Bool
    /// Pairs staff require; they take a place of their mentor's.
    public var pins: [PairChoice]

    /// Creates the request.
    public init(everyoneFirst: Bool = false, pins: [PairChoice] = []) {
        self.everyoneFirst = everyoneFirst
        self.pins = pins
    }
}

/// A pair in a proposal, with why.
public struct ProposedPair: Codable, Sendable, Equatable {
    /// The mentee's participation.
    public var menteeId: UUID
    /// The mentee's name.
    public var menteeName: String
    /// The mentor's participation.
    public var mentorId: UUID
    /// The mentor's name.
    public var mentorName: String
    /// 0–100.
    public var score: Int
    /// The points per criterion.
    public var reasons: [CriterionPoints]
    /// Whether staff pinned it.
    public var isPinned: Bool

    /// Creates the value.
    public init(
        menteeId: UUID, menteeName: String, mentorId: UUID, mentorName: String, score: Int, reasons: [CriterionPoints],
        isPinned: Bool
    ) {
        self.menteeId = menteeId
        self.menteeName = menteeName
        self.mentorId = mentorId
        self.mentorName = mentorName
        self.score = score
        self.reasons = reasons
        self.isPinned = isPinned
    }
}

/// Someone a proposal leaves out, and why.
public struct UnmatchedParticipant: Codable, Sendable, Equatable {
    /// The participation.
    public var id: UUID
    /// Their name.
    public var displayName: String
    /// How many mentors the must criteria allow at all (0: none fits).
    public var possibleMentors: Int

    /// Creates the value.
    public init(id: UUID, displayName: String, possibleMentors: Int) {
        self.id = id
        self.displayName = displayName
        self.possibleMentors = possibleMentors
    }
}

/// The best matching of the mentees and mentors whose registrations are complete and who are not matched yet.
public struct MatchingProposal: Codable, Sendable, Equatable {
    /// The pairs, best score first.
    public var pairs: [ProposedPair]
    /// Mentees left without a mentor.
    public var unmatched: [UnmatchedParticipant]
    /// Registered mentees whose registration is not complete (not matched).
    public var incomplete: Int
    /// The sum of the pairs' scores.
    public var total: Int
    /// What the greedy pick (best pair first) would total, for comparison.
    public var greedyTotal: Int
    /// How many the greedy pick would match.
    public var greedyMatched: Int

    /// Creates the value.
    public init(
        pairs: [ProposedPair], unmatched: [UnmatchedParticipant], incomplete: Int, total: Int, greedyTotal: Int,
        greedyMatched: Int
    ) {
        self.pairs = pairs
        self.unmatched = unmatched
        self.incomplete = incomplete
        self.total = total
        self.greedyTotal = greedyTotal
        self.greedyMatched = greedyMatched
    }
}

/// Where a match between a mentee and a mentor is.
public enum MatchState: String, Codable, Sendable, CaseIterable {
    /// A mentee asked this mentor; waiting for the mentor.
    case requested
    /// Staff published it; waiting for mentee and mentor to accept (see `waitingFor`).
    case waiting
    /// Both accepted: the pair works together.
    case active
    /// The pair paused.
    case paused
    /// The pair finished at the program's end.
    case completed
    /// The pair stopped before the end.
    case endedEarly = "ended_early"
    /// Mentee or mentor said no.
    case declined
    /// The mentee was matched otherwise (another mentor accepted first).
    case superseded
    /// Nobody answered in time.
    case expired

    /// Whether the match holds a place of the mentor's and the mentee.
    public var isLive: Bool { self == .waiting || self == .active || self == .paused }
}

/// Who proposed a match.
public enum MatchOrigin: String, Codable, Sendable, CaseIterable {
    /// Staff published it (or the automatic matching did).
    case staff
    /// The mentee chose the mentor.
    case mentee
}

/// One side of a match.
public struct MatchPerson: Codable, Sendable, Equatable {
    /// The participation.
    public var participantId: UUID
    /// The account.
    public var userId: UUID?
    /// The name.
    public var displayName: String

    /// Creates the value.
    public init(participantId: UUID, userId: UUID?, displayName: String) {
        self.participantId = participantId
        self.userId = userId
        self.displayName = displayName
    }
}

/// A match as its mentee, its mentor and the program's staff see it.
public struct ProgramMatch: Codable, Sendable, Equatable {
    /// Its identifier.
    public var id: UUID
    /// The program.
    public var programId: UUID
    /// The program's name.
    public var programName: String
    /// The mentee.
    public var mentee: MatchPerson
    /// The mentor.
    public var mentor: MatchPerson
    /// Where it is.
    public var state: MatchState
    /// Who proposed it.
    public var origin: MatchOrigin
    /// The pair's score when it was made.
    public var score: Int
    /// Whose answer it waits for.
    public var waitingFor: [ParticipantRole]
    /// When a request expires unanswered.
    public var respondBy: Date?
    /// The pair's engagement (conversation, goals, sessions), once one of them started it; it has the match's ID.
    public var engagementId: UUID?
    /// When it was made.
    public var createdAt: Date

    /// Creates the value.
    public init(
        id: UUID, programId: UUID, programName: String, mentee: MatchPerson, mentor: MatchPerson, state: MatchState,
        origin: MatchOrigin, score: Int, waitingFor: [ParticipantRole], respondBy: Date?, engagementId: UUID? = nil,
        createdAt: Date
    ) {
        self.id = id
        self.programId = programId
        self.programName = programName
        self.mentee = mentee
        self.mentor = mentor
        self.state = state
        self.origin = origin
        self.score = score
        self.waitingFor = waitingFor
        self.respondBy = respondBy
        self.engagementId = engagementId
        self.createdAt = createdAt
    }
}

/// Mentor or mentee starts the pair's work together: the conversation their engagement runs in, created in the
/// browser with its key wrapped for both (its ID must be the match's, so two starting at once make one).
public struct StartPairWork: Codable, Sendable, Equatable {
    /// The pair's conversation: the partner as its one other member.
    public var conversation: CreateConversation

    /// Creates the request.
    public init(conversation: CreateConversation) { self.conversation = conversation }
}

/// One of a pair's past sessions and whether they met ("did you meet?").
public struct PairMeeting: Codable, Sendable, Equatable {
    /// The session.
    public var bookingId: UUID
    /// When it was planned to start.
    public var startsAt: Date
    /// The answer: nil while nobody answered.
    public var met: Bool?

    /// Creates the value.
    public init(bookingId: UUID, startsAt: Date, met: Bool?) {
        self.bookingId = bookingId
        self.startsAt = startsAt
        self.met = met
    }
}

/// Mentor or mentee answers "did you meet?" (either may correct the other's answer).
public struct AnswerMeeting: Codable, Sendable, Equatable {
    /// Whether the session took place.
    public var met: Bool

    /// Creates the request.
    public init(met: Bool) { self.met = met }
}

/// Staff publish pairs (a reviewed proposal). All or none: a pair whose mentor is full or whose mentee is matched
/// already fails the whole publication; pairs published before are left as they are.
public struct PublishMatches: Codable, Sendable, Equatable {
    /// The pairs.
    public var pairs: [PairChoice]

    /// Creates the request.
    public init(pairs: [PairChoice]) { self.pairs = pairs }
}

/// What a publication did.
public struct PublishedMatches: Codable, Sendable, Equatable {
    /// Pairs published now.
    public var created: Int
    /// Pairs that were published before.
    public var alreadyPublished: Int

    /// Creates the value.
    public init(created: Int, alreadyPublished: Int) {
        self.created = created
        self.alreadyPublished = alreadyPublished
    }
}

/// A mentor a mentee may ask, with places left.
public struct MentorSuggestion: Codable, Sendable, Equatable {
    /// The mentor's participation.
    public var mentorId: UUID
    /// The name.
    public var displayName: String
    /// 0–100.
    public var score: Int
    /// Why.
    public var reasons: [CriterionPoints]
    /// Places the mentor has left.
    public var placesLeft: Int
    /// Whether the mentee asked already (and waits for the answer).
    public var isRequested: Bool

    /// Creates the value.
    public init(
        mentorId: UUID, displayName: String, score: Int, reasons: [CriterionPoints], placesLeft: Int,
        isRequested: Bool
    ) {
        self.mentorId = mentorId
        self.displayName = displayName
        self.score = score
        self.reasons = reasons
        self.placesLeft = placesLeft
        self.isRequested = isRequested
    }
}

/// A mentee asks a mentor.
public struct RequestMentor: Codable, Sendable, Equatable {
    /// The mentor's participation.
    public var mentorId: UUID

    /// Creates the request.
    public init(mentorId: UUID) { self.mentorId = mentorId }
}

/// A program one takes part in, for one's start page.
public struct MyProgram: Codable, Sendable, Equatable {
    /// The program.
    public var programId: UUID
    /// Its name.
    public var name: String
    /// Who runs it.
    public var institutionName: String
    /// One's role in it.
    public var role: ParticipantRole
    /// Where it stands.
    public var status: ProgramStatus
    /// How pairs are found.
    public var matchingMode: MatchingMode
    /// Whether one's registration has every required answer.
    public var isRegistrationComplete: Bool

    /// Creates the value.
    public init(
        programId: UUID, name: String, institutionName: String, role: ParticipantRole, status: ProgramStatus,
        matchingMode: MatchingMode, isRegistrationComplete: Bool
    ) {
        self.programId = programId
        self.name = name
        self.institutionName = institutionName
        self.role = role
        self.status = status
        self.matchingMode = matchingMode
        self.isRegistrationComplete = isRegistrationComplete
    }
}

/// One figure of a content-blind report. A figure that would describe fewer than five people is hidden: `value` is
/// nil and `isHidden` true.
public struct ReportFigure: Codable, Sendable, Equatable {
    /// What it counts, e.g. `mentees_registered`.
    public var key: String
    /// The value, or nil when hidden.
    public var value: Double?
    /// Whether it is hidden because it would describe fewer than five people.
    public var isHidden: Bool

    /// Creates the value.
    public init(key: String, value: Double?, isHidden: Bool) {
        self.key = key
        self.value = value
        self.isHidden = isHidden
    }
}

/// How a pair is doing, judged from when things happened, never from what was said.
public enum PairHealth: String, Codable, Sendable, CaseIterable {
    /// Something happened (a message, a session held, a goal or task changed) within twice the program's rhythm.
    case onTrack = "on_track"
    /// Nothing happened for longer than that: staff may want to ask how it goes.
    case needsCheckIn = "needs_check_in"
    /// Working together for less than one rhythm: too early to say.
    case tooEarly = "too_early"
}

/// A pair as the report shows it: who, where they are, how often they met, when they were last active — never
/// what they wrote, and not how they rated each other (feedback is averaged over five or more people only).
public struct ReportPair: Codable, Sendable, Equatable {
    /// The mentee's name.
    public var menteeName: String
    /// The mentor's name.
    public var mentorName: String
    /// Where the match is.
    public var state: MatchState
    /// Days since both accepted.
    public var daysActive: Int?
    /// Sessions that took place (planned, past, and not reported as missed).
    public var sessionsHeld: Int
    /// Sessions one of them cancelled.
    public var sessionsCancelled: Int
    /// Sessions planned ahead.
    public var sessionsUpcoming: Int
    /// Days from both accepting to their first session, once it took place.
    public var daysToFirstSession: Int?
    /// Days since the last message, session held or change to goals and tasks; nil before anything happened.
    public var daysSinceActivity: Int?
    /// How the pair is doing (active and paused pairs only).
    public var health: PairHealth?

    /// Creates the value.
    public init(
        menteeName: String, mentorName: String, state: MatchState, daysActive: Int?, sessionsHeld: Int = 0,
        sessionsCancelled: Int = 0, sessionsUpcoming: Int = 0, daysToFirstSession: Int? = nil,
        daysSinceActivity: Int? = nil, health: PairHealth? = nil
    ) {
        self.menteeName = menteeName
        self.mentorName = mentorName
        self.state = state
        self.daysActive = daysActive
        self.sessionsHeld = sessionsHeld
        self.sessionsCancelled = sessionsCancelled
        self.sessionsUpcoming = sessionsUpcoming
        self.daysToFirstSession = daysToFirstSession
        self.daysSinceActivity = daysSinceActivity
        self.health = health
    }
}

/// A program's content-blind report for its staff: who takes part, how matching went, where pairs are.
public struct ProgramReport: Codable, Sendable, Equatable {
    /// The program.
    public var programId: UUID
    /// When it was made.
    public var generatedAt: Date
    /// The figures, in a fixed order.
    public var figures: [ReportFigure]
    /// The live and finished pairs.
    public var pairs: [ReportPair]

    /// Creates the value.
    public init(programId: UUID, generatedAt: Date, figures: [ReportFigure], pairs: [ReportPair]) {
        self.programId = programId
        self.generatedAt = generatedAt
        self.figures = figures
        self.pairs = pairs
    }
}
