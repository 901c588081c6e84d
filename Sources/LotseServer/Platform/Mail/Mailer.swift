import Foundation
import LotseAPI
import NIOConcurrencyHelpers
import Vapor

/// Writes the platform's mails and sends them in the background.
///
/// Sending never delays the answer to the request that caused it: the answer to "reset my password" must take as
/// long for an unknown address as for a known one, or its timing would tell who has an account.
final class Mailer: Sendable {
    let transport: any MailTransport
    let from: String
    let publicURL: URL
    let logger: Logger
    /// The mails' subjects and bodies (`mail.<template>.subject`/`.body`), in every language.
    let texts: Texts
    private let inFlight = NIOLockedValueBox<[UUID: Task<Void, Never>]>([:])

    init(transport: any MailTransport, from: String, publicURL: URL, logger: Logger, texts: Texts) {
        self.transport = transport
        self.from = from
        self.publicURL = publicURL
        self.logger = logger
        self.texts = texts
    }

    /// Sends the mail `template` (`mail.<template>.subject`/`.body` in ``texts``) to `address` in `language`, in the
    /// background.
    func send(
        _ template: String, to address: String, in language: Language, arguments: [String], now: Date,
        attachments: [MailAttachment] = []
    ) {
        let mail = compose(
            template, to: address, in: language, arguments: arguments, now: now, attachments: attachments)
        let id = UUID()
        inFlight.withLockedValue { tasks in
            tasks[id] = Task { [weak self] in
                try? await self?.deliver(mail, template: template)
                _ = self?.inFlight.withLockedValue { $0.removeValue(forKey: id) }
            }
        }
    }

    /// Sends a mail and waits until the server took it, for callers that record that it went out (reminders).
    func deliver(_ mail: OutgoingMail, template: String) async throws {
        do {
            try await transport.send(mail)
        } catch {
            // The address is personal data: log the template and the reason, not the recipient.
            logger.error("Could not send the \(template) mail: \(String(describing: error))")
            throw error
        }
    }

    /// The mail `template` in `language`, ready to send.
    func compose(
        _ template: String, to address: String, in language: Language, arguments: [String], now: Date,
        attachments: [MailAttachment] = []
    ) -> OutgoingMail {
        OutgoingMail(
            from: from,
            to: address,
            subject: texts.message("mail.\(template).subject", language, arguments),
            body: texts.message("mail.\(template).body", language, arguments),
            date: now,
            messageID: "\(UUID().uuidString.lowercased())@\(publicURL.host ?? "lotse")",
            attachments: attachments
        )
    }

    /// A link into the web client carrying a token, e.g. `/verify-email#token=…` (a fragment: it never reaches
    /// logs or Referer headers).
    func link(_ path: String, token: String) -> String {
        page(path) + "#token=" + token
    }

    /// The address of a page of the web client, e.g. `https://lotse.example/login`.
    func page(_ path: String) -> String {
        var base = publicURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        return base + path
    }

    /// Waits until every mail handed over so far was sent or failed; used at shutdown and by tests.
    func drain() async {
        while let task = inFlight.withLockedValue({ $0.values.first }) {
            await task.value
        }
    }
}
