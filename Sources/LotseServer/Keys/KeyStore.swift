import Fluent
import Foundation
import LotseAPI
import LotseCrypto

/// Every account's end-to-end keys: the present ones, their history, and whom a coach or admin looked up by address
/// (docs/crypto.md). The server keeps public halves in the clear and private halves only sealed.
struct KeyStore {
    let db: any Database
    let now: @Sendable () -> Date

    /// Stores an account's keys once. Sending the same keys again is a harmless retry (`isNew` false); different
    /// ones are refused.
    func store(_ input: SetUpKeys, for userID: UUID) async throws -> (OwnKeys, isNew: Bool) {
        try Validate.point(input.agreementKey, field: "agreementKey", as: .agreement)
        try Validate.point(input.signingKey, field: "signingKey", as: .signing)
        try Validate.sealed(input.passwordWrappedKeys, field: "passwordWrappedKeys", plaintext: 64)
        try Validate.sealed(input.recoveryWrappedKeys, field: "recoveryWrappedKeys", plaintext: 64)
        if let existing = try await AccountKeysRecord.find(userID, on: db) {
            guard existing.agreementKey == input.agreementKey, existing.signingKey == input.signingKey,
                existing.passwordWrapped == input.passwordWrappedKeys
            else { throw KeysError.keysExist }
            return (existing.own, false)
        }
        let record = AccountKeysRecord()
        record.id = userID
        record.agreementKey = input.agreementKey
        record.signingKey = input.signingKey
        record.passwordWrapped = input.passwordWrappedKeys
        record.recoveryWrapped = input.recoveryWrappedKeys
        record.createdAt = now()
        do {
            try await db.transaction { db in
                try await record.create(on: db)
                try await Self.appendVersion(record, on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return try await store(input, for: userID)  // a concurrent retry stored them first
        }
        return (record.own, true)
    }

    /// One's own keys, to unlock them with the password.
    func own(of userID: UUID) async throws -> OwnKeys {
        guard let keys = try await AccountKeysRecord.find(userID, on: db) else { throw KeysError.keysMissing }
        return keys.own
    }

    /// Whether the account has keys.
    func exist(for userID: UUID) async throws -> Bool {
        try await AccountKeysRecord.find(userID, on: db) != nil
    }

    /// The present keys of these accounts, by account.
    func present(of ids: some Collection<UUID>) async throws -> [UUID: AccountKeysRecord] {
        guard !ids.isEmpty else { return [:] }
        let keys = try await AccountKeysRecord.query(on: db).filter(\.$id ~~ Array(ids)).all()
        return Dictionary(keys.map { ($0.id ?? UUID(), $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Adds the account's new keys to its key history as the next version, ending the one before if it is open.
    private static func appendVersion(_ keys: AccountKeysRecord, on db: any Database) async throws {
        let userID = try keys.requireID()
        let latest = try await AccountKeyVersionRecord.query(on: db).filter(\.$userID == userID)
            .sort(\.$version, .descending).first()
        if let latest, latest.validUntil == nil {
            latest.validUntil = keys.createdAt
            try await latest.save(on: db)
        }
        // (user, version) is unique: a racing append fails here.
        try await AccountKeyVersionRecord(keys, version: (latest?.version ?? 0) + 1).create(on: db)
    }

    /// Drops the account's keys after a reset without the recovery key; their version in the history ends now and
    /// stays there, so what they signed keeps verifying for everyone else.
    func drop(of userID: UUID) async throws {
        try await AccountKeysRecord.query(on: db).filter(\.$id == userID).delete()
        try await AccountKeyVersionRecord.query(on: db).filter(\.$userID == userID).filter(\.$validUntil == nil)
            .set(\.$validUntil, to: now()).update()
    }

    /// Key histories of these accounts, oldest version first.
    func histories(_ ids: some Collection<UUID>) async throws -> [UUID: [KeyVersion]] {
        guard !ids.isEmpty else { return [:] }
        let versions = try await AccountKeyVersionRecord.query(on: db).filter(\.$userID ~~ Array(ids))
            .sort(\.$version).all()
        return Dictionary(grouping: versions, by: \.userID).mapValues { $0.map(\.wire) }
    }

    /// Replaces the password-sealed keys after a password change or a reset with the recovery key.
    func rewrap(_ wrapped: String, for userID: UUID) async throws {
        try Validate.sealed(wrapped, field: "wrappedKeys", plaintext: 64)
        guard let keys = try await AccountKeysRecord.find(userID, on: db) else { throw KeysError.keysMissing }
        keys.passwordWrapped = wrapped
        try await keys.save(on: db)
    }

    /// Replaces the recovery-sealed keys with ones under a new recovery key, made in a browser where the keys were
    /// unlocked: the signature proves it. The same request again changes nothing.
    func replaceRecovery(_ input: ReplaceRecoveryKey, for userID: UUID) async throws {
        try Validate.sealed(input.recoveryWrappedKeys, field: "recoveryWrappedKeys", plaintext: 64)
        guard let keys = try await AccountKeysRecord.find(userID, on: db) else { throw KeysError.keysMissing }
        do {
            try RecoveryKeyChange.verify(
                input.signature, of: input.recoveryWrappedKeys, userID: userID, signingKey: keys.signingKey)
        } catch {
            throw KeysError.unproven
        }
        keys.recoveryWrapped = input.recoveryWrappedKeys
        try await keys.save(on: db)
    }

    /// Records that a coach or admin found someone by address (or refreshes when): they may now write to them.
    func grant(_ requester: UUID, reaches target: UUID) async throws {
        if let existing = try await LookupGrantRecord.query(on: db).filter(\.$requesterID == requester)
            .filter(\.$targetID == target).first()
        {
            existing.grantedAt = now()
            try await existing.save(on: db)
            return
        }
        do {
            try await LookupGrantRecord(requester: requester, target: target, at: now()).create(on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // A look-up of the same address raced this one: the grant exists.
        }
    }

    /// Which of `targets` the requester looked up by address.
    func granted(to requester: UUID, among targets: Set<UUID>) async throws -> Set<UUID> {
        Set(
            try await LookupGrantRecord.query(on: db).filter(\.$requesterID == requester)
                .filter(\.$targetID ~~ Array(targets)).all(\.$targetID))
    }
}
