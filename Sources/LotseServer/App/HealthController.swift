import Fluent
import LotseAPI
import SQLKit
import Vapor

/// Whether the server is up: `/api/v1/live` (the process answers), `/api/v1/health` (and its database does).
struct HealthController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("health", use: health)
        routes.get("live", use: live)
    }

    /// Answers while the process does, without touching the database: a load balancer's liveness probe, and the
    /// plain route of bench/ceiling.sh (#21), which compares it with bare Vapor. The answer never changes, so it is
    /// encoded once (``Live/body``) rather than by JSONEncoder on every probe.
    @Sendable func live(req: Request) -> Response {
        JSONAnswer.response(encoded: Live.body)
    }

    /// Answers once the database answers: one statement that reads nothing, so the probe costs the same at 50,000
    /// accounts as at none (it counted the accounts before: 4 ms at 50,000, #21). Its answer, too, is encoded once.
    @Sendable func health(req: Request) async throws -> Response {
        try await (req.db as! any SQLDatabase).raw("SELECT 1").run()
        let body = req.application.lotse.config.database.isPostgres ? Health.postgres : Health.sqlite
        return JSONAnswer.response(encoded: body)
    }
}

extension Health {
    /// The JSON of `/api/v1/health`'s answer for each database, as the API's encoder writes it.
    static let sqlite = try! JSONAnswer.encoded(Health(status: "ok", database: "sqlite"))
    static let postgres = try! JSONAnswer.encoded(Health(status: "ok", database: "postgres"))
}

/// What `/api/v1/live` answers.
struct Live: Content {
    var status = "ok"

    /// Its JSON, as the API's encoder writes it (`{"status":"ok"}`).
    static let body = try! JSONAnswer.encoded(Live())
}
