import Fluent
import FluentPostgresDriver
import Foundation
import LotseAPI
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// Carries live events between server instances that share PostgreSQL, over `LISTEN`/`NOTIFY` on one channel.
///
/// Every instance publishes what it sends to its own sockets; the others deliver it to theirs. A notification holds
/// at most 8000 bytes, so a message travels as its ID and each instance loads it (it is committed before it is
/// announced). Best effort, like all events: devices catch up through the history API. See docs/realtime.md.
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

    init(url: URL) throws {
        configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
    }

    /// Announces an event for `users` to the other instances.
    func publish(_ event: ServerEvent, to users: [UUID], on db: any Database, logger: Logger) {
        var notice = Notice(origin: instance, users: users, event: event, message: nil)
        if case .message(let message) = event {
            notice.event = nil
            notice.message = message.id
        }
        guard let data = try? JSONEncoder.api.encode(notice), data.count < 8_000 else { return }
        let payload = String(decoding: data, as: UTF8.self)
        Task {
            do {
                try await (db as! any SQLDatabase)  // both drivers are SQL databases
                    .raw("SELECT pg_notify(\(bind: Self.channel), \(bind: payload))").run()
            } catch {
                logger.warning("Could not relay an event to other instances: \(String(describing: error))")
            }
        }
    }

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
        listener.withLockedValue { $0?.cancel() }
        try? await connection.withLockedValue { $0 }?.close()
    }
}
