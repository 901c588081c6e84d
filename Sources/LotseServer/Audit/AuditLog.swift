import Crypto
import Fluent
import Foundation
import LotseAPI
import Vapor

/// The tamper-evident audit log (docs/privacy.md, "Audit log"): security-relevant events as entries that hold who,
/// what and when, never anything anyone wrote; each entry's SHA-256 hash covers its fields and the hash of the entry
/// before, and checkpoints signed with a key outside the database vouch for the chain up to an entry. Editing,
/// inserting or removing an entry, or cutting off the log's end, breaks the chain or a checkpoint: ``verify()``
/// names where (`lotse audit verify`).
struct AuditLog: Sendable {
    let db: any Database
    let now: @Sendable () -> Date
    let signer: AuditSigner

    /// The hash before the first entry.
    static let genesis = String(repeating: "0", count: 64)

    /// Appends an event. Two appends at once race for the next place; the unique sequence lets one win and the other
    /// try again on the new end. With `once`, an event a client may send again (an export's ID) is appended only the
    /// first time: the key's unique index decides, also between retries racing each other.
    func record(
        _ kind: SecurityEventKind, account: UUID?, by actor: UUID? = nil, scope: UUID? = nil,
        details: [String: String] = [:], once: String? = nil
    ) async throws {
        let at = Self.milliseconds(now())
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let facts = String(decoding: try encoder.encode(details), as: UTF8.self)
        for _ in 0..<50 {
            let last = try await AuditEntryRecord.query(on: db).sort(\.$sequence, .descending).first()
            let entry = AuditEntryRecord()
            entry.sequence = (last?.sequence ?? 0) + 1
            entry.atMilliseconds = at
            entry.kind = kind.rawValue
            entry.accountID = account
            entry.actorID = actor
            entry.scopeID = scope
            entry.details = facts
            entry.onceKey = once
            entry.previousHash = last?.hash ?? Self.genesis
            entry.hash = Self.hash(of: entry, after: entry.previousHash)
            do {
                try await WriteConflict.retrying { try await entry.create(on: db) }
                return
            } catch  where (error as? any DatabaseError)?.isConstraintFailure == true {
                if let once, try await AuditEntryRecord.query(on: db).filter(\.$onceKey == once).count() > 0 {
                    return  // recorded already: this was a retry
                }
                entry.id = nil  // another append took the place: again, on the new end
            }
        }
        throw AuditError.busy
    }

    /// SHA-256 over the hash before and the entry's fields (separated by U+001F, which none of them holds: numbers,
    /// identifiers, a kind and escaped JSON), hex.
    static func hash(of entry: AuditEntryRecord, after previous: String) -> String {
        let fields = [
            String(entry.sequence), String(entry.atMilliseconds), entry.kind, entry.accountID?.uuidString ?? "",
            entry.actorID?.uuidString ?? "", entry.scopeID?.uuidString ?? "", entry.details,
        ]
        var hasher = SHA256()
        hasher.update(data: Data(previous.utf8))
        hasher.update(data: Data(fields.joined(separator: "\u{1F}").utf8))
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Signs the chain's end if it moved since the last checkpoint; answers whether it did.
    @discardableResult
    func checkpoint() async throws -> Bool {
        guard let head = try await AuditEntryRecord.query(on: db).sort(\.$sequence, .descending).first() else {
            return false
        }
        let last = try await AuditCheckpointRecord.query(on: db).sort(\.$sequence, .descending).first()
        guard last?.sequence != head.sequence else { return false }
        let checkpoint = AuditCheckpointRecord()
        checkpoint.sequence = head.sequence
        checkpoint.hash = head.hash
        checkpoint.atMilliseconds = Self.milliseconds(now())
        checkpoint.signature = try signer.sign(sequence: head.sequence, hash: head.hash)
        do {
            try await WriteConflict.retrying { try await checkpoint.create(on: db) }
        } catch  where (error as? any DatabaseError)?.isConstraintFailure == true {
            return false  // another instance signed this end a moment ago
        }
        try signer.keep(sequence: checkpoint.sequence, hash: checkpoint.hash, signature: checkpoint.signature)
        return true
    }

    /// What ``verify()`` found: how much it checked, and every place where the log is not what was written.
    struct Verification: Sendable {
        var entries = 0
        var checkpoints = 0
        var problems: [String] = []
    }

    /// Recomputes the chain from the first entry, page by page, and checks every checkpoint (in the database and in
    /// the file outside it) against it and against the audit key.
    func verify() async throws -> Verification {
        var result = Verification()
        var vouched: [(sequence: Int, hash: String, signature: String, source: String)] =
            try await AuditCheckpointRecord.query(on: db).sort(\.$sequence).all().map {
                ($0.sequence, $0.hash, $0.signature, "the database")
            }
        vouched += signer.keptCheckpoints().map { ($0.sequence, $0.hash, $0.signature, "the checkpoint file") }
        result.checkpoints = Set(vouched.map(\.sequence)).count
        for checkpoint in vouched
        where !signer.isValid(checkpoint.signature, sequence: checkpoint.sequence, hash: checkpoint.hash) {
            result.problems.append(
                "The checkpoint at entry \(checkpoint.sequence) in \(checkpoint.source) is not signed by the audit key."
            )
        }
        let vouchedFor = Set(vouched.map(\.sequence))
        var expected = 1
        var previous = Self.genesis
        var chained: [Int: String] = [:]
        while true {
            let page = try await AuditEntryRecord.query(on: db).filter(\.$sequence >= expected)
                .sort(\.$sequence).limit(1000).all()
            for entry in page {
                if entry.sequence != expected {
                    result.problems.append(
                        "Entries \(expected) to \(entry.sequence - 1) are missing: the log goes from \(expected - 1) to \(entry.sequence)."
                    )
                }
                if entry.previousHash != previous {
                    result.problems.append("Entry \(entry.sequence) does not follow the entry before it.")
                }
                let hash = Self.hash(of: entry, after: previous)
                if hash != entry.hash {
                    result.problems.append(
                        "Entry \(entry.sequence) was changed: its hash does not match what it holds.")
                }
                if vouchedFor.contains(entry.sequence) { chained[entry.sequence] = hash }
                previous = hash
                expected = entry.sequence + 1
                result.entries += 1
            }
            if page.count < 1000 { break }
        }
        let end = expected - 1
        for checkpoint in vouched {
            let sequence = checkpoint.sequence
            if sequence > end {
                result.problems.append(
                    "The log ends at entry \(end), but a checkpoint in \(checkpoint.source) vouches for entry \(sequence): its end was cut off."
                )
            } else if let hash = chained[sequence], hash != checkpoint.hash {
                result.problems.append(
                    "The log up to entry \(sequence) is not what the checkpoint in \(checkpoint.source) signed: entries were rewritten."
                )
            } else if chained[sequence] == nil {
                result.problems.append(
                    "Entry \(sequence), which a checkpoint in \(checkpoint.source) vouches for, is missing.")
            }
        }
        return result
    }

    /// The newest entries of the whole log (`scope` nil) or of one institution, for its administrators; reading them
    /// is an entry of its own, made first, so the reader sees it too.
    func entries(
        in scope: UUID?, readBy reader: UUID, limit: Int = 200, naming: ([UUID]) async throws -> [UUID: String]
    ) async throws -> [AuditEntry] {
        try await record(.auditRead, account: nil, by: reader, scope: scope)
        var query = AuditEntryRecord.query(on: db)
        if let scope { query = query.filter(\.$scopeID == scope) }
        let entries = try await query.sort(\.$sequence, .descending).limit(limit).all()
        let people = Set(entries.flatMap { [$0.accountID, $0.actorID] }.compactMap { $0 })
        let names = people.isEmpty ? [:] : try await naming(Array(people))
        return entries.compactMap { entry in
            guard let kind = SecurityEventKind(rawValue: entry.kind) else { return nil }
            return AuditEntry(
                sequence: entry.sequence, kind: kind,
                at: entry.at, accountName: entry.accountID.flatMap { names[$0] },
                actorName: entry.actorID.flatMap { names[$0] }, details: entry.facts)
        }
    }

    /// Whole milliseconds, as entries and checkpoints keep time.
    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    /// The account's own events, newest first; `naming` gives the display names of those who acted on it.
    func events(
        of account: UUID, limit: Int = 100, naming: ([UUID]) async throws -> [UUID: String]
    ) async throws -> [SecurityEvent] {
        let entries = try await AuditEntryRecord.query(on: db).filter(\.$accountID == account)
            .sort(\.$sequence, .descending).limit(limit).all()
        let actors = Set(entries.compactMap(\.actorID)).subtracting([account])
        let names = actors.isEmpty ? [:] : try await naming(Array(actors))
        return entries.compactMap { entry in
            guard let kind = SecurityEventKind(rawValue: entry.kind) else { return nil }
            return SecurityEvent(
                sequence: entry.sequence, kind: kind,
                at: entry.at, actorName: entry.actorID.flatMap { names[$0] }, details: entry.facts)
        }
    }
}

enum AuditError: AppError {
    /// Fifty appends in a row lost the race for the next place.
    case busy

    var status: HTTPStatus { .serviceUnavailable }
    var code: String { "audit.busy" }
}
