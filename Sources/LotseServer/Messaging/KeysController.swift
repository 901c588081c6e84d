import Fluent
import LotseAPI
import Vapor

/// An account's end-to-end keys: `/api/v1/keys`.
struct KeysController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let keys = routes.grouped("keys")
        keys.put(use: setUp)
        keys.get(use: show)
    }

    /// Stores the account's keys once (201); the same keys again answer 200.
    @Sendable func setUp(req: Request) async throws -> Response {
        let user = try req.currentUser()
        let (keys, isNew) = try await req.messaging.setUpKeys(
            req.content.decode(SetUpKeys.self), for: user.user.requireID())
        return try await keys.encodeResponse(status: isNew ? .created : .ok, for: req)
    }

    /// The account's keys, sealed under the password's wrap key.
    @Sendable func show(req: Request) async throws -> OwnKeys {
        try await req.messaging.keyStore.own(of: req.currentUser().user.requireID())
    }
}
