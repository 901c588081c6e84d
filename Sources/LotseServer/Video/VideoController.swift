import Foundation
import LotseAPI
import Vapor

/// Video calls: `/video/ice-servers`, the STUN and TURN servers a browser connects calls through. Media never passes
/// the Lotse server; a TURN relay sees only DTLS-SRTP ciphertext.
struct VideoController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped("video").get("ice-servers", use: iceServers)
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
