import Crypto
import Foundation
import LotseCrypto
import Testing

/// Vectors computed independently with Python's hashlib (see Tests/Fixtures/README.md); the browser's keys.js is
/// checked against the same file, so Swift and JavaScript derive the same keys.
struct PasswordKeyVector: Decodable {
    let password: String
    let salt: String
    let iterations: Int
    let loginKey: String
    let wrapKey: String

    static let all: [PasswordKeyVector] = {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/password-keys.json")
        guard let data = try? Data(contentsOf: path),
            let vectors = try? JSONDecoder().decode([PasswordKeyVector].self, from: data)
        else { return [] }
        return vectors
    }()
}

@Suite("Password keys")
struct PasswordKeysTests {
    @Test("The login and wrap keys match the reference vectors", arguments: PasswordKeyVector.all)
    func matchesVectors(_ vector: PasswordKeyVector) throws {
        let keys = try PasswordKeys(
            password: vector.password, salt: try #require(Data(base64Encoded: vector.salt)),
            iterations: vector.iterations)
        #expect(keys.loginKeyBase64 == vector.loginKey)
        #expect(keys.wrapKey.withUnsafeBytes { Data($0).base64EncodedString() } == vector.wrapKey)
    }

    @Test("There are reference vectors to check against")
    func vectorsExist() {
        #expect(PasswordKeyVector.all.count >= 3)
    }

    @Test("The login key reveals nothing of the wrap key: they differ and change with the salt")
    func keysAreIndependent() throws {
        let a = try PasswordKeys(password: "pw", salt: Data(repeating: 1, count: 16), iterations: 1_000)
        let b = try PasswordKeys(password: "pw", salt: Data(repeating: 2, count: 16), iterations: 1_000)
        #expect(a.loginKey != a.wrapKey)
        #expect(a.loginKey != b.loginKey)
    }
}

@Suite("TOTP and base32")
struct TOTPTests {
    /// RFC 6238 appendix B, SHA-1 rows, with the 20-byte ASCII secret "12345678901234567890".
    @Test(
        "Codes match RFC 6238's SHA-1 test vectors",
        arguments: [
            (59.0, "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"), (2_000_000_000, "69279037"), (20_000_000_000, "65353130"),
        ])
    func rfc6238(time: Double, expected: String) {
        let totp = TOTP(secret: Data("12345678901234567890".utf8), digits: 8)
        #expect(totp.code(at: Date(timeIntervalSince1970: time)) == expected)
    }

    @Test("A code is accepted one step early or late, and never two steps off")
    func drift() {
        let totp = TOTP(secret: Data("12345678901234567890".utf8))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let step = totp.step(at: now)
        #expect(totp.matchingStep(for: totp.code(forStep: step - 1), at: now) == step - 1)
        #expect(totp.matchingStep(for: totp.code(forStep: step + 1), at: now) == step + 1)
        #expect(totp.matchingStep(for: totp.code(forStep: step - 2), at: now) == nil)
        #expect(totp.matchingStep(for: "12 34 5", at: now) == nil)
        #expect(totp.matchingStep(for: "abcdef", at: now) == nil)
    }

    @Test(
        "Base32 matches RFC 4648's vectors and decodes what it encodes",
        arguments: [
            ("", ""), ("f", "MY"), ("fo", "MZXQ"), ("foo", "MZXW6"), ("foob", "MZXW6YQ"), ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI"),
        ])
    func base32(plain: String, encoded: String) {
        #expect(Base32.encode(Data(plain.utf8)) == encoded)
        #expect(Base32.decode(encoded.lowercased() + "===") == Data(plain.utf8))
    }

    @Test("Base32 rejects characters outside its alphabet")
    func base32Rejects() {
        #expect(Base32.decode("MZ1W") == nil)
        #expect(Base32.decode("MZ!W") == nil)
    }
}
