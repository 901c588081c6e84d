import Fluent
import Foundation
import LotseAPI
import SQLKit

/// Consents accounts gave (docs/privacy.md, "Consent"): a record per consent, kept after it is withdrawn (it shows
/// what was agreed to, when, and until when). At most one is in force per account, purpose and subject: a partial
/// unique index decides, also between two saves at once.
struct Consents {
    let db: any Database

    /// The consent in force, if any.
    func active(of userID: UUID, for purpose: Consent.Purpose, about subject: UUID) async throws -> ConsentRecord? {
        try await ConsentRecord.query(on: db).filter(\.$userID == userID).filter(\.$purpose == purpose.rawValue)
            .filter(\.$subjectID == subject).filter(\.$withdrawnAt == nil).first()
    }

    /// Records a consent; answers false when one was in force already (then nothing changes).
    func give(
        by userID: UUID, for purpose: Consent.Purpose, about subject: UUID, version: String, language: Language,
        at time: Date
    ) async throws -> Bool {
        let record = ConsentRecord()
        record.userID = userID
        record.purpose = purpose.rawValue
        record.subjectID = subject
        record.textVersion = version
        record.language = language.rawValue
        record.givenAt = time
        do {
            try await WriteConflict.retrying { try await record.create(on: db) }
            return true
        } catch  where (error as? any DatabaseError)?.isConstraintFailure == true {
            return false
        }
    }

    /// Withdraws one of the account's consents; answers it, or nil if it is not the account's. Withdrawing again
    /// changes nothing.
    func withdraw(_ id: UUID, of userID: UUID, at time: Date) async throws -> (ConsentRecord, changed: Bool)? {
        guard let record = try await ConsentRecord.find(id, on: db), record.userID == userID else { return nil }
        guard record.withdrawnAt == nil else { return (record, false) }
        record.withdrawnAt = time
        try await record.save(on: db)
        return (record, true)
    }

    /// All of the account's consents, newest first.
    func all(of userID: UUID) async throws -> [ConsentRecord] {
        try await ConsentRecord.query(on: db).filter(\.$userID == userID).sort(\.$givenAt, .descending).all()
    }
}

final class ConsentRecord: Model, @unchecked Sendable {
    static let schema = "consents"

    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "purpose") var purpose: String
    @Field(key: "subject_id") var subjectID: UUID
    @Field(key: "text_version") var textVersion: String
    /// The language the text was shown in.
    @Field(key: "language") var language: String
    @Field(key: "given_at") var givenAt: Date
    @OptionalField(key: "withdrawn_at") var withdrawnAt: Date?

    init() {}
}

struct CreateConsents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ConsentRecord.schema)
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("purpose", .string, .required)
            .field("subject_id", .uuid, .required)
            .field("text_version", .string, .required)
            .field("language", .string, .required)
            .field("given_at", .datetime, .required)
            .field("withdrawn_at", .datetime)
            .create()
        try await (database as! any SQLDatabase).raw(
            "CREATE UNIQUE INDEX consents_in_force ON consents (user_id, purpose, subject_id) WHERE withdrawn_at IS NULL"
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ConsentRecord.schema).delete()
    }
}
