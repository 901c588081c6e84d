import Vapor

/// Headers that make the browser strict: no inline script, no framing, no sniffing, no referrer, and HTTPS only
/// once the platform is served over HTTPS. See docs/security.md.
struct SecurityHeaders: AsyncMiddleware {
    let isSecure: Bool

    static let contentSecurityPolicy = [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ].joined(separator: "; ")

    /// Sent with every answer that has not set its own; a constant, not an array made per answer.
    static let headers = [
        ("Content-Security-Policy", Self.contentSecurityPolicy),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Cross-Origin-Resource-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(self), microphone=(self), display-capture=(self), geolocation=()"),
    ]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response: Response
        do {
            response = try await next.respond(to: request)
        } catch {
            response = LotseErrorMiddleware.response(for: error, on: request)
        }
        // Changed on a copy and set once: Vapor keeps a response's headers behind a lock, so every change made on
        // `response.headers` copies them all.
        var headers = response.headers
        headers.reserveCapacity(headers.count + Self.headers.count + 2)
        for (name, value) in Self.headers where !headers.contains(name: name) {
            headers.add(name: name, value: value)
        }
        if isSecure {
            headers.replaceOrAdd(name: .strictTransportSecurity, value: "max-age=31536000; includeSubDomains")
        }
        if Self.isAPI(request) {
            // Personal data: never in a shared or disk cache.
            headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        }
        response.headers = headers
        return response
    }

    /// Whether the request was for the API: by the route it took when it took one (Vapor parses `url.path` anew on
    /// every read, five allocations each time), else by its path.
    static func isAPI(_ request: Request) -> Bool {
        if let route = request.route { return route.path.first == "api" }
        return request.url.path.hasPrefix("/api/")
    }
}
