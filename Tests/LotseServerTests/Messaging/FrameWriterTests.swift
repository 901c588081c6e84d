import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing

@testable import LotseServer

@Suite("The server's text frames written whole")
struct FrameWriterTests {
    /// Texts on both sides of the header's length forms (7 bits, 16 bits, 64 bits), with characters of several bytes.
    static let texts: [String] = [
        "", "a", String(repeating: "x", count: 125), String(repeating: "x", count: 126),
        String(repeating: "ü", count: 63),
        String(repeating: "x", count: 65_535), String(repeating: "x", count: 65_536),
        String(repeating: "Grüße 😀 ", count: 9_000),
    ]

    @Test("A frame is byte for byte what NIO's encoder writes for the same text, header and payload together")
    func sameAsEncoder() throws {
        for text in Self.texts {
            let channel = EmbeddedChannel(handler: WebSocketFrameEncoder())
            defer { _ = try? channel.finish() }
            let payload = ByteBuffer(string: text)
            try channel.writeOutbound(WebSocketFrame(fin: true, opcode: .text, data: payload))
            var encoded = ByteBuffer()
            while var part = try channel.readOutbound(as: ByteBuffer.self) { encoded.writeBuffer(&part) }
            #expect(FrameWriter.frame(text) == encoded, "\(text.utf8.count) bytes")
        }
    }

    @Test("NIO's decoder reads each frame back as one final, unmasked text frame with the text; so does text(of:)")
    func decodes() throws {
        for text in Self.texts {
            let channel = EmbeddedChannel(handler: ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: 1 << 20)))
            defer { _ = try? channel.finish() }
            try channel.writeInbound(FrameWriter.frame(text))
            let frame = try #require(try channel.readInbound(as: WebSocketFrame.self))
            #expect(frame.fin && frame.opcode == .text && frame.maskKey == nil)
            #expect(String(buffer: frame.unmaskedData) == text)
            #expect(FrameWriter.text(of: FrameWriter.frame(text)) == text)
            #expect(try channel.readInbound(as: WebSocketFrame.self) == nil)
        }
    }
}
