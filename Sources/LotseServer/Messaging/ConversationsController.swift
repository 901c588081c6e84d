import Fluent
import LotseAPI
import Vapor

/// Conversations, their keys, messages, drafts and attachments: `/api/v1/conversations`.
struct ConversationsController: RouteCollection {
    let attachmentLimit: Int

    func boot(routes: any RoutesBuilder) throws {
        let conversations = routes.grouped("conversations")
        conversations.get(use: list)
        conversations.post(use: create)
        let one = conversations.grouped(":conversationID")
        one.get(use: show)
        one.get("keys", use: keys)
        one.post("keys", use: rotate)
        one.post("members", use: addMembers)
        one.delete("members", ":userID", use: removeMember)
        one.post("marks", use: mark)
        one.get("messages", use: messages)
        one.post("messages", use: send)
        one.get("draft", use: draft)
        one.put("draft", use: saveDraft)
        one.delete("draft", use: deleteDraft)
        one.on(
            .PUT, "attachments", ":attachmentID", body: .collect(maxSize: .init(value: attachmentLimit + 1_024)),
            use: upload)
        one.get("attachments", ":attachmentID", use: download)
    }

    /// The account's conversations, most recently active first.
    @Sendable func list(req: Request) async throws -> [Conversation] {
        try await req.messaging.conversations(of: req.userID())
    }

    /// Starts a conversation (201); a retry with the same ID answers 200 with the first one.
    @Sendable func create(req: Request) async throws -> Response {
        let (conversation, isNew) = try await req.messaging.create(
            req.content.decode(CreateConversation.self), by: req.userID())
        return try await conversation.encodeResponse(status: isNew ? .created : .ok, for: req)
    }

    /// One conversation.
    @Sendable func show(req: Request) async throws -> Conversation {
        try await req.messaging.conversation(req.uuid("conversationID"), for: req.userID())
    }

    /// The conversation keys sealed for the account, every epoch it belonged to.
    @Sendable func keys(req: Request) async throws -> [WrappedConversationKey] {
        try await req.messaging.keys(of: req.uuid("conversationID"), for: req.userID())
    }

    /// Starts the next key epoch.
    @Sendable func rotate(req: Request) async throws -> Conversation {
        try await req.messaging.rotate(
            req.uuid("conversationID"), req.content.decode(RotateConversationKey.self), by: req.userID())
    }

    /// Adds members (creator only); the next sender starts a new epoch that includes them.
    @Sendable func addMembers(req: Request) async throws -> Conversation {
        try await req.messaging.addMembers(
            req.uuid("conversationID"), req.content.decode(AddMembers.self), by: req.userID())
    }

    /// Removes a member or leaves.
    @Sendable func removeMember(req: Request) async throws -> HTTPStatus {
        try await req.messaging.removeMember(req.uuid("conversationID"), member: req.uuid("userID"), by: req.userID())
        return .noContent
    }

    /// Moves the account's delivery and read marks forward.
    @Sendable func mark(req: Request) async throws -> HTTPStatus {
        try await req.messaging.mark(
            req.uuid("conversationID"), req.content.decode(MarkConversation.self), by: req.userID())
        return .noContent
    }

    /// A page of history: `after=n` to catch up, or the latest `limit` (before `before=n`) to scroll back.
    @Sendable func messages(req: Request) async throws -> MessagePage {
        let after = try req.query.get(Int?.self, at: "after")
        let before = try req.query.get(Int?.self, at: "before")
        let limit = try req.query.get(Int?.self, at: "limit")
        return try await req.messaging.messages(
            in: req.uuid("conversationID"), for: req.userID(), after: after, before: before, limit: limit)
    }

    /// Sends a sealed message (201); a retry with the same ID answers 200 with the stored one.
    @Sendable func send(req: Request) async throws -> Response {
        let (message, isNew) = try await req.messaging.send(
            req.content.decode(SendMessage.self), to: req.uuid("conversationID"), by: req.userID())
        return try await message.encodeResponse(status: isNew ? .created : .ok, for: req)
    }

    /// The account's sealed draft letter.
    @Sendable func draft(req: Request) async throws -> Draft {
        try await req.messaging.draft(in: req.uuid("conversationID"), for: req.userID())
    }

    /// Saves the sealed draft letter.
    @Sendable func saveDraft(req: Request) async throws -> Draft {
        try await req.messaging.saveDraft(
            req.content.decode(SaveDraft.self), in: req.uuid("conversationID"), by: req.userID())
    }

    /// Throws the draft away.
    @Sendable func deleteDraft(req: Request) async throws -> HTTPStatus {
        try await req.messaging.deleteDraft(in: req.uuid("conversationID"), for: req.userID())
        return .noContent
    }

    /// Stores an encrypted file (201); the same bytes again answer 200.
    @Sendable func upload(req: Request) async throws -> Response {
        let data = Data(req.body.data?.readableBytesView ?? ByteBuffer().readableBytesView)
        let (attachment, isNew) = try await req.messaging.upload(
            data, attachment: req.uuid("attachmentID"), in: req.uuid("conversationID"), by: req.userID())
        return try await attachment.encodeResponse(status: isNew ? .created : .ok, for: req)
    }

    /// An encrypted file.
    @Sendable func download(req: Request) async throws -> Response {
        let data = try await req.messaging.download(
            req.uuid("attachmentID"), in: req.uuid("conversationID"), for: req.userID())
        return Response(
            status: .ok, headers: ["Content-Type": "application/octet-stream"], body: .init(data: data))
    }
}
