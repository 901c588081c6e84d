import Foundation

/// One plain-text mail, ready to send.
struct OutgoingMail: Sendable, Equatable {
    var from: String
    var to: String
    var subject: String
    var body: String
    var date: Date
    var messageID: String
    /// Files sent along, such as a calendar invitation.
    var attachments: [MailAttachment] = []

    /// The bare address inside `Name <addr>`, for the SMTP envelope.
    static func address(in mailbox: String) -> String {
        if let open = mailbox.lastIndex(of: "<"), let close = mailbox.lastIndex(of: ">"), open < close {
            return String(mailbox[mailbox.index(after: open)..<close])
        }
        return mailbox.trimmingCharacters(in: .whitespaces)
    }

    /// The message in RFC 5322 form with CRLF line ends: UTF-8 text as base64, non-ASCII headers RFC 2047-encoded;
    /// with attachments, `multipart/mixed` with the text first.
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
        ]
        let text = Data(body.replacingOccurrences(of: "\n", with: "\r\n").utf8)
        if attachments.isEmpty {
            lines += ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64", ""]
            lines += Self.base64Lines(text)
        } else {
            let boundary = "lotse-" + messageID.filter { $0.isLetter || $0.isNumber }
            lines += ["Content-Type: multipart/mixed; boundary=\"\(boundary)\"", "", "--\(boundary)"]
            lines += ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64", ""]
            lines += Self.base64Lines(text)
            for attachment in attachments {
                lines += [
                    "--\(boundary)", "Content-Type: \(attachment.contentType); name=\"\(attachment.filename)\"",
                    "Content-Disposition: attachment; filename=\"\(attachment.filename)\"",
                    "Content-Transfer-Encoding: base64", "",
                ]
                lines += Self.base64Lines(attachment.data)
            }
            lines.append("--\(boundary)--")
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    private static func base64Lines(_ data: Data) -> [String] {
        let encoded = data.base64EncodedString()
        var lines: [String] = []
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[index..<end]))
            index = end
        }
        return lines
    }

    private static func encodedHeader(_ value: String) -> String {
        value.allSatisfy(\.isASCII) ? value : "=?UTF-8?B?\(Data(value.utf8).base64EncodedString())?="
    }
}

/// A file sent along with a mail.
struct MailAttachment: Sendable, Equatable {
    /// E.g. `invite.ics`: letters, digits, dots and dashes only.
    var filename: String
    /// E.g. `text/calendar; charset=utf-8; method=REQUEST`.
    var contentType: String
    var data: Data
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
        // The template's mail, not the person: an address in the log is personal data that outlives the mail.
        log("No SMTP server is configured (LOTSE_SMTP_HOST); a mail was written to \(path)")
    }
}
