import Crypto
import Foundation

/// Random tokens for links, sessions and challenges, and the SHA-256 the database keeps of them.
enum SecureToken {
    /// 32 random bytes, base64url without padding.
    static func make() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The lower-case hex SHA-256 of a token.
    static func hash(_ token: String) -> String {
        hash(Data(token.utf8))
    }

    /// The lower-case hex SHA-256 of bytes.
    static func hash(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
