// Idle sockets for bench/sockets.sh: one WebSocket per bearer token, opened a few hundred at a time, each counted
// once the server's `hello` arrives on it. Then they stay open, answering pings, until stdin closes.
import Foundation
import NIOCore
import NIOPosix
import NIOWebSocket

final class IdleHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    let greeted: EventLoopPromise<Void>
    private var isGreeted = false

    init(greeted: EventLoopPromise<Void>) { self.greeted = greeted }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text where !isGreeted:
            let type = frame.data.withUnsafeReadableBytes { stringValue(of: "type", in: $0) }
            if type == "hello" {
                isGreeted = true
                greeted.succeed()
            }
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.data)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .connectionClose:
            fail("the server closed an idle socket: \(String(buffer: frame.data))")
        default:
            break
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) { fail("idle socket: \(error)") }
}

/// Opens one socket per token, `batch` at a time; prints `open N` when all are greeted and holds them until stdin
/// closes.
func runIdle(_ endpoint: Endpoint, tokens: [String], batch: Int = 200, on loop: any EventLoop) throws -> Never {
    var channels: [any Channel] = []
    var next = 0
    while next < tokens.count {
        let slice = tokens[next..<min(next + batch, tokens.count)]
        let greetings = slice.map { token in
            let greeted = loop.makePromise(of: Void.self)
            let opened = openSocket(endpoint, token: token, on: loop) { IdleHandler(greeted: greeted) }
            return opened.flatMap { channel in greeted.futureResult.map { channel } }
        }
        channels += try EventLoopFuture.whenAllSucceed(greetings, on: loop).wait()
        next += slice.count
    }
    FileHandle.standardOutput.write(Data("open \(channels.count)\n".utf8))  // unbuffered: the script waits for it
    while readLine() != nil {}
    exit(0)
}
