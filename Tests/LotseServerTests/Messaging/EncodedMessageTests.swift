import Foundation
import LotseAPI
import Testing

@testable import LotseServer

@Suite("A message's JSON, encoded once")
struct EncodedMessageTests {
    @Test("The message event and the ack spliced from one encoding are exactly what the events encode to")
    func sameText() throws {
        for (seq, attachments, text) in [
            (1, [UUID](), "aGVsbG8="), (40_123, [UUID(), UUID()], "\"quoted\" / \\ ü \n"),
        ] {
            let message = Message(
                id: UUID(), conversation: UUID(), sender: UUID(), epoch: 3, seq: seq, ciphertext: text,
                signature: "c2lnbmF0dXJl", attachments: attachments, sentAt: Date(timeIntervalSince1970: 1_800_000_000))
            let encoded = try EncodedMessage(message)
            let encoder = JSONEncoder.api
            #expect(encoded.event == String(decoding: try encoder.encode(ServerEvent.message(message)), as: UTF8.self))
            #expect(
                encoded.ack
                    == String(
                        decoding: try encoder.encode(
                            ServerEvent.ack(id: message.id, seq: message.seq, message: message)),
                        as: UTF8.self))
            #expect(
                try JSONDecoder.api.decode(ServerEvent.self, from: Data(encoded.ack.utf8))
                    == .ack(id: message.id, seq: seq, message: message))
        }
    }
}
