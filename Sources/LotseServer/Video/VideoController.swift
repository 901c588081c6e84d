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
        var servers =
            context.config.stunURLs.isEmpty
            ? [] : [ICEServer(urls: context.config.stunURLs, username: nil, credential: nil)]
        var expiresAt: Date?
        if let turn = context.config.turn {
            let made = TURNCredentials.make(
                secret: turn.secret, user: try req.userID(), now: context.now(), lifetime: turn.lifetime)
            servers.append(ICEServer(urls: turn.urls, username: made.username, credential: made.credential))
            expiresAt = made.expiresAt
        }
        let response = try await ICEConfiguration(iceServers: servers, expiresAt: expiresAt).encodeResponse(for: req)
        response.headers.cacheControl = .init(noStore: true)  // credentials: never kept by a cache
        return response
    }
}
