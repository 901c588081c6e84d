import Fluent
import Foundation
import LotseAPI
import Vapor

/// Video calls: `/video/ice-servers`, the STUN and TURN servers a browser connects calls through,
/// `/engagements/{id}/call`, who is in an engagement's call, and the tech check's results (`/video/tech-check`, and
/// `/engagements/{id}/tech-checks` for the coach). Joining, admitting and signaling go over the WebSocket. Media never
/// passes the Lotse server; a TURN relay sees only DTLS-SRTP ciphertext (docs/video.md).
struct VideoController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let video = routes.grouped("video")
        video.get("ice-servers", use: iceServers)
        video.get("tech-check", use: ownTechCheck)
        video.put("tech-check", use: saveTechCheck)
        let engagement = routes.grouped("engagements", ":engagementID")
        engagement.get("call", use: room)
        engagement.get("tech-checks", use: clientsTechChecks)
    }

    /// Who is in the engagement's call and who waits to be let in.
    @Sendable func room(req: Request) async throws -> CallRoom {
        try await req.calls.room(req.uuid("engagementID"), for: req.userID())
    }

    /// The ICE servers, with TURN credentials for this account that expire after `LOTSE_TURN_TTL_SECONDS`.
    @Sendable func iceServers(req: Request) async throws -> Response {
        let context = req.application.lotse
        let offered = ICEConfiguration.offered(by: context.config, to: try req.userID(), at: context.now())
        let response = try await offered.encodeResponse(for: req)
        response.headers.cacheControl = .init(noStore: true)  // credentials: never kept by a cache
        return response
    }

    /// One's latest tech check.
    @Sendable func ownTechCheck(req: Request) async throws -> TechCheck {
        try await req.techChecks.latest(of: req.userID())
    }

    /// Saves what the tech check page found; it replaces the previous check.
    @Sendable func saveTechCheck(req: Request) async throws -> TechCheck {
        try await req.techChecks.save(req.content.decode(TechCheckReport.self), for: req.userID())
    }

    /// The latest tech checks of the engagement's clients, for its coach.
    @Sendable func clientsTechChecks(req: Request) async throws -> [TechCheck] {
        try await req.techChecks.ofClients(in: req.uuid("engagementID"), for: req.userID())
    }
}

extension Request {
    /// The tech checks' results, bound to this request's database.
    var techChecks: TechChecks { application.make(on: db) }

    /// The call rooms, bound to this request's database.
    var calls: CallsService { application.make(on: db) }
}
