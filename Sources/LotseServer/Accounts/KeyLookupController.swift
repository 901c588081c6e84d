import LotseAPI
import Vapor

/// Someone's public keys by email address: `/api/v1/keys/lookup`, for a coach inviting people. Mounted behind the
/// second-factor gate, unlike the account's own keys.
struct KeyLookupController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped("keys").get("lookup", use: lookUp)
    }

    @Sendable func lookUp(req: Request) async throws -> PublicKeys {
        let email = try req.query.get(String?.self, at: "email") ?? ""
        return try await req.accounts.lookUp(email: email, requester: req.currentUser())
    }
}
