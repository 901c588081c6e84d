import Crypto
import Foundation

/// Proof that a new recovery-sealed copy of an account's keys comes from someone holding the unlocked keys: the
/// account's signing key signs `label ‖ account ID ‖ sealed bytes` (docs/crypto.md, "A new recovery key"). Without
/// it, a stolen session could swap the recovery copy for garbage and so take away the way back in.
public enum RecoveryKeyChange {
    static let label = "lotse recovery key v1"

    static func signedBytes(userID: UUID, sealed: Data) -> Data {
        Binding(label).appending(userID).appending(sealed).bytes
    }

    /// Signs a new recovery-sealed copy (base64) as the browser does; tests and a future Swift client use it.
    public static func sign(_ sealed: String, userID: UUID, signingKey: P256.Signing.PrivateKey) throws -> String {
        let bytes = try Data(base64: sealed, field: "recoveryWrappedKeys")
        return try signingKey.signature(for: signedBytes(userID: userID, sealed: bytes)).rawRepresentation
            .base64EncodedString()
    }

    /// Checks the signature against the account's present signing key (base64 of its 65-byte point).
    public static func verify(_ signature: String, of sealed: String, userID: UUID, signingKey: String) throws {
        let bytes = try Data(base64: sealed, field: "recoveryWrappedKeys")
        let key = try P256.Signing.PublicKey(x963Representation: Data(base64: signingKey, field: "signingKey"))
        try LotseCrypto.verify(signature: signature, of: signedBytes(userID: userID, sealed: bytes), by: key)
    }
}
