import Fluent
import FluentSQL
import Foundation
import LotseAPI
import SQLKit

/// A school, university or company that runs mentoring programs on the platform.
final class InstitutionRecord: Model, @unchecked Sendable {
    static let schema = "institutions"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    /// Comma-separated mail domains, lower case.
    @Field(key: "allowed_domains") var allowedDomains: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(id: UUID, name: String, allowedDomains: [String], at time: Date) {
        self.id = id
        self.name = name
        self.allowedDomains = allowedDomains.joined(separator: ",")
        self.createdAt = time
    }

    var domains: [String] { allowedDomains.split(separator: ",").map(String.init) }
}

/// Someone on an institution's staff; one row per person and institution.
final class InstitutionMemberRecord: Model, @unchecked Sendable {
    static let schema = "institution_members"

    @ID(key: .id) var id: UUID?
    @Field(key: "institution_id") var institutionID: UUID
    @Field(key: "user_id") var userID: UUID
    @Field(key: "role") var role: InstitutionRole
    @Field(key: "joined_at") var joinedAt: Date

    init() {}

    init(institution: UUID, user: UUID, role: InstitutionRole, at time: Date) {
        self.id = UUID()
        self.institutionID = institution
        self.userID = user
        self.role = role
        self.joinedAt = time
    }
}

/// An invitation to an institution's staff, bound to one address; inviting it again replaces the token.
final class StaffInvitationRecord: Model, @unchecked Sendable {
    static let schema = "staff_invitations"

    @ID(key: .id) var id: UUID?
    @Field(key: "institution_id") var institutionID: UUID
    @Field(key: "email") var email: String
    @Field(key: "role") var role: InstitutionRole
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "accepted_at") var acceptedAt: Date?

    init() {}
}

/// A mentoring program of an institution.
final class ProgramRecord: Model, @unchecked Sendable {
    static let schema = "programs"

    @ID(key: .id) var id: UUID?
    @Field(key: "institution_id") var institutionID: UUID
    @Field(key: "status") var status: ProgramStatus
    @Field(key: "name") var name: String
    @Field(key: "description") var description: String
    @Field(key: "cohort") var cohort: ProgramCohort
    @OptionalField(key: "starts_on") var startsOn: String?
    @OptionalField(key: "ends_on") var endsOn: String?
    @Field(key: "duration_months") var durationMonths: Int
    @Field(key: "cadence_weeks") var cadenceWeeks: Int
    @Field(key: "matching_mode") var matchingMode: MatchingMode
    @Field(key: "request_expiry_days") var requestExpiryDays: Int
    /// The code of its invitation link; unique.
    @Field(key: "invitation_code") var invitationCode: String
    /// The registration questions, as JSON of ``RegistrationQuestions``.
    @Field(key: "questionnaire") var questionnaireJSON: String
    /// The pairs' template, as JSON of `[ProgramStep]`.
    @Field(key: "steps") var stepsJSON: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    var questionnaire: RegistrationQuestions {
        get {
            (try? JSONDecoder().decode(RegistrationQuestions.self, from: Data(questionnaireJSON.utf8)))
                ?? RegistrationQuestions(questions: [])
        }
        set {
            questionnaireJSON = String(
                decoding: (try? JSONEncoder().encode(newValue)) ?? Data("{\"questions\":[]}".utf8), as: UTF8.self)
        }
    }

    /// Whether registration answers (and the questions) may still change: until matching starts, and all year in an
    /// evergreen program.
    var takesAnswers: Bool { takesRegistrations || status == .draft }

    var settings: ProgramSettings {
        get {
            ProgramSettings(
                name: name, description: description, cohort: cohort, startsOn: startsOn, endsOn: endsOn,
                durationMonths: durationMonths, cadenceWeeks: cadenceWeeks, matchingMode: matchingMode,
                requestExpiryDays: requestExpiryDays, steps: steps)
        }
        set {
            name = newValue.name
            description = newValue.description
            cohort = newValue.cohort
            startsOn = newValue.startsOn
            endsOn = newValue.endsOn
            durationMonths = newValue.durationMonths
            cadenceWeeks = newValue.cadenceWeeks
            matchingMode = newValue.matchingMode
            requestExpiryDays = newValue.requestExpiryDays
            stepsJSON = JSONText.encode(newValue.steps)
        }
    }

    /// The pairs' template (none if the stored text cannot be read, which only a hand-edited database makes).
    var steps: [ProgramStep] { (try? JSONText.decode([ProgramStep].self, stepsJSON)) ?? [] }

    /// Whether people can join now: while registration is open, and for an all-year program also later on.
    var takesRegistrations: Bool {
        status == .open || (cohort == .evergreen && (status == .matching || status == .active))
    }

    /// Whether `code` is the invitation link of a program that takes registrations: such a sign-up is vouched for
    /// by the institution, so a cohort signing up from one campus network is not held to the per-address limit.
    static func vouchesForSignUp(code: String, on db: any Database) async throws -> Bool {
        guard let program = try await query(on: db).filter(\.$invitationCode == code).first() else { return false }
        return program.takesRegistrations
    }
}

/// Someone in a program: registered with an account, or imported by staff and invited by mail. One row per
/// program and address, kept so by a unique index.
final class ProgramParticipantRecord: Model, @unchecked Sendable {
    static let schema = "program_participants"

    @ID(key: .id) var id: UUID?
    @Field(key: "program_id") var programID: UUID
    @Field(key: "email") var email: String
    @Field(key: "display_name") var displayName: String
    @OptionalField(key: "user_id") var userID: UUID?
    @Field(key: "role") var role: ParticipantRole
    @Field(key: "state") var state: ParticipantState
    @Field(key: "source") var source: ParticipantSource
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "joined_at") var joinedAt: Date?
    /// The registration answers, as JSON of ``Registration``; nil until the first save.
    @OptionalField(key: "answers") var answersJSON: String?
    /// Free-text answers as JSON of ``SealedAnswers``: ciphertext and wrapped keys only.
    @OptionalField(key: "sealed_answers") var sealedAnswersJSON: String?
    /// For mentors: how many mentees they take (their answer to the capacity question, else 1).
    @Field(key: "capacity") var capacity: Int
    /// For mentors: places their live matches take; never above `capacity` (a conditional update raises it).
    @Field(key: "taken_places") var takenPlaces: Int
    /// For mentees: their live match, if any; set only while empty (a conditional update), so one at a time.
    @OptionalField(key: "match_id") var matchID: UUID?
    /// For someone under 16: the guardian's address, the hash of the token in the link mailed there, and when they
    /// confirmed.
    @OptionalField(key: "guardian_email") var guardianEmail: String?
    @OptionalField(key: "guardian_token_hash") var guardianTokenHash: String?
    @OptionalField(key: "guardian_confirmed_at") var guardianConfirmedAt: Date?

    var guardianConsent: GuardianConsentState? {
        guardianEmail == nil ? nil : guardianConfirmedAt == nil ? .pending : .confirmed
    }

    /// Whether matching may include them: no guardian needed, or confirmed.
    var mayBeMatched: Bool { guardianEmail == nil || guardianConfirmedAt != nil }

    init() {}

    var answers: [RegistrationAnswer] {
        answersJSON.flatMap { try? JSONDecoder().decode(Registration.self, from: Data($0.utf8)).answers } ?? []
    }

    init(
        program: UUID, email: String, name: String, user: UUID?, role: ParticipantRole, source: ParticipantSource,
        at time: Date
    ) {
        self.id = UUID()
        self.programID = program
        self.email = email
        self.displayName = name
        self.userID = user
        self.role = role
        self.state = user == nil ? .invited : .registered
        self.source = source
        self.createdAt = time
        self.joinedAt = user == nil ? nil : time
        self.capacity = 1
        self.takenPlaces = 0
    }

    var wire: ProgramParticipant {
        ProgramParticipant(
            id: id!, userId: userID, displayName: displayName, email: email, role: role, state: state, source: source,
            guardianConsent: guardianConsent)
    }
}

/// A mentee and a mentor of one program: requested by the mentee, or published by staff; one row per pair.
final class MatchRecord: Model, @unchecked Sendable {
    static let schema = "program_matches"

    @ID(key: .id) var id: UUID?
    @Field(key: "program_id") var programID: UUID
    @Field(key: "mentee_id") var menteeID: UUID
    @Field(key: "mentor_id") var mentorID: UUID
    @Field(key: "state") var state: MatchState
    @Field(key: "origin") var origin: MatchOrigin
    @Field(key: "score") var score: Int
    @OptionalField(key: "mentee_accepted_at") var menteeAcceptedAt: Date?
    @OptionalField(key: "mentor_accepted_at") var mentorAcceptedAt: Date?
    @OptionalField(key: "respond_by") var respondBy: Date?
    /// When the pair was last reminded to check in (at the program's cadence).
    @OptionalField(key: "nudged_at") var nudgedAt: Date?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    init(program: UUID, mentee: UUID, mentor: UUID, state: MatchState, origin: MatchOrigin, score: Int, at time: Date) {
        self.id = UUID()
        self.programID = program
        self.menteeID = mentee
        self.mentorID = mentor
        self.state = state
        self.origin = origin
        self.score = score
        self.createdAt = time
        self.updatedAt = time
    }
}

struct CreatePrograms: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(InstitutionRecord.schema)
            .id()
            .field("name", .string, .required)
            .field("allowed_domains", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await db.schema(InstitutionMemberRecord.schema)
            .id()
            .field("institution_id", .uuid, .required, .references("institutions", "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("role", .string, .required)
            .field("joined_at", .datetime, .required)
            .unique(on: "institution_id", "user_id")
            .create()
        try await db.schema(StaffInvitationRecord.schema)
            .id()
            .field("institution_id", .uuid, .required, .references("institutions", "id", onDelete: .cascade))
            .field("email", .string, .required)
            .field("role", .string, .required)
            .field("token_hash", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("accepted_at", .datetime)
            .unique(on: "institution_id", "email")
            .unique(on: "token_hash")
            .create()
        try await db.schema(ProgramRecord.schema)
            .id()
            .field("institution_id", .uuid, .required, .references("institutions", "id", onDelete: .cascade))
            .field("status", .string, .required)
            .field("name", .string, .required)
            .field("description", .string, .required)
            .field("cohort", .string, .required)
            .field("starts_on", .string)
            .field("ends_on", .string)
            .field("duration_months", .int, .required)
            .field("cadence_weeks", .int, .required)
            .field("matching_mode", .string, .required)
            .field("request_expiry_days", .int, .required)
            .field("invitation_code", .string, .required)
            .field("questionnaire", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "invitation_code")
            .create()
        try await db.schema(ProgramParticipantRecord.schema)
            .id()
            .field("program_id", .uuid, .required, .references("programs", "id", onDelete: .cascade))
            .field("email", .string, .required)
            .field("display_name", .string, .required)
            .field("user_id", .uuid, .references("users", "id", onDelete: .cascade))
            .field("role", .string, .required)
            .field("state", .string, .required)
            .field("source", .string, .required)
            .field("created_at", .datetime, .required)
            .field("joined_at", .datetime)
            .field("answers", .string)
            .field("capacity", .int, .required)
            .field("taken_places", .int, .required)
            .field("match_id", .uuid)
            .field("guardian_email", .string)
            .field("guardian_token_hash", .string)
            .field("guardian_confirmed_at", .datetime)
            .unique(on: "program_id", "email")
            .unique(on: "guardian_token_hash")
            .create()
        try await db.schema(MatchRecord.schema)
            .id()
            .field("program_id", .uuid, .required, .references("programs", "id", onDelete: .cascade))
            .field("mentee_id", .uuid, .required, .references("program_participants", "id", onDelete: .cascade))
            .field("mentor_id", .uuid, .required, .references("program_participants", "id", onDelete: .cascade))
            .field("state", .string, .required)
            .field("origin", .string, .required)
            .field("score", .int, .required)
            .field("mentee_accepted_at", .datetime)
            .field("mentor_accepted_at", .datetime)
            .field("respond_by", .datetime)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "mentee_id", "mentor_id")
            .create()
    }

    func revert(on db: any Database) async throws {
        for schema in [
            MatchRecord.schema, ProgramParticipantRecord.schema, ProgramRecord.schema, StaffInvitationRecord.schema,
            InstitutionMemberRecord.schema, InstitutionRecord.schema,
        ] {
            try await db.schema(schema).delete()
        }
    }
}

/// A pair's answer to "did you meet?" about one of their past sessions (the booking's ID is its own).
final class PairMeetingRecord: Model, @unchecked Sendable {
    static let schema = "pair_meetings"

    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "match_id") var matchID: UUID
    @Field(key: "met") var met: Bool
    @Field(key: "answered_by") var answeredBy: UUID
    @Field(key: "answered_at") var answeredAt: Date

    init() {}
}

/// #19 pairs at work: the template every pair starts from, when a pair was last reminded to check in, whether they
/// met; and free-text registration answers sealed for staff.
struct AddPairWork: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(ProgramRecord.schema).field("steps", .string, .required, .sql(.default("[]"))).update()
        try await db.schema(MatchRecord.schema).field("nudged_at", .datetime).update()
        try await db.schema(ProgramParticipantRecord.schema).field("sealed_answers", .string).update()
        try await db.schema(PairMeetingRecord.schema)
            .field("id", .uuid, .identifier(auto: false))
            .field("match_id", .uuid, .required, .references(MatchRecord.schema, "id", onDelete: .cascade))
            .field("met", .bool, .required)
            .field("answered_by", .uuid, .required)
            .field("answered_at", .datetime, .required)
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(PairMeetingRecord.schema).delete()
        try await db.schema(ProgramParticipantRecord.schema).deleteField("sealed_answers").update()
        try await db.schema(MatchRecord.schema).deleteField("nudged_at").update()
        try await db.schema(ProgramRecord.schema).deleteField("steps").update()
    }
}
