import Crypto
import CryptoExtras
import Foundation

/// The two keys a password yields, derived exactly as `Public/js/crypto/keys.js` derives them (see docs/accounts.md).
///
/// `master = PBKDF2-HMAC-SHA256(NFC(password), salt, iterations, 32 bytes)`, then two independent HKDF-SHA256 outputs
/// with an empty salt: the **login key** (`info = "lotse login key v1"`), which is sent to the server in place of the
/// password, and the **wrap key** (`info = "lotse wrap key v1"`), which never leaves the client and protects the
/// account's private keys. Knowing the login key does not help to compute the wrap key.
public struct PasswordKeys: Sendable {
    /// Sent to the server at sign-in; the server stores only a bcrypt hash of it.
    public let loginKey: SymmetricKey
    /// Stays on the client; wraps the account's private keys.
    public let wrapKey: SymmetricKey

    static let loginInfo = Data("lotse login key v1".utf8)
    static let wrapInfo = Data("lotse wrap key v1".utf8)

    /// Derives both keys. Slow on purpose: 600,000 iterations take a few hundred milliseconds.
    public init(password: String, salt: Data, iterations: Int) throws {
        let normalized = Data(password.precomposedStringWithCanonicalMapping.utf8)
        let master = try KDF.Insecure.PBKDF2.deriveKey(
            from: normalized, salt: salt, using: .sha256, outputByteCount: 32, unsafeUncheckedRounds: iterations
        )
        self.loginKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Self.loginInfo, outputByteCount: 32)
        self.wrapKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Self.wrapInfo, outputByteCount: 32)
    }

    /// The login key as the API carries it: standard base64 of its 32 bytes.
    public var loginKeyBase64: String {
        loginKey.withUnsafeBytes { Data($0).base64EncodedString() }
    }
}
