import Fluent
import LotseAPI
import Vapor

/// One's own account, sessions and second factor: `/api/v1/account`. Reachable before two-factor setup is done,
/// since this is where it is done.
struct AccountController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let account = routes.grouped("account").grouped(RequireUser())
        account.get(use: show)
        account.patch(use: update)
        account.post("password", use: changePassword)
        account.get("sessions", use: listSessions)
        account.get("security-events", use: securityEvents)
        account.delete("sessions", ":sessionID", use: endSession)
        account.post("two-factor", "setup", use: beginTwoFactor)
        account.post("two-factor", "confirm", use: confirmTwoFactor)
        account.post("two-factor", "recovery-codes", use: regenerateRecoveryCodes)
        account.post("two-factor", "disable", use: disableTwoFactor)
    }

    /// The signed-in account.
    @Sendable func show(req: Request) async throws -> Account {
        try await req.accounts.account(req.currentUser().account)
    }

    /// The account's own entries in the audit log, newest first: sign-ins, failed ones, changes to how one signs in.
    @Sendable func securityEvents(req: Request) async throws -> [SecurityEvent] {
        try await req.audit.events(of: req.currentUser().id) { ids in
            try await UserRecord.displayNames(of: ids, on: req.db)
        }
    }

    /// Changes name or language; a coach's directory profile is found by the new name.
    @Sendable func update(req: Request) async throws -> Account {
        let user = try req.currentUser().user
        let account = try await req.accounts.update(user, with: req.content.decode(UpdateAccount.self))
        try await req.directory.reindex(user)
        return account
    }

    /// Changes the password; other sessions end.
    @Sendable func changePassword(req: Request) async throws -> HTTPStatus {
        let current = try req.currentUser()
        try await req.accounts.changePassword(
            req.content.decode(ChangePassword.self), for: current.user, keeping: current.sessionID)
        try await req.closeEndedSockets()
        return .noContent
    }

    /// Every device signed in to the account.
    @Sendable func listSessions(req: Request) async throws -> [SessionSummary] {
        let current = try req.currentUser()
        return try await req.accounts.sessions(of: current.id, current: current.sessionID)
    }

    /// Signs one device out.
    @Sendable func endSession(req: Request) async throws -> HTTPStatus {
        try await req.accounts.endSession(req.uuid("sessionID"), of: req.userID())
        try await req.closeEndedSockets()
        return .noContent
    }

    /// A new TOTP secret to put into an authenticator app.
    @Sendable func beginTwoFactor(req: Request) async throws -> TwoFactorSetup {
        try await req.accounts.beginTwoFactorSetup(for: req.currentUser().user)
    }

    /// Turns two-factor sign-in on; answers the recovery codes, shown once.
    @Sendable func confirmTwoFactor(req: Request) async throws -> RecoveryCodes {
        try await req.accounts.confirmTwoFactor(
            code: req.content.decode(TwoFactorCode.self).code, for: req.currentUser().user)
    }

    /// Replaces the recovery codes.
    @Sendable func regenerateRecoveryCodes(req: Request) async throws -> RecoveryCodes {
        try await req.accounts.regenerateRecoveryCodes(
            code: req.content.decode(TwoFactorCode.self).code, for: req.currentUser().user)
    }

    /// Turns two-factor sign-in off (clients only).
    @Sendable func disableTwoFactor(req: Request) async throws -> HTTPStatus {
        try await req.accounts.disableTwoFactor(
            code: req.content.decode(TwoFactorCode.self).code, for: req.currentUser().user)
        return .noContent
    }
}
