import NIOCore
import NIOWebSocket
import WebSocketKit

/// Writes the server's text frames to one WebSocket whole, from a handler between NIO's frame encoder and the socket
/// (#21; docs/realtime.md, "Frames written whole").
///
/// WebSocketKit's `send` copies the text into a buffer, wraps it in a frame value, and sends that down the pipeline,
/// where NIO's encoder writes the frame's header as a buffer of its own: a seventh of the event loop's time per chat
/// message went there. Here the header and the text go into one buffer, written past the encoder. Frames of
/// WebSocketKit's own (pong, close) still go through the encoder; all are written on the socket's event loop, so they
/// keep their order. The flush goes down the whole pipeline, where ``FlushCoalescer`` gathers it with the turn's others.
final class FrameWriter: ChannelOutboundHandler, RemovableChannelHandler, Sendable {
    typealias OutboundIn = NIOAny
    typealias OutboundOut = NIOAny

    private struct Bound {
        var context: ChannelHandlerContext?
        var socket: WebSocket?
    }

    private let bound: NIOLoopBoundBox<Bound>
    let eventLoop: any EventLoop

    /// Made on the channel's event loop, when its pipeline is set up for the WebSocket.
    init(on eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
        bound = NIOLoopBoundBox(Bound(), eventLoop: eventLoop)
    }

    /// The socket the frames are for: writes stop once either side begins to close it.
    func serve(_ socket: WebSocket) {
        bound.value.socket = socket
    }

    func handlerAdded(context: ChannelHandlerContext) {
        bound.value.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        bound.value = Bound()  // the socket holds the channel, which holds this: let go of both
    }

    /// Writes `text` as one final text frame, unless either side has begun to close the socket: a data frame after
    /// the close frame breaks the protocol (a browser reports it as an error). `WebSocket.close` sets `closeCode`
    /// before it queues the close frame, and this check and write happen together on the socket's event loop (at
    /// once when the caller is on it already), so no write can slip in behind the close frame.
    func write(_ text: String) {
        guard eventLoop.inEventLoop else {
            return eventLoop.execute { self.write(text) }
        }
        guard let context = bound.value.context, let socket = bound.value.socket, socket.closeCode == nil else {
            return
        }
        context.write(NIOAny(Self.frame(text, allocator: context.channel.allocator)), promise: nil)
        context.channel.flush()
    }

    /// An unmasked, final text frame (RFC 6455, 5.2): the header, then the text.
    static func frame(_ text: String, allocator: ByteBufferAllocator) -> ByteBuffer {
        let count = text.utf8.count
        var buffer = allocator.buffer(capacity: count + 10)
        buffer.writeInteger(UInt8(0x81))  // FIN, text
        if count < 126 {
            buffer.writeInteger(UInt8(count))
        } else if count <= Int(UInt16.max) {
            buffer.writeInteger(UInt8(126))
            buffer.writeInteger(UInt16(count))
        } else {
            buffer.writeInteger(UInt8(127))
            buffer.writeInteger(UInt64(count))
        }
        buffer.writeString(text)
        return buffer
    }
}
