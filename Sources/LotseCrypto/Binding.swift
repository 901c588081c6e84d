import Crypto
import Foundation

/// The bytes that tie a ciphertext to its context: a versioned label followed by fixed-width fields.
///
/// Every AES-GCM box and signature in Lotse authenticates one of these, so a ciphertext cannot be moved to another
/// conversation, message, member or account without failing to open. Layouts are in docs/crypto.md.
struct Binding {
    private(set) var bytes: Data

    init(_ label: String) { bytes = Data(label.utf8) }

    func appending(_ id: UUID) -> Binding {
        var copy = self
        withUnsafeBytes(of: id.uuid) { copy.bytes.append(contentsOf: $0) }
        return copy
    }

    func appending(_ value: UInt32) -> Binding {
        var copy = self
        withUnsafeBytes(of: value.bigEndian) { copy.bytes.append(contentsOf: $0) }
        return copy
    }

    func appending(_ data: Data) -> Binding {
        var copy = self
        copy.bytes.append(data)
        return copy
    }
}

/// Why a ciphertext, key or signature was refused. Callers show one message for all: the details help only attackers.
public enum EnvelopeError: Error, Equatable, Sendable {
    /// Not valid base64, or the wrong length.
    case malformed(String)
    /// AES-GCM refused the box: wrong key, or the bytes or their context were changed.
    case unreadable
    /// The signature does not belong to the claimed sender and bytes.
    case badSignature
}

extension AES.GCM {
    /// Seals with a random 96-bit nonce; the result is `nonce ‖ ciphertext ‖ tag`, as WebCrypto's output with the
    /// nonce in front.
    static func sealCombined(_ plaintext: Data, using key: SymmetricKey, binding: Binding) throws -> Data {
        let box = try AES.GCM.seal(plaintext, using: key, authenticating: binding.bytes)
        guard let combined = box.combined else { throw EnvelopeError.malformed("nonce") }
        return combined
    }

    static func openCombined(_ combined: Data, using key: SymmetricKey, binding: Binding) throws -> Data {
        guard combined.count >= 28 else { throw EnvelopeError.malformed("ciphertext") }
        do {
            return try AES.GCM.open(AES.GCM.SealedBox(combined: combined), using: key, authenticating: binding.bytes)
        } catch {
            throw EnvelopeError.unreadable
        }
    }
}

extension Data {
    /// Decodes standard base64 or throws ``EnvelopeError/malformed(_:)`` naming the field.
    init(base64 text: String, field: String) throws {
        guard let data = Data(base64Encoded: text) else { throw EnvelopeError.malformed(field) }
        self = data
    }
}
