import Foundation

/// Sends one sealed message. `id` is the idempotency key: sending the same message again returns the first one.
public struct SendMessage: Codable, Sendable, Equatable {
    /// Chosen by the sender's device.
    public var id: UUID
    /// The key epoch that sealed it; must be the conversation's current one.
    public var epoch: UInt32
    /// Standard base64 of `nonce ‖ ciphertext ‖ tag`.
    public var ciphertext: String
    /// Standard base64 of the sender's 64-byte ECDSA signature.
    public var signature: String
    /// Uploaded attachments the message refers to, so they are kept (their keys are inside the ciphertext).
    public var attachments: [UUID]?

    /// Creates the request.
    public init(id: UUID, epoch: UInt32, ciphertext: String, signature: String, attachments: [UUID]? = nil) {
        self.id = id
        self.epoch = epoch
        self.ciphertext = ciphertext
        self.signature = signature
        self.attachments = attachments
    }
}

/// A stored message: opaque to the server, numbered without gaps within its conversation.
public struct Message: Codable, Sendable, Equatable {
    /// Chosen by the sender's device.
    public var id: UUID
    /// The conversation.
    public var conversation: UUID
    /// The author.
    public var sender: UUID
    /// The key epoch that sealed it.
    public var epoch: UInt32
    /// 1, 2, 3, … within the conversation; a client that has seen n asks for what comes after n.
    public var seq: Int
    /// Standard base64 of `nonce ‖ ciphertext ‖ tag`.
    public var ciphertext: String
    /// Standard base64 of the sender's signature.
    public var signature: String
    /// The attachments it refers to.
    public var attachments: [UUID]
    /// When the server stored it.
    public var sentAt: Date

    /// Creates the value.
    public init(
        id: UUID, conversation: UUID, sender: UUID, epoch: UInt32, seq: Int, ciphertext: String, signature: String,
        attachments: [UUID], sentAt: Date
    ) {
        self.id = id
        self.conversation = conversation
        self.sender = sender
        self.epoch = epoch
        self.seq = seq
        self.ciphertext = ciphertext
        self.signature = signature
        self.attachments = attachments
        self.sentAt = sentAt
    }
}

/// A page of history, oldest first.
public struct MessagePage: Codable, Sendable, Equatable {
    /// The messages, ascending by `seq`.
    public var messages: [Message]
    /// Whether more exist beyond this page in the direction asked.
    public var hasMore: Bool

    /// Creates the page.
    public init(messages: [Message], hasMore: Bool) {
        self.messages = messages
        self.hasMore = hasMore
    }
}

/// A letter being written, sealed like a message and visible only to its author.
public struct Draft: Codable, Sendable, Equatable {
    /// The key epoch that sealed it.
    public var epoch: UInt32
    /// The sealed draft; the envelope ID is `id`.
    public var id: UUID
    /// Standard base64 of `nonce ‖ ciphertext ‖ tag`.
    public var ciphertext: String
    /// Standard base64 of the author's signature.
    public var signature: String
    /// When it was last saved.
    public var updatedAt: Date

    /// Creates the draft.
    public init(epoch: UInt32, id: UUID, ciphertext: String, signature: String, updatedAt: Date) {
        self.epoch = epoch
        self.id = id
        self.ciphertext = ciphertext
        self.signature = signature
        self.updatedAt = updatedAt
    }
}

/// Saves a draft letter, sealed like a message with the current epoch's key.
public struct SaveDraft: Codable, Sendable, Equatable {
    /// The key epoch that sealed it.
    public var epoch: UInt32
    /// The envelope ID the draft was sealed with.
    public var id: UUID
    /// Standard base64 of `nonce ‖ ciphertext ‖ tag`.
    public var ciphertext: String
    /// Standard base64 of the author's signature.
    public var signature: String

    /// Creates the request.
    public init(epoch: UInt32, id: UUID, ciphertext: String, signature: String) {
        self.epoch = epoch
        self.id = id
        self.ciphertext = ciphertext
        self.signature = signature
    }
}

/// An uploaded, client-side encrypted file.
public struct Attachment: Codable, Sendable, Equatable {
    /// Chosen by the uploading device.
    public var id: UUID
    /// The blob's size in bytes (ciphertext).
    public var size: Int

    /// Creates the value.
    public init(id: UUID, size: Int) {
        self.id = id
        self.size = size
    }
}
