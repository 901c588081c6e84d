import Crypto
import Foundation

/// Time-based one-time passwords as RFC 6238 defines them and authenticator apps compute them:
/// HMAC-SHA1, 30-second steps, six digits.
public struct TOTP: Sendable {
    /// The shared secret.
    public let secret: Data
    /// Digits per code.
    public let digits: Int
    /// Seconds per step.
    public let period: TimeInterval

    /// Creates a generator for a secret.
    public init(secret: Data, digits: Int = 6, period: TimeInterval = 30) {
        self.secret = secret
        self.digits = digits
        self.period = period
    }

    /// A fresh 160-bit secret, the size RFC 4226 recommends.
    public static func makeSecret() -> Data {
        SymmetricKey(size: .init(bitCount: 160)).withUnsafeBytes { Data($0) }
    }

    /// The step number that `date` falls into.
    public func step(at date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / period).rounded(.down))
    }

    /// The code for a step number (RFC 4226 dynamic truncation).
    public func code(forStep step: Int64) -> String {
        var counter = UInt64(bitPattern: step).bigEndian
        let message = withUnsafeBytes(of: &counter) { Data($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let binary =
            (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8)
            | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let value = String(binary % modulus)
        return String(repeating: "0", count: digits - value.count) + value
    }

    /// The code shown at `date`.
    public func code(at date: Date) -> String {
        code(forStep: step(at: date))
    }

    /// The step a code belongs to, accepting one step of clock drift either way, or nil when it matches none.
    ///
    /// Callers remember the returned step and reject codes of that step or earlier, so a code works once only.
    public func matchingStep(for code: String, at date: Date, drift: Int64 = 1) -> Int64? {
        let candidate = code.filter { !$0.isWhitespace }
        guard candidate.count == digits, candidate.allSatisfy(\.isASCII), candidate.allSatisfy(\.isNumber) else {
            return nil
        }
        let now = step(at: date)
        for step in (now - drift)...(now + drift) where constantTimeEquals(self.code(forStep: step), candidate) {
            return step
        }
        return nil
    }

    /// The `otpauth://` URI authenticator apps import.
    public func uri(issuer: String, account: String) -> String {
        var components = URLComponents()
        components.scheme = "otpauth"
        components.host = "totp"
        components.path = "/" + issuer + ":" + account
        components.queryItems = [
            URLQueryItem(name: "secret", value: Base32.encode(secret)),
            URLQueryItem(name: "issuer", value: issuer),
            URLQueryItem(name: "algorithm", value: "SHA1"),
            URLQueryItem(name: "digits", value: String(digits)),
            URLQueryItem(name: "period", value: String(Int(period))),
        ]
        return components.string ?? ""
    }
}

/// Compares two strings in time that depends on their length only, not on where they differ.
public func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
    let left = Array(lhs.utf8)
    let right = Array(rhs.utf8)
    guard left.count == right.count else { return false }
    var difference: UInt8 = 0
    for index in left.indices { difference |= left[index] ^ right[index] }
    return difference == 0
}
