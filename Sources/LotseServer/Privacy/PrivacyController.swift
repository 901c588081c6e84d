import Fluent
import LotseAPI
import Vapor

/// `/api/v1/account/data`: what the server knows about the signed-in account (docs/privacy.md).
struct PrivacyController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let data = routes.grouped("account", "data")
        data.get("server-knowledge", use: serverKnowledge)
    }

    /// The metadata and plain texts the server keeps about the account, as a JSON file to keep.
    @Sendable func serverKnowledge(req: Request) async throws -> Response {
        let current = try req.currentUser()
        let knowledge = try await req.privacy.serverKnowledge(of: current.user, session: current.session.requireID())
        let response = try await knowledge.encodeResponse(for: req)
        response.headers.replaceOrAdd(
            name: .contentDisposition, value: "attachment; filename=\"lotse-what-the-server-knows.json\"")
        return response
    }
}
