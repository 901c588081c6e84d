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

    /// The lower-case hex SHA-256 of a token, hashed from the string's own bytes.
    static func hash(_ token: String) -> String {
        var token = token
        return token.withUTF8 { hex(SHA256.hash(data: UnsafeRawBufferPointer($0))) }
    }

    /// The lower-case hex SHA-256 of bytes.
    static func hash(_ data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    private static let digits = Array("0123456789abcdef".utf8)

    /// A digest in lower-case hex. (It runs on every authenticated request: a table, not `String(format:)` per byte.)
    private static func hex(_ digest: SHA256.Digest) -> String {
        String(unsafeUninitializedCapacity: SHA256.byteCount * 2) { buffer in
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
