import Fluent
import LotseAPI
import Vapor

/// Whether the server is up: `/api/v1/health`.
struct HealthController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("health", use: health)
    }

    /// Answers once the database answers.
    @Sendable func health(req: Request) async throws -> Health {
        _ = try await UserRecord.query(on: req.db).count()
        let database = if case .postgres = req.application.lotse.config.database { "postgres" } else { "sqlite" }
        return Health(status: "ok", database: database)
    }
}
