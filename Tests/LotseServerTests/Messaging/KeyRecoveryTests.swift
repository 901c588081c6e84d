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

    @Test("A reset with the recovery key keeps every conversation readable")
    func resetWithRecoveryKey() async throws {
        try await withTestApp { t in
            let alice = try await t.participant("alice@example.org")
            let bob = try await t.participant("bob@example.org")
            let (conversation, key) = try await t.startConversation(alice, with: [bob])
            try await t.sendText("vor dem Zurücksetzen", from: alice, in: conversation, key: key)

            _ = try await t.send(.POST, "api/v1/auth/password-reset", json: RequestPasswordReset(email: bob.email))
            let token = try #require(try await t.smtp.message(to: bob.email, skipping: 2).linkToken)
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
            _ = try await t.send(.POST, "api/v1/auth/password-reset", json: RequestPasswordReset(email: bob.email))
            let token = try #require(try await t.smtp.message(to: bob.email, skipping: 1).linkToken)
            let fresh = TestCredentials(password: "remembered this time")
            let reset = CompletePasswordReset(token: token, kdf: fresh.kdf, loginKey: fresh.loginKey)
            #expect(try await t.send(.POST, "api/v1/auth/password-reset/complete", json: reset).status == .ok)
            let session = try await t.signIn(bob.email, credentials: fresh)
            #expect(try await t.send(.GET, "api/v1/keys", token: session).errorCode == "messaging.keys_missing")

            let keys = AccountKeyPair()
            let setUp = SetUpKeys(
                agreementKey: keys.publicKeys.agreementBase64, signingKey: keys.publicKeys.signingBase64,
                passwordWrappedKeys: try keys.wrap(with: SymmetricKey(size: .bits256), userID: bob.id),
                recoveryWrappedKeys: try keys.wrap(with: RecoveryKey().wrapKey, userID: bob.id))
            #expect(try await t.send(.PUT, "api/v1/keys", json: setUp, token: session).status == .created)
            let state = try await t.send(.GET, "api/v1/conversations/\(conversation)", token: alice.token)
                .decode(Conversation.self)
            #expect(state.needsNewKey)
            #expect(state.members.first { $0.userId == bob.id }?.agreementKey == keys.publicKeys.agreementBase64)
        }
    }
}
