import Foundation
import LotseAPI
import LotseCrypto
import NIOConcurrencyHelpers
import NIOCore
import NIOWebSocket
import Testing
import Vapor
import WebSocketKit

@testable import LotseServer

@Suite("The WebSocket's limits: message size, waiting messages, sockets, typing")
struct SocketLimitsTests {
    @Test("A message is assembled from its frames only up to 512 KiB; a larger one closes the socket with 1009")
    func fragmentedMessages() async throws {
        try await withTestApp { t in
            let alice = try await t.participant("alice@example.org")
            let port = try await t.serve()
            let device = try await SocketClient.connect(port: port, token: alice.token, on: t.app.eventLoopGroup)

            // A ping in three fragments is put together and answered: fragmentation itself still works.
            let ping = Array(#"{"type":"ping"}"#.utf8)
            let padded = ping + Array(repeating: UInt8(ascii: " "), count: 3_000)
            try await device.socket.send(raw: padded[0..<1_500], opcode: .text, fin: false)
            try await device.socket.send(raw: padded[1_500..<2_800], opcode: .continuation, fin: false)
            try await device.socket.send(raw: padded[2_800...], opcode: .continuation, fin: true)
            try await device.next("pong") { $0 == .pong }

            // 2 MiB as 1,024 continuation frames of 2 KiB: refused once 512 KiB are reached, not held whole.
            let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 2_048)
            try await device.socket.send(raw: Array(#"{"type":"ping","x":""#.utf8) + chunk, opcode: .text, fin: false)
            for _ in 0..<1_023 where !device.socket.isClosed {
                try? await device.socket.send(raw: chunk, opcode: .continuation, fin: false)
            }
            try await waitUntilClosed(device.socket)
            #expect(device.socket.closeCode != nil && device.socket.closeCode != .normalClosure)
            #expect(t.app.lotse.socketBudget.bytes == 0)

            // The server is fine and takes the next socket.
            let next = try await SocketClient.connect(port: port, token: alice.token, on: t.app.eventLoopGroup)
            try await next.send(.ping)
            try await next.next("pong") { $0 == .pong }
            try await next.close()
        }
    }

    @Test("Messages waiting for their handlers stay bounded (the server stops reading), and none is lost")
    func backpressure() async throws {
        try await withTestApp { t in
            let scene = try await t.socketScene()
            let (alice, bob, conversation, key, device) = (
                scene.alice, scene.bob, scene.conversation, scene.key, scene.device
            )
            // 400 sealed messages of ~12 KB each (5 MB) written at once, far faster than they can be stored.
            let text = String(repeating: "Vertraulich. ", count: 700)
            let requests = try (0..<400).map { _ in
                try SendMessage(
                    sealing: .init(kind: .chat, text: text), conversation: conversation, sender: alice, epoch: 1,
                    key: key)
            }
            for request in requests {
                let data = try JSONEncoder.api.encode(ClientEvent.send(conversation: conversation, message: request))
                device.socket.send(String(decoding: data, as: UTF8.self), promise: nil)  // all at once, unawaited
            }
            let deadline = ContinuousClock.now + .seconds(60)
            func acks() -> Int { device.events.filter { if case .ack = $0 { true } else { false } }.count }
            while acks() < requests.count, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(acks() == requests.count)
            let limits = SocketLimits()
            // At most one socket's worth, plus what the read loop under way when it paused still brings in (NIO reads
            // up to 16 times 64 KiB per loop); without pausing, all 5 MB wait at once.
            let highest = t.app.lotse.socketBudget.highWater
            #expect(highest <= limits.socketBytes + 16 * 65_536, "\(highest) bytes waited at once")
            #expect(highest > 0)
            #expect(t.app.lotse.socketBudget.bytes == 0)
            let stored = try await t.send(
                .GET, "api/v1/conversations/\(conversation)/messages?limit=200", token: bob.token
            ).decode(MessagePage.self)
            #expect(stored.messages.last?.seq == 400)
            try await device.close()
        }
    }

    @Test(
        "An account has at most LOTSE_MAX_SOCKETS_PER_ACCOUNT sockets and an instance LOTSE_MAX_SOCKETS; more get 1013")
    func manySockets() async throws {
        try await withTestApp(environment: ["LOTSE_MAX_SOCKETS_PER_ACCOUNT": "3", "LOTSE_MAX_SOCKETS": "5"]) { t in
            let alice = try await t.participant("alice@example.org")
            let bob = try await t.participant("bob@example.org")
            let carol = try await t.participant("carol@example.org")
            let port = try await t.serve()
            let group = t.app.eventLoopGroup
            var open: [SocketClient] = []
            for _ in 0..<3 { open.append(try await SocketClient.connect(port: port, token: alice.token, on: group)) }
            let fourth = try await rawSocket(port: port, token: alice.token, on: group)
            try await waitUntilClosed(fourth)
            #expect(fourth.closeCode == .unknown(1013))
            for _ in 0..<2 { open.append(try await SocketClient.connect(port: port, token: bob.token, on: group)) }
            let overServer = try await rawSocket(port: port, token: carol.token, on: group)
            try await waitUntilClosed(overServer)
            #expect(overServer.closeCode == .unknown(1013))
            #expect(t.app.lotse.events.connectionCount == 5)
            // A socket that closes makes room again.
            try await open.removeFirst().close()
            let deadline = ContinuousClock.now + .seconds(5)
            while t.app.lotse.events.connectionCount > 4, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            let carols = try await SocketClient.connect(port: port, token: carol.token, on: group)
            open.append(carols)
            for client in open { try await client.close() }
        }
    }

    @Test("A flood of typing frames reaches the others as one typing event per conversation and two seconds")
    func typingFlood() async throws {
        try await withTestApp { t in
            let scene = try await t.socketScene()
            let (alice, bob, conversation, port, aliceDevice) = (
                scene.alice, scene.bob, scene.conversation, scene.port, scene.device
            )
            let bobDevice = try await SocketClient.connect(port: port, token: bob.token, on: t.app.eventLoopGroup)
            let started = ContinuousClock.now
            for _ in 0..<1_000 { try await aliceDevice.send(.typing(conversation: conversation)) }
            try await aliceDevice.send(.ping)
            try await aliceDevice.next("pong after the flood", timeout: .seconds(30)) { $0 == .pong }
            let seconds = Double((ContinuousClock.now - started).components.seconds)
            // Each frame is handled on its own: the relayed typing (it looks up the conversation) may come after the
            // pong when the database is slow (a busy CI runner on PostgreSQL did that).
            try await bobDevice.next("typing", timeout: .seconds(10)) {
                $0 == .typing(conversation: conversation, user: alice.id)
            }
            try await Task.sleep(for: .milliseconds(300))
            let typings = bobDevice.events.filter { $0 == .typing(conversation: conversation, user: alice.id) }
            // One per two seconds the flood lasted (well under a second on SQLite, longer on a busy PostgreSQL).
            #expect(typings.count >= 1 && typings.count <= Int(seconds / 2) + 2, "\(typings.count) in \(seconds) s")
            try await aliceDevice.close()
            try await bobDevice.close()
        }
    }
}

/// A socket that may be refused: connects without waiting for the server's hello.
private func rawSocket(port: Int, token: String, on group: any EventLoopGroup) async throws -> WebSocket {
    var headers = HTTPHeaders()
    headers.bearerAuthorization = BearerAuthorization(token: token)
    let box = NIOLockedValueBox<WebSocket?>(nil)
    try await WebSocket.connect(to: "ws://127.0.0.1:\(port)/api/v1/socket", headers: headers, on: group) { socket in
        box.withLockedValue { $0 = socket }
    }.get()
    let deadline = ContinuousClock.now + .seconds(5)
    while ContinuousClock.now < deadline {
        if let socket = box.withLockedValue({ $0 }) { return socket }
        try await Task.sleep(for: .milliseconds(5))
    }
    return try #require(box.withLockedValue { $0 })
}

private func waitUntilClosed(_ socket: WebSocket) async throws {
    let deadline = ContinuousClock.now + .seconds(10)
    while !socket.isClosed, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
    #expect(socket.isClosed)
}
