import Crypto
import Fluent
import Foundation
import LotseAPI
import LotseCrypto
import Testing
import Vapor
import VaporTesting

@testable import LotseServer

/// Someone in a test conversation: a signed-in account whose end-to-end keys live here, as they would in a browser.
struct Participant: Sendable {
    let id: UUID
    let email: String
    let token: String
    let keys: AccountKeyPair
    let wrapKey: SymmetricKey
    let recovery: RecoveryKey

    var publicKeys: PublicAccountKeys { keys.publicKeys }
}

extension TestContext {
    /// Signs up, signs in and sets up end-to-end keys.
    func participant(_ email: String, role: Role = .client) async throws -> Participant {
        let token = try await signUp(email, role: role)
        let id = try await send(.GET, "api/v1/account", token: token).decode(Account.self).id
        let keys = AccountKeyPair()
        let wrapKey = SymmetricKey(size: .bits256)
        let recovery = RecoveryKey()
        let response = try await send(
            .PUT, "api/v1/keys",
            json: SetUpKeys(
                agreementKey: keys.publicKeys.agreementBase64, signingKey: keys.publicKeys.signingBase64,
                passwordWrappedKeys: try keys.wrap(with: wrapKey, userID: id),
                recoveryWrappedKeys: try keys.wrap(with: recovery.wrapKey, userID: id)),
            token: token)
        #expect(response.status == .created, "\(response.text)")
        return Participant(id: id, email: email, token: token, keys: keys, wrapKey: wrapKey, recovery: recovery)
    }

    /// Starts a conversation with epoch 1's key wrapped for everyone; returns its ID and the key.
    func startConversation(_ creator: Participant, with others: [Participant], id: UUID = UUID()) async throws
        -> (UUID, ConversationKey)
    {
        try await introduce(creator, to: others)
        let (request, key) = try newConversation(creator, with: others, id: id)
        let response = try await send(.POST, "api/v1/conversations", json: request, token: creator.token)
        #expect(response.status == .created, "\(response.text)")
        return (id, key)
    }

    /// Lets `creator` write to `others` as if a coach had looked them up by address (the only way to reach someone
    /// one shares nothing with), so tests of messaging itself need not go through an invitation first.
    func introduce(_ creator: Participant, to others: [Participant]) async throws {
        for other in others {
            try await LookupGrantRecord(requester: creator.id, target: other.id, at: clock.now).create(on: app.db)
        }
    }

    /// The request that starts a conversation, with epoch 1's key wrapped for everyone, and that key.
    func newConversation(_ creator: Participant, with others: [Participant], id: UUID = UUID()) throws
        -> (CreateConversation, ConversationKey)
    {
        let key = ConversationKey()
        let wrapped = try ([creator] + others).map { member in
            try key.wrap(
                for: member.id, publicKey: member.keys.agreement.publicKey, conversation: id, epoch: 1,
                distributor: creator.id, signingKey: creator.keys.signing)
        }
        return (CreateConversation(id: id, members: others.map(\.id), keys: wrapped), key)
    }

    /// Seals `text` as `sender` and sends it; returns the response and the request that was sent.
    @discardableResult
    func sendText(
        _ text: String, from sender: Participant, in conversation: UUID, key: ConversationKey, epoch: UInt32 = 1,
        id: UUID = UUID(), attachments: [AttachmentReference] = []
    ) async throws -> (APIResponse, SendMessage) {
        let request = try SendMessage(
            sealing: MessageContent(kind: .chat, text: text, attachments: attachments), id: id,
            conversation: conversation, sender: sender, epoch: epoch, key: key)
        let response = try await send(
            .POST, "api/v1/conversations/\(conversation)/messages", json: request, token: sender.token)
        return (response, request)
    }

    /// The conversation key of `epoch` as `member` opens it from the server.
    func openKey(_ conversation: UUID, epoch: UInt32, as member: Participant, distributor: Participant) async throws
        -> ConversationKey
    {
        let keys = try await send(.GET, "api/v1/conversations/\(conversation)/keys", token: member.token)
            .decode([WrappedConversationKey].self)
        let wrapped = try #require(keys.first { $0.epoch == epoch })
        return try ConversationKey(
            unwrapping: wrapped, conversation: conversation, member: member.id, agreementKey: member.keys.agreement,
            distributorKey: distributor.keys.signing.publicKey)
    }
}

extension SendMessage {
    init(
        sealing content: MessageContent, id: UUID = UUID(), conversation: UUID, sender: Participant, epoch: UInt32,
        key: ConversationKey, attachments: [UUID]? = nil
    ) throws {
        let envelope = try MessageEnvelope.seal(
            content, id: id, conversation: conversation, sender: sender.id, epoch: epoch, key: key,
            signingKey: sender.keys.signing)
        self.init(
            id: id, epoch: epoch, ciphertext: envelope.ciphertext, signature: envelope.signature,
            attachments: attachments ?? content.attachments.map(\.id))
    }
}

extension Message {
    /// Checks the signature and decrypts, as a recipient's device does.
    func open(key: ConversationKey, sender: Participant) throws -> MessageContent {
        try MessageEnvelope(
            id: id, conversation: conversation, sender: self.sender, epoch: epoch, ciphertext: ciphertext,
            signature: signature
        ).open(key: key, senderKey: sender.keys.signing.publicKey)
    }
}
