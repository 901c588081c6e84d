import Fluent
import Foundation
import LotseAPI
import LotseCrypto
import NIOCore
import Testing
import Vapor
import VaporTesting

@testable import LotseServer

@Suite("Several instances on one PostgreSQL")
struct RelayTests {
    @Test(
        "A message sent through one instance reaches a socket on another, and so does typing",
        .enabled(if: ProcessInfo.processInfo.environment["LOTSE_TEST_POSTGRES_URL"] != nil, "needs PostgreSQL"))
    func eventsCrossInstances() async throws {
        try await withTestApp { t in
            let alice = try await t.participant("alice@example.org")
            let bob = try await t.participant("bob@example.org")
            let (conversation, key) = try await t.startConversation(alice, with: [bob])
            _ = try await t.serve()

            // A second instance: same database, its own sockets.
            let other = try await Application.make(.testing)
            other.logger.logLevel = .warning
            do {
                try await configure(other, t.app.lotse.config, clock: { t.clock.now })
                try await other.asyncBoot()
                try await other.server.start(address: .hostname("127.0.0.1", port: 0))
                let port = try #require(other.http.server.shared.localAddress?.port)
                let bobDevice = try await SocketClient.connect(port: port, token: bob.token, on: other.eventLoopGroup)
                try await Task.sleep(for: .milliseconds(300))  // the relay's LISTEN is in place

                let (sent, request) = try await t.sendText("über die Instanz", from: alice, in: conversation, key: key)
                #expect(sent.status == .created)
                let pushed = try await bobDevice.next("message from the other instance") {
                    if case .message(let message) = $0 { message.id == request.id } else { false }
                }
                if case .message(let message) = pushed {
                    #expect(try message.open(key: key, sender: alice).text == "über die Instanz")
                }
                let aliceDevice = try await SocketClient.connect(
                    port: try #require(t.app.http.server.shared.localAddress?.port), token: alice.token,
                    on: t.app.eventLoopGroup)
                try await aliceDevice.send(.typing(conversation: conversation))
                try await bobDevice.next("typing from the other instance") {
                    $0 == .typing(conversation: conversation, user: alice.id)
                }
                #expect(bobDevice.events.filter { if case .message = $0 { true } else { false } }.count == 1)

                // Sent as fast as one socket can: every message reaches the other instance (notices go out many to a
                // statement now, one after the other).
                let burst = try (0..<40).map { n in
                    try SendMessage(
                        sealing: MessageContent(kind: .chat, text: "Nummer \(n)", attachments: []), id: UUID(),
                        conversation: conversation, sender: alice, epoch: 1, key: key)
                }
                for message in burst { try await aliceDevice.send(.send(conversation: conversation, message: message)) }
                let last = try #require(burst.last).id
                try await bobDevice.next("the burst's last message", timeout: .seconds(10)) {
                    if case .message(let message) = $0 { message.id == last } else { false }
                }
                let arrived = bobDevice.events.compactMap { if case .message(let m) = $0 { m } else { nil } }
                    .dropFirst()
                #expect(Set(arrived.map(\.id)) == Set(burst.map(\.id)))

                // Too large for a notification: it travels as its ID and the other instance loads it.
                let long = String(repeating: "Ein langer Absatz. ", count: 600)
                let (sentLong, requestLong) = try await t.sendText(long, from: alice, in: conversation, key: key)
                #expect(sentLong.status == .created)
                let pushedLong = try await bobDevice.next("a long message from the other instance") {
                    if case .message(let message) = $0 { message.id == requestLong.id } else { false }
                }
                if case .message(let message) = pushedLong {
                    #expect(try message.open(key: key, sender: alice).text == long)
                }
                try await aliceDevice.close()
                try await bobDevice.close()
            } catch {
                await other.lotse.events.closeAll()
                await other.server.shutdown()
                try? await other.asyncShutdown()
                throw error
            }
            await other.lotse.events.closeAll()
            await other.server.shutdown()
            try await other.asyncShutdown()
        }
    }
}
