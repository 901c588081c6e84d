import NIOCore
import NIOWebSocket

/// Reads a WebSocket's whole text frames straight into text for the server's handler, from a handler between NIO's
/// frame decoder and WebSocketKit's (#21; docs/realtime.md, "Frames read whole").
///
/// WebSocketKit takes every text frame through a frame aggregator and then its own frame sequence: a new sequence
/// object (with a lock and an empty buffer of its own), two more locks, the payload copied out and unmasked one byte at
/// a time, read into one text and appended to another. A chat message is one final text frame, so here such a frame
/// is unmasked eight bytes at a time straight into the text handed to ``onText``. Everything else — fragmented
/// messages (until their last fragment), binary frames, ping, pong and close — goes on to WebSocketKit as before, and
/// so does every frame until ``onText(_:)`` is given a handler.
final class TextFrameReader: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = WebSocketFrame

    private struct State {
        /// Gets each whole text frame's text; nil: every frame goes on to WebSocketKit.
        var onText: (@Sendable (String) -> Void)?
        /// A fragmented message is under way: its fragments go on to WebSocketKit's aggregator, which puts it
        /// together.
        var fragmented = false
    }

    private let state: NIOLoopBoundBox<State>
    let eventLoop: any EventLoop

    /// Made on the channel's event loop, when its pipeline is set up for the WebSocket.
    init(on eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
        state = NIOLoopBoundBox(State(), eventLoop: eventLoop)
    }

    /// Hands the text of every whole text frame that arrives from now on to `handler`, on the socket's event loop.
    func onText(_ handler: @escaping @Sendable (String) -> Void) {
        guard eventLoop.inEventLoop else {
            return eventLoop.execute { self.onText(handler) }
        }
        state.value.onText = handler
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text where frame.fin && !state.value.fragmented:
            if let onText = state.value.onText {
                return onText(Self.text(of: frame))
            }
        case .text, .binary:
            state.value.fragmented = !frame.fin
        case .continuation:
            if frame.fin { state.value.fragmented = false }
        default:
            break  // control frames may come between fragments and change nothing
        }
        context.fireChannelRead(data)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        state.value.onText = nil  // the handler holds the socket, which holds the channel, which holds this
    }

    /// The frame's payload, unmasked, as text (invalid UTF-8 repaired, as WebSocketKit's `String(buffer:)` does).
    static func text(of frame: WebSocketFrame) -> String {
        let data = frame.data
        let count = data.readableBytes
        guard let key = frame.maskKey else { return String(buffer: data) }
        return data.withUnsafeReadableBytes { payload in
            String(unsafeUninitializedCapacity: count) { text in
                unmask(payload, with: key, into: UnsafeMutableRawBufferPointer(text))
                return count
            }
        }
    }

    /// `output[i] = input[i] ^ key[i % 4]`, a word at a time: the key repeated twice is one 64-bit mask.
    static func unmask(
        _ input: UnsafeRawBufferPointer, with key: WebSocketMaskingKey, into output: UnsafeMutableRawBufferPointer
    ) {
        var word: UInt64 = 0
        withUnsafeMutableBytes(of: &word) { bytes in
            for index in 0..<8 { bytes[index] = key[index % 4] }
        }
        let count = input.count
        var at = 0
        while at + 8 <= count {
            let value = input.loadUnaligned(fromByteOffset: at, as: UInt64.self) ^ word
            output.storeBytes(of: value, toByteOffset: at, as: UInt64.self)
            at += 8
        }
        while at < count {
            output[at] = input[at] ^ key[at % 4]
            at += 1
        }
    }
}
