import Fluent
import LotseAPI
import LotseCrypto
import Vapor

/// The first start: creating the first platform admin with the token the server printed. `/api/v1/setup`.
struct SetupController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let setup = routes.grouped("setup")
        setup.get(use: status)
        setup.post("admin", use: createAdmin)
    }

    /// Whether the platform still needs its first admin.
    @Sendable func status(req: Request) async throws -> SetupStatus {
        SetupStatus(needsAdmin: try await !req.accounts.hasPlatformAdmin())
    }

    /// Creates the first platform admin; the setup token then stops working.
    @Sendable func createAdmin(req: Request) async throws -> Response {
        let input = try req.content.decode(CreateFirstAdmin.self)
        let tokens = req.application.lotse.setupToken
        guard let expected = tokens.withLockedValue({ $0 }) else { throw AccountsError.setupDone }
        if let retry = try await req.accounts.throttle.hit(req.accounts.limits.loginsPerAddress, req.clientAddress) {
            throw RequestError.rateLimited(retryAfter: retry)
        }
        guard constantTimeEquals(input.setupToken, expected) else { throw AccountsError.setupTokenInvalid }
        let admin = try await req.accounts.createFirstAdmin(input)
        tokens.withLockedValue { $0 = nil }
        req.logger.notice("The first platform admin was created; the setup link no longer works.")
        return try await req.accounts.account(admin).encodeResponse(status: .created, for: req)
    }
}
