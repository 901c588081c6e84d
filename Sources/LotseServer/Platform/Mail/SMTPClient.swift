import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// A small SMTP client (RFC 5321) on SwiftNIO: plain, STARTTLS or implicit TLS, with AUTH PLAIN when configured.
struct SMTPTransport: MailTransport {
    let settings: SMTPSettings
    let group: any EventLoopGroup
    let heloName: String
    /// The whole conversation must end within this; a stalled relay or TLS handshake is cut off, not waited for.
    var timeout: TimeAmount = .seconds(60)

    func send(_ mail: OutgoingMail) async throws {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile = settings.caFile { tls.trustRoots = .file(caFile) }
        let tlsContext = try settings.security == .none ? nil : NIOSSLContext(configuration: tls)
        // SNI takes names only; a relay addressed by IP is verified against the certificate's IP entries.
        let host: String? = IPRange.bytes(of: settings.host) == nil ? settings.host : nil
        let implicitTLS = settings.security == .tls
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if implicitTLS, let tlsContext {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: tlsContext, serverHostname: host))
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPLineDecoder()))
                    try channel.pipeline.syncOperations.addHandler(SMTPClientHandler())
                }
            }
            .connect(host: settings.host, port: settings.port).get()
        // Closing the channel fails every reply still awaited (SMTPClientHandler.channelInactive).
        let deadline = channel.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
        defer { deadline.cancel() }
        do {
            try await converse(on: channel, mail: mail, tlsContext: tlsContext)
            try? await channel.close()
        } catch {
            try? await channel.close()
            throw error
        }
    }

    private func converse(on channel: any Channel, mail: OutgoingMail, tlsContext: NIOSSLContext?) async throws {
        try await command(nil, expecting: 220, on: channel)
        var capabilities = try await command("EHLO \(heloName)", expecting: 250, on: channel)
        if settings.security == .starttls, let tlsContext {
            guard capabilities.lines.contains(where: { $0.uppercased().hasPrefix("STARTTLS") }) else {
                throw SMTPError.noStartTLS(settings.host)
            }
            try await command("STARTTLS", expecting: 220, on: channel)
            let host: String? = IPRange.bytes(of: settings.host) == nil ? settings.host : nil
            try await channel.eventLoop.submit {
                let handler = try NIOSSLClientHandler(context: tlsContext, serverHostname: host)
                try channel.pipeline.syncOperations.addHandler(handler, position: .first)
            }.get()
            capabilities = try await command("EHLO \(heloName)", expecting: 250, on: channel)
        }
        if let username = settings.username, let password = settings.password {
            let credentials = Data("\0\(username)\0\(password)".utf8).base64EncodedString()
            try await command("AUTH PLAIN \(credentials)", expecting: 235, on: channel)
        }
        try await command("MAIL FROM:<\(OutgoingMail.address(in: mail.from))>", expecting: 250, on: channel)
        try await command("RCPT TO:<\(OutgoingMail.address(in: mail.to))>", expecting: 250, on: channel)
        try await command("DATA", expecting: 354, on: channel)
        // Dot-stuffing (RFC 5321 §4.5.2): a line that starts with "." gets another one.
        let stuffed = mail.rendered().replacingOccurrences(of: "\r\n.", with: "\r\n..")
        try await command(stuffed + ".", expecting: 250, on: channel)
        _ = try? await reply(on: channel, sending: "QUIT")
    }

    private func reply(on channel: any Channel, sending command: String?) async throws -> SMTPReply {
        let promise = channel.eventLoop.makePromise(of: SMTPReply.self)
        channel.writeAndFlush(SMTPClientHandler.Request(command: command, reply: promise), promise: nil)
        return try await promise.futureResult.get()
    }

    @discardableResult
    private func command(_ line: String?, expecting code: Int, on channel: any Channel) async throws -> SMTPReply {
        let reply = try await reply(on: channel, sending: line)
        guard reply.code == code else { throw SMTPError.unexpectedReply(expected: code, got: reply) }
        return reply
    }
}

/// A server reply: its code and the text of each line.
struct SMTPReply: Sendable, Equatable {
    var code: Int
    var lines: [String]
}

enum SMTPError: Error, CustomStringConvertible {
    case unexpectedReply(expected: Int, got: SMTPReply)
    case noStartTLS(String)
    case connectionClosed

    var description: String {
        switch self {
        case .unexpectedReply(let expected, let reply):
            "SMTP server answered \(reply.code) \(reply.lines.joined(separator: " ")) where \(expected) was expected"
        case .noStartTLS(let host): "SMTP server \(host) does not offer STARTTLS"
        case .connectionClosed: "SMTP server closed the connection"
        }
    }
}

/// Splits the byte stream into lines ending in CRLF (or a bare LF).
struct SMTPLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = String

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else { return .needMoreData }
        let length = newline - buffer.readerIndex
        var line = buffer.readString(length: length) ?? ""
        buffer.moveReaderIndex(forwardBy: 1)
        if line.hasSuffix("\r") { line.removeLast() }
        context.fireChannelRead(Self.wrapInboundOut(line))
        return .continue
    }
}

/// Pairs each command with its (possibly multi-line) reply, in order.
final class SMTPClientHandler: ChannelDuplexHandler {
    typealias InboundIn = String
    typealias OutboundIn = Request
    typealias OutboundOut = ByteBuffer

    /// A command to write (nil: only wait, for the greeting) and where its reply goes.
    struct Request {
        let command: String?
        let reply: EventLoopPromise<SMTPReply>
    }

    private var waiting: [EventLoopPromise<SMTPReply>] = []
    private var arrived: [SMTPReply] = []
    private var partial: [String] = []

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let line = unwrapInboundIn(data)
        guard line.count >= 3, let code = Int(line.prefix(3)) else { return }
        let text = line.count > 4 ? String(line.dropFirst(4)) : ""
        partial.append(text)
        // "250-…" continues a reply; "250 …" ends it.
        if line.count > 3, line[line.index(line.startIndex, offsetBy: 3)] == "-" { return }
        let reply = SMTPReply(code: code, lines: partial)
        partial = []
        if waiting.isEmpty {
            arrived.append(reply)
        } else {
            waiting.removeFirst().succeed(reply)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if arrived.isEmpty {
            waiting.append(request.reply)
        } else {
            request.reply.succeed(arrived.removeFirst())
        }
        guard let command = request.command else {
            promise?.succeed()
            return
        }
        let buffer = context.channel.allocator.buffer(string: command + "\r\n")
        context.write(wrapOutboundOut(buffer), promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(SMTPError.connectionClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(error)
        context.close(promise: nil)
    }

    private func failAll(_ error: any Error) {
        let pending = waiting
        waiting = []
        for promise in pending { promise.fail(error) }
    }
}
