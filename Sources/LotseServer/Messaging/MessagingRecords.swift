import Fluent
import Foundation
import LotseAPI
import SQLKit

/// A conversation: who started it, the current key epoch and the last sequence number handed out.
final class ConversationRecord: Model, @unchecked Sendable {
    static let schema = "conversations"

    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "creator_id") var creatorID: UUID
    @Field(key: "epoch") var epoch: Int
    @Field(key: "needs_new_key") var needsNewKey: Bool
    @Field(key: "last_seq") var lastSeq: Int
    @OptionalField(key: "last_message_at") var lastMessageAt: Date?
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// A person's place in a conversation and how far their devices have received and read.
final class ConversationMemberRecord: Model, @unchecked Sendable {
    static let schema = "conversation_members"

    @ID(key: .id) var id: UUID?
    @Field(key: "conversation_id") var conversationID: UUID
    @Field(key: "user_id") var userID: UUID
    @Field(key: "delivered_seq") var deliveredSeq: Int
    @Field(key: "read_seq") var readSeq: Int
    /// Set when a "something new" mail went out; cleared when they read. At most one mail per unread stretch.
    @Field(key: "notified") var notified: Bool
    @Field(key: "joined_at") var joinedAt: Date

    init() {}
}

/// One epoch's conversation key, sealed for one member by another (or themselves).
final class ConversationKeyRecord: Model, @unchecked Sendable {
    static let schema = "conversation_keys"

    @ID(key: .id) var id: UUID?
    @Field(key: "conversation_id") var conversationID: UUID
    @Field(key: "epoch") var epoch: Int
    @Field(key: "member_id") var memberID: UUID
    @Field(key: "distributor_id") var distributorID: UUID
    @Field(key: "ephemeral_public_key") var ephemeralPublicKey: String
    @Field(key: "wrapped_key") var wrappedKey: String
    @Field(key: "signature") var signature: String

    init() {}

    var wire: WrappedConversationKey {
        WrappedConversationKey(
            member: memberID, epoch: UInt32(epoch), distributor: distributorID,
            ephemeralPublicKey: ephemeralPublicKey, wrappedKey: wrappedKey, signature: signature)
    }
}

/// A sealed message. The ID is the sender's idempotency key; `seq` numbers a conversation's messages without gaps.
final class MessageRecord: Model, @unchecked Sendable {
    static let schema = "messages"

    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "conversation_id") var conversationID: UUID
    @Field(key: "seq") var seq: Int
    @Field(key: "sender_id") var senderID: UUID
    @Field(key: "epoch") var epoch: Int
    @Field(key: "ciphertext") var ciphertext: Data
    @Field(key: "signature") var signature: Data
    /// Comma-separated attachment IDs; the server keeps these blobs while the message exists.
    @Field(key: "attachment_ids") var attachmentIDs: String
    @Field(key: "sent_at") var sentAt: Date

    init() {}

    var wire: Message { sealed.wire }

    /// Its values, without Fluent's property wrappers.
    var sealed: SealedMessage {
        SealedMessage(
            id: id ?? UUID(), conversationID: conversationID, senderID: senderID, epoch: epoch, ciphertext: ciphertext,
            signature: signature, attachmentIDs: attachmentIDs, sentAt: sentAt, seq: seq)
    }
}

/// A message as the message log stores it: a `MessageRecord`'s values as a plain value. A send makes one of these
/// rather than a record, whose property wrappers are a dozen objects of their own (#21).
struct SealedMessage: Sendable {
    let id: UUID
    let conversationID: UUID
    let senderID: UUID
    let epoch: Int
    let ciphertext: Data
    let signature: Data
    /// Comma-separated attachment IDs, as stored.
    let attachmentIDs: String
    let sentAt: Date
    /// Its place in the conversation, once the log gave it one.
    var seq = 0

    var wire: Message {
        Message(
            id: id, conversation: conversationID, sender: senderID, epoch: UInt32(epoch), seq: seq,
            ciphertext: ciphertext.base64EncodedString(), signature: signature.base64EncodedString(),
            attachments: attachmentIDs.split(separator: ",").compactMap { UUID(uuidString: String($0)) },
            sentAt: sentAt)
    }
}

/// A client-side encrypted file. Stored in the database so every instance serves it and erasure is one delete.
final class AttachmentRecord: Model, @unchecked Sendable {
    static let schema = "attachments"

    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "conversation_id") var conversationID: UUID
    @Field(key: "uploader_id") var uploaderID: UUID
    @Field(key: "size") var size: Int
    @Field(key: "sha256") var sha256: String
    @Field(key: "data") var data: Data
    @OptionalField(key: "message_id") var messageID: UUID?
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// A letter being written: sealed like a message, one per author and conversation, visible only to its author.
final class DraftRecord: Model, @unchecked Sendable {
    static let schema = "drafts"

    @ID(key: .id) var id: UUID?
    @Field(key: "conversation_id") var conversationID: UUID
    @Field(key: "user_id") var userID: UUID
    @Field(key: "epoch") var epoch: Int
    @Field(key: "envelope_id") var envelopeID: UUID
    @Field(key: "ciphertext") var ciphertext: Data
    @Field(key: "signature") var signature: Data
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

/// Someone who left a conversation, with the signing key they had, so their earlier messages still verify.
final class FormerMemberRecord: Model, @unchecked Sendable {
    static let schema = "conversation_former_members"

    @ID(key: .id) var id: UUID?
    @Field(key: "conversation_id") var conversationID: UUID
    @Field(key: "user_id") var userID: UUID
    @Field(key: "signing_key") var signingKey: String
    @Field(key: "left_at") var leftAt: Date

    init() {}
}

struct CreateFormerMembers: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("conversation_former_members")
            .id()
            .field("conversation_id", .uuid, .required, .references("conversations", "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("signing_key", .string, .required)
            .field("left_at", .datetime, .required)
            .create()
    }

    func revert(on db: any Database) async throws { try await db.schema("conversation_former_members").delete() }
}

struct CreateMessaging: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("account_keys")
            .field("user_id", .uuid, .identifier(auto: false), .references("users", "id", onDelete: .cascade))
            .field("agreement_key", .string, .required)
            .field("signing_key", .string, .required)
            .field("password_wrapped", .string, .required)
            .field("recovery_wrapped", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await db.schema("conversations")
            .field("id", .uuid, .identifier(auto: false))
            .field("creator_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("epoch", .int, .required)
            .field("needs_new_key", .bool, .required)
            .field("last_seq", .int, .required)
            .field("last_message_at", .datetime)
            .field("created_at", .datetime, .required)
            .create()
        try await db.schema("conversation_members")
            .id()
            .field("conversation_id", .uuid, .required, .references("conversations", "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("delivered_seq", .int, .required)
            .field("read_seq", .int, .required)
            .field("notified", .bool, .required)
            .field("joined_at", .datetime, .required)
            .unique(on: "conversation_id", "user_id")
            .create()
        try await db.schema("conversation_keys")
            .id()
            .field("conversation_id", .uuid, .required, .references("conversations", "id", onDelete: .cascade))
            .field("epoch", .int, .required)
            .field("member_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("distributor_id", .uuid, .required)
            .field("ephemeral_public_key", .string, .required)
            .field("wrapped_key", .string, .required)
            .field("signature", .string, .required)
            .unique(on: "conversation_id", "epoch", "member_id")  // one key per member and epoch, even under races
            .create()
        try await db.schema("messages")
            .field("id", .uuid, .identifier(auto: false))
            .field("conversation_id", .uuid, .required, .references("conversations", "id", onDelete: .cascade))
            .field("seq", .int, .required)
            .field("sender_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("epoch", .int, .required)
            .field("ciphertext", .data, .required)
            .field("signature", .data, .required)
            .field("attachment_ids", .string, .required)
            .field("sent_at", .datetime, .required)
            .unique(on: "conversation_id", "seq")  // no two messages share a place: history has no gaps or forks
            .create()
        try await db.schema("attachments")
            .field("id", .uuid, .identifier(auto: false))
            .field("conversation_id", .uuid, .required, .references("conversations", "id", onDelete: .cascade))
            .field("uploader_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("size", .int, .required)
            .field("sha256", .string, .required)
            .field("data", .data, .required)
            .field("message_id", .uuid)
            .field("created_at", .datetime, .required)
            .create()
        try await db.schema("drafts")
            .id()
            .field("conversation_id", .uuid, .required, .references("conversations", "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("epoch", .int, .required)
            .field("envelope_id", .uuid, .required)
            .field("ciphertext", .data, .required)
            .field("signature", .data, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "conversation_id", "user_id")
            .create()
        let sql = db as! any SQLDatabase  // both drivers are SQL databases
        try await sql.raw("CREATE INDEX conversation_members_by_user ON conversation_members (user_id)").run()
        try await sql.raw("CREATE INDEX attachments_unclaimed ON attachments (created_at) WHERE message_id IS NULL")
            .run()
    }

    func revert(on db: any Database) async throws {
        for table in ["drafts", "attachments", "messages", "conversation_keys", "conversation_members"] {
            try await db.schema(table).delete()
        }
        try await db.schema("conversations").delete()
        try await db.schema("account_keys").delete()
    }
}
