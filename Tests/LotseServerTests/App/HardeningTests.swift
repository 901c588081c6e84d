import Fluent
import Foundation
import LotseAPI
import LotseCrypto
import NIOConcurrencyHelpers
import Testing
import Vapor
import VaporTesting

@testable import LotseServer

@Suite("Small doors closed: paths, body types, mails, resources, drafts")
struct HardeningTests {
    @Test("A path with NUL or another control character is refused, not served as another file")
    func controlCharactersInPaths() async throws {
        try await withTestApp { t in
            for path in ["index.html%00.js", "css/app.css%0a", "coaches%00", "api/v1/health%7F"] {
                let response = try await t.send(.GET, path)
                #expect(response.status == .badRequest, "\(path)")
                #expect(response.errorCode == "request.invalid")
                #expect(response.headers.contentType?.subType != "javascript")
            }
            #expect(try await t.send(.GET, "index.html").status == .ok)
        }
    }

    @Test("API bodies are JSON only: a form-encoded or multipart body is refused and nothing is stored")
    func jsonOnly() async throws {
        try await withTestApp { t in
            let credentials = TestCredentials()
            let form =
                "email=form%40example.org&displayName=Form&role=client&language=en&loginKey="
                + (credentials.loginKey.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
            for (type, body) in [
                ("application/x-www-form-urlencoded", form),
                (
                    "multipart/form-data; boundary=x",
                    "--x\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\na@b.org\r\n--x--\r\n"
                ),
                ("text/plain", #"{"email":"form@example.org"}"#),
            ] {
                let response = try await t.app.testing().sendRequest(
                    .POST, "api/v1/auth/register", headers: ["Content-Type": type], body: .init(string: body))
                #expect((400..<500).contains(response.status.code), "\(type)")
                #expect(response.body.string.contains("request.invalid"), "\(type): \(response.body.string)")
            }
            #expect(try await UserRecord.query(on: t.app.db).count() == 0)
        }
    }

    @Test(
        "The mail that verifies an address carries no text a stranger typed; reset mails of unverified accounts neither"
    )
    func mailsWithoutUnverifiedText() async throws {
        try await withTestApp { t in
            let stranger = "Your bank — call +49 30 1234567 at once"
            _ = try await t.send(
                .POST, "api/v1/auth/register",
                json: RegisterAccount(
                    email: "victim@example.org", displayName: stranger, role: .client, language: .en,
                    kdf: TestCredentials().kdf, loginKey: TestCredentials().loginKey))
            _ = try await t.send(.POST, "api/v1/auth/password-reset", json: ["email": "victim@example.org"])
            await t.app.lotse.mailer.drain()
            let mails = t.smtp.messages.filter { $0.recipients.contains("victim@example.org") }
            #expect(mails.count == 2)
            for mail in mails {
                #expect(!mail.body.contains("bank") && !mail.body.contains("1234567"), "\(mail.body)")
                #expect(mail.body.hasPrefix("Hello,"))
            }
            // Once the address is verified, the name is the owner's own and greets them.
            _ = try await t.signUp("owner@example.org")
            _ = try await t.send(.POST, "api/v1/auth/password-reset", json: ["email": "owner@example.org"])
            await t.app.lotse.mailer.drain()
            let reset = try #require(t.smtp.messages.last { $0.recipients.contains("owner@example.org") })
            #expect(reset.body.hasPrefix("Hello Person owner@example.org,"), "\(reset.body)")
        }
    }

    @Test("Without SMTP, the log says a mail was written, not to whom")
    func outboxLogsNoAddress() async throws {
        let lines = NIOLockedValueBox<[String]>([])
        let folder = NSTemporaryDirectory() + "lotse-outbox-" + UUID().uuidString
        let transport = OutboxTransport(directory: folder, log: { line in lines.withLockedValue { $0.append(line) } })
        let mailer = Mailer(
            transport: transport, from: "Lotse <no-reply@lotse.test>", publicURL: URL(string: "https://lotse.test")!,
            logger: Logger(label: "test"), texts: L10n.catalog)
        try await transport.send(
            mailer.compose("verify", to: "person@example.org", in: .en, arguments: ["https://x"], now: Date()))
        #expect(lines.withLockedValue { $0.count } == 1)
        #expect(lines.withLockedValue { $0.allSatisfy { !$0.contains("person") && !$0.contains("example.org") } })
        try? FileManager.default.removeItem(atPath: folder)
    }

    @Test("Start-up names each missing resource (openapi/ beside Public/)")
    func missingResources() throws {
        let folder = NSTemporaryDirectory() + "lotse-resources-" + UUID().uuidString
        for file in AppConfig.resources.filter({ !$0.hasPrefix("openapi/") }) {
            let path = folder + "/" + file
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: path, contents: Data())
        }
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect {
            try AppConfig(environment: ["LOTSE_RESOURCES_DIR": folder])
        } throws: { error in
            "\(error)".hasPrefix("LOTSE_RESOURCES_DIR") && "\(error)".contains("openapi/lotse.yaml")
        }
        try FileManager.default.createDirectory(atPath: folder + "/openapi", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: folder + "/openapi/lotse.yaml", contents: Data())
        _ = try AppConfig(environment: ["LOTSE_RESOURCES_DIR": folder])
    }

    @Test("A draft names a key epoch the conversation has: 0 or a future one is refused")
    func draftEpochs() async throws {
        try await withTestApp { t in
            let alice = try await t.participant("alice@example.org")
            let bob = try await t.participant("bob@example.org")
            let (conversation, key) = try await t.startConversation(alice, with: [bob])
            let sealed = try SendMessage(
                sealing: .init(kind: .letter, text: "Entwurf"), conversation: conversation, sender: alice, epoch: 1,
                key: key)
            for epoch: UInt32 in [0, 2] {
                let draft = SaveDraft(
                    epoch: epoch, id: sealed.id, ciphertext: sealed.ciphertext, signature: sealed.signature)
                let response = try await t.send(
                    .PUT, "api/v1/conversations/\(conversation)/draft", json: draft, token: alice.token)
                #expect(response.status == .badRequest && response.field == "epoch", "epoch \(epoch)")
            }
        }
    }
}
