import Fluent
import Foundation
import LotseAPI
import NIOCore
import Testing
import Vapor
import VaporTesting

@testable import LotseServer

@Suite("Sign-up and email verification")
struct SignUpTests {
    @Test("Signing up mails a verification link over SMTP; after it is opened, the person can sign in")
    func signUpVerifySignIn() async throws {
        try await withTestApp { t in
            let credentials = TestCredentials()
            let registered = try await t.send(
                .POST, "api/v1/auth/register",
                json: RegisterAccount(
                    email: "Ada@Example.org ", displayName: "Ada", role: .client, language: .de, kdf: credentials.kdf,
                    loginKey: credentials.loginKey))
            #expect(registered.status == .accepted)
            #expect(try registered.decode(Accepted.self).status == "verification_sent")

            let unverified = try await t.send(
                .POST, "api/v1/auth/login", json: Login(email: "ada@example.org", loginKey: credentials.loginKey))
            #expect(unverified.status == .forbidden)
            #expect(unverified.errorCode == "accounts.email_unverified")

            let mail = try await t.smtp.message(to: "ada@example.org")
            #expect(mail.header("Subject") == "Bitte bestätigen Sie Ihre E-Mail-Adresse für Lotse")
            #expect(mail.mailFrom == "no-reply@lotse.test")
            #expect(mail.body.contains("https://lotse.test/verify-email#token="))
            let token = try #require(mail.linkToken)
            #expect(try await t.send(.POST, "api/v1/auth/verify-email", json: VerifyEmail(token: token)).status == .ok)
            // Opening the link twice is harmless.
            #expect(try await t.send(.POST, "api/v1/auth/verify-email", json: VerifyEmail(token: token)).status == .ok)

            let bearer = try await t.signIn("ada@example.org", credentials: credentials)
            let account = try await t.send(.GET, "api/v1/account", token: bearer).decode(Account.self)
            #expect(account.email == "ada@example.org")
            #expect(account.language == .de)
            #expect(account.role == .client)
            #expect(!account.mustEnableTwoFactor)
        }
    }

    @Test("Signing up with a taken address answers exactly as for a new one and mails the owner instead")
    func takenAddressIsNotRevealed() async throws {
        try await withTestApp { t in
            _ = try await t.signUp("grace@example.org")
            let other = TestCredentials(password: "another password entirely")
            let again = try await t.send(
                .POST, "api/v1/auth/register",
                json: RegisterAccount(
                    email: "grace@example.org", displayName: "Mallory", role: .client, language: .en, kdf: other.kdf,
                    loginKey: other.loginKey))
            #expect(again.status == .accepted)
            #expect(try again.decode(Accepted.self).status == "verification_sent")
            let notice = try await t.smtp.message(to: "grace@example.org", skipping: 1)
            #expect(notice.header("Subject") == "Someone tried to sign up with your email address")
            // The owner's password still works and the intruder's does not.
            let intruder = try await t.send(
                .POST, "api/v1/auth/login", json: Login(email: "grace@example.org", loginKey: other.loginKey))
            #expect(intruder.errorCode == "accounts.invalid_credentials")
            _ = try await t.signIn("grace@example.org")
        }
    }

    @Test("Bad sign-up input gets a 400 naming the field, and nothing is stored")
    func badInputIsRejected() async throws {
        try await withTestApp { t in
            let credentials = TestCredentials()
            let cases: [(RegisterAccount, String, String)] = [
                (
                    RegisterAccount(
                        email: "someone@host/path.org", displayName: "A", role: .client, language: .en,
                        kdf: credentials.kdf, loginKey: credentials.loginKey), "accounts.invalid_email", "email"
                ),
                (
                    RegisterAccount(
                        email: "not-an-address", displayName: "A", role: .client, language: .en, kdf: credentials.kdf,
                        loginKey: credentials.loginKey), "accounts.invalid_email", "email"
                ),
                (
                    RegisterAccount(
                        email: "a@example.org", displayName: " ", role: .client, language: .en, kdf: credentials.kdf,
                        loginKey: credentials.loginKey), "accounts.invalid_display_name", "displayName"
                ),
                (
                    RegisterAccount(
                        email: "a@example.org", displayName: "Sam \u{202E}gpj.exe", role: .client, language: .en,
                        kdf: credentials.kdf, loginKey: credentials.loginKey), "accounts.invalid_display_name",
                    "displayName"
                ),
                (
                    RegisterAccount(
                        email: "a@example.org", displayName: "Sam\u{2028}Admin", role: .client, language: .en,
                        kdf: credentials.kdf, loginKey: credentials.loginKey), "accounts.invalid_display_name",
                    "displayName"
                ),
                (
                    RegisterAccount(
                        email: "a@example.org", displayName: "A", role: .client, language: .en,
                        kdf: KDFParameters(iterations: 1_000, salt: credentials.kdf.salt),
                        loginKey: credentials.loginKey), "accounts.invalid_kdf", "kdf"
                ),
                (
                    RegisterAccount(
                        email: "a@example.org", displayName: "A", role: .client, language: .en, kdf: credentials.kdf,
                        loginKey: "password123"), "accounts.invalid_login_key", "loginKey"
                ),
                (
                    RegisterAccount(
                        email: "a@example.org", displayName: "A", role: .platformAdmin, language: .en,
                        kdf: credentials.kdf, loginKey: credentials.loginKey), "accounts.role_not_allowed", "role"
                ),
            ]
            for (input, code, field) in cases {
                let response = try await t.send(.POST, "api/v1/auth/register", json: input)
                #expect(response.status.code >= 400 && response.status.code < 500, "\(code)")
                let error = try response.decode(APIError.self)
                #expect(error.error.code == code)
                #expect(error.error.field == field)
                #expect(!error.error.message.isEmpty)
            }
            let malformed = try await t.app.testing().sendRequest(
                .POST, "api/v1/auth/register", headers: ["Content-Type": "application/json"],
                body: .init(string: "{\"email\": 5"))
            #expect(malformed.status == .badRequest)
            #expect(malformed.body.string.contains("request.invalid"))
            let missing = try await t.send(.POST, "api/v1/auth/register", json: ["email": "a@example.org"])
            #expect(missing.status == .badRequest)
            #expect(try missing.decode(APIError.self).error.field != nil)
            #expect(try await UserRecord.query(on: t.app.db).count() == 0)
            #expect(t.smtp.messages.isEmpty)
        }
    }

    @Test("The key-derivation parameters of unknown addresses are stable decoys shaped like real ones")
    func preLoginDoesNotRevealAccounts() async throws {
        try await withTestApp { t in
            _ = try await t.signUp("known@example.org")
            let known = try await t.send(.POST, "api/v1/auth/prelogin", json: PreLogin(email: "known@example.org"))
                .decode(KDFParameters.self)
            #expect(known == TestCredentials().kdf)
            let first = try await t.send(.POST, "api/v1/auth/prelogin", json: PreLogin(email: "nobody@example.org"))
                .decode(KDFParameters.self)
            let second = try await t.send(.POST, "api/v1/auth/prelogin", json: PreLogin(email: "NOBODY@example.org"))
                .decode(KDFParameters.self)
            #expect(first == second)
            #expect(first.iterations == known.iterations && first.algorithm == known.algorithm)
            #expect(Data(base64Encoded: first.salt)?.count == 16)
            #expect(first.salt != known.salt)
        }
    }
}

@Suite("Email addresses")
struct EmailAddressTests {
    @Test(
        "Deliverable addresses are accepted and lower-cased",
        arguments: ["Ada@Example.org", "first.last+tag@mail.example.co.uk", "o'neil@example.ie", "x@a-b.example"])
    func accepted(_ address: String) throws {
        #expect(try AccountInput.email(" \(address) ") == address.lowercased())
    }

    @Test(
        "Addresses a mail server would not deliver to are refused",
        arguments: [
            "plain", "@example.org", "a@", "a@localhost", "a@host/path.org", "a b@example.org", "a..b@example.org",
            ".a@example.org", "a@-example.org", "a@example.org.", "\"quoted\"@example.org", "a@[127.0.0.1]",
            String(repeating: "x", count: 65) + "@example.org",
        ])
    func refused(_ address: String) {
        #expect(throws: AccountsError.self) { try AccountInput.email(address) }
    }
}

@Suite("Pending sign-ups")
struct PendingSignUpTests {
    @Test("A stranger who signs up first with someone's address cannot keep the account: the owner's sign-up wins")
    func preHijackingIsDefeated() async throws {
        try await withTestApp { t in
            let stranger = TestCredentials(password: "the stranger's password")
            let owner = TestCredentials()
            for credentials in [stranger, owner] {
                let response = try await t.send(
                    .POST, "api/v1/auth/register",
                    json: RegisterAccount(
                        email: "victim@example.org", displayName: "Victim", role: .client, language: .en,
                        kdf: credentials.kdf, loginKey: credentials.loginKey))
                #expect(response.status == .accepted)
            }
            let strangersLink = try #require(try await t.smtp.message(to: "victim@example.org").linkToken)
            let ownersLink = try #require(try await t.smtp.message(to: "victim@example.org", skipping: 1).linkToken)
            // The first link died with the stranger's sign-up.
            let stale = try await t.send(.POST, "api/v1/auth/verify-email", json: VerifyEmail(token: strangersLink))
            #expect(stale.status == .notFound)
            #expect(
                try await t.send(.POST, "api/v1/auth/verify-email", json: VerifyEmail(token: ownersLink)).status == .ok)
            let strangerLogin = try await t.send(
                .POST, "api/v1/auth/login", json: Login(email: "victim@example.org", loginKey: stranger.loginKey))
            #expect(strangerLogin.errorCode == "accounts.invalid_credentials")
            _ = try await t.signIn("victim@example.org", credentials: owner)
            #expect(try await UserRecord.query(on: t.app.db).count() == 1)
        }
    }

    @Test("More than three sign-up mails an hour to one address are not sent, and the answer stays the same")
    func mailsPerAddressAreLimited() async throws {
        try await withTestApp { t in
            let credentials = TestCredentials()
            for _ in 0..<5 {
                let response = try await t.send(
                    .POST, "api/v1/auth/register",
                    json: RegisterAccount(
                        email: "flood@example.org", displayName: "F", role: .client, language: .en,
                        kdf: credentials.kdf, loginKey: credentials.loginKey))
                #expect(response.status == .accepted)
            }
            await t.app.lotse.mailer.drain()
            #expect(t.smtp.messages.count == Throttle.Policy.mailPerEmail.limit)
        }
    }
}
