import Foundation
import LotseAPI
import Testing
import Vapor

@testable import LotseServer

@Suite("Programs: registration questions, answers and the proposed matching")
struct MatchingRunTests {
    static let languages = RegistrationQuestion(
        id: UUID(), kind: .languages, label: "Languages you speak", use: .must)
    static let slots = RegistrationQuestion(
        id: UUID(), kind: .availability, label: "When you are usually free", use: .must)
    static let topics = RegistrationQuestion(
        id: UUID(), kind: .topics, label: "Topics", options: ["AI", "Career", "Design", "Founding"], use: .weight,
        weight: 3)
    static let field = RegistrationQuestion(
        id: UUID(), kind: .single, label: "Field of study", options: ["CS", "Business"], use: .weight, weight: 1)
    static let capacity = RegistrationQuestion(
        id: UUID(), kind: .capacity, label: "How many mentees can you take?", askedOf: [.mentor])
    static let questions = RegistrationQuestions(questions: [languages, slots, topics, field, capacity])

    static func answers(_ languages: [String], _ topics: [String], _ field: String, capacity: Int? = nil)
        -> Registration
    {
        var answers = [
            RegistrationAnswer(questionId: Self.languages.id, values: languages),
            RegistrationAnswer(questionId: slots.id, slots: [2, 5]),
            RegistrationAnswer(questionId: Self.topics.id, values: topics),
            RegistrationAnswer(questionId: Self.field.id, values: [field]),
        ]
        if let capacity { answers.append(RegistrationAnswer(questionId: Self.capacity.id, number: capacity)) }
        return Registration(answers: answers, consent: Registration.consentVersion)
    }

    /// Joins the program through its link as `role` and saves `registration`; answers the participation's ID.
    static func register(
        _ t: TestContext, _ email: String, _ role: ParticipantRole, in program: Program, _ registration: Registration?
    ) async throws -> UUID {
        let person = try await t.participant(email)
        let joined = try await t.send(
            .POST, "api/v1/program-invitations/\(program.invitationCode)/join", json: JoinProgram(role: role),
            token: person.token
        ).decode(ProgramParticipant.self)
        if let registration {
            let saved = try await t.send(
                .PUT, "api/v1/programs/\(program.id)/registration", json: registration, token: person.token)
            #expect(saved.status == .ok, "\(saved.text)")
            #expect(try saved.decode(RegistrationForm.self).isComplete)
        }
        return joined.id
    }

    @Test("Staff's questions are checked: only questions asked of both sides count for matching")
    func questionsChecked() async throws {
        try await withTestApp { t in
            let school = try await t.institution()
            let program = try await t.openProgram(in: school)
            let path = "api/v1/programs/\(program.id)/questionnaire"
            let onlyMentees = RegistrationQuestion(
                id: UUID(), kind: .topics, label: "Topics", options: ["AI"], askedOf: [.mentee], use: .weight)
            let bad: [(RegistrationQuestion, String)] = [
                (onlyMentees, "questions[0].use"),
                (RegistrationQuestion(id: UUID(), kind: .single, label: "Field", options: []), "questions[0].options"),
                (
                    RegistrationQuestion(id: UUID(), kind: .languages, label: "L", options: ["de"]),
                    "questions[0].options"
                ),
                (RegistrationQuestion(id: UUID(), kind: .capacity, label: "How many?"), "questions[0].askedOf"),
                (RegistrationQuestion(id: UUID(), kind: .topics, label: " ", options: ["AI"]), "questions[0].label"),
                (
                    RegistrationQuestion(
                        id: UUID(), kind: .topics, label: "T", options: ["AI"], use: .weight, weight: 11),
                    "questions[0].weight"
                ),
            ]
            for (question, field) in bad {
                let response = try await t.send(
                    .PUT, path, json: RegistrationQuestions(questions: [question]), token: school.admin.token)
                #expect(response.status == .badRequest && response.field == field, "\(field): \(response.text)")
            }
            let saved = try await t.send(.PUT, path, json: Self.questions, token: school.admin.token)
            #expect(saved.status == .ok, "\(saved.text)")
            #expect(try saved.decode(RegistrationQuestions.self).questions.count == 5)
            let student = try await t.participant("someone@example.org")
            #expect(try await t.send(.GET, path, token: student.token).status == .notFound)
        }
    }

    @Test("Participants see their role's questions; a missing or impossible answer is named by its question")
    func answersChecked() async throws {
        try await withTestApp { t in
            let school = try await t.institution()
            let program = try await t.openProgram(in: school)
            _ = try await t.send(
                .PUT, "api/v1/programs/\(program.id)/questionnaire", json: Self.questions, token: school.admin.token)
            let ada = try await t.participant("ada@example.org")
            _ = try await t.send(
                .POST, "api/v1/program-invitations/\(program.invitationCode)/join", json: JoinProgram(role: .mentee),
                token: ada.token)
            let path = "api/v1/programs/\(program.id)/registration"
            let form = try await t.send(.GET, path, token: ada.token).decode(RegistrationForm.self)
            #expect(
                form.questions.map(\.label) == [
                    "Languages you speak", "When you are usually free", "Topics", "Field of study",
                ])
            #expect(!form.isComplete && form.isEditable)
            let before = try await t.send(.GET, "api/v1/my-programs", token: ada.token).decode([MyProgram].self)
            #expect(before.map(\.isRegistrationComplete) == [false] && before.first?.role == .mentee)

            var missing = Self.answers(["en"], ["AI"], "CS")
            missing.answers.removeFirst()
            let refused = try await t.send(.PUT, path, json: missing, token: ada.token)
            #expect(refused.status == .badRequest && refused.field == Self.languages.id.uuidString)
            #expect(try refused.decode(APIError.self).error.message == "Please answer \"Languages you speak\".")
            let impossible = try await t.send(
                .PUT, path, json: Self.answers(["en"], ["Knitting"], "CS"), token: ada.token)
            #expect(impossible.status == .badRequest && impossible.field == Self.topics.id.uuidString)
            let badSlot = Registration(
                answers: Self.answers(["en"], ["AI"], "CS").answers.map {
                    $0.questionId == Self.slots.id ? RegistrationAnswer(questionId: $0.questionId, slots: [21]) : $0
                })
            #expect(try await t.send(.PUT, path, json: badSlot, token: ada.token).field == Self.slots.id.uuidString)
            let saved = try await t.send(.PUT, path, json: Self.answers(["EN"], ["AI"], "CS"), token: ada.token)
                .decode(RegistrationForm.self)
            #expect(saved.isComplete && saved.answers.first?.values == ["en"])
            let after = try await t.send(.GET, "api/v1/my-programs", token: ada.token).decode([MyProgram].self)
            #expect(after.map(\.isRegistrationComplete) == [true])
            // Someone not in the program has no registration there.
            let stranger = try await t.participant("stranger@example.org")
            #expect(try await t.send(.GET, path, token: stranger.token).status == .notFound)
        }
    }

    @Test("The proposal is the best total, not greedy's; it says why per criterion, who is left out, and keeps pins")
    func proposal() async throws {
        try await withTestApp { t in
            let school = try await t.institution()
            let program = try await t.openProgram(in: school)
            _ = try await t.send(
                .PUT, "api/v1/programs/\(program.id)/questionnaire", json: Self.questions, token: school.admin.token)
            let marta = try await Self.register(
                t, "marta@example.org", .mentor, in: program,
                Self.answers(["de", "en"], ["AI", "Career"], "CS", capacity: 1))
            let nils = try await Self.register(
                t, "nils@example.org", .mentor, in: program,
                Self.answers(["de"], ["AI", "Career", "Design"], "Business", capacity: 1))
            let ada = try await Self.register(
                t, "ada@example.org", .mentee, in: program, Self.answers(["en"], ["AI"], "Business"))
            let ben = try await Self.register(
                t, "ben@example.org", .mentee, in: program, Self.answers(["de"], ["AI", "Career"], "CS"))
            let cem = try await Self.register(
                t, "cem@example.org", .mentee, in: program, Self.answers(["tr"], ["AI"], "CS"))
            _ = try await Self.register(t, "dora@example.org", .mentee, in: program, nil)

            let path = "api/v1/programs/\(program.id)/matching/proposal"
            let proposal = try await t.send(.POST, path, json: ProposeMatching(), token: school.admin.token)
                .decode(MatchingProposal.self)
            // Ben and Marta fit best (100), but taking them leaves Ada, who speaks only English, without anyone:
            // Ada with Marta and Ben with Nils (75 each) is the better whole.
            #expect(proposal.pairs.map { [$0.menteeId, $0.mentorId] } == [[ada, marta], [ben, nils]])
            #expect(proposal.pairs.map(\.score) == [75, 75])
            #expect(proposal.total == 150 && proposal.greedyTotal == 100 && proposal.greedyMatched == 1)
            #expect(
                proposal.pairs[0].reasons.map { "\($0.label) \($0.points)/\($0.maxPoints)" }
                    == ["Topics 75/75", "Field of study 0/25"])
            #expect(
                proposal.unmatched == [
                    UnmatchedParticipant(id: cem, displayName: "Person cem@example.org", possibleMentors: 0)
                ])
            #expect(proposal.incomplete == 1)

            // Staff require Ben with Marta: the rest is the best around that.
            let pinned = try await t.send(
                .POST, path, json: ProposeMatching(pins: [PairChoice(menteeId: ben, mentorId: marta)]),
                token: school.admin.token
            ).decode(MatchingProposal.self)
            #expect(pinned.pairs.map { [$0.menteeId, $0.mentorId] } == [[ben, marta]] && pinned.pairs[0].isPinned)
            #expect(pinned.unmatched.map(\.id) == [ada, cem])
            let impossible = try await t.send(
                .POST, path, json: ProposeMatching(pins: [PairChoice(menteeId: ada, mentorId: nils)]),
                token: school.admin.token)
            #expect(impossible.status == .conflict && impossible.errorCode == "programs.pin_not_possible")
            // Participants do not see the pool.
            let someone = try await t.signIn("ada@example.org")
            #expect(try await t.send(.POST, path, json: ProposeMatching(), token: someone).status == .notFound)
        }
    }

    @Test("Someone under 16 is matched only after a guardian confirms through the mailed link (Art. 8 GDPR)")
    func guardianConsent() async throws {
        try await withTestApp { t in
            let school = try await t.institution()
            let program = try await t.openProgram(in: school)
            _ = try await t.send(
                .PUT, "api/v1/programs/\(program.id)/questionnaire", json: Self.questions, token: school.admin.token)
            _ = try await Self.register(
                t, "marta@example.org", .mentor, in: program, Self.answers(["de"], ["AI"], "CS", capacity: 2))
            let pupil = try await t.participant("pupil@example.org")
            _ = try await t.send(
                .POST, "api/v1/program-invitations/\(program.invitationCode)/join", json: JoinProgram(role: .mentee),
                token: pupil.token)
            let path = "api/v1/programs/\(program.id)/registration"
            var registration = Self.answers(["de"], ["AI"], "CS")
            registration.guardianEmail = "pupil@example.org"
            let own = try await t.send(.PUT, path, json: registration, token: pupil.token)
            #expect(own.status == .badRequest && own.field == "guardianEmail")
            registration.guardianEmail = "Parent@Example.org"
            let saved = try await t.send(.PUT, path, json: registration, token: pupil.token).decode(
                RegistrationForm.self)
            #expect(saved.guardianEmail == "parent@example.org" && saved.guardianConsent == .pending)
            // Saving again sends no second mail.
            _ = try await t.send(.PUT, path, json: registration, token: pupil.token)

            let proposalPath = "api/v1/programs/\(program.id)/matching/proposal"
            let before = try await t.send(.POST, proposalPath, json: ProposeMatching(), token: school.admin.token)
                .decode(MatchingProposal.self)
            #expect(before.pairs.isEmpty && before.incomplete == 1)
            let listed = try await t.send(.GET, "api/v1/programs/\(program.id)/participants", token: school.admin.token)
                .decode([ProgramParticipant].self)
            #expect(listed.first { $0.email == "pupil@example.org" }?.guardianConsent == .pending)

            let mail = try await t.smtp.linkMessage(to: "parent@example.org")
            #expect(mail.body.contains("Art. 8 GDPR") && mail.body.contains("/guardian-consent#token="))
            let token = try #require(mail.linkToken)
            let shown = try await t.send(.POST, "api/v1/guardian-consents/lookup", json: GuardianToken(token: token))
                .decode(GuardianConsent.self)
            #expect(shown.participantName == "Person pupil@example.org" && !shown.isConfirmed)
            #expect(shown.institutionName == "Hochschule Rheinland")
            let confirmed = try await t.send(
                .POST, "api/v1/guardian-consents/confirm", json: GuardianToken(token: token)
            )
            .decode(GuardianConsent.self)
            #expect(confirmed.isConfirmed)
            let wrong = try await t.send(.POST, "api/v1/guardian-consents/confirm", json: GuardianToken(token: "nope"))
            #expect(wrong.status == .gone)
            // Longer than any token, counted as the schema counts (code points; "é" as e + accent is two).
            let long = String(repeating: "e\u{301}", count: 101)
            let refused = try await t.send(.POST, "api/v1/guardian-consents/lookup", json: GuardianToken(token: long))
            #expect(refused.status == .badRequest && refused.field == "token")
            #expect(t.smtp.messages.count { $0.recipients.contains("parent@example.org") } == 1)

            let after = try await t.send(.POST, proposalPath, json: ProposeMatching(), token: school.admin.token)
                .decode(MatchingProposal.self)
            #expect(after.pairs.map(\.menteeName) == ["Person pupil@example.org"] && after.incomplete == 0)
            #expect(
                try await t.send(.GET, path, token: pupil.token).decode(RegistrationForm.self).guardianConsent
                    == .confirmed)
        }
    }
}
