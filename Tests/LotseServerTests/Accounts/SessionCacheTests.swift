import Fluent
import Foundation
import LotseAPI
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import LotseServer

@Suite("The session cache: authenticated requests without a query, and nothing ended served from memory")
struct SessionCacheTests {
    static var onPostgres: Bool { ProcessInfo.processInfo.environment["LOTSE_TEST_POSTGRES_URL"] != nil }

    /// On PostgreSQL the cache is used once the event relay listens, which it starts to do just after the app's
    /// asynchronous boot (the in-memory tester's own boot leaves the relay out).
    static func cacheInUse(_ app: Application) async throws {
        try await app.asyncBoot()
        for _ in 0..<200 where !app.sessionCache.isEnabled { try await Task.sleep(for: .milliseconds(10)) }
        #expect(app.sessionCache.isEnabled)
    }

    @Test("A token's hash is its SHA-256 in lower-case hex, the same from a string as from its bytes")
    func tokenHash() {
        let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"  // FIPS 180-2, "abc"
        #expect(SecureToken.hash("abc") == abc && SecureToken.hash(Data("abc".utf8)) == abc)
        let token = SecureToken.make()
        #expect(SecureToken.hash(token) == SecureToken.hash(Data(token.utf8)))
        #expect(SecureToken.hash("ä€😀") == SecureToken.hash(Data("ä€😀".utf8)))
    }

    @Test(
        "A session read once is answered from memory: deleted behind the app's back it still works on SQLite until the entry's five seconds are over; PostgreSQL's trigger announces the deletion at once"
    )
    func answeredFromMemory() async throws {
        try await withTestApp { t in
            try await Self.cacheInUse(t.app)
            let token = try await t.signUp("cached@example.org")
            #expect(try await t.send(.GET, "api/v1/account", token: token).status == .ok)
            try await (t.app.db as! any SQLDatabase)
                .raw("DELETE FROM auth_sessions WHERE token_hash = \(bind: SecureToken.hash(token))").run()
            if Self.onPostgres {
                var status = HTTPStatus.ok
                for _ in 0..<100 where status == .ok {
                    try await Task.sleep(for: .milliseconds(10))
                    status = try await t.send(.GET, "api/v1/account", token: token).status
                }
                #expect(status == .unauthorized, "the trigger's announcement reached the cache within a second")
            } else {
                #expect(try await t.send(.GET, "api/v1/account", token: token).status == .ok, "no query asked")
                t.clock.advance(by: SessionCache.lifetime)
                #expect(try await t.send(.GET, "api/v1/account", token: token).status == .unauthorized)
            }
        }
    }

    @Test(
        "Signing out, ending a device's session, changing the password, a new name and a new role take effect on the very next request"
    )
    func changesTakeEffectAtOnce() async throws {
        try await withTestApp { t in
            try await Self.cacheInUse(t.app)
            let laptop = try await t.signUp("mover@example.org")
            let phone = try await t.signIn("mover@example.org")
            let tablet = try await t.signIn("mover@example.org")
            for token in [laptop, phone, tablet] {
                #expect(try await t.send(.GET, "api/v1/account", token: token).status == .ok)
            }
            // A new name and language, through PATCH /account.
            let renamed = try await t.send(
                .PATCH, "api/v1/account", json: UpdateAccount(displayName: "Neu Name", language: .de), token: phone)
            #expect(renamed.status == .ok)
            let seen = try await t.send(.GET, "api/v1/account", token: laptop).decode(Account.self)
            #expect(seen.displayName == "Neu Name" && seen.language == .de)

            // Signing out one device, and ending another from the session list.
            #expect(try await t.send(.POST, "api/v1/auth/logout", token: tablet).status == .noContent)
            #expect(try await t.send(.GET, "api/v1/account", token: tablet).status == .unauthorized)
            let sessions = try await t.send(.GET, "api/v1/account/sessions", token: laptop)
                .decode([SessionSummary].self)
            let other = try #require(sessions.first { !$0.isCurrent })
            #expect(
                try await t.send(.DELETE, "api/v1/account/sessions/\(other.id)", token: laptop).status == .noContent)
            #expect(try await t.send(.GET, "api/v1/account", token: phone).status == .unauthorized)

            // A password change ends the other sessions (in bulk, inside a transaction).
            let second = try await t.signIn("mover@example.org")
            #expect(try await t.send(.GET, "api/v1/account", token: second).status == .ok)
            let fresh = TestCredentials(password: "a brand new password")
            let change = ChangePassword(
                currentLoginKey: TestCredentials().loginKey, kdf: fresh.kdf, loginKey: fresh.loginKey)
            #expect(
                try await t.send(.POST, "api/v1/account/password", json: change, token: laptop).status == .noContent)
            #expect(try await t.send(.GET, "api/v1/account", token: second).status == .unauthorized)
            #expect(try await t.send(.GET, "api/v1/account", token: laptop).status == .ok)

            // A role given by an admin.
            let admin = try await AdminTests.createAdmin(t)
            _ = try await TwoFactorTests.enable(t, token: admin)
            let id = try await t.send(.GET, "api/v1/account", token: laptop).decode(Account.self).id
            let promoted = try await t.send(
                .PUT, "api/v1/admin/accounts/\(id)/role", json: ChangeRole(role: .institutionAdmin), token: admin)
            #expect(promoted.status == .ok)
            let now = try await t.send(.GET, "api/v1/account", token: laptop).decode(Account.self)
            #expect(now.role == .institutionAdmin && now.mustEnableTwoFactor)
        }
    }

    @Test("A lookup that read the database while the account's entries were forgotten does not store what it read")
    func staleReadIsNotStored() async throws {
        try await withTestApp { t in
            try await Self.cacheInUse(t.app)
            let token = try await t.signUp("race@example.org")
            let hash = SecureToken.hash(token)
            let cache = t.app.sessionCache
            // Read the row as the lookup does, with the epoch from before the read.
            let epoch = cache.epoch
            let row = try #require(try await SessionCache.row(for: hash, on: t.app.db))
            let (readSession, readAccount) = try SessionCache.records(from: row)
            let user = try readAccount.requireID()
            cache.forget(user: user)  // e.g. the session ended while the row was on its way
            let facts = try SessionFacts(session: readSession, user: readAccount)
            cache.store(row, facts: facts, hash: hash, readSince: epoch, at: t.clock.now)
            #expect(cache.session(for: hash, at: t.clock.now) == nil)
            // Without anything forgotten in between it is stored.
            cache.store(row, facts: facts, hash: hash, readSince: cache.epoch, at: t.clock.now)
            let found = try #require(cache.session(for: hash, at: t.clock.now))
            #expect(found.facts == facts && found.facts.account.email == "race@example.org")
            let (session, account) = try found.records()
            #expect(session.tokenHash == hash && account.email == "race@example.org")
            // Every field as read from the database, IDs included, also the second time (values decoded once).
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            for _ in 0..<2 {
                let (cachedSession, cachedAccount) = try #require(cache.session(for: hash, at: t.clock.now)).records()
                #expect(try encoder.encode(cachedSession) == encoder.encode(readSession))
                #expect(try encoder.encode(cachedAccount) == encoder.encode(readAccount))
                #expect(cachedSession.id == readSession.id && cachedAccount.id == user)
            }
            // Each request gets records of its own, and its facts follow its records once they are built.
            let again = try #require(cache.session(for: hash, at: t.clock.now))
            account.displayName = "changed by one request"
            #expect(try again.records().user.displayName != account.displayName)
            #expect(found.facts.account.displayName == "changed by one request")
            #expect(try found.records().user === account)
        }
    }

    @Test(
        "Entries past their lifetime are dropped at the next store a lifetime after the last sweep, so idle devices' sessions don't pile up"
    )
    func staleEntriesAreSwept() async throws {
        try await withTestApp { t in
            let cache = SessionCache()  // of its own: the requests below fill the app's
            var stored: [(hash: String, row: any DatabaseOutput, facts: SessionFacts)] = []
            for name in ["idle", "busy", "late"] {
                let hash = SecureToken.hash(try await t.signUp("\(name)@example.org"))
                let row = try #require(try await SessionCache.row(for: hash, on: t.app.db))
                let (session, user) = try SessionCache.records(from: row)
                stored.append((hash, row, try SessionFacts(session: session, user: user)))
            }
            func store(_ index: Int, at time: Date) {
                cache.store(
                    stored[index].row, facts: stored[index].facts, hash: stored[index].hash,
                    readSince: cache.epoch, at: time)
            }
            let start = t.clock.now
            store(0, at: start)  // the first store sweeps an empty cache
            store(1, at: start.addingTimeInterval(1))
            #expect(cache.count == 2)
            // Not a lifetime since the last sweep yet: nothing is dropped, though the first entry is past its lifetime.
            store(1, at: start.addingTimeInterval(SessionCache.lifetime - 0.5))
            #expect(cache.count == 2)
            // A lifetime after the sweep: the entry stored at the start goes, the one stored since stays.
            store(2, at: start.addingTimeInterval(SessionCache.lifetime))
            #expect(cache.count == 2)
            #expect(cache.session(for: stored[0].hash, at: start.addingTimeInterval(SessionCache.lifetime)) == nil)
            let kept = start.addingTimeInterval(SessionCache.lifetime + 1)
            #expect(cache.session(for: stored[1].hash, at: kept)?.facts.sessionID == stored[1].facts.sessionID)
            #expect(cache.session(for: stored[2].hash, at: kept)?.facts.sessionID == stored[2].facts.sessionID)
            // The dropped entry's account is forgotten from the index by user too: storing it again works as before.
            store(0, at: kept)
            #expect(cache.session(for: stored[0].hash, at: kept)?.facts.sessionID == stored[0].facts.sessionID)
            cache.forget(user: stored[0].facts.account.id)
            #expect(cache.count == 2)
            #expect(cache.session(for: stored[0].hash, at: kept) == nil)
            // A sweep without a store, as the server's periodic one: nothing is left a lifetime later.
            cache.sweep(at: kept)
            #expect(cache.count == 2)
            cache.sweep(at: kept.addingTimeInterval(SessionCache.lifetime))
            #expect(cache.count == 0)
        }
    }

    @Test(
        "The running server sweeps its cache by itself: an idle device's session does not stay in memory",
        .enabled(if: !onPostgres, "on PostgreSQL the cache starts empty once the relay listens"))
    func serverSweeps() async throws {
        try await withTestApp { t in
            try await t.app.asyncBoot()  // starts the periodic work: a round now and one every lifetime
            let token = try await t.signUp("idle-device@example.org")
            #expect(try await t.send(.GET, "api/v1/account", token: token).status == .ok)
            #expect(t.app.sessionCache.count == 1)
            t.clock.advance(by: SessionCache.lifetime)
            // The next round is due a lifetime (five seconds) after the first.
            for _ in 0..<80 where t.app.sessionCache.count > 0 { try await Task.sleep(for: .milliseconds(100)) }
            #expect(t.app.sessionCache.count == 0)
        }
    }

    @Test(
        "Signed out through one instance, the token is refused by another instance that had it in memory",
        .enabled(if: onPostgres, "needs PostgreSQL"))
    func endedOnAnotherInstance() async throws {
        try await withTestApp { t in
            try await Self.cacheInUse(t.app)
            let token = try await t.signUp("two@example.org")
            let other = try await Application.make(.testing)
            other.logger.logLevel = .warning
            do {
                try await configure(other, t.app.lotse.config, clock: { t.clock.now })
                try await Self.cacheInUse(other)
                let onOther = { () async throws -> HTTPStatus in
                    var headers = HTTPHeaders()
                    headers.bearerAuthorization = BearerAuthorization(token: token)
                    return try await other.testing().sendRequest(.GET, "api/v1/account", headers: headers).status
                }
                #expect(try await onOther() == .ok)
                #expect(try await onOther() == .ok)
                #expect(try await t.send(.POST, "api/v1/auth/logout", token: token).status == .noContent)
                let signedOut = ContinuousClock.now
                var status = HTTPStatus.ok
                while status == .ok, ContinuousClock.now - signedOut < .seconds(1) {
                    status = try await onOther()
                    if status == .ok { try await Task.sleep(for: .milliseconds(5)) }
                }
                #expect(status == .unauthorized, "refused within a second")
            } catch {
                try? await other.asyncShutdown()
                throw error
            }
            try await other.asyncShutdown()
        }
    }
}
