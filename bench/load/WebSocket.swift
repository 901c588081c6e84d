// Lotse's transport: per pair a sending and a receiving WebSocket on `/api/v1/socket`, each signed in with its
// account's bearer token. A send is `{"type":"send","conversation":…,"message":…}`; it counts when its `ack`
// arrives (after the server's commit), and is delivered when the `message` event reaches a socket.
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

struct Endpoint {
    let host: String
    let port: Int
    let path: String

    /// `ws://host:port/path`
    init(_ url: String) {
        guard let parsed = URLComponents(string: url), let host = parsed.host, let port = parsed.port else {
            fail("not a ws://host:port/path address: \(url)")
        }
        self.host = host
        self.port = port
        self.path = parsed.path.isEmpty ? "/" : parsed.path
    }
}

enum Upgrade {
    case websocket(any Channel)
    case refused
}

/// Opens a WebSocket with `token` as its bearer token; `handler` reads its frames.
func openSocket(
    _ endpoint: Endpoint, token: String, on loop: any EventLoop,
    handler: @escaping @Sendable () -> any ChannelHandler
) -> EventLoopFuture<any Channel> {
    let upgraded = loop.makePromise(of: Upgrade.self)
    return ClientBootstrap(group: loop)
        .channelOption(.tcpOption(.tcp_nodelay), value: 1)
        .channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                let upgrader = NIOTypedWebSocketClientUpgrader<Upgrade>(maxFrameSize: 1 << 20) { channel, _ in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOWebSocketFrameAggregator(
                                minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 64,
                                maxAccumulatedFrameSize: 1 << 20))
                        try channel.pipeline.syncOperations.addHandler(handler())
                        return .websocket(channel)
                    }
                }
                var headers = HTTPHeaders()
                headers.add(name: "Host", value: "\(endpoint.host):\(endpoint.port)")
                headers.add(name: "Authorization", value: "Bearer \(token)")
                headers.add(name: "Content-Length", value: "0")
                let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: endpoint.path, headers: headers)
                let configuration = NIOTypedHTTPClientUpgradeConfiguration(
                    upgradeRequestHead: head, upgraders: [upgrader],
                    notUpgradingCompletionHandler: { channel in channel.eventLoop.makeSucceededFuture(.refused) })
                // Frames that arrive with the 101 answer (the server's greeting may) go on to the WebSocket handlers;
                // NIO's default drops them.
                var pipeline = NIOUpgradableHTTPClientPipelineConfiguration(upgradeConfiguration: configuration)
                pipeline.leftOverBytesStrategy = .forwardBytes
                try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(configuration: pipeline)
                    .cascade(to: upgraded)
            }
        }
        .connect(host: endpoint.host, port: endpoint.port)
        .flatMap { _ in upgraded.futureResult }
        .flatMapThrowing { (upgrade: Upgrade) -> any Channel in
            switch upgrade {
            case .websocket(let channel): return channel
            case .refused: fail("the server refused the WebSocket for a token (signed out? too many sockets?)")
            }
        }
}

/// Reads a Lotse socket's events for one pair; answers pings; writes the pair's sends when it is the sender.
final class LotseSocketHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    let pair: Pair
    /// Whether `message` events on this socket count as deliveries: on the receiver's socket (Lotse also tells the
    /// sender's other devices, and this one), or on the sender's with the echo, which answers on the same socket.
    let countsDeliveries: Bool
    private var context: ChannelHandlerContext?
    private var pendingFlush = PendingFlush()

    init(pair: Pair, countsDeliveries: Bool) {
        self.pair = pair
        self.countsDeliveries = countsDeliveries
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    /// Client frames are masked (RFC 6455 §5.3).
    func write(_ text: String) {
        guard let context else { return }
        let frame = WebSocketFrame(
            fin: true, opcode: .text, maskKey: .random(), data: context.channel.allocator.buffer(string: text))
        context.write(wrapOutboundOut(frame), promise: nil)
        pendingFlush.wrote()
    }

    func flush() { pendingFlush.flush(context) }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            let (type, id) = frame.data.withUnsafeReadableBytes { bytes in
                (stringValue(of: "type", in: bytes), stringValue(of: "id", in: bytes))
            }
            switch type {
            case "ack": pair.acknowledged(id ?? "")
            case "message" where countsDeliveries: pair.delivered(id ?? "")
            case "error": fail("the server refused a send: \(String(buffer: frame.data))")
            default: break  // hello, presence, receipts
            }
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.data)
            context.write(wrapOutboundOut(pong), promise: nil)
            pendingFlush.wrote()
        case .connectionClose:
            fail("the server closed a socket: \(String(buffer: frame.data))")
        default:
            break
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) { pair.flush() }

    func errorCaught(context: ChannelHandlerContext, error: any Error) { fail("socket: \(error)") }
}

/// Opens every pair's two sockets (the receiver's at `receiving`, when given), then starts all pairs at once.
func runLotse(
    _ endpoint: Endpoint, receiving: Endpoint? = nil, pairs people: [PeoplePair], count: Int, window: Int, rate: Int,
    echo: Bool = false, on loop: any EventLoop
) throws -> String {
    let tally = Tally(pairs: people.count, done: loop.makePromise())
    var opened: [EventLoopFuture<Void>] = []
    var pairs: [Pair] = []
    let payloads = Box(Payloads())
    for person in people {
        let pair = Pair(count: count, window: rate > 0 ? 0 : window, tally: tally)
        pairs.append(pair)
        let receiver = LotseSocketHandler(pair: pair, countsDeliveries: !echo)
        let sender = LotseSocketHandler(pair: pair, countsDeliveries: echo)
        pair.send = { id in
            let message = payloads.value.message(id: id)
            sender.write(#"{"type":"send","conversation":"\#(person.conversation)","message":\#(message)}"#)
        }
        pair.flush = { sender.flush() }
        opened.append(openSocket(receiving ?? endpoint, token: person.receiver, on: loop) { receiver }.map { _ in })
        opened.append(openSocket(endpoint, token: person.sender, on: loop) { sender }.map { _ in })
    }
    try EventLoopFuture.andAllSucceed(opened, on: loop).wait()
    Thread.sleep(forTimeInterval: 1)  // every socket greeted before the clock starts
    let all = pairs
    try loop.submit { start(all, rate: rate, on: loop) }.wait()
    try tally.done.futureResult.wait()
    return try loop.submit { tally.report(sent: people.count * count) }.wait()
}

/// A value that one event loop changes; see Tally.
final class Box<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}

/// One conversation of the people file: the conversation's ID and its two members' bearer tokens.
struct PeoplePair: Decodable {
    let conversation: String
    let sender: String
    let receiver: String
}

/// Starts the pairs: each fills its window, or a pacer sends `rate` messages per second among them.
func start(_ pairs: [Pair], rate: Int, on loop: any EventLoop) {
    if rate > 0 {
        Pacer(pairs: pairs, rate: rate).start(on: loop)
    } else {
        for pair in pairs { pair.start() }
    }
}
