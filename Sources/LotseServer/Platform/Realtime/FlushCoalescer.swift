import NIOCore

/// Gathers a WebSocket's flushes into one per turn of its event loop (#21; docs/realtime.md, "One flush per turn").
///
/// WebSocketKit flushes every frame it sends, and every flush is a `writev` of its own. When a batch of messages
/// commits, one socket gets several frames at once — acknowledgements of its sends, messages of its conversations —
/// and each went out in a system call of its own. Here the first flush of a turn is put off to the end of the loop's
/// queued work and the frames written meanwhile go out with it; a lone frame waits only for the jobs already queued.
/// Pending frames are flushed before the channel closes, so a close never drops what was written before it.
final class FlushCoalescer: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = NIOAny
    typealias OutboundOut = NIOAny

    private var flushPending = false

    func flush(context: ChannelHandlerContext) {
        guard !flushPending else { return }
        flushPending = true
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.execute {
            let (coalescer, context) = loopBound.value
            coalescer.flushNow(context: context)
        }
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        flushNow(context: context)
        context.close(mode: mode, promise: promise)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        flushNow(context: context)
    }

    private func flushNow(context: ChannelHandlerContext) {
        guard flushPending else { return }
        flushPending = false
        context.flush()
    }
}
