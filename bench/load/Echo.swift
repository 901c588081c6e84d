// The trivial peer: a WebSocket server on NIO that answers each `send` at once with an `ack` carrying the message,
// and the `message` event on the same socket, from memory. What the generator reaches against it is the generator's
// own ceiling (with a server that does almost nothing on the other core), so it shows whether the generator limits
// what it measures of Lotse.
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

final class EchoHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private var pendingFlush = PendingFlush()

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            var text = frame.unmaskedData
            // `{"type":"send","conversation":"…","message":{…}}`: the message is the last member.
            let whole = text.readString(length: text.readableBytes) ?? ""
            guard let start = whole.range(of: #""message":"#)?.upperBound,
                let id = whole.utf8.withContiguousStorageIfAvailable({
                    stringValue(of: "id", in: UnsafeRawBufferPointer($0))
                }) ?? nil
            else { return }
            let message = whole[start..<whole.index(before: whole.endIndex)]
            write(#"{"id":"\#(id)","message":\#(message),"seq":1,"type":"ack"}"#, context: context)
            write(#"{"message":\#(message),"type":"message"}"#, context: context)
        case .ping:
            context.write(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.data)), promise: nil)
            pendingFlush.wrote()
        case .connectionClose:
            context.close(promise: nil)
        default:
            break
        }
    }

    private func write(_ text: String, context: ChannelHandlerContext) {
        let frame = WebSocketFrame(fin: true, opcode: .text, data: context.channel.allocator.buffer(string: text))
        context.write(wrapOutboundOut(frame), promise: nil)
        pendingFlush.wrote()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        pendingFlush.flush(context)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
}

/// Serves the echo on 127.0.0.1:`port` until the process is stopped.
func runEchoServer(port: Int, group: any EventLoopGroup) throws -> Never {
    let channel = try ServerBootstrap(group: group)
        .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
        .childChannelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                let upgrader = NIOTypedWebSocketServerUpgrader<Void>(
                    maxFrameSize: 1 << 20,
                    shouldUpgrade: { channel, _ in channel.eventLoop.makeSucceededFuture(HTTPHeaders()) },
                    upgradePipelineHandler: { channel, _ in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(EchoHandler())
                        }
                    })
                let configuration = NIOTypedHTTPServerUpgradeConfiguration(
                    upgraders: [upgrader],
                    notUpgradingCompletionHandler: { channel in channel.close() })
                _ = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(
                    configuration: .init(upgradeConfiguration: configuration))
            }
        }
        .bind(host: "127.0.0.1", port: port).wait()
    print("listening on \(channel.localAddress?.port ?? port)")
    try channel.closeFuture.wait()
    exit(0)
}
