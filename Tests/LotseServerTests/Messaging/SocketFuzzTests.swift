import Foundation
import LotseAPI
import LotseCrypto
import Testing
import Vapor

@testable import LotseServer

@Suite("Fuzzing the WebSocket's frames")
struct SocketFuzzTests {
    @Test("Mangled, truncated, deeply nested and wrongly typed frames get error events, never a crash or a change")
    func mangledFrames() async throws {
        try await withTestApp { t in
            let scene = try await t.socketScene()
            let (alice, bob, conversation, key, device) = (
                scene.alice, scene.bob, scene.conversation, scene.key, scene.device
            )
            try await t.sendText("Kept safe", from: alice, in: conversation, key: key)

            let message = try SendMessage(
                sealing: .init(kind: .chat, text: "x"), conversation: conversation, sender: alice, epoch: 1, key: key)
            let templates: [ClientEvent] = [
                .send(conversation: conversation, message: message), .typing(conversation: conversation),
                .mark(conversation: conversation, deliveredSeq: 1, readSeq: 1), .ping,
                .join(engagement: UUID(), peer: UUID()), .admit(engagement: UUID(), peer: UUID()),
                .leave(engagement: UUID(), peer: UUID()),
            ]
            var random = SplitMix64(seed: 20_261_205)
            var frames: [String] = [
                String(repeating: "[", count: 100_000), String(repeating: "{\"a\":", count: 50_000),
                "", "null", "[]", "\"send\"", "{\"type\":null}", "{\"type\":\"send\"}", "\u{FEFF}{\"type\":\"ping\"}",
                "{\"type\":\"ping\",\"type\":\"typing\"}",
                "{\"type\":\"mark\",\"conversation\":\"\(conversation)\","
                    + "\"readSeq\":9007199254740993,\"deliveredSeq\":-1}",
            ]
            for _ in 0..<400 {
                let template = templates[Int(random.next() % UInt64(templates.count))]
                var object = try #require(
                    try JSONSerialization.jsonObject(with: JSONEncoder.api.encode(template)) as? [String: Any])
                frames.append(Self.mangle(&object, random: &random))
            }
            for frame in frames { try await device.socket.send(frame) }
            try await device.send(.ping)
            try await device.next("pong after the fuzzing", timeout: .seconds(30)) { $0 == .pong }

            let errors = device.events.compactMap { event -> String? in
                if case .error(_, let code, _) = event { code } else { nil }
            }
            #expect(!errors.isEmpty)
            #expect(!errors.contains("server.internal"), "\(Set(errors))")
            // What was stored before is still there, unchanged.
            let page = try await t.send(.GET, "api/v1/conversations/\(conversation)/messages", token: bob.token)
                .decode(MessagePage.self)
            #expect(page.messages.first?.seq == 1)
            let opened = try #require(page.messages.first).open(key: key, sender: alice)
            #expect(opened.text == "Kept safe")
            try await device.close()
        }
    }

    /// One frame from a valid event: a field dropped, retyped or stretched, the type changed, or the text cut.
    static func mangle(_ object: inout [String: Any], random: inout SplitMix64) -> String {
        let oddValues: [Any] = [
            NSNull(), -1, 0, 1e308, Int64.max, "", String(repeating: "x", count: 70_000), [1, 2], ["a": 1], true,
            "00000000-0000-0000-0000-000000000000", "not-a-uuid", "\u{202E}\u{0000}", 4_294_967_296,
        ]
        let keys = Array(object.keys)
        switch random.next() % 5 {
        case 0: if let key = keys.randomElement(using: &random) { object[key] = nil }
        case 1:
            if let key = keys.randomElement(using: &random) {
                object[key] = oddValues[Int(random.next() % UInt64(oddValues.count))]
            }
        case 2: object["type"] = ["send", "signal", "launch", "PING", "", "admit"].randomElement(using: &random)
        case 3:
            if var nested = object["message"] as? [String: Any], let key = nested.keys.randomElement(using: &random) {
                nested[key] = oddValues[Int(random.next() % UInt64(oddValues.count))]
                object["message"] = nested
            } else {
                object["extra"] = oddValues[Int(random.next() % UInt64(oddValues.count))]
            }
        default: break
        }
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data("{}".utf8)
        let text = String(decoding: data, as: UTF8.self)
        guard random.next() % 4 == 0, text.count > 2 else { return text }
        return String(text.prefix(Int(random.next() % UInt64(text.count))))  // cut anywhere
    }
}
