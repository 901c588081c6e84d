import Vapor

/// The web client's addresses. Each is the same `index.html`; `Public/js/core/router.js` shows the right view.
enum WebClient {
    /// The pages of `Public/js/routes.js` (but `/`, the folder's default file); a test keeps the two in step.
    static let pages = [
        "login", "signup", "verify-email", "forgot-password", "reset-password", "settings", "setup", "home",
        "unlock", "recovery-key", "conversations", "conversations/:conversationID", "engagements",
        "engagements/:engagementID", "engagements/:engagementID/export", "export", "inquire/:profileID", "profile",
        "library", "calendar", "availability",
        "call/:engagementID", "tech-check", "programs", "programs/:programID", "programs/:programID/registration",
        "join/:code", "staff-invitation", "guardian-consent", "privacy",
        "institutions/:institutionID/data-protection", "delete-account", "keep-account",
    ]

    static func register(on routes: any RoutesBuilder, resourcesDirectory: String) {
        let index = resourcesDirectory + "/Public/index.html"
        for page in pages {
            routes.get(page.pathComponents) { req async throws -> Response in
                try await req.fileio.asyncStreamFile(at: index)
            }
        }
        let openAPI = resourcesDirectory + "/openapi/lotse.yaml"
        routes.get("openapi.yaml") { req async throws -> Response in
            let response = try await req.fileio.asyncStreamFile(at: openAPI)
            response.headers.contentType = HTTPMediaType(
                type: "application", subType: "yaml", parameters: ["charset": "utf-8"])
            return response
        }
    }
}

/// Serves the web client's files, but never looks on disk for `/api/…` paths: those go straight to the router
/// instead of first waiting for a file-system lookup on the thread pool (bench/accounts.sh measures it).
struct WebClientFiles: Middleware {
    let files: FileMiddleware

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        // No address has a control character in it: `/index.html%00.js` would otherwise open index.html (the file
        // system stops at NUL) and be answered as JavaScript (the type comes from the name).
        let raw = request.url.path  // parsed anew on every read
        let path = raw.utf8.contains(UInt8(ascii: "%")) ? raw.removingPercentEncoding ?? raw : raw
        if path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return request.eventLoop.makeFailedFuture(
                RequestError.invalid(field: "path", reason: "containing control characters"))
        }
        if raw.hasPrefix("/api/") { return next.respond(to: request) }
        return files.respond(to: request, chainingTo: next)
    }
}
