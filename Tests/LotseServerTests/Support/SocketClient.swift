import Foundation
import LotseAPI
import LotseCrypto
import NIOConcurrencyHelpers
import NIOCore
import Testing
import Vapor
import WebSocketKit

@testable import LotseServer

/// A test device on the real WebSocket: collects every event the server pushes.
final class SocketClient: Sendable {
    let socket: WebSocket
    private let received = NIOLockedValueBox<[ServerEvent]>([])
    /// Whether this device began the close; until then a text after the server's close frame breaks the protocol.
    private let closing = NIOLockedValueBox(false)
    private let late = NIOLockedValueBox(0)
    /// How many texts came after the server's close frame (each is also recorded as an issue).
    var textsAfterClose: Int { late.withLockedValue { $0 } }

    private init(socket: WebSocket) {
        self.socket = socket
    }

    /// Connects to a running app with a bearer token (and, like a browser, an `Origin`).
    static func connect(port: Int, token: String?, origin: String? = nil, on group: any EventLoopGroup) async throws
        -> SocketClient
    {
        var headers = HTTPHeaders()
        if let token { headers.bearerAuthorization = BearerAuthorization(token: token) }
        if let origin { headers.add(name: .origin, value: origin) }
        let box = NIOLockedValueBox<SocketClient?>(nil)
        try await WebSocket.connect(
            to: "ws://127.0.0.1:\(port)/api/v1/socket", headers: headers, on: group
        ) { socket in
            let client = SocketClient(socket: socket)
            socket.onText { socket, text in
                // WebSocketKit sets `closeCode` when the server's close frame arrives, before it reads further frames.
                if let code = socket.closeCode, !client.closing.withLockedValue({ $0 }) {
                    client.late.withLockedValue { $0 += 1 }
                    Issue.record("The server sent data after its close frame (\(code)): \(text)")
                }
                do {
                    let event = try JSONDecoder.api.decode(ServerEvent.self, from: Data(text.utf8))
                    client.received.withLockedValue { $0.append(event) }
                } catch {
                    Issue.record("The server sent an event the client cannot read: \(text) (\(error))")
                }
            }
            box.withLockedValue { $0 = client }
        }.get()
        // The connect future can complete just before WebSocketKit hands over the socket; and like the web client,
        // a device talks only after the server's hello (docs/realtime.md).
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            if let client = box.withLockedValue({ $0 }) {
                try await client.next("hello") { if case .hello = $0 { true } else { false } }
                return client
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        return try #require(box.withLockedValue { $0 })
    }

    var events: [ServerEvent] { received.withLockedValue { $0 } }

    /// Sends a client event as JSON text.
    func send(_ event: ClientEvent) async throws {
        let data = try JSONEncoder.api.encode(event)
        try await socket.send(String(decoding: data, as: UTF8.self))
    }

    /// Waits until an event matches, or fails after `timeout`; with `after`, only events after the first `after`
    /// count (what came before an action does not answer it).
    @discardableResult
    func next(
        _ description: String, after: Int = 0, timeout: Duration = .seconds(5),
        where matches: @escaping (ServerEvent) -> Bool
    ) async throws -> ServerEvent {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let event = events.dropFirst(after).first(where: matches) { return event }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("No \(description) event within \(timeout); got \(events)")
        throw CancellationError()
    }

    func close() async throws {
        closing.withLockedValue { $0 = true }
        try await socket.close()
    }
}

/// Two people in a conversation, the server listening, and the first one's device on the socket.
struct SocketScene {
    let alice: Participant
    let bob: Participant
    let conversation: UUID
    let key: ConversationKey
    let port: Int
    let device: SocketClient
}

extension TestContext {
    func socketScene() async throws -> SocketScene {
        let alice = try await participant("alice@example.org")
        let bob = try await participant("bob@example.org")
        let (conversation, key) = try await startConversation(alice, with: [bob])
        let port = try await serve()
        let device = try await SocketClient.connect(port: port, token: alice.token, on: app.eventLoopGroup)
        return SocketScene(alice: alice, bob: bob, conversation: conversation, key: key, port: port, device: device)
    }
}
