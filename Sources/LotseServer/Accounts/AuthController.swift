import Fluent
import LotseAPI
import Vapor

/// Sign-up, verification, sign-in and password reset: `/api/v1/auth`.
struct AuthController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let auth = routes.grouped("auth")
        auth.post("prelogin", use: preLogin)
        auth.post("register", use: register)
        auth.post("verify-email", use: verifyEmail)
        auth.post("login", use: login)
        auth.post("login", "second-factor", use: secondFactor)
        auth.post("password-reset", use: requestPasswordReset)
        auth.post("password-reset", "complete", use: completePasswordReset)
        auth.post("password-reset", "keys", use: recoveryKeys)
        let signedIn = auth.grouped(RequireUser())
        signedIn.get("session", use: session)
        signedIn.post("logout", use: logout)
    }

    /// The key-derivation parameters for an address (decoys for unknown ones).
    @Sendable func preLogin(req: Request) async throws -> KDFParameters {
        try await req.accounts.preLogin(email: req.content.decode(PreLogin.self).email)
    }

    /// Starts a sign-up; always 202, whether or not the address is taken.
    @Sendable func register(req: Request) async throws -> Response {
        try await req.accounts.register(req.content.decode(RegisterAccount.self), from: req.accountsClient)
        return try await Accepted(status: "verification_sent").encodeResponse(status: .accepted, for: req)
    }

    /// Confirms an address with the token from the mail.
    @Sendable func verifyEmail(req: Request) async throws -> Accepted {
        try await req.accounts.verifyEmail(token: req.content.decode(VerifyEmail.self).token)
        return Accepted(status: "verified")
    }

    /// First sign-in step: a session, or a challenge for the second factor.
    @Sendable func login(req: Request) async throws -> Response {
        switch try await req.accounts.login(req.content.decode(Login.self), from: req.accountsClient) {
        case .challenge(let challenge):
            return try await LoginResult(status: .twoFactorRequired, challenge: challenge).encodeResponse(for: req)
        case .signedIn(let issued):
            return try await signedIn(issued, req: req)
        }
    }

    /// Second sign-in step: a TOTP or recovery code for the challenge.
    @Sendable func secondFactor(req: Request) async throws -> Response {
        let issued = try await req.accounts.completeSecondFactor(
            req.content.decode(LoginSecondFactor.self), from: req.accountsClient)
        return try await signedIn(issued, req: req)
    }

    /// Mails a reset link if the address has an account; always 202.
    @Sendable func requestPasswordReset(req: Request) async throws -> Response {
        try await req.accounts.requestPasswordReset(
            email: req.content.decode(RequestPasswordReset.self).email, from: req.accountsClient)
        return try await Accepted(status: "reset_sent").encodeResponse(status: .accepted, for: req)
    }

    /// Sets the new password from a reset link; every session ends.
    @Sendable func completePasswordReset(req: Request) async throws -> Accepted {
        try await req.accounts.completePasswordReset(req.content.decode(CompletePasswordReset.self))
        try await req.closeEndedSockets()
        return Accepted(status: "password_changed")
    }

    /// The current session, with its CSRF token: how the web client finds out after a reload that it is signed in.
    @Sendable func session(req: Request) async throws -> SignedInSession {
        let current = try req.currentUser()
        return SignedInSession(
            token: nil, csrfToken: current.csrfToken, expiresAt: current.found.facts.expiresAt,
            account: try await req.accounts.account(current.account))
    }

    /// Ends the current session and clears the cookie.
    @Sendable func logout(req: Request) async throws -> Response {
        let current = try req.currentUser()
        try await current.session.delete(on: req.db)
        try await req.closeEndedSockets()
        let response = Response(status: .noContent)
        response.cookies[req.application.lotse.sessionCookieName] = expiredCookie(req)
        return response
    }

    private func signedIn(_ issued: AccountsService.IssuedSession, req: Request) async throws -> Response {
        let isCookie = issued.record.transport == .cookie
        let body = LoginResult(
            status: .signedIn,
            session: SignedInSession(
                token: isCookie ? nil : issued.token, csrfToken: issued.record.csrfToken,
                expiresAt: issued.record.expiresAt, account: try await req.accounts.account(issued.user)))
        let response = try await body.encodeResponse(for: req)
        if isCookie {
            response.cookies[req.application.lotse.sessionCookieName] = HTTPCookies.Value(
                string: issued.token, expires: issued.record.expiresAt, path: "/",
                isSecure: req.application.lotse.config.isSecure, isHTTPOnly: true, sameSite: .strict)
        }
        // This browser now knows the password: a lockout of the address, caused by someone else, will not stop it.
        let context = req.application.lotse
        if let userID = issued.user.id {
            response.cookies[context.deviceCookieName] = HTTPCookies.Value(
                string: context.secrets.deviceToken(for: userID, loginKeyHash: issued.user.loginKeyHash),
                expires: context.now().addingTimeInterval(365 * 86_400), path: "/", isSecure: context.config.isSecure,
                isHTTPOnly: true, sameSite: .strict)
        }
        return response
    }

    private func expiredCookie(_ req: Request) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/",
            isSecure: req.application.lotse.config.isSecure, isHTTPOnly: true, sameSite: .strict)
    }

    /// The keys sealed under the recovery key, for the holder of a live reset link.
    @Sendable func recoveryKeys(req: Request) async throws -> RecoveryKeys {
        try await req.accounts.recoveryKeys(token: req.content.decode(RequestRecoveryKeys.self).token)
    }
}
