import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// A kind of record the law requires to be kept after its person is erased (Art. 17(3)(b), e.g. invoices for eight
/// years under § 147 AO): the erasure restricts it (Art. 18) instead of deleting it, and the daily pass deletes it
/// when its period ends (docs/privacy.md, "Restriction"). A kind keeps its records in its own tables; while a record
/// is restricted, its feature must not use it for anything but keeping it (``Restrictions/isRestricted(_:_:)``).
protocol RestrictedKind: Sendable {
    /// Stable, e.g. `invoice`: stored with each restriction.
    var name: String { get }
    /// Why it is kept, e.g. `§ 147 AO`.
    var legalBasis: String { get }
    /// The account's records of this kind, each with the moment its keeping ends.
    func records(of subject: UUID, on db: any Database) async throws -> [(id: String, keepUntil: Date)]
    /// Deletes records whose period ended.
    func delete(_ ids: [String], on db: any Database) async throws
}

/// The kinds of records that are restricted rather than deleted. Billing adds its invoices when it exists; tests
/// add a kind of their own.
final class RestrictedKinds: Sendable {
    private let kinds = NIOLockedValueBox<[any RestrictedKind]>([])

    func register(_ kind: any RestrictedKind) {
        kinds.withLockedValue { kinds in
            kinds.removeAll { $0.name == kind.name }
            kinds.append(kind)
        }
    }

    var all: [any RestrictedKind] { kinds.withLockedValue { $0 } }
}

extension Application {
    private struct RestrictedKindsKey: StorageKey { typealias Value = RestrictedKinds }

    /// The kinds of records an erasure restricts instead of deleting.
    var restrictedKinds: RestrictedKinds {
        if let kinds = storage[RestrictedKindsKey.self] { return kinds }
        let kinds = RestrictedKinds()
        storage[RestrictedKindsKey.self] = kinds
        return kinds
    }
}

/// Restrictions of processing (Art. 18): which records are only kept, why, and until when.
struct Restrictions {
    let db: any Database
    let now: @Sendable () -> Date
    let kinds: [any RestrictedKind]

    /// Restricts every record of the account the law requires to be kept; answers how many. Restricting again
    /// changes nothing (one restriction per record, which the database also holds to).
    func restrict(recordsOf subject: UUID) async throws -> Int {
        var count = 0
        for kind in kinds {
            let records = try await kind.records(of: subject, on: db)
            let already = Set(
                try await RestrictedRecord.query(on: db).filter(\.$kind == kind.name)
                    .filter(\.$recordID ~~ records.map(\.id)).all(\.$recordID))
            for record in records where !already.contains(record.id) {
                let restriction = RestrictedRecord()
                restriction.kind = kind.name
                restriction.recordID = record.id
                restriction.subjectID = subject
                restriction.legalBasis = kind.legalBasis
                restriction.restrictedAt = now()
                restriction.deleteAfter = record.keepUntil
                try await restriction.create(on: db)
                count += 1
            }
        }
        return count
    }

    /// Whether a record is restricted, for features to leave it alone.
    func isRestricted(_ kind: String, _ recordID: String) async throws -> Bool {
        try await RestrictedRecord.query(on: db).filter(\.$kind == kind).filter(\.$recordID == recordID).count() > 0
    }

    /// Deletes the restricted records whose period ended, with their restriction; answers how many. A kind that is
    /// not registered (any more) keeps its records: nothing is deleted that no code knows how to delete.
    func deleteExpired() async throws -> Int {
        let due = try await RestrictedRecord.query(on: db).filter(\.$deleteAfter <= now()).all()
        var deleted = 0
        for (name, records) in Dictionary(grouping: due, by: \.kind) {
            guard let kind = kinds.first(where: { $0.name == name }) else { continue }
            try await WriteConflict.retrying {
                try await db.transaction { db in
                    try await kind.delete(records.map(\.recordID), on: db)
                    try await RestrictedRecord.query(on: db).filter(\.$id ~~ records.compactMap(\.id)).delete()
                }
            }
            deleted += records.count
        }
        return deleted
    }
}

/// A record that is only kept (Art. 18) until `deleteAfter`, because the law requires it.
final class RestrictedRecord: Model, @unchecked Sendable {
    static let schema = "restricted_records"

    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "record_id") var recordID: String
    /// The erased account the record is about (no reference: the account's own rows are gone or scrubbed).
    @Field(key: "subject_id") var subjectID: UUID
    @Field(key: "legal_basis") var legalBasis: String
    @Field(key: "restricted_at") var restrictedAt: Date
    @Field(key: "delete_after") var deleteAfter: Date

    init() {}
}
