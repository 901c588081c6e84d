import Fluent
import Foundation
import SQLKit

/// One entry of the audit log: an event, the accounts it concerns, facts without content, and the hash that chains
/// it to the entry before (docs/privacy.md, "Audit log"). The time is whole milliseconds, so that every database
/// gives back exactly what was hashed.
final class AuditEntryRecord: Model, @unchecked Sendable {
    static let schema = "audit_entries"

    @ID(key: .id) var id: UUID?
    /// 1, 2, 3, …: unique, so two instances appending at once cannot both take a place.
    @Field(key: "sequence") var sequence: Int
    @Field(key: "at_ms") var atMilliseconds: Int64
    @Field(key: "kind") var kind: String
    /// The account the event is about, if any.
    @OptionalField(key: "account_id") var accountID: UUID?
    /// Who did it, when not the account itself.
    @OptionalField(key: "actor_id") var actorID: UUID?
    /// The institution (or other scope) it happened in, for its administrators.
    @OptionalField(key: "scope_id") var scopeID: UUID?
    /// A JSON object of strings, keys sorted.
    @Field(key: "details") var details: String
    /// The hash of the entry before (hex; 64 zeros before the first).
    /// Set for an event a client may send again (an export's ID): the unique index keeps it to one entry. Not part
    /// of the hash: it only tells retries apart.
    @OptionalField(key: "once_key") var onceKey: String?
    @Field(key: "previous_hash") var previousHash: String
    @Field(key: "hash") var hash: String

    init() {}

    var at: Date { Date(timeIntervalSince1970: Double(atMilliseconds) / 1000) }

    /// `details`, read.
    var facts: [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(details.utf8))) ?? [:]
    }
}

/// A signature over the chain's head at some entry, made with the audit key, which is kept outside the database.
final class AuditCheckpointRecord: Model, @unchecked Sendable {
    static let schema = "audit_checkpoints"

    @ID(key: .id) var id: UUID?
    @Field(key: "sequence") var sequence: Int
    @Field(key: "hash") var hash: String
    @Field(key: "at_ms") var atMilliseconds: Int64
    /// Ed25519 over `AuditSigner.message(sequence:hash:)`, base64.
    @Field(key: "signature") var signature: String

    init() {}
}

struct CreateAuditLog: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditEntryRecord.schema)
            .id()
            .field("sequence", .int, .required)
            .field("at_ms", .int64, .required)
            .field("kind", .string, .required)
            .field("account_id", .uuid)
            .field("actor_id", .uuid)
            .field("scope_id", .uuid)
            .field("details", .string, .required)
            .field("previous_hash", .string, .required)
            .field("hash", .string, .required)
            .unique(on: "sequence")
            .create()
        try await (database as! any SQLDatabase).raw(
            "CREATE INDEX audit_entries_by_account ON audit_entries (account_id, sequence)"
        ).run()
        try await database.schema(AuditCheckpointRecord.schema)
            .id()
            .field("sequence", .int, .required)
            .field("hash", .string, .required)
            .field("at_ms", .int64, .required)
            .field("signature", .string, .required)
            .unique(on: "sequence")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditCheckpointRecord.schema).delete()
        try await database.schema(AuditEntryRecord.schema).delete()
    }
}

/// Events a client may send again (exports) carry a key that the database keeps unique (#20).
struct AddAuditOnceKey: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditEntryRecord.schema).field("once_key", .string).update()
        try await (database as! any SQLDatabase).raw(
            "CREATE UNIQUE INDEX audit_entries_once ON audit_entries (once_key)"
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP INDEX audit_entries_once").run()
        try await database.schema(AuditEntryRecord.schema).deleteField("once_key").update()
    }
}
