import Crypto
import Foundation

/// One message as it travels and is stored: ciphertext and signature plus the few facts the server needs to route it.
///
/// `ciphertext = AES-256-GCM(conversation key of epoch, random nonce, content JSON, AAD)` with
/// `AAD = "lotse message v1" ‖ conversation ‖ id ‖ sender ‖ epoch`; `signature = ECDSA-P256-SHA256(sender's signing
/// key, AAD ‖ ciphertext)`. Byte for byte what `Public/js/crypto/envelope.js` writes; see docs/crypto.md.
public struct MessageEnvelope: Codable, Sendable, Equatable {
    /// Chosen by the sender's device; a retried send carries the same ID (idempotency key).
    public var id: UUID
    /// The conversation it belongs to.
    public var conversation: UUID
    /// The author.
    public var sender: UUID
    /// The epoch whose key sealed it.
    public var epoch: UInt32
    /// Standard base64 of `nonce ‖ ciphertext ‖ tag`.
    public var ciphertext: String
    /// Standard base64 of the 64-byte `r ‖ s` signature.
    public var signature: String

    static let label = "lotse message v1"

    /// Creates the value.
    public init(id: UUID, conversation: UUID, sender: UUID, epoch: UInt32, ciphertext: String, signature: String) {
        self.id = id
        self.conversation = conversation
        self.sender = sender
        self.epoch = epoch
        self.ciphertext = ciphertext
        self.signature = signature
    }

    /// Encrypts and signs content for a conversation.
    public static func seal(
        _ content: MessageContent, id: UUID = UUID(), conversation: UUID, sender: UUID, epoch: UInt32,
        key: ConversationKey, signingKey: P256.Signing.PrivateKey
    ) throws -> MessageEnvelope {
        let binding = Self.binding(id: id, conversation: conversation, sender: sender, epoch: epoch)
        let plaintext = try JSONEncoder().encode(content)
        let sealed = try AES.GCM.sealCombined(plaintext, using: key.key, binding: binding)
        let signature = try signingKey.signature(for: binding.appending(sealed).bytes).rawRepresentation
        return MessageEnvelope(
            id: id, conversation: conversation, sender: sender, epoch: epoch,
            ciphertext: sealed.base64EncodedString(), signature: signature.base64EncodedString())
    }

    /// Checks the sender's signature, then decrypts. Throws ``EnvelopeError`` if anything was changed.
    public func open(key: ConversationKey, senderKey: P256.Signing.PublicKey) throws -> MessageContent {
        let binding = Self.binding(id: id, conversation: conversation, sender: sender, epoch: epoch)
        let sealed = try Data(base64: ciphertext, field: "ciphertext")
        try verify(signature: signature, of: binding.appending(sealed).bytes, by: senderKey)
        let plaintext = try AES.GCM.openCombined(sealed, using: key.key, binding: binding)
        do {
            return try JSONDecoder().decode(MessageContent.self, from: plaintext)
        } catch {
            throw EnvelopeError.malformed("content")
        }
    }

    static func binding(id: UUID, conversation: UUID, sender: UUID, epoch: UInt32) -> Binding {
        Binding(label).appending(conversation).appending(id).appending(sender).appending(epoch)
    }
}

/// What people wrote, before encryption.
public struct MessageContent: Codable, Sendable, Equatable {
    /// A live-chat line or a letter.
    public enum Kind: String, Codable, Sendable {
        /// Short, live.
        case chat
        /// Long, asynchronous; shown as a letter.
        case letter
    }

    /// A live-chat line or a letter.
    public var kind: Kind
    /// The text.
    public var text: String
    /// Letters may have a subject.
    public var subject: String?
    /// Files that travel with the message.
    public var attachments: [AttachmentReference]

    /// Creates content.
    public init(kind: Kind, text: String, subject: String? = nil, attachments: [AttachmentReference] = []) {
        self.kind = kind
        self.text = text
        self.subject = subject
        self.attachments = attachments
    }

    /// Reads content; a message without files may leave `attachments` out.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(Kind.self, forKey: .kind)
        text = try container.decode(String.self, forKey: .text)
        subject = try container.decodeIfPresent(String.self, forKey: .subject)
        attachments = try container.decodeIfPresent([AttachmentReference].self, forKey: .attachments) ?? []
    }
}

/// A file sent with a message. The blob on the server is `AES-GCM(key, file, AAD = "lotse attachment v1" ‖ id)`.
public struct AttachmentReference: Codable, Sendable, Equatable {
    /// The blob's ID on the server.
    public var id: UUID
    /// The file name.
    public var name: String
    /// The media type.
    public var type: String
    /// The plaintext size in bytes.
    public var size: Int
    /// Standard base64 of the file's own 32-byte key.
    public var key: String

    /// Creates the reference.
    public init(id: UUID, name: String, type: String, size: Int, key: String) {
        self.id = id
        self.name = name
        self.type = type
        self.size = size
        self.key = key
    }
}

/// Encrypts and decrypts attachment blobs.
public enum AttachmentCipher {
    static let label = "lotse attachment v1"

    /// Seals a file under a fresh key; returns the blob and the reference's key (base64).
    public static func seal(_ file: Data, id: UUID) throws -> (blob: Data, key: String) {
        let key = SymmetricKey(size: .bits256)
        let blob = try AES.GCM.sealCombined(file, using: key, binding: Binding(label).appending(id))
        return (blob, key.withUnsafeBytes { Data($0) }.base64EncodedString())
    }

    /// Opens a blob with the key from its reference.
    public static func open(_ blob: Data, id: UUID, key base64: String) throws -> Data {
        let key = try Data(base64: base64, field: "key")
        guard key.count == 32 else { throw EnvelopeError.malformed("key") }
        return try AES.GCM.openCombined(blob, using: SymmetricKey(data: key), binding: Binding(label).appending(id))
    }
}
