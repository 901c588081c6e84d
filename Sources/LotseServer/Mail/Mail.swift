import Foundation

/// One plain-text mail, ready to send.
struct OutgoingMail: Sendable, Equatable {
    var from: String
    var to: String
    var subject: String
    var body: String
    var date: Date
    var messageID: String

    /// The bare address inside `Name <addr>`, for the SMTP envelope.
    static func address(in mailbox: String) -> String {
        if let open = mailbox.lastIndex(of: "<"), let close = mailbox.lastIndex(of: ">"), open < close {
            return String(mailbox[mailbox.index(after: open)..<close])
        }
        return mailbox.trimmingCharacters(in: .whitespaces)
    }

    /// The message in RFC 5322 form with CRLF line ends: UTF-8 text as base64, non-ASCII headers RFC 2047-encoded.
    func rendered() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        var lines = [
            "From: \(Self.encodedHeader(from))",
            "To: \(to)",
            "Subject: \(Self.encodedHeader(subject))",
            "Date: \(formatter.string(from: date))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64",
            "",
        ]
        let encoded = Data(body.replacingOccurrences(of: "\n", with: "\r\n").utf8).base64EncodedString()
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[index..<end]))
            index = end
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    private static func encodedHeader(_ value: String) -> String {
        value.allSatisfy(\.isASCII) ? value : "=?UTF-8?B?\(Data(value.utf8).base64EncodedString())?="
    }
}

/// Hands mails to the world: an SMTP server, or the outbox folder.
protocol MailTransport: Sendable {
    func send(_ mail: OutgoingMail) async throws
}

/// Writes mails as `.eml` files, for a server with no SMTP configured: `swift run` still lets people verify addresses.
struct OutboxTransport: MailTransport {
    let directory: String
    let log: @Sendable (String) -> Void

    func send(_ mail: OutgoingMail) async throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/" + mail.messageID.replacingOccurrences(of: "@", with: "_") + ".eml"
        try Data(mail.rendered().utf8).write(to: URL(fileURLWithPath: path))
        log("No SMTP server is configured (LOTSE_SMTP_HOST); a mail to \(mail.to) was written to \(path)")
    }
}
