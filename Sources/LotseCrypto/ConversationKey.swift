import Crypto
import Foundation
import LotseAPI

/// The AES-256-GCM key of one epoch of a conversation. A new epoch (and key) starts whenever members change.
public struct ConversationKey: Sendable {
    /// The secret.
    public let key: SymmetricKey

    static let label = "lotse conversation key v1"

    /// A fresh random key.
    public init() { key = SymmetricKey(size: .bits256) }

    /// A key from its 32 bytes.
    public init(bytes: Data) throws {
        guard bytes.count == 32 else { throw EnvelopeError.malformed("conversationKey") }
        key = SymmetricKey(data: bytes)
    }

    /// Wraps the key for one member and signs the result as `distributor`.
    ///
    /// ECIES on P-256: an ephemeral key agrees with the member's agreement key; HKDF-SHA256 (salt = both raw points,
    /// info = the label) makes the key-encryption key; AES-GCM seals the 32 bytes bound to conversation, epoch and
    /// member; ECDSA signs everything so members know which member handed the key out. See docs/crypto.md.
    public func wrap(
        for member: UUID, publicKey: P256.KeyAgreement.PublicKey, conversation: UUID, epoch: UInt32,
        distributor: UUID, signingKey: P256.Signing.PrivateKey
    ) throws -> WrappedConversationKey {
        let ephemeral = P256.KeyAgreement.PrivateKey()
        let ephemeralPoint = ephemeral.publicKey.x963Representation
        let kek = try Self.keyEncryptionKey(
            shared: ephemeral.sharedSecretFromKeyAgreement(with: publicKey), ephemeralPoint: ephemeralPoint,
            memberPoint: publicKey.x963Representation)
        let binding = Self.binding(conversation: conversation, epoch: epoch, member: member)
        let sealed = try AES.GCM.sealCombined(key.withUnsafeBytes { Data($0) }, using: kek, binding: binding)
        let signed = Self.signedBytes(binding, distributor: distributor, ephemeralPoint: ephemeralPoint, sealed: sealed)
        let signature = try signingKey.signature(for: signed).rawRepresentation
        return WrappedConversationKey(
            member: member, epoch: epoch, distributor: distributor,
            ephemeralPublicKey: ephemeralPoint.base64EncodedString(), wrappedKey: sealed.base64EncodedString(),
            signature: signature.base64EncodedString())
    }

    /// Checks the distributor's signature and opens a key wrapped for `member`.
    public init(
        unwrapping wrapped: WrappedConversationKey, conversation: UUID, member: UUID,
        agreementKey: P256.KeyAgreement.PrivateKey, distributorKey: P256.Signing.PublicKey
    ) throws {
        let ephemeralPoint = try Data(base64: wrapped.ephemeralPublicKey, field: "ephemeralPublicKey")
        let sealed = try Data(base64: wrapped.wrappedKey, field: "wrappedKey")
        let binding = Self.binding(conversation: conversation, epoch: wrapped.epoch, member: member)
        let signed = Self.signedBytes(
            binding, distributor: wrapped.distributor, ephemeralPoint: ephemeralPoint, sealed: sealed)
        try verify(signature: wrapped.signature, of: signed, by: distributorKey)
        let ephemeral: P256.KeyAgreement.PublicKey
        do { ephemeral = try P256.KeyAgreement.PublicKey(x963Representation: ephemeralPoint) } catch {
            throw EnvelopeError.malformed("ephemeralPublicKey")
        }
        let kek = try Self.keyEncryptionKey(
            shared: agreementKey.sharedSecretFromKeyAgreement(with: ephemeral), ephemeralPoint: ephemeralPoint,
            memberPoint: agreementKey.publicKey.x963Representation)
        try self.init(bytes: AES.GCM.openCombined(sealed, using: kek, binding: binding))
    }

    static func keyEncryptionKey(shared: SharedSecret, ephemeralPoint: Data, memberPoint: Data) throws
        -> SymmetricKey
    {
        shared.hkdfDerivedSymmetricKey(
            using: SHA256.self, salt: ephemeralPoint + memberPoint, sharedInfo: Data(label.utf8), outputByteCount: 32)
    }

    static func binding(conversation: UUID, epoch: UInt32, member: UUID) -> Binding {
        Binding(label).appending(conversation).appending(epoch).appending(member)
    }

    static func signedBytes(_ binding: Binding, distributor: UUID, ephemeralPoint: Data, sealed: Data) -> Data {
        binding.appending(distributor).appending(ephemeralPoint).appending(sealed).bytes
    }
}

func verify(signature base64: String, of data: Data, by key: P256.Signing.PublicKey) throws {
    let raw = try Data(base64: base64, field: "signature")
    guard let signature = try? P256.Signing.ECDSASignature(rawRepresentation: raw),
        key.isValidSignature(signature, for: data)
    else { throw EnvelopeError.badSignature }
}
