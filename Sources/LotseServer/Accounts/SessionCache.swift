import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// Sessions looked up recently, by the hash of their token, so that an authenticated request usually needs no query
/// (#21). See docs/accounts.md, "Session cache".
///
/// What is kept is the session's and account's facts (``SessionFacts``: what nearly every request reads, as values)
/// and the database's row of the session joined with its account, from which a request that asks for them gets
/// records of its own (handlers change them). An entry is used only while it is younger than ``lifetime``, the
/// session has not expired and its once-a-minute `last_seen_at` write is not due (then the request takes the
/// database path, which writes it and stores the entry anew).
///
/// Entries of an account are dropped (``forget(user:)``) whenever its account or one of its sessions changes:
/// - every change or deletion of a `UserRecord` and every deleted `AuthSessionRecord` through Fluent's models
///   (``SessionCacheInvalidation``), and for writes inside a transaction once more a moment later, when the
///   transaction has committed;
/// - explicitly after the commit where a transaction ends sessions in bulk (password change or reset, signing out
///   elsewhere, erasure);
/// - on PostgreSQL, on every instance when a trigger announces a change of `users` or `auth_sessions` (the event
///   relay carries it), so a session ended through one instance is refused by the others within the relay's delay;
///   the cache is used only while the relay listens (``isEnabled``).
/// ``lifetime`` bounds anything else. A lookup that read the database while an entry was being forgotten does not
/// store what it read (``epoch``).
///
/// Entries past their lifetime are of no use and are dropped (``sweep(at:)``) every lifetime and at a store a lifetime
/// after the last sweep, so the cache holds the sessions of recent requests, not of every device that ever connected:
/// an idle WebSocket's session, read once at its handshake, would otherwise stay for as long as the process runs (#21).
final class SessionCache: Sendable {
    /// How long an entry is used at most.
    static let lifetime: TimeInterval = 5
    /// Entries kept at most; when full, all are dropped and the cache fills again.
    static let capacity = 100_000

    struct Entry: Sendable {
        let row: any DatabaseOutput
        let facts: SessionFacts
        let storedAt: Date

        var user: UUID { facts.account.id }
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var hashes: [UUID: Set<String>] = [:]
        var epoch: UInt64 = 0
        var isEnabled: Bool
        var sweptAt = Date.distantPast

        /// Drops the entries stored a lifetime or longer before `time`; returns how many.
        @discardableResult
        mutating func sweep(at time: Date) -> Int {
            sweptAt = time
            let stale = entries.compactMap { hash, entry in
                time.timeIntervalSince(entry.storedAt) >= SessionCache.lifetime ? hash : nil
            }
            for hash in stale {
                guard let entry = entries.removeValue(forKey: hash) else { continue }
                hashes[entry.user]?.remove(hash)
                if hashes[entry.user]?.isEmpty == true { hashes[entry.user] = nil }
            }
            return stale.count
        }
    }

    private let state: NIOLockedValueBox<State>

    init(isEnabled: Bool = true) {
        state = NIOLockedValueBox(State(isEnabled: isEnabled))
    }

    /// Whether entries are kept and used; on PostgreSQL only while the event relay listens (`PostgresEventRelay`).
    /// Turning it off or on drops every entry.
    var isEnabled: Bool {
        get { state.withLockedValue { $0.isEnabled } }
        set { state.withLockedValue { state in state = State(epoch: state.epoch &+ 1, isEnabled: newValue) } }
    }

    /// The session and its account for a token hash, if a fresh entry holds them: their facts, and records of their
    /// own when the request asks for them.
    func session(for hash: String, at time: Date) -> FoundSession? {
        guard let entry = state.withLockedValue({ $0.isEnabled ? $0.entries[hash] : nil }),
            time.timeIntervalSince(entry.storedAt) < Self.lifetime, entry.facts.expiresAt > time,
            time.timeIntervalSince(entry.facts.lastSeenAt) <= AccountsService.lastSeenInterval
        else { return nil }
        return FoundSession(facts: entry.facts, row: entry.row)
    }

    /// Changes whenever an entry is forgotten: a lookup reads it before it asks the database and stores what it
    /// found only if it is still the same.
    var epoch: UInt64 { state.withLockedValue { $0.epoch } }

    /// Keeps a row read since `epoch` (and the facts the lookup read from it), unless something was forgotten
    /// meanwhile.
    func store(_ row: any DatabaseOutput, facts: SessionFacts, hash: String, readSince epoch: UInt64, at time: Date) {
        let entry = Entry(row: DecodedOnce(row), facts: facts, storedAt: time)
        state.withLockedValue { state in
            guard state.isEnabled, state.epoch == epoch else { return }
            if time.timeIntervalSince(state.sweptAt) >= Self.lifetime { state.sweep(at: time) }
            if state.entries.count >= Self.capacity { state = State(epoch: state.epoch, isEnabled: true) }
            state.entries[hash] = entry
            state.hashes[entry.user, default: []].insert(hash)
        }
    }

    /// Drops the entries stored a lifetime or longer before `time`; `configure` does so every lifetime. Returns how
    /// many were dropped.
    @discardableResult
    func sweep(at time: Date) -> Int {
        state.withLockedValue { $0.sweep(at: time) }
    }

    /// How many entries are kept.
    var count: Int { state.withLockedValue { $0.entries.count } }

    /// Drops every entry of an account.
    func forget(user: UUID) {
        state.withLockedValue { state in
            state.epoch &+= 1
            for hash in state.hashes.removeValue(forKey: user) ?? [] { state.entries[hash] = nil }
        }
    }

    /// The row of the session with this token hash, joined with its account.
    static func row(for hash: String, on db: any Database) async throws -> (any DatabaseOutput)? {
        let found = NIOLockedValueBox<(any DatabaseOutput)?>(nil)
        try await AuthSessionRecord.query(on: db)
            .join(UserRecord.self, on: \AuthSessionRecord.$user.$id == \UserRecord.$id)
            .filter(\.$tokenHash == hash).limit(1)
            .run { row in found.withLockedValue { $0 = row } }
        return found.withLockedValue { $0 }
    }

    /// Records of their own from a row of `auth_sessions` joined with `users`, as Fluent makes them.
    static func records(from row: any DatabaseOutput) throws -> (AuthSessionRecord, UserRecord) {
        let session = AuthSessionRecord()
        try session.output(
            from: row.qualifiedSchema(space: AuthSessionRecord.spaceIfNotAliased, AuthSessionRecord.schemaOrAlias))
        return (session, try session.joined(UserRecord.self))
    }
}

/// A row that decodes each of its values once: the cache builds records from it on every request, and the SQL
/// driver's way to a value (the column's name built anew, a decoder per field) is a good part of such a request.
private struct DecodedOnce: DatabaseOutput {
    /// The values decoded so far, by schema and key. Values from a row are values (strings, dates, IDs, enums).
    final class Values: @unchecked Sendable {
        struct Key: Hashable {
            let scope: String
            let question: UInt8  // 0 the value, 1 whether it is nil, 2 whether the row has it
            let field: FieldKey
        }

        private let lock = NIOLock()
        private var values: [Key: Any] = [:]

        func value<T>(_ key: Key, decode: () throws -> T) throws -> T {
            // Unwrapped before the cast: a missing value cast to an optional T would read as a nil value.
            if let known = lock.withLock({ values[key] }) { return known as! T }
            let value = try decode()
            lock.withLock { values[key] = value }
            return value
        }
    }

    let base: any DatabaseOutput
    let scope: String
    let values: Values

    init(_ base: any DatabaseOutput) {
        self.init(base: base, scope: "", values: Values())
    }

    private init(base: any DatabaseOutput, scope: String, values: Values) {
        self.base = base
        self.scope = scope
        self.values = values
    }

    func schema(_ schema: String) -> any DatabaseOutput {
        DecodedOnce(base: base.schema(schema), scope: scope + "/" + schema, values: values)
    }

    func contains(_ key: FieldKey) -> Bool {
        (try? values.value(.init(scope: scope, question: 2, field: key)) { base.contains(key) }) ?? false
    }

    func decodeNil(_ key: FieldKey) throws -> Bool {
        try values.value(.init(scope: scope, question: 1, field: key)) { try base.decodeNil(key) }
    }

    func decode<T: Decodable>(_ key: FieldKey, as type: T.Type) throws -> T {
        try values.value(.init(scope: scope, question: 0, field: key)) { try base.decode(key, as: T.self) }
    }

    var description: String { "DecodedOnce(\(base.description))" }
}

/// Forgets an account's cached sessions when the account is changed or deleted, or one of its sessions deleted,
/// through their models (a new account or session has nothing cached). A write inside a transaction is forgotten again
/// a moment later: a lookup in between may have read the row as it was before the commit. (Sessions are updated only for their `last_seen_at`, by the lookup itself.)
struct SessionCacheInvalidation: AsyncModelMiddleware {
    typealias Model = UserRecord
    let cache: SessionCache

    func update(model: UserRecord, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.update(model, on: db)
        forget(model.id, in: db)
    }

    func delete(model: UserRecord, force: Bool, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.delete(model, force: force, on: db)
        forget(model.id, in: db)
    }

    func forget(_ user: UUID?, in db: any Database) {
        guard let user else { return }
        cache.forgetNowAndAfterCommit(user: user, inTransaction: db.inTransaction)
    }
}

/// The same for deleted sessions.
struct SessionCacheSessionInvalidation: AsyncModelMiddleware {
    typealias Model = AuthSessionRecord
    let cache: SessionCache

    func delete(model: AuthSessionRecord, force: Bool, on db: any Database, next: any AnyAsyncModelResponder)
        async throws
    {
        try await next.delete(model, force: force, on: db)
        cache.forgetNowAndAfterCommit(user: model.$user.id, inTransaction: db.inTransaction)
    }
}

extension SessionCache {
    /// How long after a write inside a transaction its account is forgotten once more.
    static let afterCommit: Duration = .milliseconds(500)

    func forgetNowAndAfterCommit(user: UUID, inTransaction: Bool) {
        forget(user: user)
        guard inTransaction else { return }
        Task {
            try? await Task.sleep(for: Self.afterCommit)
            forget(user: user)
        }
    }
}

extension Application {
    /// This instance's session cache; set by `configure`.
    var sessionCache: SessionCache {
        get {
            guard let cache = storage[SessionCacheKey.self] else { fatalError("configure(_:_:) has not run") }
            return cache
        }
        set { storage[SessionCacheKey.self] = newValue }
    }

    private struct SessionCacheKey: StorageKey { typealias Value = SessionCache }
}

/// On PostgreSQL, announces every change of an account and every ended session to all instances (their session
/// caches) on the event relay's channel, after the commit, whichever statement made it. Sessions' own updates (their
/// `last_seen_at`) and new sessions and accounts change nothing cached. SQLite serves one instance: nothing to do.
struct AnnounceSessionChanges: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await sql.raw(
            """
            CREATE FUNCTION lotse_announce_session_change() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                account uuid;
            BEGIN
                IF TG_TABLE_NAME = 'users' THEN
                    IF TG_OP = 'DELETE' THEN account := OLD.id; ELSE account := NEW.id; END IF;
                ELSE
                    account := OLD.user_id;
                END IF;
                PERFORM pg_notify('\(unsafeRaw: PostgresEventRelay.channel)', json_build_object(
                    'origin', '00000000-0000-0000-0000-000000000000', 'users', json_build_array(),
                    'forget', account)::text);
                RETURN NULL;
            END
            $$
            """
        ).run()
        try await sql.raw(
            """
            CREATE TRIGGER lotse_user_changed AFTER UPDATE OR DELETE ON users
            FOR EACH ROW EXECUTE FUNCTION lotse_announce_session_change()
            """
        ).run()
        try await sql.raw(
            """
            CREATE TRIGGER lotse_session_ended AFTER DELETE ON auth_sessions
            FOR EACH ROW EXECUTE FUNCTION lotse_announce_session_change()
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await sql.raw("DROP TRIGGER IF EXISTS lotse_session_ended ON auth_sessions").run()
        try await sql.raw("DROP TRIGGER IF EXISTS lotse_user_changed ON users").run()
        try await sql.raw("DROP FUNCTION IF EXISTS lotse_announce_session_change()").run()
    }
}
