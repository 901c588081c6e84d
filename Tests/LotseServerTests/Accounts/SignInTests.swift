import Fluent
import Foundation
import LotseAPI
import NIOCore
import Testing
import Vapor
import VaporTesting

@testable import LotseServer

@Suite("Sign-in, lockout and sessions")
struct SignInTests {
    @Test("A wrong password and an unknown address get the same answer")
    func failuresLookAlike() async throws {
        try await withTestApp { t in
            _ = try await t.signUp("known@example.org")
            let wrong = TestCredentials(password: "wrong password")
            let known = try await t.send(
                .POST, "api/v1/auth/login", json: Login(email: "known@example.org", loginKey: wrong.loginKey))
            let unknown = try await t.send(
                .POST, "api/v1/auth/login", json: Login(email: "unknown@example.org", loginKey: wrong.loginKey))
            #expect(known.status == .unauthorized)
            #expect(known.status == unknown.status)
            #expect(known.body == unknown.body)
        }
    }

    @Test("Five wrong passwords lock an address for the rest of 15 minutes, known or not; then the right one works")
    func lockout() async throws {
        try await withTestApp { t in
            _ = try await t.signUp("target@example.org")
            let wrong = TestCredentials(password: "wrong password")
            for email in ["target@example.org", "ghost@example.org"] {
                for _ in 0..<5 {
                    let response = try await t.send(
                        .POST, "api/v1/auth/login", json: Login(email: email, loginKey: wrong.loginKey))
                    #expect(response.errorCode == "accounts.invalid_credentials")
                }
                let locked = try await t.send(
                    .POST, "api/v1/auth/login", json: Login(email: email, loginKey: TestCredentials().loginKey))
                #expect(locked.status == .tooManyRequests)
                #expect(locked.errorCode == "accounts.too_many_attempts")
                let retryAfter = try #require(locked.headers.first(name: "Retry-After").flatMap(Int.init))
                #expect((1...900).contains(retryAfter))
            }
            t.clock.advance(by: 15 * 60 + 1)
            _ = try await t.signIn("target@example.org")
        }
    }

    @Test("Too many sign-in attempts from one address are refused with Retry-After")
    func perAddressRateLimit() async throws {
        try await withTestApp { t in
            let wrong = TestCredentials(password: "wrong password")
            var last: APIResponse?
            for index in 0...Throttle.Policy.loginPerAddress.limit {
                last = try await t.send(
                    .POST, "api/v1/auth/login", json: Login(email: "user\(index)@example.org", loginKey: wrong.loginKey)
                )
            }
            #expect(last?.status == .tooManyRequests)
            #expect(last?.errorCode == "request.rate_limited")
            #expect(last?.headers.first(name: "Retry-After") != nil)
        }
    }

    @Test("A browser that signed in before gets past the lockout another's guessing caused, and has a limit of its own")
    func knownDeviceGetsPastTheLockout() async throws {
        try await withTestApp { t in
            _ = try await t.signUp("owner@example.org")
            let first = try await t.send(
                .POST, "api/v1/auth/login",
                json: Login(email: "owner@example.org", loginKey: TestCredentials().loginKey))
            let device = try #require(first.headers.setCookie?["__Host-lotse_device"])  // the test server is https
            #expect(device.isHTTPOnly && device.sameSite == .strict)
            var cookie = HTTPHeaders()
            cookie.replaceOrAdd(name: .cookie, value: "__Host-lotse_device=\(device.string)")
            let wrong = TestCredentials(password: "wrong password")
            for _ in 0..<5 {  // someone else guesses
                _ = try await t.send(
                    .POST, "api/v1/auth/login", json: Login(email: "owner@example.org", loginKey: wrong.loginKey))
            }
            let stranger = try await t.send(
                .POST, "api/v1/auth/login",
                json: Login(email: "owner@example.org", loginKey: TestCredentials().loginKey))
            #expect(stranger.errorCode == "accounts.too_many_attempts")
            // A forged or another account's token counts for nothing.
            var forged = HTTPHeaders()
            forged.replaceOrAdd(name: .cookie, value: "__Host-lotse_device=\(device.string.dropLast(2))AA")
            let forgedAnswer = try await t.send(
                .POST, "api/v1/auth/login",
                json: Login(email: "owner@example.org", loginKey: TestCredentials().loginKey), headers: forged)
            #expect(forgedAnswer.errorCode == "accounts.too_many_attempts")
            let owner = try await t.send(
                .POST, "api/v1/auth/login",
                json: Login(email: "owner@example.org", loginKey: TestCredentials().loginKey), headers: cookie)
            #expect(owner.status == .ok, "\(owner.text)")
            // Signing in clears the address's lock; the known browser guessing wrong is locked after five tries too.
            for _ in 0..<5 {
                let guess = try await t.send(
                    .POST, "api/v1/auth/login", json: Login(email: "owner@example.org", loginKey: wrong.loginKey),
                    headers: cookie)
                #expect(guess.errorCode == "accounts.invalid_credentials")
            }
            let lockedToo = try await t.send(
                .POST, "api/v1/auth/login",
                json: Login(email: "owner@example.org", loginKey: TestCredentials().loginKey), headers: cookie)
            #expect(lockedToo.errorCode == "accounts.too_many_attempts")
        }
    }

    @Test("The per-address limits are set with LOTSE_LOGIN_LIMIT_PER_ADDRESS and LOTSE_SIGNUP_LIMIT_PER_ADDRESS")
    func configurablePerAddressLimits() async throws {
        try await withTestApp(
            environment: ["LOTSE_LOGIN_LIMIT_PER_ADDRESS": "3", "LOTSE_SIGNUP_LIMIT_PER_ADDRESS": "2"]
        ) { t in
            let wrong = TestCredentials(password: "wrong password")
            var statuses: [HTTPStatus] = []
            for index in 0..<4 {
                statuses.append(
                    try await t.send(
                        .POST, "api/v1/auth/login",
                        json: Login(email: "u\(index)@example.org", loginKey: wrong.loginKey)
                    ).status)
            }
            #expect(statuses == [.unauthorized, .unauthorized, .unauthorized, .tooManyRequests])
            var signUps: [HTTPStatus] = []
            for index in 0..<3 {
                signUps.append(
                    try await t.send(.POST, "api/v1/auth/password-reset", json: ["email": "r\(index)@example.org"])
                        .status)
            }
            #expect(signUps == [.accepted, .accepted, .tooManyRequests])
        }
    }

    @Test("Sessions are listed with the current one marked; ending one signs that device out")
    func sessionsListedAndRevocable() async throws {
        try await withTestApp { t in
            let laptop = try await t.signUp("lin@example.org")
            let phone = try await t.signIn("lin@example.org")
            let sessions = try await t.send(.GET, "api/v1/account/sessions", token: laptop).decode(
                [SessionSummary].self)
            #expect(sessions.count == 2)
            #expect(sessions.filter(\.isCurrent).count == 1)
            let other = try #require(sessions.first { !$0.isCurrent })
            #expect(
                try await t.send(.DELETE, "api/v1/account/sessions/\(other.id)", token: laptop).status == .noContent)
            #expect(try await t.send(.GET, "api/v1/account", token: phone).status == .unauthorized)
            #expect(try await t.send(.GET, "api/v1/account", token: laptop).status == .ok)
            let again = try await t.send(.DELETE, "api/v1/account/sessions/\(other.id)", token: laptop)
            #expect(again.errorCode == "accounts.session_not_found")
            let malformed = try await t.send(.DELETE, "api/v1/account/sessions/not-a-uuid", token: laptop)
            #expect(malformed.status == .badRequest)
        }
    }

    @Test("Someone else's session cannot be ended")
    func foreignSessionIsNotFound() async throws {
        try await withTestApp { t in
            let mine = try await t.signUp("me@example.org")
            let theirs = try await t.signUp("them@example.org")
            let theirSession = try #require(
                try await t.send(.GET, "api/v1/account/sessions", token: theirs).decode([SessionSummary].self).first)
            let response = try await t.send(.DELETE, "api/v1/account/sessions/\(theirSession.id)", token: mine)
            #expect(response.status == .notFound)
            #expect(try await t.send(.GET, "api/v1/account", token: theirs).status == .ok)
        }
    }

    @Test("Signing out ends the session; a stale token is refused")
    func logout() async throws {
        try await withTestApp { t in
            let token = try await t.signUp("out@example.org")
            #expect(try await t.send(.POST, "api/v1/auth/logout", token: token).status == .noContent)
            let after = try await t.send(.GET, "api/v1/account", token: token)
            #expect(after.status == .unauthorized)
            #expect(after.errorCode == "auth.required")
        }
    }

    @Test("An idle session expires after 14 days")
    func idleSessionsExpire() async throws {
        try await withTestApp { t in
            let token = try await t.signUp("idle@example.org")
            t.clock.advance(by: 13 * 86_400)
            #expect(try await t.send(.GET, "api/v1/account", token: token).status == .ok)
            t.clock.advance(by: 13 * 86_400)
            #expect(try await t.send(.GET, "api/v1/account", token: token).status == .ok)
            t.clock.advance(by: 15 * 86_400)
            #expect(try await t.send(.GET, "api/v1/account", token: token).status == .unauthorized)
        }
    }

    @Test("Cookie sessions: HttpOnly, Secure, SameSite=Strict, no token in the body, and CSRF-checked")
    func cookieSessionsAndCSRF() async throws {
        try await withTestApp { t in
            _ = try await t.signUp("web@example.org")
            let login = try await t.send(
                .POST, "api/v1/auth/login",
                json: Login(email: "web@example.org", loginKey: TestCredentials().loginKey, transport: .cookie))
            let session = try #require(try login.decode(LoginResult.self).session)
            #expect(session.token == nil)
            // The session's cookie, beside the known-device cookie (in no fixed order).
            let setCookie = try #require(
                login.headers[.setCookie].first { $0.hasPrefix("__Host-lotse_session=") })
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.contains("Secure"))
            #expect(setCookie.contains("SameSite=Strict"))
            let cookieValue = String(setCookie.split(separator: ";")[0])

            let read = try await t.send(.GET, "api/v1/auth/session", headers: ["Cookie": cookieValue])
            #expect(try read.decode(SignedInSession.self).csrfToken == session.csrfToken)

            let change = UpdateAccount(displayName: "Web Person")
            let forged = try await t.send(.PATCH, "api/v1/account", json: change, headers: ["Cookie": cookieValue])
            #expect(forged.status == .forbidden)
            #expect(forged.errorCode == "auth.csrf_rejected")
            let crossSite = try await t.send(
                .PATCH, "api/v1/account", json: change,
                headers: ["Cookie": cookieValue, "X-CSRF-Token": session.csrfToken, "Origin": "https://evil.example"])
            #expect(crossSite.errorCode == "auth.csrf_rejected")
            let genuine = try await t.send(
                .PATCH, "api/v1/account", json: change,
                headers: ["Cookie": cookieValue, "X-CSRF-Token": session.csrfToken, "Origin": "https://lotse.test"])
            #expect(try genuine.decode(Account.self).displayName == "Web Person")
        }
    }

    @Test("Errors are answered in the requester's language")
    func localizedErrors() async throws {
        try await withTestApp { t in
            let german = try await t.send(
                .GET, "api/v1/account", headers: ["Accept-Language": "de-AT,de;q=0.9,en;q=0.5"])
            #expect(try german.decode(APIError.self).error.message == "Bitte melden Sie sich zuerst an.")
            let english = try await t.send(
                .GET, "api/v1/account", headers: ["Accept-Language": "fr, en;q=0.8, de;q=0.2"])
            #expect(try english.decode(APIError.self).error.message == "Please sign in first.")
        }
    }
}
