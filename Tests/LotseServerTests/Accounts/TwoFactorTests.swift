import Fluent
import Foundation
import LotseAPI
import LotseCrypto
import NIOCore
import Testing
import Vapor
import VaporTesting

@testable import LotseServer

@Suite("Two-factor sign-in")
struct TwoFactorTests {
    /// Turns TOTP on for the account behind `token`; returns the secret and the recovery codes.
    static func enable(_ t: TestContext, token: String) async throws -> (LotseCrypto.TOTP, [String]) {
        let setup = try await t.send(.POST, "api/v1/account/two-factor/setup", token: token).decode(TwoFactorSetup.self)
        #expect(setup.otpauthURI.hasPrefix("otpauth://totp/Lotse:"))
        #expect(setup.otpauthURI.contains("secret=\(setup.secret)"))
        let totp = LotseCrypto.TOTP(secret: try #require(Base32.decode(setup.secret)))
        let confirmed = try await t.send(
            .POST, "api/v1/account/two-factor/confirm", json: TwoFactorCode(code: totp.code(at: t.clock.now)),
            token: token)
        let codes = try confirmed.decode(RecoveryCodes.self).codes
        return (totp, codes)
    }

    static func challenge(_ t: TestContext, _ email: String) async throws -> String {
        let response = try await t.send(
            .POST, "api/v1/auth/login", json: Login(email: email, loginKey: TestCredentials().loginKey))
        let result = try response.decode(LoginResult.self)
        #expect(result.status == .twoFactorRequired)
        #expect(result.session == nil)
        return try #require(result.challenge)
    }

    @Test("With TOTP on, sign-in asks for a code; a wrong one fails, the right one signs in, and it works only once")
    func totpSignIn() async throws {
        try await withTestApp { t in
            let token = try await t.signUp("otp@example.org")
            let (totp, codes) = try await Self.enable(t, token: token)
            #expect(codes.count == 10)
            #expect(Set(codes).count == 10)

            t.clock.advance(by: 30)
            let challenge = try await Self.challenge(t, "otp@example.org")
            let wrong = try await t.send(
                .POST, "api/v1/auth/login/second-factor", json: LoginSecondFactor(challenge: challenge, code: "000000"))
            #expect(wrong.errorCode == "accounts.code_invalid")
            let code = totp.code(at: t.clock.now)
            let right = try await t.send(
                .POST, "api/v1/auth/login/second-factor", json: LoginSecondFactor(challenge: challenge, code: code))
            let session = try #require(try right.decode(LoginResult.self).session)
            #expect(session.account.isTwoFactorEnabled)
            #expect(session.token != nil)

            // The same code cannot be replayed, not even with a fresh challenge.
            let second = try await Self.challenge(t, "otp@example.org")
            let replay = try await t.send(
                .POST, "api/v1/auth/login/second-factor", json: LoginSecondFactor(challenge: second, code: code))
            #expect(replay.errorCode == "accounts.code_invalid")
            // The used challenge is gone.
            let reused = try await t.send(
                .POST, "api/v1/auth/login/second-factor", json: LoginSecondFactor(challenge: challenge, code: code))
            #expect(reused.errorCode == "accounts.challenge_invalid")
        }
    }

    @Test("A recovery code signs in once; the count of codes left goes down")
    func recoveryCodes() async throws {
        try await withTestApp { t in
            let token = try await t.signUp("lost@example.org")
            let (_, codes) = try await Self.enable(t, token: token)
            let challenge = try await Self.challenge(t, "lost@example.org")
            let used = try await t.send(
                .POST, "api/v1/auth/login/second-factor",
                json: LoginSecondFactor(challenge: challenge, recoveryCode: codes[3].uppercased()))
            let session = try #require(try used.decode(LoginResult.self).session)
            #expect(session.account.recoveryCodesLeft == 9)
            let again = try await Self.challenge(t, "lost@example.org")
            let reused = try await t.send(
                .POST, "api/v1/auth/login/second-factor",
                json: LoginSecondFactor(challenge: again, recoveryCode: codes[3]))
            #expect(reused.errorCode == "accounts.code_invalid")
        }
    }

    @Test("A challenge dies after five wrong codes and after five minutes")
    func challengeLimits() async throws {
        try await withTestApp { t in
            let token = try await t.signUp("guess@example.org")
            let (totp, _) = try await Self.enable(t, token: token)
            t.clock.advance(by: 30)
            let challenge = try await Self.challenge(t, "guess@example.org")
            for _ in 0..<5 {
                _ = try await t.send(
                    .POST, "api/v1/auth/login/second-factor",
                    json: LoginSecondFactor(challenge: challenge, code: "123456"))
            }
            let exhausted = try await t.send(
                .POST, "api/v1/auth/login/second-factor",
                json: LoginSecondFactor(challenge: challenge, code: totp.code(at: t.clock.now)))
            #expect(exhausted.errorCode == "accounts.challenge_invalid")

            let late = try await Self.challenge(t, "guess@example.org")
            t.clock.advance(by: 5 * 60 + 1)
            let expired = try await t.send(
                .POST, "api/v1/auth/login/second-factor",
                json: LoginSecondFactor(challenge: late, code: totp.code(at: t.clock.now)))
            #expect(expired.errorCode == "accounts.challenge_invalid")
        }
    }

    @Test("Coaches must set up two-factor sign-in before anything else, and cannot switch it off")
    func mandatoryForCoaches() async throws {
        try await withTestApp { t in
            let token = try await t.signUp("coach@example.org", role: .coach)
            let account = try await t.send(.GET, "api/v1/account", token: token).decode(Account.self)
            #expect(account.role == .coach)
            #expect(account.coachTitle == .coach)
            #expect(account.mustEnableTwoFactor)
            let blocked = try await t.send(.GET, "api/v1/admin/accounts", token: token)
            #expect(blocked.errorCode == "accounts.two_factor_required")

            let (totp, _) = try await Self.enable(t, token: token)
            let after = try await t.send(.GET, "api/v1/account", token: token).decode(Account.self)
            #expect(!after.mustEnableTwoFactor)
            // Past the gate now; the admin area still says no, for the role's sake.
            #expect(try await t.send(.GET, "api/v1/admin/accounts", token: token).errorCode == "auth.forbidden")
            t.clock.advance(by: 30)
            let off = try await t.send(
                .POST, "api/v1/account/two-factor/disable", json: TwoFactorCode(code: totp.code(at: t.clock.now)),
                token: token)
            #expect(off.errorCode == "accounts.two_factor_mandatory")
        }
    }

    @Test("Clients may switch two-factor sign-in off with a current code")
    func clientsMayDisable() async throws {
        try await withTestApp { t in
            let token = try await t.signUp("optional@example.org")
            let (totp, _) = try await Self.enable(t, token: token)
            t.clock.advance(by: 30)
            let off = try await t.send(
                .POST, "api/v1/account/two-factor/disable", json: TwoFactorCode(code: totp.code(at: t.clock.now)),
                token: token)
            #expect(off.status == .noContent)
            _ = try await t.signIn("optional@example.org")
        }
    }

    @Test("Confirming needs a code from the new secret; the secret is stored sealed, not in the clear")
    func confirmationAndSealing() async throws {
        try await withTestApp { t in
            let token = try await t.signUp("sealed@example.org")
            let early = try await t.send(
                .POST, "api/v1/account/two-factor/confirm", json: TwoFactorCode(code: "123456"), token: token)
            #expect(early.errorCode == "accounts.two_factor_setup_missing")
            let setup = try await t.send(.POST, "api/v1/account/two-factor/setup", token: token).decode(
                TwoFactorSetup.self)
            let wrong = try await t.send(
                .POST, "api/v1/account/two-factor/confirm", json: TwoFactorCode(code: "12345x"), token: token)
            #expect(wrong.errorCode == "accounts.code_invalid")
            let user = try #require(try await UserRecord.query(on: t.app.db).first())
            let stored = try #require(user.totpPendingSecret)
            #expect(!stored.contains(setup.secret))
            #expect(Data(base64Encoded: stored) != Base32.decode(setup.secret))
        }
    }

    @Test("A TOTP code and a recovery code each sign in once when sign-ins race with them")
    func racingSignIns() async throws {
        try await withTestApp { t in
            let token = try await t.signUp("race@example.org")
            let (totp, codes) = try await Self.enable(t, token: token)
            /// Two sign-ins at once, each with its own challenge and the same second factor; how many got a session.
            func race(_ answer: @escaping @Sendable (String) -> LoginSecondFactor) async throws -> Int {
                let challenges = [
                    try await Self.challenge(t, "race@example.org"), try await Self.challenge(t, "race@example.org"),
                ]
                return try await withThrowingTaskGroup(of: Bool.self) { group in
                    for challenge in challenges {
                        group.addTask {
                            let response = try await t.send(
                                .POST, "api/v1/auth/login/second-factor", json: answer(challenge))
                            return response.status == .ok
                        }
                    }
                    return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
                }
            }
            for trial in 0..<6 {
                t.clock.advance(by: 16 * 60)  // past the window of wrong second factors: each race loses one
                let code = totp.code(at: t.clock.now)
                #expect(try await race { LoginSecondFactor(challenge: $0, code: code) } == 1, "TOTP, trial \(trial)")
                let recovery = codes[trial]
                #expect(
                    try await race { LoginSecondFactor(challenge: $0, recoveryCode: recovery) } == 1,
                    "recovery code, trial \(trial)")
            }
            // One challenge raced with two different good answers still makes one session.
            t.clock.advance(by: 30)
            let challenge = try await Self.challenge(t, "race@example.org")
            let code = totp.code(at: t.clock.now)
            let answers = [
                LoginSecondFactor(challenge: challenge, code: code),
                LoginSecondFactor(challenge: challenge, recoveryCode: codes[9]),
            ]
            let sessions = try await withThrowingTaskGroup(of: Bool.self) { group in
                for answer in answers {
                    group.addTask {
                        try await t.send(.POST, "api/v1/auth/login/second-factor", json: answer).status == .ok
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(sessions == 1)
        }
    }
}
