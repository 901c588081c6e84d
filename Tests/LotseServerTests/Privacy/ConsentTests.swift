import Fluent
import Foundation
import LotseAPI
import Testing
import Vapor

@testable import LotseServer

@Suite("Consent: given with the first answers staff see, on record, withdrawn with effect from then on")
struct ConsentTests {
    static let topics = RegistrationQuestion(
        id: UUID(), kind: .topics, label: "Topics", options: ["AI", "Career"], use: .weight, isRequired: true)

    @Test("Answers need consent; retries at once record it once; withdrawing deletes the answers and unmatches")
    func programAnswers() async throws {
        try await withTestApp { t in
            let school = try await t.institution()
            let program = try await t.openProgram(in: school, settings: ProgramsTests.settings)
            _ = try await t.send(
                .PUT, "api/v1/programs/\(program.id)/questionnaire",
                json: RegistrationQuestions(questions: [Self.topics]), token: school.admin.token)
            let lena = try await t.participant("lena@example.org")
            _ = try await t.send(
                .POST, "api/v1/program-invitations/\(program.invitationCode)/join", json: JoinProgram(role: .mentee),
                token: lena.token)
            let path = "api/v1/programs/\(program.id)/registration"
            let answers = [RegistrationAnswer(questionId: Self.topics.id, values: ["AI"])]

            // Without consent: refused, with a reason she understands, and nothing stored.
            let refused = try await t.send(.PUT, path, json: Registration(answers: answers), token: lena.token)
            #expect(refused.status == .badRequest && refused.errorCode == "programs.consent_required")
            #expect(refused.field == "consent" && refused.text.contains("program team may see your answers"))
            let unknown = Registration(answers: answers, consent: "program_answers.0")
            let stale = try await t.send(.PUT, path, json: unknown, token: lena.token)
            #expect(stale.status == .badRequest && stale.field == "consent")
            #expect(try await t.send(.GET, path, token: lena.token).decode(RegistrationForm.self).answers.isEmpty)

            // With it, three retries at once: one consent on record, one audit entry.
            let consenting = Registration(answers: answers, consent: Registration.consentVersion)
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<3 {
                    group.addTask { try await t.send(.PUT, path, json: consenting, token: lena.token).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses == [.ok, .ok, .ok])
            let consents = try await t.send(.GET, "api/v1/account/consents", token: lena.token).decode([Consent].self)
            #expect(consents.count == 1)
            let consent = try #require(consents.first)
            #expect(consent.purpose == .programAnswers && consent.subjectId == program.id)
            #expect(consent.subjectName == program.settings.name && consent.withdrawnAt == nil)
            #expect(consent.textVersion == Registration.consentVersion)
            let form = try await t.send(.GET, path, token: lena.token).decode(RegistrationForm.self)
            #expect(form.consentGivenAt == consent.givenAt && form.isComplete && form.answers == answers)
            // Saving again needs no new consent.
            #expect(try await t.send(.PUT, path, json: Registration(answers: answers), token: lena.token).status == .ok)
            let events = {
                try await t.send(.GET, "api/v1/account/security-events", token: lena.token)
                    .decode([SecurityEvent].self).map(\.kind).filter { $0 == .consentGiven || $0 == .consentWithdrawn }
            }
            #expect(try await events() == [.consentGiven])

            // Nobody else withdraws it; she does, and what staff saw under it is gone.
            let olga = try await t.participant("olga@example.org")
            let foreign = try await t.send(.DELETE, "api/v1/account/consents/\(consent.id)", token: olga.token)
            #expect(foreign.status == .notFound && foreign.errorCode == "privacy.consent_not_found")
            let withdrawn = try await t.send(.DELETE, "api/v1/account/consents/\(consent.id)", token: lena.token)
                .decode(Consent.self)
            #expect(withdrawn.withdrawnAt != nil)
            let again = try await t.send(.DELETE, "api/v1/account/consents/\(consent.id)", token: lena.token)
                .decode(Consent.self)
            #expect(again.withdrawnAt == withdrawn.withdrawnAt)
            #expect(try await events() == [.consentWithdrawn, .consentGiven])
            let after = try await t.send(.GET, path, token: lena.token).decode(RegistrationForm.self)
            #expect(after.answers.isEmpty && after.consentGivenAt == nil && !after.isComplete)
            let record = try #require(
                try await ProgramParticipantRecord.query(on: t.app.db).filter(\.$programID == program.id).first())
            #expect(record.answersJSON == nil && record.sealedAnswersJSON == nil)
            // Answering again asks for consent again; the old record stays, withdrawn.
            #expect(
                try await t.send(.PUT, path, json: Registration(answers: answers), token: lena.token).status
                    == .badRequest)
            #expect(try await t.send(.PUT, path, json: consenting, token: lena.token).status == .ok)
            let history = try await t.send(.GET, "api/v1/account/consents", token: lena.token).decode([Consent].self)
            #expect(history.count == 2 && history.filter { $0.withdrawnAt == nil }.count == 1)
        }
    }
}
