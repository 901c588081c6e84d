import Fluent
import Foundation
import LotseAPI
import Vapor

/// Video calls: `/video/ice-servers`, the STUN and TURN servers a browser connects calls through, and
/// `/engagements/{id}/call`, who is in an engagement's call. Joining, admitting and signaling go over the WebSocket.
/// Media never passes the Lotse server; a TURN relay sees only DTLS-SRTP ciphertext (docs/video.md).
struct VideoController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped("video").get("ice-servers", use: iceServers)
        routes.grouped("engagements", ":engagementID").get("call", use: room)
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
}

extension Request {
    /// The call rooms, bound to this request's database.
    var calls: CallsService { application.lotse.calls(on: db) }
}
