import Fluent
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// The collaborators every request may need, built once in `configure` and kept in `app.storage`.
struct LotseContext: Sendable {
    let config: AppConfig
    let secrets: ServerSecrets
    let mailer: Mailer
    let hasher: LoginKeyHasher
    /// The open WebSockets of this instance.
    let events: EventHub
    /// Appends messages with group commit (one writer per instance).
    let messageLog: MessageLog
    /// Which call peers this instance's sockets carry.
    let callSockets = CallSockets()
    /// What the WebSockets may hold in memory, and the bytes all of them have waiting.
    let socketLimits: SocketLimits
    let socketBudget: SocketBudget
    let now: @Sendable () -> Date
    /// The one-time token that creates the first platform admin; nil once one exists.
    let setupToken: NIOLockedValueBox<String?>

    /// The name of the cookie that marks a browser that signed in before (docs/accounts.md, "Lockout").
    var deviceCookieName: String { config.isSecure ? "__Host-lotse_device" : "lotse_device" }

    /// The name of the session cookie: `__Host-` where the browser enforces Secure, host-only and path `/`.
    var sessionCookieName: String { config.isSecure ? "__Host-lotse_session" : "lotse_session" }

    struct Key: StorageKey {
        typealias Value = LotseContext
    }

    /// The messaging rules on a database: a request's, or the application's for the WebSocket.
    func messaging(on db: any Database) -> MessagingService {
        MessagingService(
            db: db, now: now, events: events, log: messageLog, mailer: mailer, attachmentLimit: config.attachmentLimit)
    }

    /// The call rooms on a database: a request's, or the application's for the WebSocket.
    func calls(on db: any Database) -> CallsService {
        CallsService(
            db: db, now: now, events: events,
            engagements: EngagementsService(db: db, now: now, events: events, messaging: messaging(on: db)))
    }
}

extension Application {
    /// The platform's collaborators; set by `configure`.
    var lotse: LotseContext {
        get {
            guard let context = storage[LotseContext.Key.self] else { fatalError("configure(_:_:) has not run") }
            return context
        }
        set { storage[LotseContext.Key.self] = newValue }
    }
}

extension Request {
    /// The accounts rules, bound to this request's database.
    var accounts: AccountsService {
        let context = application.lotse
        return AccountsService(
            db: db, now: context.now, secrets: context.secrets, mailer: context.mailer, hasher: context.hasher,
            limits: context.config.accountLimits)
    }

    /// The client's address: the peer's, or from `X-Forwarded-For` when the peer is a trusted proxy.
    var clientAddress: String {
        let peer = remoteAddress?.ipAddress ?? "unknown"
        let proxies = application.lotse.config.trustedProxies
        guard proxies.contains(where: { $0.contains(peer) }), let forwarded = headers.first(name: "X-Forwarded-For")
        else { return peer }
        // The rightmost address not added by one of our proxies is the client's.
        let hops = forwarded.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return hops.last { hop in !proxies.contains { $0.contains(hop) } } ?? hops.first ?? peer
    }

    /// Who is asking, for the accounts rules.
    var accountsClient: AccountsService.Client {
        .init(
            ipAddress: clientAddress, userAgent: headers.first(name: .userAgent) ?? "",
            deviceToken: cookies[application.lotse.deviceCookieName]?.string)
    }
}

extension Request {
    /// The signed-in account's ID.
    func userID() throws -> UUID {
        try currentUser().user.requireID()
    }

    /// Cuts off the WebSockets of sessions that just ended.
    func closeEndedSockets() async throws {
        try await application.lotse.events.closeEndedSessions(on: db, now: application.lotse.now())
    }

    /// A UUID path parameter, or `request.invalid` naming it.
    func uuid(_ name: String) throws -> UUID {
        guard let text = parameters.get(name), let id = UUID(uuidString: text) else {
            throw RequestError.invalid(field: name, reason: "not a UUID")
        }
        return id
    }
}
