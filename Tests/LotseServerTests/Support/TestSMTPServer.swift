import Fluent
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import Vapor
import VaporTesting

/// A real SMTP receiver on 127.0.0.1 with a free port: it speaks enough RFC 5321 for any client and keeps every
/// message it accepts, decoded, for the test to read.
final class TestSMTPServer: Sendable {
    /// A received message.
    struct Message: Sendable {
        var mailFrom: String
        var recipients: [String]
        var raw: String

        /// A header's value, RFC 2047 words decoded.
        func header(_ name: String) -> String? {
            let head = raw.components(separatedBy: "\r\n\r\n").first ?? ""
            for line in head.components(separatedBy: "\r\n") where line.lowercased().hasPrefix(name.lowercased() + ":")
            {
                let value = line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces)
                if value.hasPrefix("=?UTF-8?B?"), value.hasSuffix("?="),
                    let data = Data(base64Encoded: String(value.dropFirst(10).dropLast(2)))
                {
                    return String(decoding: data, as: UTF8.self)
                }
                return value
            }
            return nil
        }

        /// The text body (base64 decoded, CRLF turned into LF).
        var body: String {
            let parts = raw.components(separatedBy: "\r\n\r\n")
            let encoded = parts.dropFirst().joined(separator: "\r\n\r\n").replacingOccurrences(of: "\r\n", with: "")
            guard let data = Data(base64Encoded: encoded) else { return encoded }
            return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        }

        /// The token in the first link of the body that carries `#token=`.
        var linkToken: String? {
            guard let range = body.range(of: "#token=") else { return nil }
            return String(body[range.upperBound...].prefix { !$0.isWhitespace })
        }
    }

    private let channel: any Channel
    private let inbox: NIOLockedValueBox<[Message]>
    /// The port it listens on.
    let port: Int

    /// How the receiver protects the connection.
    enum Security {
        case none
        /// Offers STARTTLS with this context.
        case startTLS(NIOSSLContext)
        /// TLS from the first byte with this context.
        case tls(NIOSSLContext)
    }

    init(group: any EventLoopGroup, security: Security = .none) async throws {
        let inbox = NIOLockedValueBox<[Message]>([])
        self.inbox = inbox
        channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if case .tls(let context) = security {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineDecoder()))
                    var startTLS: NIOSSLContext?
                    if case .startTLS(let context) = security { startTLS = context }
                    try channel.pipeline.syncOperations.addHandler(SessionHandler(inbox: inbox, startTLS: startTLS))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress?.port ?? 0
    }

    /// Every message received so far.
    var messages: [Message] { inbox.withLockedValue { $0 } }

    /// Waits up to `timeout` for a message to `recipient` beyond the first `skipping` ones.
    func message(to recipient: String, skipping: Int = 0, timeout: Duration = .seconds(10)) async throws -> Message {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let matching = messages.filter { $0.recipients.contains(recipient) }
            if matching.count > skipping { return matching[skipping] }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw SMTPTestError.noMail(recipient)
    }

    /// Waits for the first message to `recipient` beyond the first `skipping` that carries a link token: mails sent
    /// in the background (a "something new" notice) may arrive before or after it.
    func linkMessage(to recipient: String, skipping: Int = 0, timeout: Duration = .seconds(10)) async throws -> Message
    {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let matching = messages.filter { $0.recipients.contains(recipient) }.dropFirst(skipping)
            if let linked = matching.first(where: { $0.linkToken != nil }) { return linked }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw SMTPTestError.noMail(recipient)
    }

    func shutdown() async throws {
        try await channel.close()
    }

    enum SMTPTestError: Error { case noMail(String) }

    private struct LineDecoder: ByteToMessageDecoder {
        typealias InboundOut = String

        mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
            guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
                return .needMoreData
            }
            var line = buffer.readString(length: newline - buffer.readerIndex) ?? ""
            buffer.moveReaderIndex(forwardBy: 1)
            if line.hasSuffix("\r") { line.removeLast() }
            context.fireChannelRead(Self.wrapInboundOut(line))
            return .continue
        }
    }

    private final class SessionHandler: ChannelInboundHandler {
        typealias InboundIn = String
        typealias OutboundOut = ByteBuffer

        let inbox: NIOLockedValueBox<[Message]>
        let startTLS: NIOSSLContext?
        var mailFrom = ""
        var recipients: [String] = []
        var data: [String]?

        init(inbox: NIOLockedValueBox<[Message]>, startTLS: NIOSSLContext?) {
            self.inbox = inbox
            self.startTLS = startTLS
        }

        func channelActive(context: ChannelHandlerContext) {
            reply("220 localhost test SMTP ready", context)
        }

        func channelRead(context: ChannelHandlerContext, data incoming: NIOAny) {
            let line = unwrapInboundIn(incoming)
            if var lines = data {
                if line == "." {
                    // Undo dot-stuffing (RFC 5321 §4.5.2).
                    let raw = lines.map { $0.hasPrefix("..") ? String($0.dropFirst()) : $0 }.joined(separator: "\r\n")
                    let message = Message(mailFrom: mailFrom, recipients: recipients, raw: raw)
                    inbox.withLockedValue { $0.append(message) }
                    data = nil
                    recipients = []
                    reply("250 OK queued", context)
                } else {
                    lines.append(line)
                    data = lines
                }
                return
            }
            let verb = line.prefix(4).uppercased()
            switch verb {
            case "EHLO":
                reply(
                    "250-localhost\r\n250-8BITMIME\r\n" + (startTLS == nil ? "" : "250-STARTTLS\r\n")
                        + "250 SIZE 10485760", context)
            case "STAR" where startTLS != nil:
                reply("220 Ready to start TLS", context)
                // Everything after this reply is encrypted.
                if let startTLS {
                    try? context.pipeline.syncOperations.addHandler(
                        NIOSSLServerHandler(context: startTLS), position: .first)
                }
            case "HELO": reply("250 localhost", context)
            case "MAIL":
                mailFrom = Self.address(in: line)
                reply("250 OK", context)
            case "RCPT":
                recipients.append(Self.address(in: line))
                reply("250 OK", context)
            case "DATA":
                data = []
                reply("354 End data with <CR><LF>.<CR><LF>", context)
            case "QUIT":
                reply("221 Bye", context)
                context.close(promise: nil)
            case "RSET", "NOOP": reply("250 OK", context)
            default: reply("502 Command not implemented", context)
            }
        }

        private func reply(_ text: String, _ context: ChannelHandlerContext) {
            context.writeAndFlush(
                wrapOutboundOut(context.channel.allocator.buffer(string: text + "\r\n")), promise: nil)
        }

        private static func address(in line: String) -> String {
            guard let open = line.firstIndex(of: "<"), let close = line.lastIndex(of: ">") else { return "" }
            return String(line[line.index(after: open)..<close])
        }
    }
}
