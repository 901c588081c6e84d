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
        // Room for all at once rather than a new array at every doubling; `add`, since a header found missing needs
        // no search for one to replace.
        response.headers.reserveCapacity(response.headers.count + Self.headers.count + 2)
        for (name, value) in Self.headers where !response.headers.contains(name: name) {
            response.headers.add(name: name, value: value)
        }
        if isSecure {
            response.headers.replaceOrAdd(name: .strictTransportSecurity, value: "max-age=31536000; includeSubDomains")
        }
        if request.url.path.hasPrefix("/api/") {
            // Personal data: never in a shared or disk cache.
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        }
        return response
    }
}
