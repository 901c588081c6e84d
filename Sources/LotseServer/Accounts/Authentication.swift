import Fluent
import LotseAPI
import LotseCrypto
import Vapor

/// The signed-in account and the session it came with.
///
/// The values nearly every request reads (``account``, ``sessionID``, ``csrfToken``) come without Fluent records;
/// ``user`` and ``session`` are built on first use (``FoundSession``, #21).
struct CurrentUser: Authenticatable, Sendable {
    let found: FoundSession
    /// Whether this request authenticated with the cookie (and so must carry the CSRF token when unsafe).
    let viaCookie: Bool

    /// The account's record: built on first use, the same one after.
    var user: UserRecord { get throws { try found.records().user } }
    /// The session's record: built on first use, the same one after.
    var session: AuthSessionRecord { get throws { try found.records().session } }

    var account: AccountFacts { found.facts.account }
    var id: UUID { account.id }
    var language: Language { account.language }
    var role: Role { account.role }
    var sessionID: UUID { found.facts.sessionID }
    var csrfToken: String { found.facts.csrfToken }
}

/// Finds the session from `Authorization: Bearer …` or the session cookie. Finding none is not an error here;
/// the guards decide.
struct SessionAuthenticator: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let cookieName = request.application.lotse.sessionCookieName
        if let bearer = request.headers.bearerAuthorization,
            let found = try await request.foundSession(token: bearer.token)
        {
            request.auth.login(CurrentUser(found: found, viaCookie: false))
        } else if let cookie = request.cookies[cookieName],
            let found = try await request.foundSession(token: cookie.string)
        {
            request.auth.login(CurrentUser(found: found, viaCookie: true))
        }
        return try await next.respond(to: request)
    }
}

/// Stops cross-site request forgery: unsafe requests from another origin are refused, and a cookie session must
/// repeat its CSRF token in `X-CSRF-Token`. Bearer tokens are not sent by browsers on their own, so they need neither.
struct CSRFGuard: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard ![.GET, .HEAD, .OPTIONS].contains(request.method) else {
            return try await next.respond(to: request)
        }
        if let origin = request.headers.first(name: .origin), !request.isOwnOrigin(origin) {
            throw RequestError.csrfRejected
        }
        if let user = request.auth.get(CurrentUser.self), user.viaCookie {
            let sent = request.headers.first(name: "X-CSRF-Token") ?? ""
            guard constantTimeEquals(sent, user.csrfToken) else { throw RequestError.csrfRejected }
        }
        return try await next.respond(to: request)
    }
}

/// Lets only signed-in requests through.
struct RequireUser: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.auth.has(CurrentUser.self) else { throw RequestError.unauthenticated }
        return try await next.respond(to: request)
    }
}

/// Keeps accounts whose role demands two-factor sign-in out of everything but their own settings until it is on.
struct RequireTwoFactorReady: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let user = try request.auth.require(CurrentUser.self)
        if user.role.requiresTwoFactor, !user.account.isTwoFactorEnabled { throw AccountsError.twoFactorRequired }
        return try await next.respond(to: request)
    }
}

/// Lets only the given roles through.
struct RequireRole: AsyncMiddleware {
    let roles: Set<Role>

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let user = try request.auth.require(CurrentUser.self)
        guard roles.contains(user.role) else { throw RequestError.forbidden }
        return try await next.respond(to: request)
    }
}

extension Request {
    /// The live session of a token, nil for unknown, expired or ended ones: from the session cache when it holds it,
    /// without making the accounts service (a database handle, its logger changed), else from the database.
    func foundSession(token: String) async throws -> FoundSession? {
        let hash = SecureToken.hash(token)
        if let cached = application.sessionCache.session(for: hash, at: application.lotse.now()) { return cached }
        return try await accounts.authenticate(hash: hash)
    }

    /// Whether an `Origin` header names this platform: its public URL, or the host the request addressed.
    func isOwnOrigin(_ origin: String) -> Bool {
        let publicURL = application.lotse.config.publicURL
        var publicOrigin = "\(publicURL.scheme ?? "http")://\(publicURL.host ?? "")"
        if let port = publicURL.port { publicOrigin += ":\(port)" }
        if origin == publicOrigin { return true }
        // Reached under another name than the public URL (e.g. 127.0.0.1 and localhost): same host as addressed.
        guard let host = headers.first(name: .host), let originURL = URL(string: origin) else { return false }
        let originHost = originURL.port.map { "\(originURL.host ?? ""):\($0)" } ?? (originURL.host ?? "")
        return originHost == host
    }

    /// The signed-in account, or `auth.required`.
    func currentUser() throws -> CurrentUser {
        guard let user = auth.get(CurrentUser.self) else { throw RequestError.unauthenticated }
        return user
    }
}
