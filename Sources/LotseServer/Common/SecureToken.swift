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

    /// The lower-case hex SHA-256 of bytes. (It runs on every authenticated request: a table, not `String(format:)`
    /// per byte.)
    static func hash(_ data: Data) -> String {
        let digits = Array("0123456789abcdef".utf8)
        let digest = SHA256.hash(data: data)
        return String(unsafeUninitializedCapacity: SHA256.byteCount * 2) { buffer in
            var index = 0
            for byte in digest {
                buffer[index] = digits[Int(byte >> 4)]
                buffer[index + 1] = digits[Int(byte & 0x0F)]
                index += 2
            }
            return index
        }
    }
}
