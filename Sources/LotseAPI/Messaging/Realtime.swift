import Foundation

/// What the server pushes over the WebSocket at `/api/v1/socket` (docs/realtime.md). JSON with a `type` field.
public enum ServerEvent: Codable, Sendable, Equatable {
    /// The connection is ready; `online` lists the contacts who are connected now.
    case hello(online: [UUID])
    /// A new message in one of the account's conversations.
    case message(Message)
    /// A send over the socket was stored; `seq` is its place in the conversation, and `message` the message as
    /// stored, so the sender's device shows it without fetching it again.
    case ack(id: UUID, seq: Int, message: Message)
    /// A send over the socket was refused.
    case error(id: UUID?, code: String, message: String)
    /// Someone is typing.
    case typing(conversation: UUID, user: UUID)
    /// A contact came online or went offline.
    case presence(user: UUID, online: Bool)
    /// A member's delivery or read mark moved.
    case receipt(conversation: UUID, user: UUID, deliveredSeq: Int, readSeq: Int)
    /// Members or the key epoch changed: fetch the conversation again.
    case conversation(id: UUID)
    /// Something in an engagement changed (its status, people or items): fetch it again.
    case engagement(id: UUID)
    /// Who is in an engagement's call changed (someone joined, was let in, dropped or left).
    case room(CallRoom)
    /// Signaling from another peer of a call, for the peer `signal.to`.
    case signal(CallSignal)
    /// Something new waits for the account (`latest`), or they read notifications on another device (`latest` is
    /// nil); `unread` is how many are unread now.
    case notifications(unread: Int, latest: NotificationItem?)
    /// The answer to a ping.
    case pong

    enum CodingKeys: String, CodingKey {
        case type, online, message, id, seq, code, conversation, user, deliveredSeq, readSeq, room, signal, unread,
            notification
    }

    /// Reads an event.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(String.self, forKey: .type) {
        case "hello": self = .hello(online: try c.decode([UUID].self, forKey: .online))
        case "message": self = .message(try c.decode(Message.self, forKey: .message))
        case "ack":
            self = .ack(
                id: try c.decode(UUID.self, forKey: .id), seq: try c.decode(Int.self, forKey: .seq),
                message: try c.decode(Message.self, forKey: .message))
        case "error":
            self = .error(
                id: try c.decodeIfPresent(UUID.self, forKey: .id), code: try c.decode(String.self, forKey: .code),
                message: try c.decode(String.self, forKey: .message))
        case "typing":
            self = .typing(
                conversation: try c.decode(UUID.self, forKey: .conversation),
                user: try c.decode(UUID.self, forKey: .user))
        case "presence":
            self = .presence(
                user: try c.decode(UUID.self, forKey: .user), online: try c.decode(Bool.self, forKey: .online))
        case "receipt":
            self = .receipt(
                conversation: try c.decode(UUID.self, forKey: .conversation),
                user: try c.decode(UUID.self, forKey: .user),
                deliveredSeq: try c.decode(Int.self, forKey: .deliveredSeq),
                readSeq: try c.decode(Int.self, forKey: .readSeq))
        case "conversation": self = .conversation(id: try c.decode(UUID.self, forKey: .id))
        case "engagement": self = .engagement(id: try c.decode(UUID.self, forKey: .id))
        case "room": self = .room(try c.decode(CallRoom.self, forKey: .room))
        case "signal": self = .signal(try c.decode(CallSignal.self, forKey: .signal))
        case "notifications":
            self = .notifications(
                unread: try c.decode(Int.self, forKey: .unread),
                latest: try c.decodeIfPresent(NotificationItem.self, forKey: .notification))
        case "pong": self = .pong
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "Unknown event \(other)")
        }
    }

    /// Writes an event.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .hello(let online):
            try c.encode("hello", forKey: .type)
            try c.encode(online, forKey: .online)
        case .message(let message):
            try c.encode("message", forKey: .type)
            try c.encode(message, forKey: .message)
        case .ack(let id, let seq, let message):
            try c.encode("ack", forKey: .type)
            try c.encode(id, forKey: .id)
            try c.encode(seq, forKey: .seq)
            try c.encode(message, forKey: .message)
        case .error(let id, let code, let message):
            try c.encode("error", forKey: .type)
            try c.encodeIfPresent(id, forKey: .id)
            try c.encode(code, forKey: .code)
            try c.encode(message, forKey: .message)
        case .typing(let conversation, let user):
            try c.encode("typing", forKey: .type)
            try c.encode(conversation, forKey: .conversation)
            try c.encode(user, forKey: .user)
        case .presence(let user, let online):
            try c.encode("presence", forKey: .type)
            try c.encode(user, forKey: .user)
            try c.encode(online, forKey: .online)
        case .receipt(let conversation, let user, let deliveredSeq, let readSeq):
            try c.encode("receipt", forKey: .type)
            try c.encode(conversation, forKey: .conversation)
            try c.encode(user, forKey: .user)
            try c.encode(deliveredSeq, forKey: .deliveredSeq)
            try c.encode(readSeq, forKey: .readSeq)
        case .conversation(let id):
            try c.encode("conversation", forKey: .type)
            try c.encode(id, forKey: .id)
        case .engagement(let id):
            try c.encode("engagement", forKey: .type)
            try c.encode(id, forKey: .id)
        case .room(let room):
            try c.encode("room", forKey: .type)
            try c.encode(room, forKey: .room)
        case .signal(let signal):
            try c.encode("signal", forKey: .type)
            try c.encode(signal, forKey: .signal)
        case .notifications(let unread, let latest):
            try c.encode("notifications", forKey: .type)
            try c.encode(unread, forKey: .unread)
            try c.encodeIfPresent(latest, forKey: .notification)
        case .pong:
            try c.encode("pong", forKey: .type)
        }
    }
}

/// What a client sends over the WebSocket. JSON with a `type` field.
public enum ClientEvent: Codable, Sendable, Equatable {
    /// Sends a message; answered with ``ServerEvent/ack(id:seq:message:)`` once it is stored durably.
    case send(conversation: UUID, message: SendMessage)
    /// The person is typing in a conversation.
    case typing(conversation: UUID)
    /// Moves the sender's delivery and/or read mark forward.
    case mark(conversation: UUID, deliveredSeq: Int?, readSeq: Int?)
    /// Enters an engagement's call as `peer` (the coach at once, clients into the waiting room), or says the peer is
    /// still there; answered with ``ServerEvent/room(_:)`` when something changed.
    case join(engagement: UUID, peer: UUID)
    /// The coach lets a waiting peer into the call.
    case admit(engagement: UUID, peer: UUID)
    /// A peer leaves the call; the coach may also send someone out of it (or of the waiting room).
    case leave(engagement: UUID, peer: UUID)
    /// Signaling for another peer of the same call.
    case signal(CallSignal)
    /// Keeps the connection alive.
    case ping

    enum CodingKeys: String, CodingKey {
        case type, conversation, message, deliveredSeq, readSeq, engagement, peer, signal
    }

    /// Reads an event.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(String.self, forKey: .type) {
        case "send":
            self = .send(
                conversation: try c.decode(UUID.self, forKey: .conversation),
                message: try c.decode(SendMessage.self, forKey: .message))
        case "typing": self = .typing(conversation: try c.decode(UUID.self, forKey: .conversation))
        case "mark":
            self = .mark(
                conversation: try c.decode(UUID.self, forKey: .conversation),
                deliveredSeq: try c.decodeIfPresent(Int.self, forKey: .deliveredSeq),
                readSeq: try c.decodeIfPresent(Int.self, forKey: .readSeq))
        case "join":
            self = .join(
                engagement: try c.decode(UUID.self, forKey: .engagement), peer: try c.decode(UUID.self, forKey: .peer))
        case "admit":
            self = .admit(
                engagement: try c.decode(UUID.self, forKey: .engagement), peer: try c.decode(UUID.self, forKey: .peer))
        case "leave":
            self = .leave(
                engagement: try c.decode(UUID.self, forKey: .engagement), peer: try c.decode(UUID.self, forKey: .peer))
        case "signal": self = .signal(try c.decode(CallSignal.self, forKey: .signal))
        case "ping": self = .ping
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "Unknown event \(other)")
        }
    }

    /// Writes an event.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .send(let conversation, let message):
            try c.encode("send", forKey: .type)
            try c.encode(conversation, forKey: .conversation)
            try c.encode(message, forKey: .message)
        case .typing(let conversation):
            try c.encode("typing", forKey: .type)
            try c.encode(conversation, forKey: .conversation)
        case .mark(let conversation, let deliveredSeq, let readSeq):
            try c.encode("mark", forKey: .type)
            try c.encode(conversation, forKey: .conversation)
            try c.encodeIfPresent(deliveredSeq, forKey: .deliveredSeq)
            try c.encodeIfPresent(readSeq, forKey: .readSeq)
        case .join(let engagement, let peer):
            try c.encode("join", forKey: .type)
            try c.encode(engagement, forKey: .engagement)
            try c.encode(peer, forKey: .peer)
        case .admit(let engagement, let peer):
            try c.encode("admit", forKey: .type)
            try c.encode(engagement, forKey: .engagement)
            try c.encode(peer, forKey: .peer)
        case .leave(let engagement, let peer):
            try c.encode("leave", forKey: .type)
            try c.encode(engagement, forKey: .engagement)
            try c.encode(peer, forKey: .peer)
        case .signal(let signal):
            try c.encode("signal", forKey: .type)
            try c.encode(signal, forKey: .signal)
        case .ping:
            try c.encode("ping", forKey: .type)
        }
    }
}
