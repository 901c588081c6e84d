import Fluent
import Foundation
import LotseAPI
import SQLKit

/// An account's end-to-end keys: public halves in the clear, private halves only sealed (docs/crypto.md).
final class AccountKeysRecord: Model, @unchecked Sendable {  // property wrappers defeat Sendable checking
    static let schema = "account_keys"

    /// The user's ID: one set of keys per account.
    @ID(custom: "user_id", generatedBy: .user) var id: UUID?
    @Field(key: "agreement_key") var agreementKey: String
    @Field(key: "signing_key") var signingKey: String
    @Field(key: "password_wrapped") var passwordWrapped: String
    @Field(key: "recovery_wrapped") var recoveryWrapped: String
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// A coach or admin looked someone up by address: they may start a conversation with that person (the address is
/// what an invitation needs; a user ID seen elsewhere is not enough). See docs/crypto.md, "Who may write to whom".
final class LookupGrantRecord: Model, @unchecked Sendable {
    static let schema = "lookup_grants"

    @ID(key: .id) var id: UUID?
    @Field(key: "requester_id") var requesterID: UUID
    @Field(key: "target_id") var targetID: UUID
    @Field(key: "granted_at") var grantedAt: Date

    init() {}

    init(requester: UUID, target: UUID, at time: Date) {
        id = UUID()
        requesterID = requester
        targetID = target
        grantedAt = time
    }
}

struct CreateLookupGrants: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(LookupGrantRecord.schema)
            .id()
            .field("requester_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("target_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("granted_at", .datetime, .required)
            .unique(on: "requester_id", "target_id")
            .create()
    }

    func revert(on db: any Database) async throws { try await db.schema(LookupGrantRecord.schema).delete() }
}

/// One version of an account's public keys, kept for good: every key the server ever accepted for the account, so
/// what someone signed with earlier keys still verifies after they had to make new ones (docs/crypto.md, "Key
/// history"). Rows are only ever added, and a row's end is set once.
final class AccountKeyVersionRecord: Model, @unchecked Sendable {
    static let schema = "account_key_versions"

    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "version") var version: Int
    @Field(key: "agreement_key") var agreementKey: String
    @Field(key: "signing_key") var signingKey: String
    @Field(key: "valid_from") var validFrom: Date
    @OptionalField(key: "valid_until") var validUntil: Date?

    init() {}

    /// Version `version` of these keys, valid from when they were set up.
    init(_ keys: AccountKeysRecord, version: Int) throws {
        userID = try keys.requireID()
        self.version = version
        agreementKey = keys.agreementKey
        signingKey = keys.signingKey
        validFrom = keys.createdAt
    }

    var wire: KeyVersion {
        KeyVersion(
            version: version, agreementKey: agreementKey, signingKey: signingKey, validFrom: validFrom,
            validUntil: validUntil)
    }
}

/// The key history, with every account's present keys as its version 1.
struct CreateKeyHistory: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(AccountKeyVersionRecord.schema)
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("version", .int, .required)
            .field("agreement_key", .string, .required)
            .field("signing_key", .string, .required)
            .field("valid_from", .datetime, .required)
            .field("valid_until", .datetime)
            .unique(on: "user_id", "version")
            .create()
        for keys in try await AccountKeysRecord.query(on: db).all() {
            try await AccountKeyVersionRecord(keys, version: 1).create(on: db)
        }
    }

    func revert(on db: any Database) async throws { try await db.schema(AccountKeyVersionRecord.schema).delete() }
}

extension AccountKeysRecord {
    var own: OwnKeys {
        OwnKeys(
            agreementKey: agreementKey, signingKey: signingKey, passwordWrappedKeys: passwordWrapped,
            createdAt: createdAt)
    }
}
