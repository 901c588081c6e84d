import Fluent
import Foundation
import LotseAPI
import NIOCore
import Testing
import Vapor
import VaporTesting

@testable import LotseServer

@Suite("Password reset and change")
struct PasswordTests {
    @Test("A reset link sets a new password, ends every session, and a retry of the same reset succeeds again")
    func resetFlow() async throws {
        try await withTestApp { t in
            let old = try await t.signUp("forgetful@example.org")
            let accepted = try await t.send(
                .POST, "api/v1/auth/password-reset", json: RequestPasswordReset(email: "forgetful@example.org"))
            #expect(accepted.status == .accepted)
            let mail = try await t.smtp.message(to: "forgetful@example.org", skipping: 1)
            #expect(mail.header("Subject") == "Reset your Lotse password")
            let token = try #require(mail.linkToken)

            let fresh = TestCredentials(password: "a brand new password")
            let reset = CompletePasswordReset(token: token, kdf: fresh.kdf, loginKey: fresh.loginKey)
            #expect(try await t.send(.POST, "api/v1/auth/password-reset/complete", json: reset).status == .ok)
            #expect(try await t.send(.POST, "api/v1/auth/password-reset/complete", json: reset).status == .ok)
            let other = TestCredentials(password: "yet another password")
            let hijack = try await t.send(
                .POST, "api/v1/auth/password-reset/complete",
                json: CompletePasswordReset(token: token, kdf: other.kdf, loginKey: other.loginKey))
            #expect(hijack.errorCode == "accounts.token_invalid")

            #expect(try await t.send(.GET, "api/v1/account", token: old).status == .unauthorized)
            let oldLogin = try await t.send(
                .POST, "api/v1/auth/login",
                json: Login(email: "forgetful@example.org", loginKey: TestCredentials().loginKey))
            #expect(oldLogin.errorCode == "accounts.invalid_credentials")
            _ = try await t.signIn("forgetful@example.org", credentials: fresh)
            let notice = try await t.smtp.message(to: "forgetful@example.org", skipping: 2)
            #expect(notice.header("Subject") == "Your Lotse password was changed")
        }
    }

    @Test("Asking to reset an unknown address answers the same and sends nothing")
    func resetUnknownAddress() async throws {
        try await withTestApp { t in
            let response = try await t.send(
                .POST, "api/v1/auth/password-reset", json: RequestPasswordReset(email: "nobody@example.org"))
            #expect(response.status == .accepted)
            #expect(try response.decode(Accepted.self).status == "reset_sent")
            await t.app.lotse.mailer.drain()
            #expect(t.smtp.messages.isEmpty)
        }
    }

    @Test("A reset link expires after an hour")
    func resetExpires() async throws {
        try await withTestApp { t in
            _ = try await t.signUp("slow@example.org")
            _ = try await t.send(
                .POST, "api/v1/auth/password-reset", json: RequestPasswordReset(email: "slow@example.org"))
            let token = try #require(try await t.smtp.message(to: "slow@example.org", skipping: 1).linkToken)
            t.clock.advance(by: 3_601)
            let fresh = TestCredentials(password: "a brand new password")
            let late = try await t.send(
                .POST, "api/v1/auth/password-reset/complete",
                json: CompletePasswordReset(token: token, kdf: fresh.kdf, loginKey: fresh.loginKey))
            #expect(late.errorCode == "accounts.token_invalid")
            #expect(late.status == .notFound)
        }
    }

    @Test("Changing the password needs the current one, keeps this session, ends the others, and tolerates a retry")
    func changePassword() async throws {
        try await withTestApp { t in
            let here = try await t.signUp("mover@example.org")
            let there = try await t.signIn("mover@example.org")
            let fresh = TestCredentials(password: "a brand new password")
            let wrong = try await t.send(
                .POST, "api/v1/account/password",
                json: ChangePassword(currentLoginKey: fresh.loginKey, kdf: fresh.kdf, loginKey: fresh.loginKey),
                token: here)
            #expect(wrong.errorCode == "accounts.invalid_credentials")
            let change = ChangePassword(
                currentLoginKey: TestCredentials().loginKey, kdf: fresh.kdf, loginKey: fresh.loginKey)
            #expect(try await t.send(.POST, "api/v1/account/password", json: change, token: here).status == .noContent)
            #expect(try await t.send(.POST, "api/v1/account/password", json: change, token: here).status == .noContent)
            #expect(try await t.send(.GET, "api/v1/account", token: here).status == .ok)
            #expect(try await t.send(.GET, "api/v1/account", token: there).status == .unauthorized)
            _ = try await t.signIn("mover@example.org", credentials: fresh)
        }
    }
}
