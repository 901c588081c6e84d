import Fluent
import LotseAPI
import Vapor

/// `/api/v1/privacy-notice`: what the public privacy notice fills in from the configuration (docs/privacy.md).
struct PrivacyNoticeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("privacy-notice", use: notice)
    }

    @Sendable func notice(req: Request) async throws -> PrivacyNotice {
        let config = req.application.lotse.config
        let day = 86_400.0
        return PrivacyNotice(
            operatorName: config.operatorName, operatorContact: config.operatorContact,
            dataProtectionContact: config.dataProtectionContact,
            retention: PrivacyNotice.Retention(
                unconfirmedSignUp: Int(AccountsFeature.unverifiedLifetime / day),
                idleSession: Int(AccountsService.sessionIdleLifetime / day),
                longestSession: Int(AccountsService.sessionMaximumLifetime / day)))
    }
}

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
