import Fluent
import Foundation
import LotseAPI
import NIOCore
import NIOPosix
import NIOSSL
import Testing
import Vapor
import VaporTesting

@testable import LotseServer

@Suite("Mail over SMTP")
struct MailTests {
    @Test("A mail with umlauts and lines starting with a dot arrives intact over real SMTP")
    func smtpRoundTrip() async throws {
        let smtp = try await TestSMTPServer(group: MultiThreadedEventLoopGroup.singleton)
        let transport = SMTPTransport(
            settings: SMTPSettings(host: "127.0.0.1", port: smtp.port, security: .none),
            group: MultiThreadedEventLoopGroup.singleton, heloName: "lotse.test")
        let body = "Grüße aus Köln,\n.\n..zwei Punkte\nEnde"
        try await transport.send(
            OutgoingMail(
                from: "Lotse <no-reply@lotse.test>", to: "jörg@example.org", subject: "Schöne Grüße", body: body,
                date: Date(timeIntervalSince1970: 0), messageID: "1@lotse.test"))
        let message = try await smtp.message(to: "jörg@example.org")
        #expect(message.mailFrom == "no-reply@lotse.test")
        #expect(message.header("Subject") == "Schöne Grüße")
        #expect(message.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(message.body == body)
        try await smtp.shutdown()
    }

    @Test("STARTTLS is required when configured: a server that does not offer it gets no mail")
    func startTLSIsNotOptional() async throws {
        let smtp = try await TestSMTPServer(group: MultiThreadedEventLoopGroup.singleton)
        let transport = SMTPTransport(
            settings: SMTPSettings(host: "localhost", port: smtp.port, security: .starttls),
            group: MultiThreadedEventLoopGroup.singleton, heloName: "lotse.test")
        await #expect(throws: SMTPError.self) {
            try await transport.send(
                OutgoingMail(
                    from: "a@lotse.test", to: "b@example.org", subject: "s", body: "b", date: Date(), messageID: "5@x"))
        }
        #expect(smtp.messages.isEmpty)
        try await smtp.shutdown()
    }

    @Test("A server that accepts the connection and then says nothing is cut off at the deadline")
    func silentServerTimesOut() async throws {
        let silent = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        var transport = SMTPTransport(
            settings: SMTPSettings(host: "127.0.0.1", port: silent.localAddress?.port ?? 0, security: .none),
            group: MultiThreadedEventLoopGroup.singleton, heloName: "lotse.test")
        transport.timeout = .milliseconds(300)
        await #expect(throws: (any Error).self) {
            try await transport.send(
                OutgoingMail(
                    from: "a@lotse.test", to: "b@example.org", subject: "s", body: "b", date: Date(), messageID: "6@x"))
        }
        try await silent.close()
    }

    @Test("A refused recipient is an error the mailer can log, not a crash")
    func refusedConnection() async throws {
        let transport = SMTPTransport(
            settings: SMTPSettings(host: "127.0.0.1", port: 1, security: .none),
            group: MultiThreadedEventLoopGroup.singleton, heloName: "lotse.test")
        await #expect(throws: (any Error).self) {
            try await transport.send(
                OutgoingMail(
                    from: "a@lotse.test", to: "b@example.org", subject: "s", body: "b", date: Date(), messageID: "2@x"))
        }
    }

    @Test("Without SMTP, mails land in the outbox folder so a fresh `swift run` can still verify addresses")
    func outbox() async throws {
        let folder = NSTemporaryDirectory() + "lotse-outbox-" + UUID().uuidString
        try await withTestApp(environment: ["LOTSE_SMTP_HOST": "", "LOTSE_DATA_DIR": folder]) { t in
            _ = try await t.send(
                .POST, "api/v1/auth/register",
                json: RegisterAccount(
                    email: "local@example.org", displayName: "Local", role: .client, language: .en,
                    kdf: TestCredentials().kdf, loginKey: TestCredentials().loginKey))
            await t.app.lotse.mailer.drain()
            let files = try FileManager.default.contentsOfDirectory(atPath: folder + "/outbox")
            #expect(files.count == 1)
            let text = try String(contentsOfFile: folder + "/outbox/" + files[0], encoding: .utf8)
            #expect(text.contains("To: local@example.org"))
        }
    }
}
