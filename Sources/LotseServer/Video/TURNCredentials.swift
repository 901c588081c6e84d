import Crypto
import Foundation

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
