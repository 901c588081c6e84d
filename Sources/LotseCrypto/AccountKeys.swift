import Crypto
import Foundation

/// An account's two long-lived key pairs: P-256 ECDH to receive conversation keys, P-256 ECDSA to sign.
///
/// The server stores the public halves in the clear and the private halves only inside ``wrap(with:userID:)`` boxes:
/// one under the password's wrap key, one under the recovery key. See docs/crypto.md.
public struct AccountKeyPair: Sendable {
    /// Receives conversation keys.
    public let agreement: P256.KeyAgreement.PrivateKey
    /// Signs messages and key distributions.
    public let signing: P256.Signing.PrivateKey

    static let label = "lotse account keys v1"

    /// Fresh random keys.
    public init() {
        agreement = P256.KeyAgreement.PrivateKey()
        signing = P256.Signing.PrivateKey()
    }

    /// Keys from their 32-byte private scalars.
    public init(agreementScalar: Data, signingScalar: Data) throws {
        do {
            agreement = try P256.KeyAgreement.PrivateKey(rawRepresentation: agreementScalar)
            signing = try P256.Signing.PrivateKey(rawRepresentation: signingScalar)
        } catch {
            throw EnvelopeError.malformed("privateKeys")
        }
    }

    /// The public halves, as the server and other members see them.
    public var publicKeys: PublicAccountKeys {
        PublicAccountKeys(agreement: agreement.publicKey, signing: signing.publicKey)
    }

    /// Seals both private scalars (`agreement ‖ signing`, 64 bytes) under a wrap key, bound to the account's ID.
    /// Returns base64 of `nonce ‖ ciphertext ‖ tag`.
    public func wrap(with key: SymmetricKey, userID: UUID) throws -> String {
        let scalars = agreement.rawRepresentation + signing.rawRepresentation
        return try AES.GCM.sealCombined(scalars, using: key, binding: Binding(Self.label).appending(userID))
            .base64EncodedString()
    }

    /// Opens what ``wrap(with:userID:)`` (or keys.js) sealed.
    public init(unwrapping wrapped: String, with key: SymmetricKey, userID: UUID) throws {
        let scalars = try AES.GCM.openCombined(
            Data(base64: wrapped, field: "wrappedKeys"), using: key, binding: Binding(Self.label).appending(userID))
        guard scalars.count == 64 else { throw EnvelopeError.malformed("wrappedKeys") }
        try self.init(agreementScalar: scalars.prefix(32), signingScalar: scalars.suffix(32))
    }
}

/// The public halves of an account's keys, as 65-byte uncompressed points (WebCrypto's raw format).
public struct PublicAccountKeys: Sendable, Equatable {
    /// Two key sets are equal when their raw points are.
    public static func == (lhs: PublicAccountKeys, rhs: PublicAccountKeys) -> Bool {
        lhs.agreementBase64 == rhs.agreementBase64 && lhs.signingBase64 == rhs.signingBase64
    }

    /// Conversation keys are wrapped to this.
    public let agreement: P256.KeyAgreement.PublicKey
    /// Verifies the account's signatures.
    public let signing: P256.Signing.PublicKey

    /// Creates the pair.
    public init(agreement: P256.KeyAgreement.PublicKey, signing: P256.Signing.PublicKey) {
        self.agreement = agreement
        self.signing = signing
    }

    /// Reads base64 of the raw points; throws for anything that is not a point on P-256.
    public init(agreementBase64: String, signingBase64: String) throws {
        do {
            agreement = try P256.KeyAgreement.PublicKey(
                x963Representation: Data(base64: agreementBase64, field: "agreementKey"))
        } catch { throw EnvelopeError.malformed("agreementKey") }
        do {
            signing = try P256.Signing.PublicKey(x963Representation: Data(base64: signingBase64, field: "signingKey"))
        } catch { throw EnvelopeError.malformed("signingKey") }
    }

    /// Base64 of the agreement key's raw point.
    public var agreementBase64: String { agreement.x963Representation.base64EncodedString() }
    /// Base64 of the signing key's raw point.
    public var signingBase64: String { signing.x963Representation.base64EncodedString() }

    /// SHA-256 over a label and both raw points: what the safety number is made of.
    public var fingerprint: Data {
        var hash = SHA256()
        hash.update(data: Data("lotse fingerprint v1".utf8))
        hash.update(data: agreement.x963Representation)
        hash.update(data: signing.x963Representation)
        return Data(hash.finalize())
    }

    /// The 60 digits two people compare to know they see each other's real keys: each account contributes six
    /// five-digit groups from its fingerprint, and the two halves are sorted so both sides read the same number.
    public static func safetyNumber(_ a: PublicAccountKeys, _ b: PublicAccountKeys) -> String {
        [a.fingerprintDigits, b.fingerprintDigits].sorted().joined().chunked(5).joined(separator: " ")
    }

    var fingerprintDigits: String {
        let bytes = Array(fingerprint)
        return (0..<6).map { group in
            let value = bytes[group * 5..<group * 5 + 5].reduce(UInt64(0)) { ($0 << 8) | UInt64($1) }
            let digits = String(value % 100_000)
            return String(repeating: "0", count: 5 - digits.count) + digits
        }.joined()
    }
}

extension String {
    fileprivate func chunked(_ size: Int) -> [String] {
        var chunks: [String] = []
        var index = startIndex
        while index < endIndex {
            let end = self.index(index, offsetBy: size, limitedBy: endIndex) ?? endIndex
            chunks.append(String(self[index..<end]))
            index = end
        }
        return chunks
    }
}

/// The 32 random bytes shown once when an account's keys are made; they unlock the keys when the password is lost.
public struct RecoveryKey: Sendable {
    /// The raw secret.
    public let bytes: Data

    /// A fresh random recovery key.
    public init() {
        bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
    }

    /// Reads the form people write down: base32, any case, spaces and dashes ignored.
    public init(text: String) throws {
        guard let bytes = Base32.decode(text), bytes.count == 32 else { throw EnvelopeError.malformed("recoveryKey") }
        self.bytes = bytes
    }

    /// 52 base32 characters in groups of four, e.g. `ABCD-EFGH-…`.
    public var text: String {
        Array(Base32.encode(bytes)).chunks(of: 4).map { String($0) }.joined(separator: "-")
    }

    /// The key that wraps the account keys: HKDF-SHA256 with an empty salt and info "lotse recovery wrap key v1".
    public var wrapKey: SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: bytes), info: Data("lotse recovery wrap key v1".utf8),
            outputByteCount: 32)
    }
}

extension Array {
    fileprivate func chunks(of size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
