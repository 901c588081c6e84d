// What every transport of the load generator shares: the pairs' traffic (each sender keeps `window` messages in
// flight until it has sent `count`), the clock, the histograms and the report. Everything here lives on the
// generator's one event loop, so nothing is locked; the classes are `@unchecked Sendable` only so that NIO's
// `@Sendable` set-up closures may carry them to that loop.
import Foundation
import Histogram
import NIOCore

/// Nanoseconds on a monotonic clock.
func now() -> UInt64 { NIODeadline.now().uptimeNanoseconds }

/// Latencies in microseconds, up to a minute, three significant digits.
func latencies() -> Histogram<UInt64> {
    Histogram(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
}

/// Random ciphertexts and signatures in base64, made before the clock starts and used in turn: the server stores
/// them without reading them, so fresh random bytes per message would only cost the generator.
struct Payloads {
    let ciphertexts: [String]
    let signatures: [String]
    var next = 0

    init(count: Int = 256, ciphertextBytes: Int = 200) {
        var random = SystemRandomNumberGenerator()
        func bytes(_ n: Int) -> String {
            Data((0..<n).map { _ in UInt8.random(in: 0...255, using: &random) }).base64EncodedString()
        }
        ciphertexts = (0..<count).map { _ in bytes(ciphertextBytes) }
        signatures = (0..<count).map { _ in bytes(64) }
    }

    /// The JSON of one message, as the web client sends it: `{"id", "epoch", "ciphertext", "signature"}`.
    mutating func message(id: String) -> String {
        next = (next + 1) % ciphertexts.count
        return #"{"id":"\#(id)","epoch":1,"ciphertext":"\#(ciphertexts[next])","signature":"\#(signatures[next])"}"#
    }
}

/// The whole run: counts, histograms, and the promise that completes when every pair is done.
final class Tally: @unchecked Sendable {
    var acks = latencies()
    var deliveries = latencies()
    var first: UInt64 = 0
    var last: UInt64 = 0
    var pairsLeft: Int
    let done: EventLoopPromise<Void>

    init(pairs: Int, done: EventLoopPromise<Void>) {
        pairsLeft = pairs
        self.done = done
    }

    func report(sent: Int) -> String {
        let seconds = Double(last - first) / 1e9
        func ms(_ histogram: Histogram<UInt64>, _ percentile: Double) -> String {
            String(format: "%.2f", Double(histogram.valueAtPercentile(percentile)) / 1000)
        }
        return """
            {"sent": \(sent), "seconds": \(String(format: "%.3f", seconds)), \
            "per_second": \(Int((Double(sent) / seconds).rounded())), \
            "ack_p50_ms": \(ms(acks, 50)), "ack_p99_ms": \(ms(acks, 99)), "ack_p999_ms": \(ms(acks, 99.9)), \
            "delivery_p50_ms": \(ms(deliveries, 50)), "delivery_p99_ms": \(ms(deliveries, 99)), \
            "delivery_p999_ms": \(ms(deliveries, 99.9))}
            """
    }
}

/// One conversation's traffic. A transport calls `start`, and `acknowledged`/`delivered` as events arrive; the pair
/// asks its transport to `send` the next message whenever one of its window is free.
final class Pair: @unchecked Sendable {
    struct Outstanding {
        var sentAt: UInt64
        var acked = false
        var delivered = false
    }

    let count: Int
    /// Messages in flight at most; 0 when a `Pacer` sends on a schedule instead.
    let window: Int
    let tally: Tally
    /// Sends one message with this ID; set by the transport once its connections are up.
    var send: (String) -> Void = { _ in }
    /// Writes out what `send` buffered; called after the first window and after each batch of events.
    var flush: () -> Void = {}
    private var outstanding: [String: Outstanding] = [:]
    private var sent = 0
    private var acked = 0
    private var delivered = 0

    init(count: Int, window: Int, tally: Tally) {
        self.count = count
        self.window = window
        self.tally = tally
    }

    func start() {
        for _ in 0..<min(window, count) { sendNext() }
        flush()
    }

    /// Whether this pair has sent all its messages.
    var finishedSending: Bool { sent == count }

    func sendNext() {
        let id = MessageIDs.next()
        let at = now()
        if tally.first == 0 { tally.first = at }
        outstanding[id] = Outstanding(sentAt: at)
        sent += 1
        send(id)
    }

    func acknowledged(_ id: String) {
        guard var entry = outstanding[id], !entry.acked else { fail("an ack for no message in flight: \(id)") }
        let at = now()
        _ = tally.acks.record((at - entry.sentAt) / 1000)
        tally.last = max(tally.last, at)
        acked += 1
        entry.acked = true
        settle(id, entry)
        if window > 0 && sent < count { sendNext() }
        finishIfDone()
    }

    func delivered(_ id: String) {
        guard var entry = outstanding[id], !entry.delivered else { fail("a delivery of no message in flight: \(id)") }
        _ = tally.deliveries.record((now() - entry.sentAt) / 1000)
        delivered += 1
        entry.delivered = true
        settle(id, entry)
        finishIfDone()
    }

    private func settle(_ id: String, _ entry: Outstanding) {
        if entry.acked && entry.delivered { outstanding[id] = nil } else { outstanding[id] = entry }
    }

    private func finishIfDone() {
        guard acked == count, delivered == count else { return }
        tally.pairsLeft -= 1
        if tally.pairsLeft == 0 { tally.done.succeed() }
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("bench-load: \(message)\n".utf8))
    exit(1)
}

/// The value of the first `"key":"…"` in `bytes`, from `start` on (JSON as the server writes it, no spaces).
func stringValue(of key: String, in bytes: UnsafeRawBufferPointer, from start: Int = 0) -> String? {
    let needle = Array("\"\(key)\":\"".utf8)
    guard let base = bytes.baseAddress, bytes.count >= needle.count else { return nil }
    var index = start
    while index <= bytes.count - needle.count {
        guard let hit = memchr(base + index, Int32(needle[0]), bytes.count - needle.count + 1 - index) else {
            return nil
        }
        let at = base.distance(to: UnsafeRawPointer(hit))
        if memcmp(base + at, needle, needle.count) == 0 {
            let valueStart = at + needle.count
            guard let end = memchr(base + valueStart, 0x22, bytes.count - valueStart) else { return nil }
            let length = base.distance(to: UnsafeRawPointer(end)) - valueStart
            return String(decoding: UnsafeRawBufferPointer(start: base + valueStart, count: length), as: UTF8.self)
        }
        index = at + 1
    }
    return nil
}

/// Open-loop load: `rate` messages per second in all, spread over the pairs in turn on a 1 ms tick, whatever the
/// acks do, so latencies are those of a server offered that rate (no window holds sends back while it is slow).
final class Pacer: @unchecked Sendable {
    let pairs: [Pair]
    let rate: Int
    private var started: UInt64 = 0
    private var sent = 0
    private var turn = 0
    private var task: RepeatedTask?

    init(pairs: [Pair], rate: Int) {
        self.pairs = pairs
        self.rate = rate
    }

    func start(on loop: any EventLoop) {
        started = now()
        task = loop.scheduleRepeatedTask(initialDelay: .zero, delay: .milliseconds(1)) { [self] task in
            let due = Int(Double(now() - started) / 1e9 * Double(rate))
            var touched: Set<ObjectIdentifier> = []
            while sent < due {
                guard let pair = nextPair() else {
                    task.cancel()
                    break
                }
                pair.sendNext()
                touched.insert(ObjectIdentifier(pair))
                sent += 1
            }
            for pair in pairs where touched.contains(ObjectIdentifier(pair)) { pair.flush() }
        }
    }

    private func nextPair() -> Pair? {
        for _ in 0..<pairs.count {
            turn = (turn + 1) % pairs.count
            if !pairs[turn].finishedSending { return pairs[turn] }
        }
        return nil
    }
}

/// Writes wait for one flush per batch of events (after a read, or after the first window): a handler marks that it
/// wrote, and flushes once.
struct PendingFlush {
    private var pending = false

    mutating func wrote() { pending = true }

    mutating func flush(_ context: ChannelHandlerContext?) {
        guard pending, let context else { return }
        pending = false
        context.flush()
    }
}

/// The IDs of the messages sent: time-ordered (UUID version 7) as the web client makes them (`newMessageID` in
/// Public/js/crypto/bytes.js), or random with `--random-ids`, as before 2026-12-07 and as other clients may.
enum MessageIDs {
    static let random = CommandLine.arguments.contains("--random-ids")

    static func next() -> String {
        guard !random else { return UUID().uuidString }
        var id = UUID().uuid
        let milliseconds = UInt64(Date().timeIntervalSince1970 * 1000)
        withUnsafeMutableBytes(of: &id) { bytes in
            for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (8 * UInt64(5 - index))) }
            bytes[6] = bytes[6] & 0x0f | 0x70  // version 7
            bytes[8] = bytes[8] & 0x3f | 0x80  // the RFC's variant
        }
        return UUID(uuid: id).uuidString
    }
}
