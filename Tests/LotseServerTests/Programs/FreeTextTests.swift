import Fluent
import Foundation
import LotseAPI
import LotseCrypto
import Testing
import Vapor

@testable import LotseServer

@Suite("Programs: free-text registration answers, sealed in the browser for the participant and the staff")
struct FreeTextTests {
    static let hopes = RegistrationQuestion(
        id: UUID(), kind: .text, label: "What do you hope for?", askedOf: [.mentee, .mentor], isRequired: false)

    /// Answers sealed by `author` for `readers`, bound to the participation.
    static func sealed(
        _ answers: [String: String], participation: UUID, by author: Participant, for readers: [Participant]
    ) throws -> SealedAnswers {
        let key = ConversationKey()
        return SealedAnswers(
            sealed: try EngagementCipher.sealAnswers(
                answers, participation: participation, author: author.id, key: key, signingKey: author.keys.signing),
            keys: try readers.map { reader in
                try key.wrap(
                    for: reader.id, publicKey: reader.keys.agreement.publicKey, conversation: participation, epoch: 1,
                    distributor: author.id, signingKey: author.keys.signing)
            })
    }

    @Test("Staff open what a participant wrote; the server holds only ciphertext and checks whom the key is for")
    func sealedForStaff() async throws {
        try await withTestApp { t in
            let school = try await t.institution()
            let program = try await t.openProgram(in: school)
            var required = Self.hopes
            required.isRequired = true
            let refused = try await t.send(
                .PUT, "api/v1/programs/\(program.id)/questionnaire", json: RegistrationQuestions(questions: [required]),
                token: school.admin.token)
            #expect(refused.status == .badRequest && refused.errorCode == "programs.question_free_text")
            _ = try await t.send(
                .PUT, "api/v1/programs/\(program.id)/questionnaire",
                json: RegistrationQuestions(questions: [Self.hopes]),
                token: school.admin.token)
            let lena = try await t.participant("lena@example.org")
            let joined = try await t.send(
                .POST, "api/v1/program-invitations/\(program.invitationCode)/join", json: JoinProgram(role: .mentee),
                token: lena.token
            ).decode(ProgramParticipant.self)
            let form = try await t.send(.GET, "api/v1/programs/\(program.id)/registration", token: lena.token)
                .decode(RegistrationForm.self)
            #expect(form.staffKeys.map(\.userId) == [school.admin.id])
            #expect(form.staffKeys[0].agreementKey == school.admin.publicKeys.agreementBase64)

            let text = "Ich habe Angst vor Statistik — CANARY-\(UUID())"
            let path = "api/v1/programs/\(program.id)/registration"
            // Plain text is refused: free text only travels sealed.
            let plain = try await t.send(
                .PUT, path,
                json: Registration(answers: [RegistrationAnswer(questionId: Self.hopes.id, values: [text])]),
                token: lena.token)
            #expect(plain.status == .badRequest && plain.errorCode == "programs.answer_invalid")
            // Sealed for herself only, the staff left out: refused, and nothing stored.
            let unreadable = try Self.sealed(
                [Self.hopes.id.uuidString: text], participation: joined.id, by: lena, for: [lena])
            let left = try await t.send(
                .PUT, path, json: Registration(answers: [], sealedAnswers: unreadable), token: lena.token)
            #expect(left.status == .conflict && left.errorCode == "programs.staff_changed")
            // Bound to another participation: refused.
            let elsewhere = try Self.sealed(
                [Self.hopes.id.uuidString: text], participation: UUID(), by: lena, for: [lena, school.admin])
            let moved = try await t.send(
                .PUT, path, json: Registration(answers: [], sealedAnswers: elsewhere), token: lena.token)
            #expect(moved.status == .badRequest, "\(moved.text)")

            let good = try Self.sealed(
                [Self.hopes.id.uuidString: text], participation: joined.id, by: lena, for: [lena, school.admin])
            let saved = try await t.send(
                .PUT, path, json: Registration(answers: [], sealedAnswers: good, consent: Registration.consentVersion),
                token: lena.token)
            #expect(saved.status == .ok, "\(saved.text)")
            let mine = try #require(try saved.decode(RegistrationForm.self).sealedAnswers)
            #expect(mine.keys.map(\.member) == [lena.id] && mine.sealed == good.sealed)
            let stored = try #require(
                try await ProgramParticipantRecord.find(joined.id, on: t.app.db)?.sealedAnswersJSON)
            #expect(!stored.contains("Statistik") && !stored.contains("CANARY"))

            // Ines, on the staff, gets her own key and opens it; the text never crossed the server in the clear.
            let listed = try await t.send(
                .GET, "api/v1/programs/\(program.id)/participants", token: school.admin.token)
            #expect(!listed.text.contains("CANARY"))
            let freeText = try #require(try listed.decode([ProgramParticipant].self).first?.freeText)
            #expect(freeText.keys.map(\.member) == [school.admin.id])
            #expect(freeText.authorSigningKey == lena.publicKeys.signingBase64)
            let key = try ConversationKey(
                unwrapping: freeText.keys[0], conversation: joined.id, member: school.admin.id,
                agreementKey: school.admin.keys.agreement, distributorKey: lena.keys.signing.publicKey)
            let opened = try EngagementCipher.openAnswers(
                freeText.sealed, participation: joined.id, key: key, authorKey: lena.keys.signing.publicKey)
            #expect(opened == [Self.hopes.id.uuidString: text])

            // Saving without them clears them.
            _ = try await t.send(.PUT, path, json: Registration(answers: []), token: lena.token)
            #expect(try await ProgramParticipantRecord.find(joined.id, on: t.app.db)?.sealedAnswersJSON == nil)
        }
    }
}
