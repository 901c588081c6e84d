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

    /// Announces an event for `users` to the other instances, after those announced before it.
    func publish(_ event: ServerEvent, to users: [UUID]) {
        guard let payload = Self.payload(event, to: users, from: instance) else { return }
        outbox.add(payload)
    }

    /// The notice's JSON, below the notification's limit: a message whole if it fits, else its ID; nil if even that
    /// does not fit (an event for very many accounts).
    static func payload(_ event: ServerEvent, to users: [UUID], from instance: UUID) -> String? {
        var notice = Notice(origin: instance, users: users, event: event, message: nil)
        if let data = try? JSONEncoder.api.encode(notice), data.count < notificationLimit {
            return String(decoding: data, as: UTF8.self)
        }
        guard case .message(let message) = event else { return nil }
        notice.event = nil
        notice.message = message.id
        guard let data = try? JSONEncoder.api.encode(notice), data.count < notificationLimit else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

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
                            guard
                                let notice = try? JSONDecoder.api.decode(
                                    Notice.self, from: Data(notification.payload.utf8)),
                                notice.origin != instance
                            else { continue }
                            if let user = notice.forget {
                                forget(user)
                            } else if let event = notice.event {
                                hub.deliver(event, to: notice.users)
                            } else if let id = notice.message, let message = try await message(id) {
                                hub.deliver(.message(message), to: notice.users)
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
