import Crypto
import Foundation
import LotseCrypto

/// Keys derived from the server's one secret (`LOTSE_SECRET` or `<data dir>/secret.key`).
///
/// Several instances sharing one PostgreSQL database must share this secret too.
struct ServerSecrets: Sendable {
    private let sealingKey: SymmetricKey
    private let decoyKey: SymmetricKey
    private let deviceKey: SymmetricKey

    init(secret: Data) {
        let master = SymmetricKey(data: secret)
        sealingKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: master, info: Data("lotse sealing v1".utf8), outputByteCount: 32)
        decoyKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: master, info: Data("lotse decoy salt v1".utf8), outputByteCount: 32)
        deviceKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: master, info: Data("lotse known device v1".utf8), outputByteCount: 32)
    }

    /// A token for a browser that just signed in to `user`: `nonce.mac`, where the MAC covers the user, the nonce
    /// and the current login-key hash, so a password change or reset makes every earlier token worthless.
    func deviceToken(for user: UUID, loginKeyHash: String) -> String {
        let nonce = SecureToken.make()
        return nonce + "." + deviceMAC(user: user, nonce: nonce, loginKeyHash: loginKeyHash)
    }

    /// Whether `token` came from ``deviceToken(for:loginKeyHash:)`` for this user and password.
    func isDeviceToken(_ token: String, of user: UUID, loginKeyHash: String) -> Bool {
        let parts = token.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[0].count <= 64 else { return false }
        return constantTimeEquals(parts[1], deviceMAC(user: user, nonce: parts[0], loginKeyHash: loginKeyHash))
    }

    private func deviceMAC(user: UUID, nonce: String, loginKeyHash: String) -> String {
        let message = Data((user.uuidString + "|" + nonce + "|" + loginKeyHash).utf8)
        return Data(HMAC<SHA256>.authenticationCode(for: message, using: deviceKey)).base64EncodedString()
    }

    /// Reads the secret from the configuration, else from `secret.key` in the data folder, creating it on first start.
    static func load(configured: Data?, dataDirectory: String) throws -> ServerSecrets {
        if let configured { return ServerSecrets(secret: configured) }
        let path = dataDirectory + "/secret.key"
        if let existing = FileManager.default.contents(atPath: path), let bytes = Data(base64Encoded: existing),
            bytes.count == 32
        {
            return ServerSecrets(secret: bytes)
        }
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        guard
            FileManager.default.createFile(
                atPath: path, contents: Data(bytes.base64EncodedString().utf8), attributes: [.posixPermissions: 0o600])
        else { throw ConfigError("Cannot write \(path); is the data folder writable?") }
        return ServerSecrets(secret: bytes)
    }

    /// A fresh random secret, for in-memory test servers.
    static func ephemeral() -> ServerSecrets {
        ServerSecrets(secret: SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
    }

    /// A salt for an address that has no account: stable per address, indistinguishable from a real one.
    func decoySalt(for email: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(email.utf8), using: decoyKey)
        return Data(Array(mac).prefix(16)).base64EncodedString()
    }

    /// Encrypts a small secret for storage, bound to `context` (e.g. the user id) so it cannot be moved to another row.
    func seal(_ plaintext: Data, context: String) throws -> String {
        let box = try AES.GCM.seal(plaintext, using: sealingKey, authenticating: Data(context.utf8))
        // Always present with the default 12-byte nonce.
        guard let combined = box.combined else { throw CryptoKitError.incorrectParameterSize }
        return combined.base64EncodedString()
    }

    /// Decrypts what ``seal(_:context:)`` wrote; nil when it was tampered with or belongs elsewhere.
    func open(_ sealed: String, context: String) -> Data? {
        guard let data = Data(base64Encoded: sealed), let box = try? AES.GCM.SealedBox(combined: data) else {
            return nil
        }
        return try? AES.GCM.open(box, using: sealingKey, authenticating: Data(context.utf8))
    }
}
