import Fluent
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// The collaborators every feature may need, built once in `configure` and kept in `app.storage`. A feature's own
/// collaborators (the message log, the password hasher) live with its service, built in `App/Services.swift`.
struct LotseContext: Sendable {
    let config: AppConfig
    let secrets: ServerSecrets
    /// Signs the audit log's checkpoints.
    let auditSigner: AuditSigner
    let mailer: Mailer
    /// The open WebSockets of this instance.
    let events: EventHub
    /// Every feature's error messages and mails (`App/L10n.swift`).
    let texts: Texts
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
}
