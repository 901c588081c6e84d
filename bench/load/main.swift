// bench-load: the compiled load generator of bench/messaging.sh (#21). One event loop on one thread drives N
// conversations, each sender keeping W messages in flight until it has sent C, and reports msg/s and the ack and
// delivery latencies (p50/p99/p99.9, an HDR histogram) as one JSON line.
//
//   bench-load lotse ws://127.0.0.1:PORT/api/v1/socket PEOPLE.json [options]   Lotse; PEOPLE.json from
//                                                                               bench/messaging_load.py --people-only
//   bench-load mqtt PORT [options]                                              mosquitto, MQTT 3.1.1 QoS 1
//   bench-load echo ws://127.0.0.1:PORT/ [options]                              the trivial peer below
//   bench-load echo-server PORT                                                 a WebSocket server that acks from memory
//   bench-load idle ws://127.0.0.1:PORT/api/v1/socket TOKENS                    one idle socket per token (a line each)
//                                                                               until stdin closes (bench/sockets.sh)
//
// Options: --conversations N (16; lotse: as many as the file has), --count C (300), --window W (4),
//          --rate R (instead of a window: R messages/s in all, sent on schedule whatever the acks do),
//          --timeout SECONDS (120), --receive-at ws://… (lotse: the receivers' sockets on another instance, so
//          every message crosses from the sender's instance to the receiver's; bench/postgres.sh), --random-ids
//          (message IDs random, not time-ordered as the web client makes them).
import Foundation
import NIOCore
import NIOPosix

var arguments = Array(CommandLine.arguments.dropFirst()).filter { $0 != "--random-ids" }  // read by MessageIDs
/// Takes `--name VALUE` out of the arguments; nil when absent.
func option(_ name: String, in arguments: inout [String], wants: String) -> String? {
    guard let index = arguments.firstIndex(of: "--\(name)") else { return nil }
    guard index + 1 < arguments.count else { fail("--\(name) wants \(wants)") }
    defer { arguments.removeSubrange(index...index + 1) }
    return arguments[index + 1]
}
func option(_ name: String, _ fallback: Int, in arguments: inout [String]) -> Int {
    guard let text = option(name, in: &arguments, wants: "a positive number") else { return fallback }
    guard let value = Int(text), value > 0 else { fail("--\(name) wants a positive number") }
    return value
}
let count = option("count", 300, in: &arguments)
let window = option("window", 4, in: &arguments)
let timeout = option("timeout", 120, in: &arguments)
let conversations = option("conversations", 16, in: &arguments)
let rate = arguments.contains("--rate") ? option("rate", 1, in: &arguments) : 0
let receiveAt = option("receive-at", in: &arguments, wants: "a socket's address")
guard arguments.count >= 2 else { fail("usage: see bench/load/main.swift") }

let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
let loop = group.next()
let deadline = loop.scheduleTask(in: .seconds(Int64(timeout))) { fail("not done after \(timeout) s") }

do {
    let report: String
    switch arguments[0] {
    case "lotse":
        guard arguments.count == 3 else { fail("lotse wants the socket's address and the people file") }
        let data = try Data(contentsOf: URL(fileURLWithPath: arguments[2]))
        let people = try JSONDecoder().decode([PeoplePair].self, from: data)
        report = try runLotse(
            Endpoint(arguments[1]), receiving: receiveAt.map(Endpoint.init), pairs: people, count: count,
            window: window, rate: rate, on: loop)
    case "echo":
        let people = (0..<conversations).map { _ in
            PeoplePair(conversation: UUID().uuidString, sender: "echo", receiver: "echo")
        }
        report = try runLotse(
            Endpoint(arguments[1]), pairs: people, count: count, window: window, rate: rate, echo: true, on: loop)
    case "mqtt":
        guard let port = Int(arguments[1]) else { fail("mqtt wants the broker's port") }
        report = try runMQTT(
            port: port, conversations: conversations, count: count, window: window, rate: rate, on: loop)
    case "idle":
        guard arguments.count == 3 else { fail("idle wants the socket's address and the tokens file") }
        let tokens = try String(contentsOfFile: arguments[2], encoding: .utf8).split(separator: "\n").map(String.init)
        deadline.cancel()  // they stay open until stdin closes
        try runIdle(Endpoint(arguments[1]), tokens: tokens, on: loop)
    case "echo-server":
        guard let port = Int(arguments[1]) else { fail("echo-server wants a port") }
        try runEchoServer(port: port, group: group)
    default:
        fail("unknown mode \(arguments[0])")
    }
    print(report)
} catch {
    fail("\(error)")
}
exit(0)
