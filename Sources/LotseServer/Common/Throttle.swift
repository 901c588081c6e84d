import Fluent
import Foundation
import SQLKit

/// Fixed-window counters in the database, so every server instance sharing it sees the same counts.
///
/// Keys are hashed where they would otherwise store an email address. One atomic upsert per hit: concurrent
/// guesses cannot slip past the limit by racing each other.
struct Throttle {
    /// How many hits a window allows and how long a window lasts.
    struct Policy: Sendable {
        let prefix: String
        let limit: Int
        let window: TimeInterval

        /// The same counter with another limit (the per-address limits are configurable).
        func with(limit: Int) -> Policy { Policy(prefix: prefix, limit: limit, window: window) }

        /// Failed sign-ins per email address: five in 15 minutes, then that address is locked for the rest of the window.
        static let loginPerEmail = Policy(prefix: "login-email", limit: 5, window: 15 * 60)
        /// Failed sign-ins per client address, known accounts or not.
        static let loginPerAddress = Policy(prefix: "login-ip", limit: 60, window: 15 * 60)
        /// Wrong second factors per account.
        static let secondFactorPerUser = Policy(prefix: "totp-user", limit: 10, window: 15 * 60)
        /// Mails (verification, reset) per email address.
        static let mailPerEmail = Policy(prefix: "mail-email", limit: 3, window: 60 * 60)
        /// Look-ups of people's keys by address, per requester: enough to invite a group, too few to try addresses.
        static let keyLookupPerUser = Policy(prefix: "key-lookup", limit: 30, window: 60 * 60)
        /// Sign-ups and reset requests per client address.
        static let mailPerAddress = Policy(prefix: "mail-ip", limit: 30, window: 60 * 60)
    }

    let db: any Database
    let now: @Sendable () -> Date

    /// The longest window of any ``Policy``: older counters count for nothing.
    static let horizon: TimeInterval = 60 * 60

    /// Deletes counters whose window started at or before `time`.
    static func purge(olderThan time: Date, on db: any Database) async throws {
        try await (db as! any SQLDatabase)  // both drivers are SQL databases
            .raw("DELETE FROM throttles WHERE window_started_at <= \(bind: time.timeIntervalSince1970)").run()
    }

    /// Counts a hit; returns the seconds until the window ends if the limit is now exceeded, else nil.
    @discardableResult
    func hit(_ policy: Policy, _ subject: String) async throws -> Int? {
        let key = policy.prefix + ":" + subject
        let time = now().timeIntervalSince1970
        let windowStart = time - policy.window
        let sql = db as! any SQLDatabase  // both drivers are SQL databases
        let row = try await sql.raw(
            """
            INSERT INTO throttles (key, hits, window_started_at) VALUES (\(bind: key), 1, \(bind: time))
            ON CONFLICT (key) DO UPDATE SET
                hits = CASE WHEN throttles.window_started_at <= \(bind: windowStart) THEN 1 ELSE throttles.hits + 1 END,
                window_started_at = CASE WHEN throttles.window_started_at <= \(bind: windowStart)
                    THEN \(bind: time) ELSE throttles.window_started_at END
            RETURNING hits, window_started_at
            """
        ).first()
        guard let row else { return nil }
        let hits = try row.decode(column: "hits", as: Int.self)
        let started = try row.decode(column: "window_started_at", as: Double.self)
        return hits > policy.limit ? Self.secondsLeft(started: started, window: policy.window, now: time) : nil
    }

    /// The seconds until the window ends if the subject is already over the limit, without counting a hit.
    func blocked(_ policy: Policy, _ subject: String) async throws -> Int? {
        let key = policy.prefix + ":" + subject
        let time = now().timeIntervalSince1970
        let sql = db as! any SQLDatabase
        let row = try await sql.raw(
            "SELECT hits, window_started_at FROM throttles WHERE key = \(bind: key)"
        ).first()
        guard let row else { return nil }
        let hits = try row.decode(column: "hits", as: Int.self)
        let started = try row.decode(column: "window_started_at", as: Double.self)
        guard started > time - policy.window, hits >= policy.limit else { return nil }
        return Self.secondsLeft(started: started, window: policy.window, now: time)
    }

    /// Forgets a subject's count, after a success.
    func clear(_ policy: Policy, _ subject: String) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw("DELETE FROM throttles WHERE key = \(bind: policy.prefix + ":" + subject)").run()
    }

    private static func secondsLeft(started: Double, window: TimeInterval, now: Double) -> Int {
        max(1, Int((started + window - now).rounded(.up)))
    }
}

struct CreateThrottles: AsyncMigration {
    func prepare(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        // Epoch seconds as a double: the same comparisons on SQLite and PostgreSQL in raw SQL.
        try await sql.raw(
            "CREATE TABLE throttles (key TEXT PRIMARY KEY, hits INTEGER NOT NULL, window_started_at DOUBLE PRECISION NOT NULL)"
        ).run()
    }

    func revert(on db: any Database) async throws {
        try await (db as! any SQLDatabase).raw("DROP TABLE throttles").run()
    }
}
