import NIOCore
import NIOEmbedded
import Testing

@testable import LotseServer

@Suite("A socket's flushes gathered into one per loop turn")
struct FlushCoalescerTests {
    /// Counts the flushes that reach the channel.
    final class FlushCounter: ChannelOutboundHandler {
        typealias OutboundIn = NIOAny
        var flushes = 0

        func flush(context: ChannelHandlerContext) {
            flushes += 1
            context.flush()
        }
    }

    @Test("Frames written and flushed one by one in a turn go out together, in order, with one flush")
    func oneFlushPerTurn() throws {
        let counter = FlushCounter()
        let channel = EmbeddedChannel(handlers: [counter, FlushCoalescer()])
        defer { _ = try? channel.finish() }
        for index in 0..<3 {
            channel.writeAndFlush(ByteBuffer(string: "frame \(index)"), promise: nil)
        }
        // Nothing has gone out yet: the flush waits for the loop's queued work.
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        #expect(counter.flushes == 0)
        channel.embeddedEventLoop.run()
        #expect(counter.flushes == 1)
        for index in 0..<3 {
            #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "frame \(index)"))
        }
        // The next turn's frame gets a flush of its own.
        channel.writeAndFlush(ByteBuffer(string: "later"), promise: nil)
        channel.embeddedEventLoop.run()
        #expect(counter.flushes == 2)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "later"))
    }

    @Test("A close in the same turn sends what was written before it rather than dropping it")
    func closeFlushesFirst() throws {
        let counter = FlushCounter()
        let channel = EmbeddedChannel(handlers: [counter, FlushCoalescer()])
        let written = channel.writeAndFlush(ByteBuffer(string: "last words"))
        try channel.close().wait()
        #expect(counter.flushes == 1)
        #expect(throws: Never.self) { try written.wait() }
        channel.embeddedEventLoop.run()  // the put-off flush finds nothing left to do
        #expect(counter.flushes == 1)
    }
}
