import Fluent
import Foundation
import LotseAPI

/// Free-text registration answers, end-to-end encrypted for the program's staff (docs/programs.md, "Free text for
/// staff"). The server checks their shape and whom the key is wrapped for; it never sees the text.
extension ProgramsService {
    /// The institution's staff who have end-to-end keys: whom free text is sealed for.
    func staffKeys(of institutionID: UUID) async throws -> [PublicKeys] {
        let members = try await InstitutionMemberRecord.query(on: db).filter(\.$institutionID == institutionID)
            .all(\.$userID)
        guard !members.isEmpty else { return [] }
        let keys = try await AccountKeysRecord.query(on: db).filter(\.$id ~~ members).all()
        let names = Dictionary(
            uniqueKeysWithValues: try await UserRecord.query(on: db).filter(\.$id ~~ members).all().map {
                ($0.id!, $0.displayName)
            })
        return keys.map {
            PublicKeys(
                userId: $0.id!, displayName: names[$0.id!] ?? "", agreementKey: $0.agreementKey,
                signingKey: $0.signingKey)
        }
        .sorted { $0.userId.uuidString < $1.userId.uuidString }
    }

    /// Checks sealed answers from `participant`: sealed by them, bound to their participation, with the key wrapped
    /// for exactly them and today's staff with keys (a staff list that changed meanwhile is `programs.staff_changed`).
    func checked(
        _ input: SealedAnswers, from participant: ProgramParticipantRecord, by userID: UUID, in program: ProgramRecord
    )
        async throws -> SealedAnswers
    {
        guard input.sealed.id == participant.id else {
            throw EngagementsError.sealedMismatch(field: "sealedAnswers.sealed.id")
        }
        try engagements.check(
            input.sealed, by: userID, epoch: 1, needsNewKey: false, id: participant.id,
            field: "sealedAnswers.sealed")
        let readers = Set(try await staffKeys(of: program.institutionID).map(\.userId)).union([userID])
        guard Set(input.keys.map(\.member)) == readers else { throw ProgramsError.staffChanged }
        try engagements.messaging.check(input.keys, epoch: 1, members: readers, distributor: userID)
        return SealedAnswers(sealed: input.sealed, keys: input.keys)
    }

    /// Sealed answers as one reader gets them: with only their own key, and the author's signing key.
    static func readable(_ json: String?, for reader: UUID, authorSigningKey: String?) -> SealedAnswers? {
        guard let json, var answers = try? JSONText.decode(SealedAnswers.self, json) else { return nil }
        answers.keys = answers.keys.filter { $0.member == reader }
        answers.authorSigningKey = authorSigningKey
        return answers
    }

    /// The signing keys of these participants' accounts, in one query.
    func signingKeys(of participants: [ProgramParticipantRecord]) async throws -> [UUID: String] {
        let accounts = participants.compactMap(\.userID)
        guard !accounts.isEmpty else { return [:] }
        return Dictionary(
            try await AccountKeysRecord.query(on: db).filter(\.$id ~~ accounts).all().map { ($0.id!, $0.signingKey) },
            uniquingKeysWith: { first, _ in first })
    }
}
