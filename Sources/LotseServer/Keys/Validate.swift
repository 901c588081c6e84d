import Crypto
import Foundation

/// Shape checks for keys and sealed values: the server cannot open them, but it refuses what no client could.
/// Features add their own (`Validate.sealedMessage` in Messaging).
enum Validate {
    enum PointKind { case agreement, signing }

    static func base64(_ text: String, field: String, minimum: Int, maximum: Int = .max) throws -> Data {
        guard let data = Data(base64Encoded: text), data.count >= minimum, data.count <= maximum else {
            throw KeysError.malformed(field: field)
        }
        return data
    }

    /// A 65-byte uncompressed point that lies on P-256.
    static func point(_ text: String, field: String, as kind: PointKind) throws {
        let data = try base64(text, field: field, minimum: 65, maximum: 65)
        let valid =
            switch kind {
            case .agreement: (try? P256.KeyAgreement.PublicKey(x963Representation: data)) != nil
            case .signing: (try? P256.Signing.PublicKey(x963Representation: data)) != nil
            }
        guard valid else { throw KeysError.malformed(field: field) }
    }

    /// `nonce ‖ ciphertext ‖ tag` of a plaintext of known length.
    static func sealed(_ text: String, field: String, plaintext: Int) throws {
        _ = try base64(text, field: field, minimum: 28 + plaintext, maximum: 28 + plaintext)
    }
}
