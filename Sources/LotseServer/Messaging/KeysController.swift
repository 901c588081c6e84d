import Fluent
import LotseAPI
import Vapor

/// An account's end-to-end keys: `/api/v1/keys`, and `/keys/recovery` for a new recovery key.
struct KeysController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let keys = routes.grouped("keys")
        keys.put(use: setUp)
        keys.get(use: show)
        keys.put("recovery", use: replaceRecovery)
    }

    /// A new recovery key, made where the keys are unlocked; the old one stops working.
    @Sendable func replaceRecovery(req: Request) async throws -> HTTPStatus {
        try await req.messaging.keyStore.replaceRecovery(
            req.content.decode(ReplaceRecoveryKey.self), for: req.currentUser().id)
        return .noContent
    }

    /// Stores the account's keys once (201); the same keys again answer 200.
    @Sendable func setUp(req: Request) async throws -> Response {
        let user = try req.currentUser()
        let (keys, isNew) = try await req.messaging.setUpKeys(
            req.content.decode(SetUpKeys.self), for: user.id)
        return try await keys.encodeResponse(status: isNew ? .created : .ok, for: req)
    }

    /// The account's keys, sealed under the password's wrap key.
    @Sendable func show(req: Request) async throws -> OwnKeys {
        try await req.messaging.keyStore.own(of: req.currentUser().id)
    }
}
