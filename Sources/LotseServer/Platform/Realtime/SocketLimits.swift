import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOWebSocket
import Vapor
import WebSocketKit

/// How much the WebSockets may hold in memory, one and all together. See docs/realtime.md, "Limits".
///
/// A message is assembled from its frames only up to ``maximumMessageBytes`` (WebSocketKit's default assembles
/// without limit: one message of 96 MiB sent as continuation frames was held whole). Messages that wait for their
/// handler count against the socket and against the server; over either bound the server stops reading from that
/// socket (TCP pushes back on the sender) until handlers catch up, so nothing is dropped and nothing piles up.
struct SocketLimits: Sendable {
    /// The largest message, all frames together: a sealed message of 256 KiB in base64 and JSON fits.
    var maximumMessageBytes = 512 * 1024
    /// Fragments per message; each non-final fragment carries at least 1 KiB (no million-tiny-frames messages).
    var maximumFragments = 64
    var minimumFragmentBytes = 1_024
    /// Messages and bytes one socket may have waiting for their handlers before the server stops reading it.
    var socketMessages = 16
    var socketBytes = 1_024 * 1_024
    /// Bytes all sockets together may have waiting before every further sender is paused.
    var serverBytes = 64 * 1_024 * 1_024
    /// Open sockets per account and per server instance (`LOTSE_MAX_SOCKETS`).
    var perAccount = 16
    var perServer = 20_000

    var aggregation: WebSocket.Configuration {
        var configuration = WebSocket.Configuration()
        configuration.maxAccumulatedFrameSize = maximumMessageBytes
        configuration.maxAccumulatedFrameCount = maximumFragments
        configuration.minNonFinalFragmentSize = minimumFragmentBytes
        return configuration
    }
}

/// Vapor's `WebSocketUpgrader` with a bounded frame aggregator, one flush per loop turn (``FlushCoalescer``),
/// frames written whole (``FrameWriter``) and read whole (``TextFrameReader``), and the channel handed over with the
/// socket so the server can pause reading it.
struct BoundedWebSocketUpgrader: Upgrader {
    let limits: SocketLimits
    let onUpgrade: @Sendable (WebSocket, any Channel, FrameWriter, TextFrameReader) -> Void

    func applyUpgrade(req: Request, res: Response) -> any HTTPServerProtocolUpgrader {
        let limits = limits
        let onUpgrade = onUpgrade
        return NIOWebSocketServerUpgrader(
            maxFrameSize: limits.maximumMessageBytes, automaticErrorHandling: false,
            shouldUpgrade: { channel, _ in channel.eventLoop.makeSucceededFuture([:]) },
            upgradePipelineHandler: { channel, _ in
                let writer = FrameWriter(on: channel.eventLoop)  // called on the channel's loop
                let reader = TextFrameReader(on: channel.eventLoop)
                do {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(FlushCoalescer())
                    // Between the frame encoder and the socket: what it writes needs no encoding.
                    let encoder = try pipeline.handler(type: WebSocketFrameEncoder.self)
                    try pipeline.addHandler(writer, position: .before(encoder))
                    // After NIO's frame decoder, before the aggregator and handler that `WebSocket.server` adds.
                    try pipeline.addHandler(reader)
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
                return WebSocket.server(on: channel, config: limits.aggregation) { socket in
                    writer.serve(socket)
                    onUpgrade(socket, channel, writer, reader)
                }
            })
    }
}

/// The bytes waiting for handlers on all sockets of this instance, and the sockets paused until there is room.
final class SocketBudget: Sendable {
    private struct State {
        var bytes = 0
        var highWater = 0
        var waiting: [ObjectIdentifier: SocketFlow] = [:]
    }

    let limit: Int
    private let state = NIOLockedValueBox(State())

    init(limit: Int) {
        self.limit = limit
    }

    var bytes: Int { state.withLockedValue { $0.bytes } }
    /// The most bytes that ever waited at once (for tests and health).
    var highWater: Int { state.withLockedValue { $0.highWater } }

    /// Counts bytes that arrived.
    fileprivate func add(_ bytes: Int) {
        state.withLockedValue { state in
            state.bytes += bytes
            state.highWater = max(state.highWater, state.bytes)
        }
    }

    /// Counts bytes handled; wakes the paused sockets once the server is back under half its budget.
    fileprivate func remove(_ bytes: Int) {
        let woken: [SocketFlow] = state.withLockedValue { state in
            state.bytes -= bytes
            guard state.bytes <= limit / 2, !state.waiting.isEmpty else { return [] }
            defer { state.waiting = [:] }
            return Array(state.waiting.values)
        }
        for flow in woken { flow.reconsider() }
    }

    fileprivate var isOver: Bool { state.withLockedValue { $0.bytes > limit } }

    fileprivate func wait(_ flow: SocketFlow) {
        state.withLockedValue { $0.waiting[ObjectIdentifier(flow)] = flow }
    }

    fileprivate func forget(_ flow: SocketFlow) {
        state.withLockedValue { $0.waiting[ObjectIdentifier(flow)] = nil }
    }
}

/// One socket's messages waiting for their handlers; reading from the socket stops while too many wait.
final class SocketFlow: Sendable {
    private struct State {
        var messages = 0
        var bytes = 0
        var reading = true
    }

    private let channel: any Channel
    private let limits: SocketLimits
    private let budget: SocketBudget
    private let state = NIOLockedValueBox(State())

    init(channel: any Channel, limits: SocketLimits, budget: SocketBudget) {
        self.channel = channel
        self.limits = limits
        self.budget = budget
    }

    /// A message arrived and waits for its handler.
    func arrived(_ bytes: Int) {
        state.withLockedValue {
            $0.messages += 1
            $0.bytes += bytes
        }
        budget.add(bytes)
        reconsider()
    }

    /// A message's handler finished.
    func handled(_ bytes: Int) {
        state.withLockedValue {
            $0.messages -= 1
            $0.bytes -= bytes
        }
        budget.remove(bytes)
        reconsider()
    }

    /// The socket closed: whatever it had waiting no longer counts once handled, and it waits for nothing.
    func closed() {
        budget.forget(self)
    }

    /// Reads while this socket and the server have room, pauses otherwise. The decision is made on the socket's
    /// event loop from the state at that moment: handlers finish on other threads, and a "read again" decided there
    /// could otherwise reach the loop after a later "pause" and leave the socket reading while it should not.
    fileprivate func reconsider() {
        if channel.eventLoop.inEventLoop {
            apply()
        } else {
            channel.eventLoop.execute { self.apply() }
        }
    }

    private func apply() {
        let serverOver = budget.isOver
        let change: Bool? = state.withLockedValue { state in
            let room = state.messages < limits.socketMessages && state.bytes < limits.socketBytes && !serverOver
            guard room != state.reading else { return nil }
            state.reading = room
            return room
        }
        if serverOver { budget.wait(self) }
        guard let read = change else { return }
        channel.setOption(ChannelOptions.autoRead, value: read).whenComplete { _ in }  // on the loop: at once
        if read { channel.read() }
    }
}

/// Relays at most one `typing` per conversation and socket every two seconds: a device sends it every few seconds
/// while someone types, and a flood of them is not passed on to everyone in the conversation.
final class TypingGate: Sendable {
    static let interval = TimeAmount.seconds(2)
    private let last = NIOLockedValueBox<[UUID: NIODeadline]>([:])

    func allows(_ conversation: UUID, now: NIODeadline = .now()) -> Bool {
        last.withLockedValue { last in
            if let previous = last[conversation], now - previous < Self.interval { return false }
            if last.count > 256 { last = last.filter { now - $0.value < Self.interval } }
            last[conversation] = now
            return true
        }
    }
}
