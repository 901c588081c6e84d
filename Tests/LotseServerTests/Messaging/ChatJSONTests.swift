import Foundation
import LotseAPI
import Testing

@testable import LotseServer

@Suite("IDs read from text without sscanf, exactly as Foundation reads them")
struct UUIDTextTests {
    /// Foundation's `sscanf` also takes some damaged texts (a space or a sign where a digit belongs); what this
    /// refuses its callers hand to Foundation, so the two must agree wherever this one reads an ID.
    @Test("An ID's text written in place is Foundation's uuidString")
    func idText() {
        for _ in 0..<1_000 {
            let id = UUID()
            var bytes = [UInt8](repeating: 0, count: 36)
            bytes.withUnsafeMutableBufferPointer { id.writeUpperCaseText(into: $0) }
            #expect(String(decoding: bytes, as: UTF8.self) == id.uuidString)
            #expect(id.upperCaseText == id.uuidString)
        }
    }

    @Test("Any ID in upper, lower or mixed case is read as Foundation reads it; damaged ones are refused or read alike")
    func asFoundationReads() {
        var random = SplitMix64(seed: 36)
        let alphabet = Array("0123456789abcdefABCDEF-xg ,{}\"\\\u{0}é".unicodeScalars)
        var damaged = [
            "", "-", String(repeating: "0", count: 36), "00000000-0000-0000-0000-00000000000", "{\(UUID())}",
        ]
        for _ in 0..<3_000 {
            let id = UUID()
            for text in [id.uuidString, id.uuidString.lowercased()] {
                #expect(UUID(text: text) == id, "\(text)")
            }
            let mixed = String(id.uuidString.map { random.next() % 2 == 0 ? $0 : Character($0.lowercased()) })
            #expect(UUID(text: mixed) == id, "\(mixed)")
            var text = Array(id.uuidString.unicodeScalars)
            if random.next() % 2 == 0 {  // one to three characters replaced
                for _ in 0...(random.next() % 3) {
                    text[Int(random.next() % 36)] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                }
            } else if random.next() % 2 == 0 {  // one more
                text.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: Int(random.next() % 37))
            } else {  // one less
                text.remove(at: Int(random.next() % 36))
            }
            var string = ""
            string.unicodeScalars.append(contentsOf: text)
            damaged.append(string)
        }
        var read = 0
        for text in damaged {
            guard let ours = UUID(text: text) else { continue }
            #expect(ours == UUID(uuidString: text), "\(text.debugDescription)")
            read += 1
        }
        // Damage that leaves a valid ID (a digit for a digit) and damage that does not: both were tried.
        #expect(read > 50 && read < 1_500)
    }
}

@Suite("The chat's JSON by hand: exactly what the API's coders write and read")
struct ChatJSONTests {
    @Test("A message is written byte for byte as JSONEncoder.api writes it, for any IDs, numbers and dates")
    func messagesAsTheEncoderWrites() throws {
        var random = SplitMix64(seed: 20_261_207)
        // Dates at the edges: the epoch, the last second of 9999, leap days, a second's last fraction.
        var dates = [0, 0.999_999, 951_782_400, 951_868_799.5, 4_107_542_400, 253_402_300_799.75, 1_800_000_000.001]
        for _ in 0..<2_000 { dates.append(Double(random.next() % 253_402_300_800_000) / 1_000) }
        for (index, seconds) in dates.enumerated() {
            let ciphertext = Data(
                (0..<Int(random.next() % 300 + 28)).map { _ in UInt8.random(in: 0...255, using: &random) })
            let message = Message(
                id: UUID(), conversation: UUID(), sender: UUID(),
                epoch: index == 0 ? UInt32.max : UInt32(random.next() % 1_000), seq: Int(random.next() % 10_000_000),
                ciphertext: ciphertext.base64EncodedString(),
                signature: Data(repeating: 7, count: 64).base64EncodedString(),
                attachments: (0..<Int(random.next() % 4)).map { _ in UUID() },
                sentAt: Date(timeIntervalSince1970: seconds))
            let written = try #require(ChatJSON.message(message))
            #expect(written == String(decoding: try JSONEncoder.api.encode(message), as: UTF8.self))
        }
    }

    @Test("Texts that would need escaping and dates outside 1970–9999 are left to the encoder")
    func leftToTheEncoder() throws {
        let base = Message(
            id: UUID(), conversation: UUID(), sender: UUID(), epoch: 1, seq: 1, ciphertext: "aGVsbG8=",
            signature: "c2ln", attachments: [], sentAt: Date(timeIntervalSince1970: 1_800_000_000))
        for change in [
            { (m: inout Message) in m.ciphertext = #"a"b"# }, { $0.signature = #"a\b"# }, { $0.ciphertext = "a\nb" },
            { $0.sentAt = Date(timeIntervalSince1970: -1) },
            { $0.sentAt = Date(timeIntervalSince1970: 253_402_300_800) },
        ] {
            var message = base
            change(&message)
            #expect(ChatJSON.message(message) == nil)
            // What the socket sends is still the encoder's text.
            #expect(
                try EncodedMessage(message).event
                    == String(decoding: try JSONEncoder.api.encode(ServerEvent.message(message)), as: UTF8.self))
        }
    }

    @Test(
        "Send frames in any key order and spacing, as browsers and other clients write them, read as the decoder reads them"
    )
    func sendFramesAsTheDecoderReads() throws {
        var random = SplitMix64(seed: 7_041_966)
        let spaces = ["", " ", "\n", "\t", "\r\n  "]
        func space() -> String { spaces[Int(random.next() % UInt64(spaces.count))] }
        func uuid(_ id: UUID) -> String {  // browsers write lower case (crypto.randomUUID), Swift upper
            random.next() % 2 == 0 ? id.uuidString.lowercased() : id.uuidString
        }
        func object(_ pairs: [(String, String)]) -> String {
            let shuffled = pairs.shuffled(using: &random)
            return "{" + space()
                + shuffled.map { "\"\($0.0)\"" + space() + ":" + space() + $0.1 }.joined(
                    separator: space() + "," + space())
                + space() + "}"
        }
        for round in 0..<2_000 {
            let attachments = (0..<Int(random.next() % 3)).map { _ in UUID() }
            let ciphertext = Data(
                (0..<Int(random.next() % 200 + 28)).map { _ in UInt8.random(in: 0...255, using: &random) }
            )
            .base64EncodedString()
            var message: [(String, String)] = [
                ("id", "\"\(uuid(UUID()))\""), ("epoch", String(round == 0 ? UInt32.max : UInt32(random.next() % 100))),
                ("ciphertext", "\"\(ciphertext)\""), ("signature", "\"\(Data(count: 64).base64EncodedString())\""),
            ]
            switch random.next() % 3 {
            case 0: message.append(("attachments", "null"))
            case 1:
                message.append(
                    (
                        "attachments",
                        "[" + space() + attachments.map { "\"\(uuid($0))\"" }.joined(separator: "," + space()) + space()
                            + "]"
                    ))
            default: break
            }
            let frame =
                space()
                + object([("type", "\"send\""), ("conversation", "\"\(uuid(UUID()))\""), ("message", object(message))])
                + space()
            let read = try #require(ChatJSON.send(frame), "not read by hand: \(frame)")
            #expect(read == (try JSONDecoder.api.decode(ClientEvent.self, from: Data(frame.utf8))))
        }
    }

    @Test("Anything unusual is left to the decoder, and whatever is read by hand, the decoder reads the same")
    func unusualFramesLeftToTheDecoder() throws {
        let id = "6F0E2C4A-1B2C-4D5E-8F90-A1B2C3D4E5F6"
        func frame(_ message: String, type: String = "\"send\"", extra: String = "") -> String {
            #"{"type":\#(type),"conversation":"\#(id)","message":\#(message)\#(extra)}"#
        }
        let plain = #"{"id":"\#(id)","epoch":1,"ciphertext":"YWJj","signature":"c2ln"}"#
        #expect(ChatJSON.send(frame(plain)) != nil)
        let leftAlone = [
            frame(plain, type: "\"ping\""), frame(plain, type: #""se\u006ed""#), frame(plain, type: "null"),
            frame(plain, extra: #","type":"send""#), frame(plain, extra: #","future":1"#),
            frame(#"{"id":"\#(id)","epoch":1,"ciphertext":"Y\/Jj","signature":"c2ln"}"#),
            frame(#"{"id":"\#(id)","epoch":1.0,"ciphertext":"YWJj","signature":"c2ln"}"#),
            frame(#"{"id":"\#(id)","epoch":1e0,"ciphertext":"YWJj","signature":"c2ln"}"#),
            frame(#"{"id":"\#(id)","epoch":01,"ciphertext":"YWJj","signature":"c2ln"}"#),
            frame(#"{"id":"\#(id)","epoch":-1,"ciphertext":"YWJj","signature":"c2ln"}"#),
            frame(#"{"id":"\#(id)","epoch":4294967296,"ciphertext":"YWJj","signature":"c2ln"}"#),
            frame(#"{"id":"\#(id)","epoch":"1","ciphertext":"YWJj","signature":"c2ln"}"#),
            frame(#"{"id":"not-an-id","epoch":1,"ciphertext":"YWJj","signature":"c2ln"}"#),
            frame(#"{"id":"\#(id)","epoch":1,"ciphertext":"YWJj"}"#),
            frame(#"{"id":"\#(id)","epoch":1,"ciphertext":"YWJj","signature":"c2ln","attachments":[1]}"#),
            frame(#"{"id":"\#(id)","epoch":1,"ciphertext":"YWJj","signature":"c2ln","attachments":[]"#),
            frame(#"{"id":"\#(id)","epoch":1,"ciphertext":"YWJj","signature":"c2ln","signature":"c2ln"}"#),
            "\u{FEFF}" + frame(plain), frame(plain) + "x", frame(plain) + "{}", String(frame(plain).dropLast()),
            frame(#"{"id":"\#(id)","epoch":1,"ciphertext":"YWJj","signature":"c2ln","attachments":nul}"#),
        ]
        for text in leftAlone {
            #expect(ChatJSON.send(text) == nil, "read by hand: \(text)")
        }
        for text in leftAlone + [frame(plain)] {
            if let read = ChatJSON.send(text) {
                #expect(read == (try JSONDecoder.api.decode(ClientEvent.self, from: Data(text.utf8))))
            }
        }
    }
}
