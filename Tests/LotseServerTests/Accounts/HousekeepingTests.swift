import Fluent
import Foundation
import LotseAPI
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import LotseServer

@Suite("Housekeeping")
struct HousekeepingTests {
    @Test("Ended sessions, spent links, old counters and week-old unconfirmed sign-ups are deleted; the rest stays")
    func purgesOnlyWhatExpired() async throws {
        try await withTestApp { t in
            let token = try await t.signUp("active@example.org")
            let credentials = TestCredentials()
            _ = try await t.send(
                .POST, "api/v1/auth/register",
                json: RegisterAccount(
                    email: "never@example.org", displayName: "Never", role: .client, language: .en,
                    kdf: credentials.kdf, loginKey: credentials.loginKey))
            _ = try await t.send(
                .POST, "api/v1/auth/login", json: Login(email: "active@example.org", loginKey: "wrong"))
            let housekeeping = Housekeeping(db: t.app.db, now: { t.clock.now })

            t.clock.advance(by: 3 * 86_400)
            #expect(try await t.send(.GET, "api/v1/account", token: token).status == .ok)
            try await housekeeping.purgeExpired()
            #expect(try await AccountTokenRecord.query(on: t.app.db).count() == 0)  // both links were for 48 hours
            #expect(try await UserRecord.query(on: t.app.db).count() == 2)
            #expect(try await AuthSessionRecord.query(on: t.app.db).count() == 1)
            let counters = try await (t.app.db as! any SQLDatabase).raw("SELECT key FROM throttles").all()
            #expect(counters.isEmpty)

            t.clock.advance(by: 15 * 86_400)
            try await housekeeping.purgeExpired()
            let emails = try await UserRecord.query(on: t.app.db).all().map(\.email)
            #expect(emails == ["active@example.org"])
            #expect(try await AuthSessionRecord.query(on: t.app.db).count() == 0)
        }
    }
}
