import Crypto
import Foundation

/// Signs the audit log's checkpoints with a key kept outside the database (`LOTSE_AUDIT_KEY`, or
/// `<data dir>/audit.key`), and keeps a copy of each checkpoint outside it too (`<data dir>/audit-checkpoints`),
/// so that whoever can rewrite the database can neither forge a checkpoint nor make the log's end disappear with the
/// checkpoints that vouch for it. Several instances sharing one PostgreSQL database share the key.
struct AuditSigner: Sendable {
    private let key: Curve25519.Signing.PrivateKey
    /// One line per checkpoint: `sequence hash signature`; nil for in-memory test servers.
    let checkpointFile: String?

    init(key: Curve25519.Signing.PrivateKey, checkpointFile: String?) {
        self.key = key
        self.checkpointFile = checkpointFile
    }

    /// The configured key, or the data folder's, made on first use.
    static func load(configured: Data?, dataDirectory: String) throws -> AuditSigner {
        let file = dataDirectory + "/audit-checkpoints"
        if let configured {
            return AuditSigner(
                key: try Curve25519.Signing.PrivateKey(rawRepresentation: configured), checkpointFile: file)
        }
        let path = dataDirectory + "/audit.key"
        if let existing = FileManager.default.contents(atPath: path), let bytes = Data(base64Encoded: existing),
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: bytes)
        {
            return AuditSigner(key: key, checkpointFile: file)
        }
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let key = Curve25519.Signing.PrivateKey()
        guard
            FileManager.default.createFile(
                atPath: path, contents: Data(key.rawRepresentation.base64EncodedString().utf8),
                attributes: [.posixPermissions: 0o600])
        else { throw ConfigError("Cannot write \(path); is the data folder writable?") }
        return AuditSigner(key: key, checkpointFile: file)
    }

    /// A fresh key and no file, for in-memory test servers.
    static func ephemeral(checkpointFile: String? = nil) -> AuditSigner {
        AuditSigner(key: Curve25519.Signing.PrivateKey(), checkpointFile: checkpointFile)
    }

    /// What a checkpoint signs.
    static func message(sequence: Int, hash: String) -> Data {
        Data("lotse audit checkpoint v1|\(sequence)|\(hash)".utf8)
    }

    func sign(sequence: Int, hash: String) throws -> String {
        try key.signature(for: Self.message(sequence: sequence, hash: hash)).base64EncodedString()
    }

    func isValid(_ signature: String, sequence: Int, hash: String) -> Bool {
        guard let bytes = Data(base64Encoded: signature) else { return false }
        return key.publicKey.isValidSignature(bytes, for: Self.message(sequence: sequence, hash: hash))
    }

    /// Appends a checkpoint to the file outside the database.
    func keep(sequence: Int, hash: String, signature: String) throws {
        guard let checkpointFile else { return }
        let line = Data("\(sequence) \(hash) \(signature)\n".utf8)
        if !FileManager.default.fileExists(atPath: checkpointFile) {
            guard
                FileManager.default.createFile(
                    atPath: checkpointFile, contents: nil, attributes: [.posixPermissions: 0o600])
            else { throw ConfigError("Cannot write \(checkpointFile); is the data folder writable?") }
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: checkpointFile))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: line)
    }

    /// The checkpoints kept outside the database: (sequence, hash, signature); unreadable lines are skipped (the
    /// signature check would refuse them anyway).
    func keptCheckpoints() -> [(sequence: Int, hash: String, signature: String)] {
        guard let checkpointFile, let text = FileManager.default.contents(atPath: checkpointFile) else { return [] }
        return String(decoding: text, as: UTF8.self).split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ").map(String.init)
            guard parts.count == 3, let sequence = Int(parts[0]) else { return nil }
            return (sequence, parts[1], parts[2])
        }
    }
}
