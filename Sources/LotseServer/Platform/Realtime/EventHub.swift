import Fluent
import Foundation
import LotseAPI
import NIOConcurrencyHelpers
import NIOWebSocket
import Vapor

/// The open WebSockets of this server instance, by account, and the one place events are sent from.
///
/// Events are best effort: a device that misses one (offline, another instance) catches up through the gap-free
/// sequence numbers of the history API. See docs/realtime.md.
final class EventHub: Sendable {
    private struct Connection {
        let socket: WebSocket
        let writer: FrameWriter
        let session: UUID
    }

    private let sockets = NIOLockedValueBox<[UUID: [ObjectIdentifier: Connection]]>([:])
    private let encoder = JSONEncoder.api
    /// Where events also go for the other instances (PostgreSQL only); nil with SQLite.
    private let relay = NIOLockedValueBox<Relay?>(nil)

    /// The relay's function, in a struct of its own: a bare function type in the generic box came out of every
    /// `withLockedValue { $0 }` wrapped in one more pair of reabstraction thunks (the `inout` written back), so each
    /// send made the next one deeper, until after ~20,000 sends a server on PostgreSQL overflowed its stack.
    private struct Relay: Sendable {
        let publish: @Sendable (ServerEvent, String, [UUID]) -> Void
    }

    /// Sends every event of ``send(_:to:except:)`` also to `publish`, for other instances: the event, its
    /// JSON as this instance's sockets got it, and the accounts.
    func relay(through publish: @escaping @Sendable (ServerEvent, String, [UUID]) -> Void) {
        relay.withLockedValue { $0 = Relay(publish: publish) }
    }

    /// Adds a connection unless the account or the instance has as many as `limits` allow (nil then); true if it
    /// is the account's first (it just came online).
    func connect(
        _ socket: WebSocket, writer: FrameWriter, user: UUID, session: UUID, limits: SocketLimits
    ) -> Bool? {
        sockets.withLockedValue { all in
            let own = all[user, default: [:]].count
            guard own < limits.perAccount, all.values.reduce(0, { $0 + $1.count }) < limits.perServer else {
                return nil
            }
            all[user, default: [:]][ObjectIdentifier(socket)] = Connection(
                socket: socket, writer: writer, session: session)
            return own == 0
        }
    }

    /// Removes a connection; true if it was the account's last (it just went offline).
    @discardableResult
    func disconnect(_ socket: WebSocket, user: UUID) -> Bool {
        sockets.withLockedValue { all in
            all[user]?[ObjectIdentifier(socket)] = nil
            guard all[user]?.isEmpty ?? true else { return false }
            all[user] = nil
            return true
        }
    }

    /// Whether the account has an open connection to this instance.
    func isOnline(_ user: UUID) -> Bool {
        sockets.withLockedValue { $0[user]?.isEmpty == false }
    }

    /// Which of `users` have an open connection.
    func online(among users: [UUID]) -> [UUID] {
        sockets.withLockedValue { all in users.filter { all[$0]?.isEmpty == false } }
    }

    /// How many connections are open, for tests and health.
    var connectionCount: Int {
        sockets.withLockedValue { $0.values.reduce(0) { $0 + $1.count } }
    }

    /// Sends an event to every connection of the given accounts, here and (through the relay) on other instances.
    func send(_ event: ServerEvent, to users: some Sequence<UUID>, except: WebSocket? = nil) {
        guard let text = json(event) else { return }
        let users = Array(users)
        deliver(frame: FrameWriter.frame(text), to: users, except: except)
        relay.withLockedValue { $0 }?.publish(event, text, users)
    }

    /// ``send(_:to:except:)`` for an event whose frame the caller has made already (``EncodedMessage``): the same
    /// frame goes to every socket, and its text to the relay, if there is one (`users` is gone through twice then).
    func send(_ event: ServerEvent, to users: some Collection<UUID>, frame: ByteBuffer) {
        deliver(frame: frame, to: users)
        relay.withLockedValue { $0 }?.publish(event, FrameWriter.text(of: frame), Array(users))
    }

    /// Sends an event to this instance's connections of the given accounts only.
    func deliver(_ event: ServerEvent, to users: [UUID]) {
        guard let text = json(event) else { return }
        deliver(encoded: text, to: users)
    }

    /// Sends an event's JSON to this instance's connections of the given accounts only.
    func deliver(encoded text: String, to users: [UUID]) {
        deliver(frame: FrameWriter.frame(text), to: users)
    }

    /// Sends a frame of ``FrameWriter/frame(_:)``'s form to this instance's connections of the given accounts.
    private func deliver(frame: ByteBuffer, to users: some Sequence<UUID>, except: WebSocket? = nil) {
        let writers = sockets.withLockedValue { all in
            var writers: [FrameWriter] = []  // one array, not one per account and another for all of them
            for user in users {
                for connection in all[user]?.values ?? [:].values where connection.socket !== except {
                    writers.append(connection.writer)
                }
            }
            return writers
        }
        for writer in writers { writer.write(frame: frame) }
    }

    /// Sends an event to one connection.
    func send(_ event: ServerEvent, on writer: FrameWriter) {
        guard let text = json(event) else { return }
        writer.write(text)
    }

    /// An event's JSON as the sockets get it; nil if it cannot be encoded.
    private func json(_ event: ServerEvent) -> String? {
        (try? encoder.encode(event)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Sends a frame made already (``EncodedMessage``) to one connection.
    func send(frame: ByteBuffer, on writer: FrameWriter) {
        writer.write(frame: frame)
    }

    /// Closes every connection, at shutdown.
    func closeAll() async {
        let all = sockets.withLockedValue { all in all.values.flatMap(\.values) }
        for connection in all { try? await connection.socket.close(code: .goingAway) }
    }

    /// The sessions that have a socket open here.
    var sessions: Set<UUID> {
        sockets.withLockedValue { all in Set(all.values.flatMap(\.values).map(\.session)) }
    }

    /// Closes the sockets of sessions that ended (signed out, revoked, password changed, expired): a device that
    /// lost its session stops receiving at once.
    func close(sessions ended: Set<UUID>) async {
        let open = sockets.withLockedValue { all in all.values.flatMap(\.values) }
        for connection in open where ended.contains(connection.session) {
            try? await connection.socket.close(code: .policyViolation)
        }
    }

    struct Key: StorageKey {
        typealias Value = EventHub
    }
}

/// A message's JSON, encoded once for the members' `message` event and the sender's `ack`, each made into a whole
/// WebSocket frame at once (#21: JSON was the largest part of a chat send's time, and then each socket's copy of the
/// text into a frame of its own); each is the same text ``ServerEvent``'s own encoding gives, with the keys sorted.
struct EncodedMessage: Sendable {
    let message: Message
    /// `ServerEvent.message(message)`, as a frame of ``FrameWriter/frame(_:)``'s form.
    let eventFrame: ByteBuffer
    /// `ServerEvent.ack(id: message.id, seq: message.seq, message: message)`, as a frame.
    let ackFrame: ByteBuffer

    init(_ message: Message) throws {
        self.message = message
        let size = message.ciphertext.utf8.count + message.signature.utf8.count + 48 * message.attachments.count + 240
        var json = ByteBufferAllocator().buffer(capacity: size)
        if !ChatJSON.write(message, into: &json) {
            json = ByteBuffer(bytes: try JSONEncoder.api.encode(message))
        }
        eventFrame = FrameWriter.frame(capacity: size + 30) { frame in
            frame.writeStaticString(#"{"message":"#)
            frame.writeImmutableBuffer(json)
            frame.writeStaticString(#","type":"message"}"#)
        }
        ackFrame = FrameWriter.frame(capacity: size + 90) { frame in
            frame.writeStaticString(#"{"id":""#)
            frame.writeUpperCaseText(message.id)
            frame.writeStaticString(#"","message":"#)
            frame.writeImmutableBuffer(json)
            frame.writeStaticString(#","seq":"#)
            frame.writeString(String(message.seq))
            frame.writeStaticString(#","type":"ack"}"#)
        }
    }

    /// The `message` event's text.
    var event: String { FrameWriter.text(of: eventFrame) }

    /// The `ack`'s text.
    var ack: String { FrameWriter.text(of: ackFrame) }
}
