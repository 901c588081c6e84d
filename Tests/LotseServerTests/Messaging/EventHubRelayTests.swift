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
        hub.relay { _, _, users in relayed.withLockedValue { $0 += users.count } }
        let user = UUID()
        for _ in 0..<50_000 { hub.send(.pong, to: [user]) }
        #expect(relayed.withLockedValue { $0 } == 50_000)
    }

    @Test(
        "A message travels whole when its notice fits in a notification, as its ID when not; whole, its JSON is the text the sockets got, taken out as it is, and the notice still reads as one JSON document"
    )
    func payloads() throws {
        let instance = UUID()
        let users = [UUID(), UUID()]
        func message(_ bytes: Int) -> Message {
            Message(
                id: UUID(), conversation: UUID(), sender: UUID(), epoch: 1, seq: 7,
                ciphertext: String(repeating: "A", count: bytes), signature: "sig", attachments: [],
                sentAt: Date(timeIntervalSince1970: 1_800_000_000))
        }
        func payload(_ message: Message) throws -> String? {
            PostgresEventRelay.payload(
                .message(message), json: try EncodedMessage(message).event, to: users, from: instance)
        }
        func notice(_ payload: String?) throws -> PostgresEventRelay.Notice {
            try JSONDecoder.api.decode(PostgresEventRelay.Notice.self, from: Data(try #require(payload).utf8))
        }
        let short = message(600)
        let whole = try #require(try payload(short))
        // What the version before reads: the whole notice, decoded.
        let decoded = try notice(whole)
        #expect(decoded.event == .message(short) && decoded.message == nil && decoded.users == users)
        #expect(decoded.origin == instance)
        // What this version reads: the event's text, untouched.
        guard case .event(let json, let origin, let to) = PostgresEventRelay.read(whole) else {
            Issue.record("not read as an event: \(whole)")
            return
        }
        #expect(json == Substring(try EncodedMessage(short).event) && origin == instance && to == users)

        let long = message(8_000)
        let byID = try notice(try payload(long))
        #expect(byID.event == nil && byID.message == long.id && byID.users == users)
        guard case .notice(let read) = PostgresEventRelay.read(try #require(try payload(long))) else {
            Issue.record("a message by its ID not read as a notice")
            return
        }
        #expect(read.message == long.id && read.users == users)

        let everyone = (0..<400).map { _ in UUID() }  // 400 IDs alone are more than 8000 bytes
        #expect(PostgresEventRelay.payload(.pong, json: #"{"type":"pong"}"#, to: everyone, from: instance) == nil)
    }

    @Test(
        "Notices written otherwise are decoded whole: the version before's, the database's session changes; junk is none"
    )
    func otherNotices() throws {
        let instance = UUID()
        let users = [UUID()]
        let before = String(
            decoding: try JSONEncoder.api.encode(
                PostgresEventRelay.Notice(
                    origin: instance, users: users, event: .typing(conversation: users[0], user: instance))),
            as: UTF8.self)
        guard case .notice(let old) = PostgresEventRelay.read(before) else {
            Issue.record("the version before's notice not read: \(before)")
            return
        }
        #expect(old.event == .typing(conversation: users[0], user: instance) && old.users == users)
        // As `AnnounceSessionChanges` writes it with json_build_object (spaces around the colons).
        let user = UUID()
        let changed =
            #"{"origin" : "00000000-0000-0000-0000-000000000000", "users" : [], "forget" : ""#
            + user.uuidString.lowercased() + #""}"#
        guard case .notice(let forget) = PostgresEventRelay.read(changed) else {
            Issue.record("a session change not read: \(changed)")
            return
        }
        #expect(forget.forget == user)
        #expect(PostgresEventRelay.read(#"{"origin":"nicht","users":[],"event":{}}"#) == nil)
        #expect(PostgresEventRelay.read("kein JSON") == nil)
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
        let deadline = ContinuousClock.now + .seconds(60)  // generous: the whole suite runs in parallel on two cores
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
        let deadline = ContinuousClock.now + .seconds(60)  // generous: the whole suite runs in parallel on two cores
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
