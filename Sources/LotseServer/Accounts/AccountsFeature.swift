import Fluent
import Foundation
import Vapor

/// Accounts: sign-up, sign-in with a second factor, sessions, passwords, administrators (docs/accounts.md).
struct AccountsFeature: Feature {
    var migrations: [ShippedMigration] {
        [
            ShippedMigration(1, CreateUsers()),  // #2 accounts with login-key hash, TOTP secret
            ShippedMigration(2, CreateAuthSessions()),  // #2 signed-in devices
            ShippedMigration(3, CreateAccountTokens()),  // #2 verification, reset and sign-in challenge tokens
            ShippedMigration(4, CreateRecoveryCodes()),  // #2 two-factor recovery codes
            ShippedMigration(5, CreateThrottles()),  // #2 rate limits and lockout shared by all instances
            ShippedMigration(23, CreateConsents()),  // #20 consents given and withdrawn
            ShippedMigration(27, AnnounceSessionChanges()),  // #21 PostgreSQL tells every instance's session cache
        ]
    }

    var texts: Texts { .accounts }

    func routes(_ routes: FeatureRoutes) throws {
        try routes.api.register(collection: SetupController())
        try routes.api.register(collection: AuthController())
        try routes.api.register(collection: AccountController())
        try routes.ready.register(collection: KeyLookupController())
        try routes.ready.register(collection: AdminController())
    }

    var periodicWork: [PeriodicWork] {
        // Sessions also end by expiring: their sockets are closed within half a minute.
        [
            PeriodicWork("Closing the sockets of ended sessions", every: .seconds(30)) { app in
                try await app.lotse.events.closeEndedSessions(on: app.db, now: app.lotse.now())
            }
        ]
    }

    /// Ended sessions with their IP addresses, spent or expired links and challenges, sign-ups never confirmed
    /// within a week, and rate-limit counters older than the longest window.
    func purgeExpired(on db: any Database, now time: Date) async throws {
        try await AuthSessionRecord.query(on: db).filter(\.$expiresAt <= time).delete()
        try await AccountTokenRecord.query(on: db).filter(\.$expiresAt <= time).delete()
        try await UserRecord.query(on: db).filter(\.$emailVerifiedAt == nil)
            .filter(\.$createdAt <= time.addingTimeInterval(-Self.unverifiedLifetime)).delete()
        try await Throttle.purge(olderThan: time.addingTimeInterval(-Throttle.horizon), on: db)
    }

    /// How long an unconfirmed sign-up is kept: the 48-hour link, then time to ask for a new one.
    static let unverifiedLifetime: TimeInterval = 7 * 86_400
}

extension Request {
    /// The accounts rules, bound to this request's database.
    var accounts: AccountsService { application.make(on: db) }

    /// Who is asking, for the accounts rules.
    var accountsClient: AccountsService.Client {
        .init(
            ipAddress: clientAddress, userAgent: headers.first(name: .userAgent) ?? "",
            deviceToken: cookies[application.lotse.deviceCookieName]?.string)
    }

    /// The signed-in account's ID.
    func userID() throws -> UUID {
        try currentUser().id
    }

    /// Cuts off the WebSockets of sessions that just ended.
    func closeEndedSockets() async throws {
        try await application.lotse.events.closeEndedSessions(on: db, now: application.lotse.now())
    }
}

extension EventHub {
    /// Closes the sockets whose session ended (signed out, revoked, password changed, expired). Called after those
    /// actions and every 30 seconds.
    func closeEndedSessions(on db: any Database, now: Date) async throws {
        let open = sessions
        guard !open.isEmpty else { return }
        let alive = Set(
            try await AuthSessionRecord.query(on: db).filter(\.$id ~~ open).filter(\.$expiresAt > now).all(\.$id))
        await close(sessions: open.subtracting(alive))
    }
}
