import Crypto
import Foundation
import LotseAPI
import LotseCrypto
import Subprocess
import Testing

/// Swift seals, the browser's own modules (Public/js/crypto under Node's WebCrypto) open and answer, Swift opens the
/// answers: every format of docs/crypto.md crosses the language boundary both ways in each run.
@Suite struct InteropTests {
    struct FromJavaScript: Decodable {
        var received: MessageContent
        var file: String
        var envelope: MessageEnvelope
        var attachmentBlob: String
        var rotated: WrappedConversationKey
        var nextKey: String
        var recoveryWrapped: String
        var safetyNumber: String
    }

    @Test("What Swift seals, keys.js and envelope.js open, and what they seal, Swift opens")
    func swiftAndJavaScriptReadEachOther() async throws {
        let alice = AccountKeyPair()
        let bob = AccountKeyPair()
        let aliceID = UUID()
        let bobID = UUID()
        let conversation = UUID()
        let bobWrapKey = SymmetricKey(size: .bits256)
        let recovery = RecoveryKey()
        let key = ConversationKey()
        let attachmentID = UUID()
        let (blob, fileKey) = try AttachmentCipher.seal(Data("Lebenslauf, Entwurf 3".utf8), id: attachmentID)
        let content = MessageContent(
            kind: .chat, text: "Hallo Bob — wie war der erste Tag? ✨",
            attachments: [.init(id: attachmentID, name: "cv.txt", type: "text/plain", size: 22, key: fileKey)])
        let message = try MessageEnvelope.seal(
            content, conversation: conversation, sender: aliceID, epoch: 1, key: key, signingKey: alice.signing)
        let input: [String: Any] = [
            "conversation": conversation.uuidString,
            "alice": ["id": aliceID.uuidString, "publicKeys": Self.json(alice.publicKeys)],
            "bob": [
                "id": bobID.uuidString, "publicKeys": Self.json(bob.publicKeys),
                "wrapKey": bobWrapKey.withUnsafeBytes { Data($0) }.base64EncodedString(),
                "wrappedKeys": try bob.wrap(with: bobWrapKey, userID: bobID),
                "recoveryKey": recovery.text,
            ],
            "conversationKey": try JSONSerialization.jsonObject(
                with: JSONEncoder().encode(
                    key.wrap(
                        for: bobID, publicKey: bob.agreement.publicKey, conversation: conversation, epoch: 1,
                        distributor: aliceID, signingKey: alice.signing))),
            "message": try JSONSerialization.jsonObject(with: JSONEncoder().encode(message)),
            "attachment": ["blob": blob.base64EncodedString()],
        ]
        let output = try await Node.run(
            script: "Tests/js/interop-peer.mjs", input: JSONSerialization.data(withJSONObject: input))
        let answer = try JSONDecoder().decode(FromJavaScript.self, from: output)

        #expect(answer.received == content)
        #expect(answer.file == "Lebenslauf, Entwurf 3")
        let reply = try answer.envelope.open(key: key, senderKey: bob.signing.publicKey)
        #expect(reply.text == "Re: Hallo Bob — wie war der erste Tag? ✨ — grüße 👋")
        #expect(reply.kind == .letter && reply.subject == "Antwort")
        let replyFile = try #require(reply.attachments.first)
        let opened = try AttachmentCipher.open(
            Data(base64Encoded: answer.attachmentBlob) ?? Data(), id: replyFile.id, key: replyFile.key)
        #expect(String(decoding: opened, as: UTF8.self) == "reply to Lebenslauf, Entwurf 3")

        let next = try ConversationKey(
            unwrapping: answer.rotated, conversation: conversation, member: aliceID, agreementKey: alice.agreement,
            distributorKey: bob.signing.publicKey)
        #expect(next.key.withUnsafeBytes { Data($0) }.base64EncodedString() == answer.nextKey)

        let recovered = try AccountKeyPair(
            unwrapping: answer.recoveryWrapped, with: recovery.wrapKey, userID: bobID)
        #expect(recovered.publicKeys == bob.publicKeys)
        #expect(answer.safetyNumber == PublicAccountKeys.safetyNumber(bob.publicKeys, alice.publicKeys))
    }

    struct EngagementAnswer: Decodable {
        var item: EngagementText
        var note: EngagementText
        var refusesMoved: Bool
        var answer: SealedContent
        var ownNote: SealedContent
    }

    @Test("Engagement items and private notes sealed in Swift open in engagement.js, and the other way round")
    func engagementContentCrossesBothWays() async throws {
        let alice = AccountKeyPair()
        let bob = AccountKeyPair()
        let (aliceID, bobID, engagement) = (UUID(), UUID(), UUID())
        let bobWrapKey = SymmetricKey(size: .bits256)
        let key = ConversationKey()
        let item = try EngagementCipher.seal(
            EngagementText(title: "Erste 100 Tage", text: "Ziele für März"), id: UUID(), engagement: engagement,
            author: aliceID, epoch: 1, key: key, signingKey: alice.signing)
        let note = try EngagementCipher.sealPrivate(
            EngagementText(text: "Nur für mich"), id: UUID(), engagement: engagement, author: bobID, keys: bob)
        let input: [String: Any] = [
            "engagement": engagement.uuidString,
            "alice": ["id": aliceID.uuidString, "publicKeys": Self.json(alice.publicKeys)],
            "bob": [
                "id": bobID.uuidString, "publicKeys": Self.json(bob.publicKeys),
                "wrapKey": bobWrapKey.withUnsafeBytes { Data($0) }.base64EncodedString(),
                "wrappedKeys": try bob.wrap(with: bobWrapKey, userID: bobID),
            ],
            "conversationKey": key.key.withUnsafeBytes { Data($0) }.base64EncodedString(),
            "item": try JSONSerialization.jsonObject(with: JSONEncoder().encode(item)),
            "note": try JSONSerialization.jsonObject(with: JSONEncoder().encode(note)),
        ]
        let output = try await Node.run(
            script: "Tests/js/engagement-interop-peer.mjs", input: JSONSerialization.data(withJSONObject: input))
        let answer = try JSONDecoder().decode(EngagementAnswer.self, from: output)
        #expect(answer.item == EngagementText(title: "Erste 100 Tage", text: "Ziele für März"))
        #expect(answer.note.text == "Nur für mich")
        #expect(answer.refusesMoved)
        let reply = try EngagementCipher.open(
            answer.answer, as: EngagementText.self, engagement: engagement, key: key,
            authorKey: bob.signing.publicKey)
        #expect(reply == EngagementText(title: "Re: Erste 100 Tage", text: "Erledigt ✅"))
        let ownNote = try EngagementCipher.openPrivate(
            answer.ownNote, as: EngagementText.self, engagement: engagement, keys: bob)
        #expect(ownNote.text == "Nur für mich — ergänzt")
        // Alice's keys derive another notes key: Bob's note stays his.
        #expect(throws: EnvelopeError.badSignature) {
            try EngagementCipher.openPrivate(
                answer.ownNote, as: EngagementText.self, engagement: engagement, keys: alice)
        }
    }

    @Test("A message opened with the wrong sender's key, a changed byte or another conversation's context fails")
    func tamperingIsDetected() throws {
        let alice = AccountKeyPair()
        let mallory = AccountKeyPair()
        let key = ConversationKey()
        let message = try MessageEnvelope.seal(
            .init(kind: .chat, text: "vertraulich"), conversation: UUID(), sender: UUID(), epoch: 1, key: key,
            signingKey: alice.signing)
        #expect(throws: EnvelopeError.badSignature) {
            try message.open(key: key, senderKey: mallory.signing.publicKey)
        }
        var moved = message
        moved.conversation = UUID()
        #expect(throws: EnvelopeError.badSignature) { try moved.open(key: key, senderKey: alice.signing.publicKey) }
        var flipped = message
        var bytes = try #require(Data(base64Encoded: message.ciphertext))
        bytes[20] ^= 1
        flipped.ciphertext = bytes.base64EncodedString()
        #expect(throws: EnvelopeError.badSignature) { try flipped.open(key: key, senderKey: alice.signing.publicKey) }
        #expect(throws: EnvelopeError.unreadable) {
            try message.open(key: ConversationKey(), senderKey: alice.signing.publicKey)
        }
    }

    @Test("Account keys open only with the right wrap key and account ID; recovery keys survive their written form")
    func accountKeysAreBoundToTheirOwner() throws {
        let keys = AccountKeyPair()
        let owner = UUID()
        let wrapKey = SymmetricKey(size: .bits256)
        let wrapped = try keys.wrap(with: wrapKey, userID: owner)
        #expect(try AccountKeyPair(unwrapping: wrapped, with: wrapKey, userID: owner).publicKeys == keys.publicKeys)
        #expect(throws: EnvelopeError.unreadable) {
            try AccountKeyPair(unwrapping: wrapped, with: wrapKey, userID: UUID())
        }
        let recovery = RecoveryKey()
        #expect(recovery.text.count == 52 + 12)
        let typed = try RecoveryKey(text: recovery.text.lowercased().replacingOccurrences(of: "-", with: " "))
        #expect(typed.bytes == recovery.bytes)
        #expect(throws: EnvelopeError.malformed("recoveryKey")) { try RecoveryKey(text: "ABCD-EFGH") }
        let a = AccountKeyPair().publicKeys
        let b = AccountKeyPair().publicKeys
        let number = PublicAccountKeys.safetyNumber(a, b)
        #expect(number == PublicAccountKeys.safetyNumber(b, a))
        #expect(number.split(separator: " ").count == 12 && number.filter(\.isNumber).count == 60)
    }

    static func json(_ keys: PublicAccountKeys) -> [String: String] {
        ["agreementKey": keys.agreementBase64, "signingKey": keys.signingBase64]
    }
}

/// Runs a Node script of the repository with JSON on stdin. Node is installed by scripts/test.
///
/// Through swift-subprocess rather than Foundation's `Process`, which could crash the test process on Linux while it
/// started a child (swift-corelibs-foundation#5472).
enum Node {
    static let repository = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func run(script: String, input: Data) async throws -> Data {
        let result = try await Subprocess.run(
            .name("node"), arguments: [repository.appending(path: script).path], input: .data(input),
            output: .data(limit: 16 << 20), error: .string(limit: 1 << 20))
        guard result.terminationStatus.isSuccess else {
            throw NodeFailure(message: "\(result.terminationStatus): \(result.standardError)")
        }
        return result.standardOutput
    }

    struct NodeFailure: Error, CustomStringConvertible {
        var message: String
        var description: String { "node failed: \(message)" }
    }
}
