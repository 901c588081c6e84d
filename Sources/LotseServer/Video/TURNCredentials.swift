import Crypto
import Foundation
import LotseAPI

/// Time-limited TURN credentials in coturn's REST-API scheme (`use-auth-secret`): the username is
/// `<expiry in Unix seconds>:<user ID>`, the password base64(HMAC-SHA1(shared secret, username)). coturn checks both
/// without asking us, and refuses the username after its expiry. See docs/deploy.md for coturn's side.
enum TURNCredentials {
    /// The username and password for `user`, valid for `lifetime` seconds from `now`.
    static func make(secret: String, user: UUID, now: Date, lifetime: Int) -> (
        username: String, credential: String, expiresAt: Date
    ) {
        let expiry = Int(now.timeIntervalSince1970) + lifetime
        let username = "\(expiry):\(user.uuidString.lowercased())"
        let mac = HMAC<Insecure.SHA1>.authenticationCode(
            for: Data(username.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return (username, Data(mac).base64EncodedString(), Date(timeIntervalSince1970: TimeInterval(expiry)))
    }
}

extension ICEConfiguration {
    /// The platform's STUN servers, then its TURN relays with credentials for `user` from `now` on.
    static func offered(by config: AppConfig, to user: UUID, at now: Date) -> ICEConfiguration {
        var servers = config.stunURLs.isEmpty ? [] : [ICEServer(urls: config.stunURLs, username: nil, credential: nil)]
        guard let turn = config.turn else { return ICEConfiguration(iceServers: servers, expiresAt: nil) }
        let made = TURNCredentials.make(secret: turn.secret, user: user, now: now, lifetime: turn.lifetime)
        servers.append(ICEServer(urls: turn.urls, username: made.username, credential: made.credential))
        return ICEConfiguration(
            iceServers: servers, expiresAt: made.expiresAt, iceTransportPolicy: turn.relayOnly ? .relay : .all)
    }
}
