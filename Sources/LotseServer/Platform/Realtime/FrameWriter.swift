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

    /// Writes `text` as one final text frame (see ``write(frame:)``).
    func write(_ text: String) {
        write(frame: Self.frame(text))
    }

    /// Writes a whole frame of ``frame(_:)``'s form, unless either side has begun to close the socket: a data frame
    /// after the close frame breaks the protocol (a browser reports it as an error). `WebSocket.close` sets
    /// `closeCode` before it queues the close frame, and this check and write happen together on the socket's event
    /// loop (at once when the caller is on it already), so no write can slip in behind the close frame. One frame may
    /// go to many sockets: writing it copies nothing.
    func write(frame: ByteBuffer) {
        guard eventLoop.inEventLoop else {
            return eventLoop.execute { self.write(frame: frame) }
        }
        guard let context = bound.value.context, let socket = bound.value.socket, socket.closeCode == nil else {
            return
        }
        context.write(NIOAny(frame), promise: nil)
        context.channel.flush()
    }

    /// An unmasked, final text frame (RFC 6455, 5.2): the header, then the text.
    static func frame(_ text: String) -> ByteBuffer {
        frame(capacity: text.utf8.count) { $0.writeString(text) }
    }

    /// An unmasked, final text frame whose text `payload` writes (about `capacity` bytes): room for the longest header
    /// is kept in front, and the header that fits the length is written right before the text once it is known.
    static func frame(capacity: Int, _ payload: (inout ByteBuffer) -> Void) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: capacity + 10)
        buffer.moveWriterIndex(forwardBy: 10)
        payload(&buffer)
        let count = buffer.writerIndex - 10
        let start: Int
        if count < 126 {
            start = 8
            buffer.setInteger(UInt8(count), at: 9)
        } else if count <= Int(UInt16.max) {
            start = 6
            buffer.setInteger(UInt8(126), at: 7)
            buffer.setInteger(UInt16(count), at: 8)
        } else {
            start = 0
            buffer.setInteger(UInt8(127), at: 1)
            buffer.setInteger(UInt64(count), at: 2)
        }
        buffer.setInteger(UInt8(0x81), at: start)  // FIN, text
        buffer.moveReaderIndex(to: start)
        return buffer
    }

    /// The text of a frame of ``frame(_:)``'s form.
    static func text(of frame: ByteBuffer) -> String {
        var frame = frame
        let length = frame.getInteger(at: frame.readerIndex + 1, as: UInt8.self) ?? 0
        frame.moveReaderIndex(forwardBy: length < 126 ? 2 : length == 126 ? 4 : 10)
        return String(buffer: frame)
    }
}
