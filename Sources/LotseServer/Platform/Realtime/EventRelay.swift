import Fluent
import FluentPostgresDriver
import Foundation
import LotseAPI
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// Carries live events between server instances that share PostgreSQL, over `LISTEN`/`NOTIFY` on one channel.
///
/// Every instance publishes what it sends to its own sockets; the others deliver it to theirs. A message travels
/// whole when its notice fits in a notification (at most 8000 bytes), else as its ID and each instance loads it (it
/// is committed before it is announced). An instance's notices go out in the order it sent the events, many to a
/// statement (``Outbox``). Best effort, like all events: devices catch up through the history API. See
/// docs/realtime.md.
///
/// A notice carries the event as the JSON the sending instance's sockets got, spliced in unchanged after the header
/// (`{"origin":…,"users":[…],"event":…}`), and the other instances hand that text on as it is: an event is encoded
/// once, wherever its sockets are, and never decoded on the way. It is still one JSON ``Notice``, so an instance of
/// the version before, during a rolling upgrade, reads it as it read its own.
final class PostgresEventRelay: Sendable {
    static let channel = "lotse_events"

    /// What goes through the channel.
    struct Notice: Codable {
        var origin: UUID
        var users: [UUID]
        var event: ServerEvent?
        var message: UUID?
        /// An account or one of its sessions changed: drop its cached sessions (announced by the database's trigger,
        /// `AnnounceSessionChanges`, with the zero UUID as origin, so every instance hears it).
        var forget: UUID?
    }

    let instance = UUID()
    private let configuration: PostgresConnection.Configuration
    private let listener = NIOLockedValueBox<Task<Void, Never>?>(nil)
    private let connection = NIOLockedValueBox<PostgresConnection?>(nil)

    private let outbox: Outbox

    init(url: URL, db: any Database, logger: Logger) throws {
        configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
        outbox = Outbox(logger: logger) { payloads in
            let notify = payloads.map { SQLFunction("pg_notify", args: SQLBind(Self.channel), SQLBind($0)) }
            try await (db as! any SQLDatabase).raw("SELECT \(SQLList(notify))").run()  // both drivers are SQL databases
        }
    }

    /// Announces an event for `users` to the other instances, after those announced before it; `json` is the
    /// event's JSON.
    func publish(_ event: ServerEvent, json: String, to users: [UUID]) {
        guard let payload = Self.payload(event, json: json, to: users, from: instance) else { return }
        outbox.add(payload)
    }

    /// The notice's JSON, below the notification's limit: the event (its `json`) whole if it fits, else a message
    /// by its ID; nil if even that does not fit (an event for very many accounts).
    static func payload(_ event: ServerEvent, json: String, to users: [UUID], from instance: UUID) -> String? {
        guard let header = try? JSONEncoder.api.encode(Header(origin: instance, users: users)) else { return nil }
        // The header's closing brace gives way to the event: `{"origin":…,"users":[…]` + `,"event":` + json + `}`.
        if header.count + json.utf8.count + eventKey.utf8.count < notificationLimit {
            return String(decoding: header.dropLast(), as: UTF8.self) + eventKey + json + "}"
        }
        guard case .message(let message) = event else { return nil }
        let notice = Notice(origin: instance, users: users, event: nil, message: message.id)
        guard let data = try? JSONEncoder.api.encode(notice), data.count < notificationLimit else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// A notice as this instance takes it in.
    enum Incoming {
        /// An event's JSON, spliced in by ``payload(_:json:to:from:)``: handed to the sockets as it is.
        case event(json: Substring, origin: UUID, users: [UUID])
        /// Anything else (a message by its ID, a session change, a notice of the version before), decoded.
        case notice(Notice)
    }

    /// Reads a notice: the event's JSON is taken out of one that ``payload(_:json:to:from:)`` wrote without decoding
    /// it; other notices are decoded whole; nil for what is no notice.
    static func read(_ payload: String) -> Incoming? {
        let utf8 = payload.utf8
        // The header has UUIDs only, so the first `,"event":` after `{"origin":"` is where the splice begins.
        if utf8.starts(with: #"{"origin":""#.utf8), utf8.last == UInt8(ascii: "}"),
            let splice = payload.firstRange(of: eventKey),
            let header = try? JSONDecoder.api.decode(
                Header.self, from: Data(payload[..<splice.lowerBound].utf8 + [UInt8(ascii: "}")]))
        {
            let json = payload[splice.upperBound..<payload.index(before: payload.endIndex)]
            return .event(json: json, origin: header.origin, users: header.users)
        }
        return (try? JSONDecoder.api.decode(Notice.self, from: Data(utf8))).map(Incoming.notice)
    }

    /// What comes before the event in a notice.
    struct Header: Codable {
        var origin: UUID
        var users: [UUID]
    }

    private static let eventKey = #","event":"#

    /// PostgreSQL's limit for a notification's payload, in bytes (less than 8000).
    static let notificationLimit = 8_000

    /// Listens until ``stop()``, reconnecting after a second when the connection drops. `message` loads a message
    /// announced by its ID (the messaging feature's store).
    /// `forget` hears the accounts whose sessions changed (`Notice.forget`); `listening` whether announcements reach
    /// this instance now (the session cache is used only while they do).
    func start(
        hub: EventHub, message: @escaping @Sendable (UUID) async throws -> Message?,
        forget: @escaping @Sendable (UUID) -> Void, listening: @escaping @Sendable (Bool) -> Void,
        eventLoop: any EventLoop, logger: Logger
    ) {
        let configuration = configuration
        let instance = instance
        let task = Task {
            var attempt = 0
            while !Task.isCancelled {
                attempt += 1
                do {
                    let connection = try await PostgresConnection.connect(
                        on: eventLoop, configuration: configuration, id: attempt, logger: logger)
                    self.connection.withLockedValue { $0 = connection }
                    try await connection.listen(on: Self.channel) { notifications in
                        listening(true)
                        defer { listening(false) }
                        for try await notification in notifications {
                            switch Self.read(notification.payload) {
                            case .event(let json, let origin, let users) where origin != instance:
                                hub.deliver(encoded: String(json), to: users)
                            case .notice(let notice) where notice.origin != instance:
                                if let user = notice.forget {
                                    forget(user)
                                } else if let event = notice.event {
                                    hub.deliver(event, to: notice.users)
                                } else if let id = notice.message, let message = try await message(id) {
                                    hub.deliver(.message(message), to: notice.users)
                                }
                            default:
                                continue  // its own, or no notice
                            }
                        }
                    }
                } catch {
                    if Task.isCancelled { return }
                    logger.warning("Event relay lost PostgreSQL; reconnecting: \(String(describing: error))")
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
        listener.withLockedValue { $0 = task }
    }

    /// Stops listening and closes the connection (which ends the wait for the next notification).
    func stop() async {
        outbox.close()
        listener.withLockedValue { $0?.cancel() }
        try? await connection.withLockedValue { $0 }?.close()
    }
}

/// The notices an instance has yet to announce, sent in order by one task at a time: whatever gathered while one
/// statement ran goes out in the next, up to ``batch`` to a statement. Under load that is one statement for many
/// events instead of one each (a task per event also let them overtake each other on the pool's connections).
final class Outbox: Sendable {
    /// Notices per statement.
    static let batch = 64
    /// Notices kept while the database does not answer; beyond this the oldest are dropped (events are best effort).
    static let limit = 10_000

    private struct State {
        var pending: [String] = []
        var sending = false
        var closed = false
        /// Notices lost (a failed statement's, or dropped) since the last statement that went through: the trouble is
        /// reported once when it begins and once when it ends, not per statement or notice.
        var lost = 0
    }

    private let state = NIOLockedValueBox(State())
    private let send: @Sendable ([String]) async throws -> Void
    private let logger: Logger

    /// `send` delivers one statement's notices, in order.
    init(logger: Logger, send: @escaping @Sendable ([String]) async throws -> Void) {
        self.logger = logger
        self.send = send
    }

    /// Queues a notice; starts sending unless a task is at it already.
    func add(_ payload: String) {
        let (start, troubleBegins) = state.withLockedValue { state -> (Bool, Bool) in
            guard !state.closed else { return (false, false) }
            state.pending.append(payload)
            var troubleBegins = false
            if state.pending.count > Self.limit {
                state.pending.removeFirst()
                troubleBegins = state.lost == 0
                state.lost += 1
            }
            defer { state.sending = true }
            return (!state.sending, troubleBegins)
        }
        if troubleBegins {
            logger.warning("Event relay is behind; dropping the oldest events for other instances until it catches up")
        }
        if start { Task { await drain() } }
    }

    /// Drops what waits and takes nothing more: at shutdown, when the database goes away (the sockets closing then
    /// still announce that their people went offline).
    func close() {
        state.withLockedValue { state in
            state.closed = true
            state.pending = []
        }
    }

    private func drain() async {
        while true {
            let next = state.withLockedValue { state -> [String] in
                let next = Array(state.pending.prefix(Self.batch))
                state.pending.removeFirst(next.count)
                if next.isEmpty { state.sending = false }
                return next
            }
            guard !next.isEmpty else { return }
            do {
                try await send(next)
                let lost = state.withLockedValue { state in
                    defer { state.lost = 0 }
                    return state.lost
                }
                if lost > 0 {
                    logger.warning("Event relay works again; \(lost) events did not reach other instances meanwhile")
                }
            } catch {
                let troubleBegins = state.withLockedValue { state in
                    defer { state.lost += next.count }
                    return state.lost == 0
                }
                if troubleBegins {
                    let reason = String(describing: error)
                    logger.warning(
                        "Could not relay \(next.count) events to other instances: \(reason); counting until it works again"
                    )
                }
            }
        }
    }
}
