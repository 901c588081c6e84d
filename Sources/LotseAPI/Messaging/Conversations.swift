import Foundation

/// Starts a conversation. The ID is chosen by the client, so a retried request finds the first conversation.
public struct CreateConversation: Codable, Sendable, Equatable {
    /// The new conversation's ID.
    public var id: UUID
    /// The other members (1 for a one-to-one conversation, more for a group).
    public var members: [UUID]
    /// Epoch 1's key wrapped for every member, the creator included.
    public var keys: [WrappedConversationKey]

    /// Creates the request.
    public init(id: UUID, members: [UUID], keys: [WrappedConversationKey]) {
        self.id = id
        self.members = members
        self.keys = keys
    }
}

/// A conversation as its members see it. Content is never here: only who, which key epoch, and how far.
public struct Conversation: Codable, Sendable, Equatable {
    /// The conversation's ID.
    public var id: UUID
    /// Who started it; only they add or remove others.
    public var creator: UUID
    /// The current members.
    public var members: [ConversationMember]
    /// People who left or were removed, with the signing key they had then, so their earlier messages still verify.
    public var formerMembers: [FormerMember]
    /// The current key epoch; messages must be sealed with its key.
    public var epoch: UInt32
    /// Whether a member left and the next sender must start a new epoch first.
    public var needsNewKey: Bool
    /// The sequence number of the latest message (0 when empty).
    public var lastSeq: Int
    /// When the latest message arrived.
    public var lastMessageAt: Date?
    /// When it was started.
    public var createdAt: Date

    /// Creates the value.
    public init(
        id: UUID, creator: UUID, members: [ConversationMember], formerMembers: [FormerMember] = [], epoch: UInt32,
        needsNewKey: Bool, lastSeq: Int, lastMessageAt: Date?, createdAt: Date
    ) {
        self.id = id
        self.creator = creator
        self.members = members
        self.formerMembers = formerMembers
        self.epoch = epoch
        self.needsNewKey = needsNewKey
        self.lastSeq = lastSeq
        self.lastMessageAt = lastMessageAt
        self.createdAt = createdAt
    }
}

/// A member of a conversation with their public keys and how far they have read.
public struct ConversationMember: Codable, Sendable, Equatable {
    /// The account.
    public var userId: UUID
    /// The name others see.
    public var displayName: String
    /// The P-256 ECDH public key.
    public var agreementKey: String
    /// The P-256 ECDSA public key.
    public var signingKey: String
    /// The highest sequence number their devices received.
    public var deliveredSeq: Int
    /// The highest sequence number they read.
    public var readSeq: Int
    /// Every key version the server accepted for the account, oldest first, the current one last: what was valid
    /// when checks a message or key they made then. More than one means their security number changed.
    public var keyHistory: [KeyVersion]

    /// Creates the value.
    public init(
        userId: UUID, displayName: String, agreementKey: String, signingKey: String, deliveredSeq: Int, readSeq: Int,
        keyHistory: [KeyVersion] = []
    ) {
        self.userId = userId
        self.displayName = displayName
        self.agreementKey = agreementKey
        self.signingKey = signingKey
        self.deliveredSeq = deliveredSeq
        self.readSeq = readSeq
        self.keyHistory = keyHistory
    }
}

/// One version of an account's public keys and when it was valid. A version ends when the account's keys are
/// replaced: after a password reset without the recovery key, the old private keys are gone and new ones are made.
public struct KeyVersion: Codable, Sendable, Equatable {
    /// 1 for the first keys, counting up.
    public var version: Int
    /// The P-256 ECDH public key of this version.
    public var agreementKey: String
    /// The P-256 ECDSA public key of this version.
    public var signingKey: String
    /// When the server accepted it.
    public var validFrom: Date
    /// When it ended; nil for the current version.
    public var validUntil: Date?

    /// Creates the value.
    public init(version: Int, agreementKey: String, signingKey: String, validFrom: Date, validUntil: Date?) {
        self.version = version
        self.agreementKey = agreementKey
        self.signingKey = signingKey
        self.validFrom = validFrom
        self.validUntil = validUntil
    }
}

/// Someone who is no longer in a conversation, as its members still need them: to check old signatures.
public struct FormerMember: Codable, Sendable, Equatable {
    /// The account.
    public var userId: UUID
    /// The name others saw.
    public var displayName: String
    /// The P-256 ECDSA public key they had when they left.
    public var signingKey: String
    /// When they left or were removed.
    public var leftAt: Date
    /// Every key version of the account, as for members.
    public var keyHistory: [KeyVersion]

    /// Creates the value.
    public init(userId: UUID, displayName: String, signingKey: String, leftAt: Date, keyHistory: [KeyVersion] = []) {
        self.userId = userId
        self.displayName = displayName
        self.signingKey = signingKey
        self.leftAt = leftAt
        self.keyHistory = keyHistory
    }
}

/// Starts the next key epoch: a fresh key wrapped for exactly the current members.
public struct RotateConversationKey: Codable, Sendable, Equatable {
    /// The new epoch: the current one plus one.
    public var epoch: UInt32
    /// The new key for every current member.
    public var keys: [WrappedConversationKey]

    /// Creates the request.
    public init(epoch: UInt32, keys: [WrappedConversationKey]) {
        self.epoch = epoch
        self.keys = keys
    }
}

/// Adds people to a conversation (creator only). They read only what is written after the next key epoch starts.
public struct AddMembers: Codable, Sendable, Equatable {
    /// The accounts to add.
    public var members: [UUID]

    /// Creates the request.
    public init(members: [UUID]) { self.members = members }
}

/// Moves a member's delivery or read mark forward; marks never move back.
public struct MarkConversation: Codable, Sendable, Equatable {
    /// The highest sequence number read.
    public var readSeq: Int?
    /// The highest sequence number received.
    public var deliveredSeq: Int?

    /// Creates the request.
    public init(readSeq: Int? = nil, deliveredSeq: Int? = nil) {
        self.readSeq = readSeq
        self.deliveredSeq = deliveredSeq
    }
}
