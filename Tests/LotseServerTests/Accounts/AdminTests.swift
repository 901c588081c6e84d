import Fluent
import Foundation
import LotseAPI
import LotseCrypto
import NIOCore
import Testing
import Vapor
import VaporTesting

@testable import LotseServer

@Suite("First start and administration")
struct AdminTests {
    static func createAdmin(_ t: TestContext, email: String = "admin@example.org") async throws -> String {
        let token = try #require(t.app.lotse.setupToken.withLockedValue { $0 })
        let credentials = TestCredentials()
        let created = try await t.send(
            .POST, "api/v1/setup/admin",
            json: CreateFirstAdmin(
                setupToken: token, email: email, displayName: "Admin", language: .en, kdf: credentials.kdf,
                loginKey: credentials.loginKey))
        #expect(created.status == .created)
        return try await t.signIn(email)
    }

    @Test("The first start offers a setup token; it creates one platform admin and then stops working")
    func firstAdmin() async throws {
        try await withTestApp { t in
            #expect(try await t.send(.GET, "api/v1/setup").decode(SetupStatus.self).needsAdmin)
            let credentials = TestCredentials()
            let guess = try await t.send(
                .POST, "api/v1/setup/admin",
                json: CreateFirstAdmin(
                    setupToken: "guess", email: "x@example.org", displayName: "X", language: .en, kdf: credentials.kdf,
                    loginKey: credentials.loginKey))
            #expect(guess.errorCode == "accounts.setup_token_invalid")
            let admin = try await Self.createAdmin(t)
            #expect(try await !t.send(.GET, "api/v1/setup").decode(SetupStatus.self).needsAdmin)
            let account = try await t.send(.GET, "api/v1/account", token: admin).decode(Account.self)
            #expect(account.role == .platformAdmin)
            #expect(account.mustEnableTwoFactor)
            let second = try await t.send(
                .POST, "api/v1/setup/admin",
                json: CreateFirstAdmin(
                    setupToken: "anything", email: "y@example.org", displayName: "Y", language: .en,
                    kdf: credentials.kdf, loginKey: credentials.loginKey))
            #expect(second.errorCode == "accounts.setup_done")
        }
    }

    @Test("A platform admin with two-factor on lists accounts and appoints an institution admin; the last admin stays")
    func changeRoles() async throws {
        try await withTestApp { t in
            let admin = try await Self.createAdmin(t)
            _ = try await TwoFactorTests.enable(t, token: admin)
            let client = try await t.signUp("school@example.org")
            let accounts = try await t.send(.GET, "api/v1/admin/accounts", token: admin).decode([AccountSummary].self)
            #expect(accounts.map(\.email).sorted() == ["admin@example.org", "school@example.org"])
            let target = try #require(accounts.first { $0.email == "school@example.org" })
            let changed = try await t.send(
                .PUT, "api/v1/admin/accounts/\(target.id)/role", json: ChangeRole(role: .institutionAdmin), token: admin
            )
            #expect(try changed.decode(AccountSummary.self).role == .institutionAdmin)
            let now = try await t.send(.GET, "api/v1/account", token: client).decode(Account.self)
            #expect(now.role == .institutionAdmin)
            #expect(now.mustEnableTwoFactor)
            // Both find it in their security events: the new admin who did it, the admin turning on the second factor.
            let me = try #require(accounts.first { $0.email == "admin@example.org" })
            let theirs = try await t.send(.GET, "api/v1/account/security-events", token: client)
                .decode([SecurityEvent].self)
            #expect(theirs.first?.kind == .roleChanged && theirs.first?.details == ["role": "institution_admin"])
            #expect(theirs.first?.actorName == me.displayName)
            let mine = try await t.send(.GET, "api/v1/account/security-events", token: admin)
                .decode([SecurityEvent].self)
            #expect(mine.map(\.kind).contains(.twoFactorEnabled))

            let demote = try await t.send(
                .PUT, "api/v1/admin/accounts/\(me.id)/role", json: ChangeRole(role: .client), token: admin)
            #expect(demote.errorCode == "accounts.last_admin")
            let missing = try await t.send(
                .PUT, "api/v1/admin/accounts/\(UUID())/role", json: ChangeRole(role: .client), token: admin)
            #expect(missing.status == .notFound)
            let forbidden = try await t.send(.GET, "api/v1/admin/accounts", token: client)
            #expect(forbidden.status == .forbidden)
        }
    }
}
