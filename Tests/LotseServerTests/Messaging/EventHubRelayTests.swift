import Foundation
import Logging
import LotseAPI
import NIOConcurrencyHelpers
import Testing

@testable import LotseServer

@Suite("The event hub's relay")
struct EventHubRelayTests {
    @Test(
        "Every send reaches the relay once, and the 50,000th costs what the first did (the stored function was wrapped once more by every read and overflowed the stack near 20,000 sends)"
    )
    func relayStaysFlat() {
        let hub = EventHub()
        let relayed = NIOLockedValueBox(0)
        hub.relay { _, users in relayed.withLockedValue { $0 += users.count } }
        let user = UUID()
        for _ in 0..<50_000 { hub.send(.pong, to: [user]) }
        #expect(relayed.withLockedValue { $0 } == 50_000)
    }

    @Test("A message travels whole when its notice fits in a notification, as its ID when not")
    func payloads() throws {
        let instance = UUID()
        let users = [UUID(), UUID()]
        func message(_ bytes: Int) -> Message {
            Message(
                id: UUID(), conversation: UUID(), sender: UUID(), epoch: 1, seq: 7,
                ciphertext: String(repeating: "A", count: bytes), signature: "sig", attachments: [],
                sentAt: Date(timeIntervalSince1970: 1_800_000_000))
        }
        func notice(_ payload: String?) throws -> PostgresEventRelay.Notice {
            try JSONDecoder.api.decode(PostgresEventRelay.Notice.self, from: Data(try #require(payload).utf8))
        }
        let short = message(600)
        let whole = try notice(PostgresEventRelay.payload(.message(short), to: users, from: instance))
        #expect(whole.event == .message(short) && whole.message == nil && whole.users == users)
        #expect(whole.origin == instance)

        let long = message(8_000)
        let byID = try notice(PostgresEventRelay.payload(.message(long), to: users, from: instance))
        #expect(byID.event == nil && byID.message == long.id && byID.users == users)

        let everyone = (0..<400).map { _ in UUID() }  // 400 IDs alone are more than 8000 bytes
        #expect(PostgresEventRelay.payload(.pong, to: everyone, from: instance) == nil)
    }

    @Test("While the database does not answer, the outbox warns once, counts what it lost and says when it works again")
    func outboxTrouble() async throws {
        let warnings = NIOLockedValueBox<[String]>([])
        var logger = Logger(label: "test") { _ in CapturingLogHandler(lines: warnings) }
        logger.logLevel = .warning
        let attempts = NIOLockedValueBox(0)
        struct Unreachable: Error {}
        let outbox = Outbox(logger: logger) { _ in
            let attempt = attempts.withLockedValue { attempts in
                attempts += 1
                return attempts
            }
            if attempt <= 3 { throw Unreachable() }
        }
        let deadline = ContinuousClock.now + .seconds(5)
        for n in 1...4 {  // one notice a statement: three fail, the fourth goes through
            outbox.add("n\(n)")
            while attempts.withLockedValue({ $0 }) < n, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(1))
            }
        }
        while warnings.withLockedValue({ $0.count }) < 2, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(1))
        }
        let lines = warnings.withLockedValue { $0 }
        #expect(lines.count == 2, "\(lines)")
        #expect(lines.first?.hasPrefix("Could not relay 1 events to other instances") == true)
        #expect(lines.last == "Event relay works again; 3 events did not reach other instances meanwhile")
    }

    @Test("The outbox sends in order, one statement at a time, with what gathered meanwhile in the next")
    func outboxBatches() async throws {
        let (gate, opened) = AsyncStream.makeStream(of: Void.self)
        let sent = NIOLockedValueBox<[[String]]>([])
        let outbox = Outbox(logger: Logger(label: "test")) { payloads in
            let first = sent.withLockedValue { sent in
                sent.append(payloads)
                return sent.count == 1
            }
            if first {  // the first statement waits until the test lets it finish
                for await _ in gate { break }
            }
        }
        outbox.add("a")
        while sent.withLockedValue({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(1)) }
        for n in 0..<(Outbox.batch + 3) { outbox.add("b\(n)") }
        opened.yield()
        let expected = [
            ["a"], (0..<Outbox.batch).map { "b\($0)" },
            ["b\(Outbox.batch)", "b\(Outbox.batch + 1)", "b\(Outbox.batch + 2)"],
        ]
        let deadline = ContinuousClock.now + .seconds(5)
        while sent.withLockedValue({ $0.count }) < 3, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(1))
        }
        #expect(sent.withLockedValue { $0 } == expected)

        outbox.add("c")  // idle again: a new notice starts a new send
        while sent.withLockedValue({ $0.count }) < 4, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(1))
        }
        #expect(sent.withLockedValue { $0.last } == ["c"])

        outbox.close()  // at shutdown: nothing more goes out
        outbox.add("d")
        try await Task.sleep(for: .milliseconds(50))
        #expect(sent.withLockedValue { $0.count } == 4)
    }
}

/// Keeps the messages logged, for tests of what is reported.
struct CapturingLogHandler: LogHandler {
    let lines: NIOLockedValueBox<[String]>
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lines.withLockedValue { $0.append(event.message.description) }
    }
}
