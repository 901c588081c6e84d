import Crypto
import Fluent
import Foundation
import LotseAPI
import LotseCrypto
import NIOCore
import Testing
import Vapor
import VaporTesting

@testable import LotseServer

@Suite("Keys across password changes and resets")
struct KeyRecoveryTests {
    @Test("Changing the password re-seals the keys under the new wrap key; without them the change is refused")
    func passwordChangeRewraps() async throws {
        try await withTestApp { t in
            let alice = try await t.participant("alice@example.org")
            let fresh = TestCredentials(password: "a new and longer password")
            var change = ChangePassword(
                currentLoginKey: TestCredentials().loginKey, kdf: fresh.kdf, loginKey: fresh.loginKey)
            let refused = try await t.send(.POST, "api/v1/account/password", json: change, token: alice.token)
            #expect(refused.status == .badRequest && refused.field == "wrappedKeys")
            let newWrapKey = SymmetricKey(size: .bits256)
            change.wrappedKeys = try alice.keys.wrap(with: newWrapKey, userID: alice.id)
            #expect(
                try await t.send(.POST, "api/v1/account/password", json: change, token: alice.token).status
                    == .noContent)
            let own = try await t.send(.GET, "api/v1/keys", token: alice.token).decode(OwnKeys.self)
            let reopened = try AccountKeyPair(unwrapping: own.passwordWrappedKeys, with: newWrapKey, userID: alice.id)
            #expect(reopened.publicKeys == alice.publicKeys)
        }
    }

    @Test("A new recovery key replaces the old one, and only when the account's own keys signed it")
    func newRecoveryKey() async throws {
        try await withTestApp { t in
            let alice = try await t.participant("alice@example.org")
            let bob = try await t.participant("bob@example.org")
            let newRecovery = RecoveryKey()
            let sealed = try alice.keys.wrap(with: newRecovery.wrapKey, userID: alice.id)
            func replace(_ signature: String) async throws -> APIResponse {
                try await t.send(
                    .PUT, "api/v1/keys/recovery",
                    json: ReplaceRecoveryKey(recoveryWrappedKeys: sealed, signature: signature), token: alice.token)
            }
            func stored() async throws -> String {
                try #require(try await AccountKeysRecord.find(alice.id, on: t.app.db)).recoveryWrapped
            }
            // A stolen session cannot swap the copy: someone else's keys, or a signature over another account.
            for forged in [
                try RecoveryKeyChange.sign(sealed, userID: alice.id, signingKey: bob.keys.signing),
                try RecoveryKeyChange.sign(sealed, userID: bob.id, signingKey: alice.keys.signing),
                "AAAA",
            ] {
                let refused = try await replace(forged)
                #expect(refused.status == .badRequest && refused.errorCode == "messaging.recovery_unproven")
            }
            let before = try await stored()
            #expect(
                try AccountKeyPair(unwrapping: before, with: alice.recovery.wrapKey, userID: alice.id).publicKeys
                    == alice.publicKeys)

            let proof = try RecoveryKeyChange.sign(sealed, userID: alice.id, signingKey: alice.keys.signing)
            #expect(try await replace(proof).status == .noContent)
            #expect(try await replace(proof).status == .noContent)  // a retry
            let after = try await stored()
            #expect(
                try AccountKeyPair(unwrapping: after, with: newRecovery.wrapKey, userID: alice.id).publicKeys
                    == alice.publicKeys)
            #expect(throws: (any Error).self) {
                try AccountKeyPair(unwrapping: after, with: alice.recovery.wrapKey, userID: alice.id)
            }
        }
    }

    @Test("A reset with the recovery key keeps every conversation readable")
    func resetWithRecoveryKey() async throws {
        try await withTestApp { t in
            let alice = try await t.participant("alice@example.org")
            let bob = try await t.participant("bob@example.org")
            let (conversation, key) = try await t.startConversation(alice, with: [bob])
            try await t.sendText("vor dem Zurücksetzen", from: alice, in: conversation, key: key)

            _ = try await t.send(.POST, "api/v1/auth/password-reset", json: RequestPasswordReset(email: bob.email))
            // The third mail: after the verification and (in either order) the "something new" notice.
            let token = try #require(try await t.smtp.linkMessage(to: bob.email, skipping: 1).linkToken)
            let recovery = try await t.send(
                .POST, "api/v1/auth/password-reset/keys", json: RequestRecoveryKeys(token: token)
            )
            .decode(RecoveryKeys.self)
            #expect(recovery.userId == bob.id)
            let keys = try AccountKeyPair(
                unwrapping: recovery.recoveryWrappedKeys, with: RecoveryKey(text: bob.recovery.text).wrapKey,
                userID: bob.id)
            let fresh = TestCredentials(password: "remembered this time")
            let newWrapKey = SymmetricKey(size: .bits256)
            let complete = CompletePasswordReset(
                token: token, kdf: fresh.kdf, loginKey: fresh.loginKey,
                wrappedKeys: try keys.wrap(with: newWrapKey, userID: bob.id))
            #expect(try await t.send(.POST, "api/v1/auth/password-reset/complete", json: complete).status == .ok)
            let used = try await t.send(
                .POST, "api/v1/auth/password-reset/keys", json: RequestRecoveryKeys(token: token))
            #expect(used.errorCode == "accounts.token_invalid")

            let session = try await t.signIn(bob.email, credentials: fresh)
            let own = try await t.send(.GET, "api/v1/keys", token: session).decode(OwnKeys.self)
            let unlocked = try AccountKeyPair(unwrapping: own.passwordWrappedKeys, with: newWrapKey, userID: bob.id)
            let restored = Participant(
                id: bob.id, email: bob.email, token: session, keys: unlocked, wrapKey: newWrapKey,
                recovery: bob.recovery)
            let bobKey = try await t.openKey(conversation, epoch: 1, as: restored, distributor: alice)
            let page = try await t.send(.GET, "api/v1/conversations/\(conversation)/messages", token: session)
                .decode(MessagePage.self)
            #expect(try page.messages.first?.open(key: bobKey, sender: alice).text == "vor dem Zurücksetzen")
        }
    }

    @Test("A reset without the recovery key drops the keys; new ones make every conversation ask for a new key")
    func resetWithoutRecoveryKey() async throws {
        try await withTestApp { t in
            let alice = try await t.participant("alice@example.org")
            let bob = try await t.participant("bob@example.org")
            let (conversation, _) = try await t.startConversation(alice, with: [bob])
            let session = try await Self.resetWithoutRecoveryKey(t, bob, password: "remembered this time")
            #expect(try await t.send(.GET, "api/v1/keys", token: session).errorCode == "messaging.keys_missing")

            let keys = try await Self.newKeys(t, for: bob, session: session)
            let state = try await t.send(.GET, "api/v1/conversations/\(conversation)", token: alice.token)
                .decode(Conversation.self)
            #expect(state.needsNewKey)
            #expect(state.members.first { $0.userId == bob.id }?.agreementKey == keys.publicKeys.agreementBase64)
        }
    }

    @Test("Key history: after a reset without the recovery key, what the old keys signed still verifies for the others")
    func keyHistoryKeepsOldSignaturesValid() async throws {
        try await withTestApp { t in
            let alice = try await t.participant("alice@example.org")
            let bob = try await t.participant("bob@example.org")
            let (conversation, _) = try await t.startConversation(alice, with: [bob])
            // Bob starts epoch 2 (he distributes its key) and writes under it.
            let epochTwo = ConversationKey()
            let wrapped = try [alice, bob].map { member in
                try epochTwo.wrap(
                    for: member.id, publicKey: member.keys.agreement.publicKey, conversation: conversation, epoch: 2,
                    distributor: bob.id, signingKey: bob.keys.signing)
            }
            let rotated = try await t.send(
                .POST, "api/v1/conversations/\(conversation)/keys",
                json: RotateConversationKey(epoch: 2, keys: wrapped),
                token: bob.token)
            #expect(rotated.status == .ok)
            let (sent, _) = try await t.sendText(
                "Before my reset", from: bob, in: conversation, key: epochTwo, epoch: 2)
            #expect(sent.status == .created)

            // Bob forgets his password and his recovery key, and makes new keys.
            t.clock.advance(by: 3_600)
            let resetAt = t.clock.now
            let session = try await Self.resetWithoutRecoveryKey(t, bob, password: "first new password")
            _ = try await Self.newKeys(t, for: bob, session: session)

            let state = try await t.send(.GET, "api/v1/conversations/\(conversation)", token: alice.token)
                .decode(Conversation.self)
            let history = try #require(state.members.first { $0.userId == bob.id }?.keyHistory)
            #expect(history.map(\.version) == [1, 2])
            #expect(history[0].signingKey == bob.keys.publicKeys.signingBase64)
            #expect(history[0].validUntil == resetAt)
            #expect(history[1].validFrom == resetAt && history[1].validUntil == nil)
            #expect(history[1].signingKey == state.members.first { $0.userId == bob.id }?.signingKey)

            // Alice checks Bob's epoch-2 key and his message with the version that was valid then: both open.
            let oldKey = try P256.Signing.PublicKey(
                x963Representation: try #require(Data(base64Encoded: history[0].signingKey)))
            let keys = try await t.send(.GET, "api/v1/conversations/\(conversation)/keys", token: alice.token)
                .decode([WrappedConversationKey].self)
            let opened = try ConversationKey(
                unwrapping: try #require(keys.first { $0.epoch == 2 }), conversation: conversation, member: alice.id,
                agreementKey: alice.keys.agreement, distributorKey: oldKey)
            let page = try await t.send(.GET, "api/v1/conversations/\(conversation)/messages", token: alice.token)
                .decode(MessagePage.self)
            let message = try #require(page.messages.first)
            let text = try MessageEnvelope(
                id: message.id, conversation: conversation, sender: bob.id, epoch: 2, ciphertext: message.ciphertext,
                signature: message.signature
            ).open(key: opened, senderKey: oldKey).text
            #expect(text == "Before my reset")

            // The history only grows: a second reset adds version 3 and leaves 1 and 2 as they were.
            t.clock.advance(by: 3_600)
            let again = try await Self.resetWithoutRecoveryKey(t, bob, password: "second new password")
            _ = try await Self.newKeys(t, for: bob, session: again)
            let later = try await t.send(.GET, "api/v1/conversations/\(conversation)", token: alice.token)
                .decode(Conversation.self)
            let grown = try #require(later.members.first { $0.userId == bob.id }?.keyHistory)
            #expect(grown.map(\.version) == [1, 2, 3])
            #expect(grown[0] == history[0])
            #expect(grown[1].signingKey == history[1].signingKey && grown[1].validUntil == t.clock.now)
        }
    }

    /// Resets `who`'s password by mail without the recovery key; returns a session with the new password.
    static func resetWithoutRecoveryKey(_ t: TestContext, _ who: Participant, password: String) async throws -> String {
        let before = t.smtp.messages.filter { $0.recipients.contains(who.email) }.count
        _ = try await t.send(.POST, "api/v1/auth/password-reset", json: RequestPasswordReset(email: who.email))
        let token = try #require(try await t.smtp.linkMessage(to: who.email, skipping: before).linkToken)
        let fresh = TestCredentials(password: password)
        let reset = CompletePasswordReset(token: token, kdf: fresh.kdf, loginKey: fresh.loginKey)
        #expect(try await t.send(.POST, "api/v1/auth/password-reset/complete", json: reset).status == .ok)
        return try await t.signIn(who.email, credentials: fresh)
    }

    /// Sets up fresh keys for `who`, as the browser does at the first sign-in after such a reset.
    static func newKeys(_ t: TestContext, for who: Participant, session: String) async throws -> AccountKeyPair {
        let keys = AccountKeyPair()
        let setUp = SetUpKeys(
            agreementKey: keys.publicKeys.agreementBase64, signingKey: keys.publicKeys.signingBase64,
            passwordWrappedKeys: try keys.wrap(with: SymmetricKey(size: .bits256), userID: who.id),
            recoveryWrappedKeys: try keys.wrap(with: RecoveryKey().wrapKey, userID: who.id))
        #expect(try await t.send(.PUT, "api/v1/keys", json: setUp, token: session).status == .created)
        return keys
    }
}
