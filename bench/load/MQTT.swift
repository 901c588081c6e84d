// The broker's transport: MQTT 3.1.1, just the packets QoS 1 pub/sub needs. Per pair a publisher and a subscriber
// on the topic `conversation/N`; a publish counts when its PUBACK arrives, and is delivered when the broker's
// PUBLISH reaches the subscriber (which answers with its own PUBACK). The payload is the same message JSON as
// Lotse's `send` carries.
import Foundation
import NIOCore
import NIOPosix

struct MQTTPacket {
    let kind: UInt8
    var body: ByteBuffer
}

/// Splits the byte stream into packets: a fixed header byte, the remaining length (variable bytes), the rest.
struct MQTTDecoder: ByteToMessageDecoder {
    typealias InboundOut = MQTTPacket

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        var peek = buffer
        guard let kind = peek.readInteger(as: UInt8.self) else { return .needMoreData }
        var length = 0
        var shift = 0
        while true {
            guard let byte = peek.readInteger(as: UInt8.self) else { return .needMoreData }
            length |= Int(byte & 127) << shift
            shift += 7
            if byte & 128 == 0 { break }
        }
        guard let body = peek.readSlice(length: length) else { return .needMoreData }
        buffer = peek
        context.fireChannelRead(wrapInboundOut(MQTTPacket(kind: kind, body: body)))
        return .continue
    }
}

extension ByteBuffer {
    mutating func writeMQTT(kind: UInt8, body: (inout ByteBuffer) -> Void) {
        var content = ByteBuffer()
        body(&content)
        writeInteger(kind)
        var length = content.readableBytes
        repeat {
            var byte = UInt8(length % 128)
            length /= 128
            if length > 0 { byte |= 128 }
            writeInteger(byte)
        } while length > 0
        writeBuffer(&content)
    }

    mutating func writeMQTTString(_ text: String) {
        writeInteger(UInt16(text.utf8.count))
        writeString(text)
    }
}

final class MQTTHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = MQTTPacket
    typealias OutboundOut = ByteBuffer

    enum Role { case publisher, subscriber }

    let role: Role
    let pair: Pair
    let topic: String
    let clientID: String
    let ready: EventLoopPromise<Void>
    private var context: ChannelHandlerContext?
    private var pendingFlush = PendingFlush()
    private var nextPacketID: UInt16 = 0
    private var inFlight: [UInt16: String] = [:]

    init(role: Role, pair: Pair, topic: String, clientID: String, ready: EventLoopPromise<Void>) {
        self.role = role
        self.pair = pair
        self.topic = topic
        self.clientID = clientID
        self.ready = ready
    }

    func channelActive(context: ChannelHandlerContext) {
        self.context = context
        var connect = context.channel.allocator.buffer(capacity: 64)
        connect.writeMQTT(kind: 0x10) { body in
            body.writeMQTTString("MQTT")
            body.writeInteger(UInt8(4))  // 3.1.1
            body.writeInteger(UInt8(2))  // clean session
            body.writeInteger(UInt16(60))  // keep-alive seconds
            body.writeMQTTString(clientID)
        }
        context.writeAndFlush(wrapOutboundOut(connect), promise: nil)
    }

    /// QoS 1 publish of one message.
    func publish(id: String, payload: String) {
        guard let context else { return }
        nextPacketID = nextPacketID == UInt16.max ? 1 : nextPacketID + 1
        inFlight[nextPacketID] = id
        var packet = context.channel.allocator.buffer(capacity: payload.utf8.count + 32)
        packet.writeMQTT(kind: 0x32) { body in
            body.writeMQTTString(topic)
            body.writeInteger(nextPacketID)
            body.writeString(payload)
        }
        context.write(wrapOutboundOut(packet), promise: nil)
        pendingFlush.wrote()
    }

    func flush() { pendingFlush.flush(context) }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var packet = unwrapInboundIn(data)
        switch packet.kind & 0xF0 {
        case 0x20:  // CONNACK
            guard role == .subscriber else { return ready.succeed() }
            var subscribe = context.channel.allocator.buffer(capacity: 64)
            subscribe.writeMQTT(kind: 0x82) { body in
                body.writeInteger(UInt16(1))
                body.writeMQTTString(topic)
                body.writeInteger(UInt8(1))  // QoS 1
            }
            context.writeAndFlush(wrapOutboundOut(subscribe), promise: nil)
        case 0x90:  // SUBACK
            ready.succeed()
        case 0x40:  // PUBACK of our publish
            guard let packetID = packet.body.readInteger(as: UInt16.self),
                let id = inFlight.removeValue(forKey: packetID)
            else { fail("a PUBACK for no publish in flight") }
            pair.acknowledged(id)
        case 0x30:  // PUBLISH from the broker, QoS 1
            guard let topicLength = packet.body.readInteger(as: UInt16.self),
                packet.body.readSlice(length: Int(topicLength)) != nil,
                let packetID = packet.body.readInteger(as: UInt16.self)
            else { fail("a malformed PUBLISH") }
            let id = packet.body.withUnsafeReadableBytes { stringValue(of: "id", in: $0) }
            var ack = context.channel.allocator.buffer(capacity: 4)
            ack.writeMQTT(kind: 0x40) { $0.writeInteger(packetID) }
            context.write(wrapOutboundOut(ack), promise: nil)
            pendingFlush.wrote()
            pair.delivered(id ?? "")
        default:
            break
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flush()
        pair.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) { fail("MQTT: \(error)") }
}

func runMQTT(port: Int, conversations: Int, count: Int, window: Int, rate: Int, on loop: any EventLoop) throws -> String
{
    let tally = Tally(pairs: conversations, done: loop.makePromise())
    var ready: [EventLoopFuture<Void>] = []
    var pairs: [Pair] = []
    let payloads = Box(Payloads())
    for index in 0..<conversations {
        let pair = Pair(count: count, window: rate > 0 ? 0 : window, tally: tally)
        pairs.append(pair)
        let topic = "conversation/\(index)"
        for role in [MQTTHandler.Role.subscriber, .publisher] {
            let promise = loop.makePromise(of: Void.self)
            let handler = MQTTHandler(
                role: role, pair: pair, topic: topic, clientID: "\(role)-\(index)", ready: promise)
            if role == .publisher {
                pair.send = { id in handler.publish(id: id, payload: payloads.value.message(id: id)) }
                pair.flush = { handler.flush() }
            }
            let connected = ClientBootstrap(group: loop)
                .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(MQTTDecoder()))
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                }
                .connect(host: "127.0.0.1", port: port)
            ready.append(connected.flatMap { _ in promise.futureResult })
        }
    }
    try EventLoopFuture.andAllSucceed(ready, on: loop).wait()
    Thread.sleep(forTimeInterval: 0.5)
    let all = pairs
    try loop.submit { start(all, rate: rate, on: loop) }.wait()
    try tally.done.futureResult.wait()
    return try loop.submit { tally.report(sent: conversations * count) }.wait()
}
