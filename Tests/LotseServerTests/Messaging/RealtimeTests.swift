import Fluent
import Foundation
import LotseAPI
import LotseCrypto
import NIOCore
import NIOWebSocket
import Testing
import Vapor
import VaporTesting

@testable import LotseServer

@Suite("The WebSocket: live delivery, typing, presence, receipts")
struct RealtimeTests {
    @Test("A message sent over the socket is acknowledged after storing and pushed to the other member's device")
    func liveDelivery() async throws {
        try await withTestApp { t in
            let alice = try await t.participant("alice@example.org")
            let bob = try await t.participant("bob@example.org")
            let (conversation, key) = try await t.startConversation(alice, with: [bob])
            let port = try await t.serve()
            let aliceDevice = try await SocketClient.connect(port: port, token: alice.token, on: t.app.eventLoopGroup)
            let bobDevice = try await SocketClient.connect(port: port, token: bob.token, on: t.app.eventLoopGroup)
            try await aliceDevice.next("presence of Bob") { $0 == .presence(user: bob.id, online: true) }
            try await bobDevice.next("hello") {
                if case .hello(let online) = $0 { online == [alice.id] } else { false }
            }

            try await aliceDevice.send(.typing(conversation: conversation))
            try await bobDevice.next("typing") { $0 == .typing(conversation: conversation, user: alice.id) }

            let request = try SendMessage(
                sealing: .init(kind: .chat, text: "Live!"), conversation: conversation, sender: alice, epoch: 1,
                key: key)
            try await aliceDevice.send(.send(conversation: conversation, message: request))
            let ack = try await aliceDevice.next("ack") {
                if case .ack(request.id, 1, _) = $0 { true } else { false }
            }
            // The acknowledgement carries the message as stored: the sender's device need not fetch it.
            guard case .ack(_, _, let acknowledged) = ack else { return }
            #expect(acknowledged.id == request.id && acknowledged.seq == 1 && acknowledged.sender == alice.id)
            #expect(acknowledged.ciphertext == request.ciphertext && acknowledged.signature == request.signature)
            let pushed = try await bobDevice.next("message") { if case .message = $0 { true } else { false } }
            guard case .message(let message) = pushed else { return }
            let bobKey = try await t.openKey(conversation, epoch: 1, as: bob, distributor: alice)
            #expect(try message.open(key: bobKey, sender: alice).text == "Live!")
            #expect(try await MessageRecord.find(request.id, on: t.app.db)?.seq == 1)

            // A retry over the socket is acknowledged with the same place and not pushed again.
            try await aliceDevice.send(.send(conversation: conversation, message: request))
            let acks = { aliceDevice.events.filter { $0 == .ack(id: request.id, seq: 1, message: acknowledged) }.count }
            let deadline = ContinuousClock.now + .seconds(5)
            while acks() < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            #expect(acks() == 2)
            try await Task.sleep(for: .milliseconds(100))  // time for a wrong second push to show up
            #expect(bobDevice.events.filter { if case .message = $0 { true } else { false } }.count == 1)

            try await bobDevice.send(.mark(conversation: conversation, deliveredSeq: 1, readSeq: 1))
            try await aliceDevice.next("receipt") {
                $0 == .receipt(conversation: conversation, user: bob.id, deliveredSeq: 1, readSeq: 1)
            }
            // Bob was online: no "something new" mail.
            #expect(t.smtp.messages.filter { $0.recipients.contains("bob@example.org") }.count == 1)

            try await bobDevice.close()
            try await aliceDevice.next("offline") { $0 == .presence(user: bob.id, online: false) }
            try await aliceDevice.close()
        }
    }

    @Test("People who come to share a conversation learn at once who of them is online")
    func presenceOfNewContacts() async throws {
        try await withTestApp { t in
            let alice = try await t.participant("alice@example.org")
            let bob = try await t.participant("bob@example.org")
            let carol = try await t.participant("carol@example.org")
            let port = try await t.serve()
            let aliceDevice = try await SocketClient.connect(port: port, token: alice.token, on: t.app.eventLoopGroup)
            let bobDevice = try await SocketClient.connect(port: port, token: bob.token, on: t.app.eventLoopGroup)
            // Both online, but strangers: neither was told about the other.
            #expect(aliceDevice.events == [.hello(online: [])] && bobDevice.events == [.hello(online: [])])
            _ = try await t.startConversation(alice, with: [bob, carol])
            try await aliceDevice.next("Bob online") { $0 == .presence(user: bob.id, online: true) }
            try await bobDevice.next("Alice online") { $0 == .presence(user: alice.id, online: true) }
            try await Task.sleep(for: .milliseconds(100))
            // Carol has no socket: nobody is told she is online.
            #expect(!(aliceDevice.events + bobDevice.events).contains(.presence(user: carol.id, online: true)))
        }
    }

    @Test("Once the server closes a socket it writes nothing more to it, even while events are being sent")
    func nothingAfterTheCloseFrame() async throws {
        try await withTestApp { t in
            let scene = try await t.socketScene()
            var devices = [scene.device]
            for _ in 0..<3 {
                devices.append(
                    try await SocketClient.connect(port: scene.port, token: scene.alice.token, on: t.app.eventLoopGroup)
                )
            }
            let hub = t.app.lotse.events
            // Events keep coming (from another task, as at shutdown: presence, call rooms) while the hub closes.
            let flood = Task {
                // Bounded (at most 1 500 events, five a millisecond): the event loops are shared with the other
                // tests running meanwhile, which a heavier flood starved on a busy CI machine.
                for sent in 1...1_500 where !Task.isCancelled {
                    hub.send(.pong, to: [scene.alice.id])
                    if sent.isMultiple(of: 5) { try? await Task.sleep(for: .milliseconds(1)) }
                }
            }
            try await devices[0].next("a flooded event") { $0 == .pong }
            await hub.closeAll()
            try await Task.sleep(for: .milliseconds(30))  // the close handshakes are under way meanwhile
            flood.cancel()
            for device in devices {
                let deadline = ContinuousClock.now + .seconds(5)
                while !device.socket.isClosed, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(10))
                }
                #expect(device.socket.isClosed)
                #expect(device.socket.closeCode == .goingAway)
                #expect(device.textsAfterClose == 0)
            }
        }
    }

    @Test("Bad frames and refused sends get an error event; the connection stays usable")
    func errorsOverTheSocket() async throws {
        try await withTestApp { t in
            let alice = try await t.participant("alice@example.org")
            let bob = try await t.participant("bob@example.org")
            let (conversation, key) = try await t.startConversation(alice, with: [bob])
            let port = try await t.serve()
            let device = try await SocketClient.connect(port: port, token: alice.token, on: t.app.eventLoopGroup)
            try await device.socket.send("{\"type\":\"launch\"}")
            try await device.next("invalid") { if case .error(nil, "request.invalid", _) = $0 { true } else { false } }
            let stale = try SendMessage(
                sealing: .init(kind: .chat, text: "x"), conversation: conversation, sender: alice, epoch: 7, key: key)
            try await device.send(.send(conversation: conversation, message: stale))
            try await device.next("stale") {
                if case .error(stale.id, "messaging.stale_epoch", let message) = $0 {
                    message.contains("1")
                } else {
                    false
                }
            }
            try await device.send(.ping)
            try await device.next("pong") { $0 == .pong }
            try await device.close()
        }
    }

    @Test("No socket without a session, or from another site's page; a revoked session is cut off")
    func socketAccess() async throws {
        try await withTestApp { t in
            let alice = try await t.participant("alice@example.org")
            let port = try await t.serve()
            func handshake(_ extra: [String]) async throws -> String {
                try await runCommand(
                    "curl",
                    [
                        "--silent", "--include", "--max-time", "5", "-H", "Connection: Upgrade", "-H",
                        "Upgrade: websocket", "-H", "Sec-WebSocket-Version: 13", "-H",
                        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
                    ] + extra + ["http://127.0.0.1:\(port)/api/v1/socket"]
                ).output
            }
            #expect(try await handshake([]).hasPrefix("HTTP/1.1 401"))
            let crossSite = try await handshake([
                "-H", "Authorization: Bearer \(alice.token)", "-H", "Origin: https://evil.example",
            ])
            #expect(crossSite.hasPrefix("HTTP/1.1 403") && crossSite.contains("auth.csrf_rejected"), "\(crossSite)")
            let device = try await SocketClient.connect(
                port: port, token: alice.token, origin: "https://lotse.test", on: t.app.eventLoopGroup)
            try await device.next("hello") { if case .hello = $0 { true } else { false } }
            #expect(t.app.lotse.events.connectionCount == 1)
            try await device.close()
            try await Task.sleep(for: .milliseconds(100))
            #expect(t.app.lotse.events.connectionCount == 0)

            // Signing this device out elsewhere closes its socket at once.
            let laptop = try await t.signIn("alice@example.org")
            let phone = try await SocketClient.connect(port: port, token: laptop, on: t.app.eventLoopGroup)
            try await phone.next("hello") { if case .hello = $0 { true } else { false } }
            let sessions = try await t.send(.GET, "api/v1/account/sessions", token: alice.token)
                .decode([SessionSummary].self)
            let phoneSession = try #require(sessions.first { !$0.isCurrent })
            let ended = try await t.send(.DELETE, "api/v1/account/sessions/\(phoneSession.id)", token: alice.token)
            #expect(ended.status == .noContent)
            let deadline = ContinuousClock.now + .seconds(5)
            while !phone.socket.isClosed, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(phone.socket.isClosed)
        }
    }
}
