import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing

@testable import LotseServer

@Suite("Whole text frames read straight into text")
struct TextFrameReaderTests {
    /// A channel with the reader, and what its handler got.
    final class Harness {
        let channel = EmbeddedChannel()
        let reader: TextFrameReader
        let texts = NIOLockedValueBox<[String]>([])

        init(handling: Bool = true) throws {
            reader = TextFrameReader(on: channel.eventLoop)
            try channel.pipeline.syncOperations.addHandler(reader)
            if handling {
                let texts = texts
                reader.onText { text in texts.withLockedValue { $0.append(text) } }
            }
        }

        func send(_ frame: WebSocketFrame) throws { try channel.writeInbound(frame) }

        /// The frames the reader passed on, in order.
        func passed() throws -> [WebSocketFrame] {
            var frames: [WebSocketFrame] = []
            while let frame = try channel.readInbound(as: WebSocketFrame.self) { frames.append(frame) }
            return frames
        }
    }

    static func masked(_ text: String, opcode: WebSocketOpcode = .text, fin: Bool = true) -> WebSocketFrame {
        let key = WebSocketMaskingKey.random()
        var data = ByteBuffer(string: text)
        data.webSocketMask(key)
        return WebSocketFrame(fin: fin, opcode: opcode, maskKey: key, data: data)
    }

    @Test("Whole masked text frames of every length form arrive as their text, and nothing goes on to WebSocketKit")
    func wholeFrames() throws {
        let texts = [
            "", "a", "abcdefg", "abcdefgh", "abcdefghi", String(repeating: "x", count: 125),
            String(repeating: "ü", count: 63), String(repeating: "Grüße 😀 ", count: 9_000),
            #"{"type":"send","conversation":"3F2504E0-4F89-11D3-9A0C-0305E82C3301"}"#,
        ]
        let harness = try Harness()
        for text in texts { try harness.send(Self.masked(text)) }
        try harness.send(WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(string: "unmasked")))
        #expect(harness.texts.withLockedValue { $0 } == texts + ["unmasked"])
        #expect(try harness.passed().isEmpty)
    }

    @Test("Unmasking a word at a time gives NIO's unmasked bytes, whatever the length and key")
    func unmasksAsNIO() {
        var generator = SystemRandomNumberGenerator()
        for count in 0..<70 {
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let key = WebSocketMaskingKey.random(using: &generator)
            let frame = WebSocketFrame(fin: true, opcode: .binary, maskKey: key, data: ByteBuffer(bytes: bytes))
            var output = [UInt8](repeating: 0, count: count)
            bytes.withUnsafeBytes { input in
                output.withUnsafeMutableBytes { TextFrameReader.unmask(input, with: key, into: $0) }
            }
            #expect(output == Array(frame.unmaskedData.readableBytesView), "\(count) bytes")
        }
    }

    @Test("Text that is not UTF-8 is repaired as WebSocketKit repairs it")
    func invalidUTF8() throws {
        let harness = try Harness()
        let bytes: [UInt8] = [0x61, 0xFF, 0x62, 0xC3]
        let key = WebSocketMaskingKey.random()
        var data = ByteBuffer(bytes: bytes)
        data.webSocketMask(key)
        try harness.send(WebSocketFrame(fin: true, opcode: .text, maskKey: key, data: data))
        #expect(harness.texts.withLockedValue { $0 } == [String(buffer: ByteBuffer(bytes: bytes))])
    }

    @Test("Until the server gives it a handler, every frame goes on to WebSocketKit")
    func beforeHandler() throws {
        let harness = try Harness(handling: false)
        try harness.send(Self.masked("early"))
        let passed = try harness.passed()
        #expect(passed.count == 1 && String(buffer: passed[0].unmaskedData) == "early")
    }

    @Test("Fragmented messages, binary and control frames go on to WebSocketKit; whole text frames after them do not")
    func othersPassOn() throws {
        let harness = try Harness()
        try harness.send(Self.masked("frag", fin: false))
        try harness.send(Self.masked("", opcode: .ping))  // a control frame between fragments
        try harness.send(Self.masked("men", opcode: .continuation, fin: false))
        try harness.send(Self.masked("ted", opcode: .continuation))
        try harness.send(Self.masked("whole"))
        try harness.send(Self.masked("bin", opcode: .binary))
        try harness.send(Self.masked("bi", opcode: .binary, fin: false))
        try harness.send(Self.masked("n", opcode: .continuation))
        try harness.send(Self.masked("", opcode: .pong))
        try harness.send(Self.masked("last"))
        let passed = try harness.passed()
        #expect(
            passed.map(\.opcode) == [
                .text, .ping, .continuation, .continuation, .binary, .binary, .continuation, .pong,
            ])
        #expect(passed.map { String(buffer: $0.unmaskedData) } == ["frag", "", "men", "ted", "bin", "bi", "n", ""])
        #expect(harness.texts.withLockedValue { $0 } == ["whole", "last"])
    }
}
