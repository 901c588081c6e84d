import Fluent
import Foundation
import LotseAPI
import LotseCrypto
import NIOCore
import Testing
import Vapor
import VaporTesting

@testable import LotseServer

@Suite("End-to-end encrypted conversations")
struct ConversationTests {
    @Test("Keys are set up once: a retry answers 200, other keys 409, a point off the curve 400")
    func keysOnce() async throws {
        try await withTestApp { t in
            let alice = try await t.participant("alice@example.org")
            let own = try await t.send(.GET, "api/v1/keys", token: alice.token).decode(OwnKeys.self)
            #expect(own.agreementKey == alice.publicKeys.agreementBase64)
            let reopened = try AccountKeyPair(
                unwrapping: own.passwordWrappedKeys, with: alice.wrapKey, userID: alice.id)
            #expect(reopened.publicKeys == alice.publicKeys)
            let same = SetUpKeys(
                agreementKey: own.agreementKey, signingKey: own.signingKey,
                passwordWrappedKeys: own.passwordWrappedKeys,
                recoveryWrappedKeys: own.passwordWrappedKeys)
            #expect(try await t.send(.PUT, "api/v1/keys", json: same, token: alice.token).status == .ok)
            var other = same
            other.signingKey = AccountKeyPair().publicKeys.signingBase64
            let conflict = try await t.send(.PUT, "api/v1/keys", json: other, token: alice.token)
            #expect(conflict.status == .conflict && conflict.errorCode == "messaging.keys_exist")

            let bobToken = try await t.signUp("bob@example.org")
            var offCurve = same
            offCurve.agreementKey = Data([4] + [UInt8](repeating: 1, count: 64)).base64EncodedString()
            let malformed = try await t.send(.PUT, "api/v1/keys", json: offCurve, token: bobToken)
            #expect(malformed.status == .badRequest && malformed.errorCode == "messaging.malformed")
            #expect(try await t.send(.GET, "api/v1/keys", token: bobToken).errorCode == "messaging.keys_missing")
        }
    }

    @Test("Two members read each other's sealed messages; the server holds only ciphertext")
    func oneToOne() async throws {
        try await withTestApp { t in
            let alice = try await t.participant("alice@example.org")
            let bob = try await t.participant("bob@example.org")
            let (conversation, key) = try await t.startConversation(alice, with: [bob])
            let (sent, _) = try await t.sendText("Wie war die erste Woche?", from: alice, in: conversation, key: key)
            #expect(sent.status == .created, "\(sent.text)")
            #expect(try sent.decode(Message.self).seq == 1)

            let list = try await t.send(.GET, "api/v1/conversations", token: bob.token).decode([Conversation].self)
            #expect(list.map(\.id) == [conversation] && list[0].lastSeq == 1)
            #expect(Set(list[0].members.map(\.userId)) == [alice.id, bob.id])
            let bobKey = try await t.openKey(conversation, epoch: 1, as: bob, distributor: alice)
            let page = try await t.send(.GET, "api/v1/conversations/\(conversation)/messages", token: bob.token)
                .decode(MessagePage.self)
            #expect(
                try page.messages.map { try $0.open(key: bobKey, sender: alice).text } == ["Wie war die erste Woche?"])

            let stored = try await MessageRecord.query(on: t.app.db).all()
            #expect(stored.count == 1)
            #expect(!String(decoding: stored[0].ciphertext, as: UTF8.self).contains("erste Woche"))
        }
    }

    @Test("A retried send returns the stored message once; the same ID with other content is refused")
    func idempotentSend() async throws {
        try await withTestApp { t in
            let alice = try await t.participant("alice@example.org")
            let bob = try await t.participant("bob@example.org")
            let (conversation, key) = try await t.startConversation(alice, with: [bob])
            let (first, request) = try await t.sendText("einmal", from: alice, in: conversation, key: key)
            let retry = try await t.send(
                .POST, "api/v1/conversations/\(conversation)/messages", json: request, token: alice.token)
            #expect(first.status == .created && retry.status == .ok)
            #expect(try first.decode(Message.self) == retry.decode(Message.self))
            let (conflict, _) = try await t.sendText("anders", from: alice, in: conversation, key: key, id: request.id)
            #expect(conflict.status == .conflict && conflict.errorCode == "messaging.id_conflict")
            #expect(try await MessageRecord.query(on: t.app.db).count() == 1)
        }
    }

    @Test("The same message sent five times at once is stored once: one 201, four 200 with the same place")
    func racingRetries() async throws {
        try await withTestApp { t in
            let alice = try await t.participant("alice@example.org")
            let bob = try await t.participant("bob@example.org")
            let (conversation, key) = try await t.startConversation(alice, with: [bob])
            let request = try SendMessage(
                sealing: .init(kind: .chat, text: "einmal"), conversation: conversation, sender: alice, epoch: 1,
                key: key)
            let path = "api/v1/conversations/\(conversation)/messages"
            let answers = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for _ in 0..<5 { group.addTask { try await t.send(.POST, path, json: request, token: alice.token) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.map(\.status.code).sorted() == [200, 200, 200, 200, 201])
            #expect(Set(try answers.map { try $0.decode(Message.self).seq }) == [1])
            #expect(try await MessageRecord.query(on: t.app.db).count() == 1)
        }
    }

    @Test("Concurrent sends get distinct sequence numbers without gaps, and paging returns exactly what was asked")
    func gapFreeHistory() async throws {
        try await withTestApp { t in
            let alice = try await t.participant("alice@example.org")
            let bob = try await t.participant("bob@example.org")
            let (conversation, key) = try await t.startConversation(alice, with: [bob])
            try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for index in 0..<20 {
                    let sender = index.isMultiple(of: 2) ? alice : bob
                    group.addTask {
                        try await t.sendText("n\(index)", from: sender, in: conversation, key: key).0.status
                    }
                }
                for try await status in group { #expect(status == .created) }
            }
            let path = "api/v1/conversations/\(conversation)/messages"
            let all = try await t.send(.GET, path + "?after=0&limit=200", token: bob.token).decode(MessagePage.self)
            #expect(all.messages.map(\.seq) == Array(1...20) && !all.hasMore)
            let after = try await t.send(.GET, path + "?after=17", token: bob.token).decode(MessagePage.self)
            #expect(after.messages.map(\.seq) == [18, 19, 20])
            let latest = try await t.send(.GET, path + "?limit=5", token: bob.token).decode(MessagePage.self)
            #expect(latest.messages.map(\.seq) == [16, 17, 18, 19, 20] && latest.hasMore)
            let older = try await t.send(.GET, path + "?before=16&limit=5", token: bob.token).decode(MessagePage.self)
            #expect(older.messages.map(\.seq) == [11, 12, 13, 14, 15])
            let bad = try await t.send(.GET, path + "?after=x", token: bob.token)
            #expect(bad.status == .badRequest)
        }
    }

    @Test(
        "Sends to several conversations at once number each conversation's own; a stale key's are refused alone; senders have read what they wrote"
    )
    func sendsAcrossConversations() async throws {
        try await withTestApp { t in
            let alice = try await t.participant("alice@example.org")
            let bob = try await t.participant("bob@example.org")
            let carol = try await t.participant("carol@example.org")
            let (withBob, bobKey) = try await t.startConversation(alice, with: [bob])
            let (withCarol, carolKey) = try await t.startConversation(alice, with: [carol])
            let (stale, staleKey) = try await t.startConversation(bob, with: [alice, carol])
            let left = try await t.send(
                .DELETE, "api/v1/conversations/\(stale)/members/\(carol.id)", token: carol.token)
            #expect(left.status == .noContent)  // the next message needs a new key
            // Sent all at once, so that the message log's batches hold several conversations (and the stale one).
            let sends: [(Participant, UUID, ConversationKey)] =
                (0..<8).flatMap { index in
                    [
                        (index.isMultiple(of: 2) ? alice : bob, withBob, bobKey),
                        (index.isMultiple(of: 2) ? alice : carol, withCarol, carolKey),
                    ]
                } + (0..<4).map { _ in (alice, stale, staleKey) }
            try await withThrowingTaskGroup(of: (UUID, HTTPStatus, String?).self) { group in
                for (index, (sender, conversation, key)) in sends.enumerated() {
                    group.addTask {
                        let (response, _) = try await t.sendText("m\(index)", from: sender, in: conversation, key: key)
                        return (conversation, response.status, response.errorCode)
                    }
                }
                for try await (conversation, status, code) in group {
                    if conversation == stale {
                        #expect(status == .conflict && code == "messaging.stale_epoch")
                    } else {
                        #expect(status == .created)
                    }
                }
            }
            for (conversation, reader) in [(withBob, bob), (withCarol, carol)] {
                let page = try await t.send(
                    .GET, "api/v1/conversations/\(conversation)/messages?after=0", token: reader.token
                ).decode(MessagePage.self)
                #expect(page.messages.map(\.seq) == Array(1...8))
                // Each sender's read mark is the last message they sent (what they wrote, they have read).
                for member in try await ConversationMemberRecord.query(on: t.app.db)
                    .filter(\.$conversationID == conversation).all()
                {
                    let last = page.messages.filter { $0.sender == member.userID }.map(\.seq).max()
                    #expect(member.readSeq == last && member.deliveredSeq == last)
                }
            }
            let refused = try await t.send(.GET, "api/v1/conversations/\(stale)/messages?after=0", token: bob.token)
            #expect(try refused.decode(MessagePage.self).messages.isEmpty)
        }
    }

    @Test("Outsiders get 404 for everything in a conversation, exactly as for one that does not exist")
    func outsidersSeeNothing() async throws {
        try await withTestApp { t in
            let alice = try await t.participant("alice@example.org")
            let bob = try await t.participant("bob@example.org")
            let mallory = try await t.participant("mallory@example.org")
            let (conversation, key) = try await t.startConversation(alice, with: [bob])
            try await t.sendText("privat", from: alice, in: conversation, key: key)
            let base = "api/v1/conversations/\(conversation)"
            for (method, path) in [
                (HTTPMethod.GET, base), (.GET, base + "/keys"), (.GET, base + "/messages"), (.GET, base + "/draft"),
                (.GET, base + "/attachments/\(UUID())"), (.DELETE, base + "/members/\(bob.id)"),
            ] {
                let response = try await t.send(method, path, token: mallory.token)
                #expect(response.status == .notFound, "\(method) \(path)")
                #expect(response.errorCode == "messaging.conversation_not_found")
            }
            let (intrusion, _) = try await t.sendText("hi", from: mallory, in: conversation, key: key)
            #expect(intrusion.errorCode == "messaging.conversation_not_found")
            let list = try await t.send(.GET, "api/v1/conversations", token: mallory.token).decode([Conversation].self)
            #expect(list.isEmpty)
            #expect(try await t.send(.GET, base + "/messages").status == .unauthorized)
        }
    }

    @Test("When a member leaves, the next send needs a new key that the leaver cannot open")
    func rotationOnLeave() async throws {
        try await withTestApp { t in
            let coach = try await t.participant("coach@example.org")
            let anna = try await t.participant("anna@example.org")
            let ben = try await t.participant("ben@example.org")
            let (conversation, key) = try await t.startConversation(coach, with: [anna, ben])
            let base = "api/v1/conversations/\(conversation)"
            try await t.sendText("Tschüss", from: ben, in: conversation, key: key)
            #expect(try await t.send(.DELETE, base + "/members/\(anna.id)", token: ben.token).status == .forbidden)
            #expect(try await t.send(.DELETE, base + "/members/\(ben.id)", token: ben.token).status == .noContent)
            #expect(try await t.send(.GET, base, token: ben.token).status == .notFound)
            // What Ben wrote before leaving still verifies: his signing key stays with the conversation.
            let afterLeaving = try await t.send(.GET, base, token: anna.token).decode(Conversation.self)
            let former = try #require(afterLeaving.formerMembers.first)
            #expect(former.userId == ben.id && former.signingKey == ben.publicKeys.signingBase64)
            #expect(!afterLeaving.members.contains { $0.userId == ben.id })
            let farewell = try await t.send(.GET, base + "/messages", token: anna.token).decode(MessagePage.self)
            #expect(try farewell.messages.first?.open(key: key, sender: ben).text == "Tschüss")

            let (stale, _) = try await t.sendText("nach Ben", from: anna, in: conversation, key: key)
            #expect(stale.status == .conflict && stale.errorCode == "messaging.stale_epoch")
            let next = ConversationKey()
            func wrap(_ members: [Participant]) throws -> RotateConversationKey {
                RotateConversationKey(
                    epoch: 2,
                    keys: try members.map {
                        try next.wrap(
                            for: $0.id, publicKey: $0.keys.agreement.publicKey, conversation: conversation, epoch: 2,
                            distributor: anna.id, signingKey: anna.keys.signing)
                    })
            }
            let withLeaver = try await t.send(
                .POST, base + "/keys", json: try wrap([coach, anna, ben]), token: anna.token)
            #expect(withLeaver.errorCode == "messaging.keys_do_not_match_members")
            let rotated = try await t.send(.POST, base + "/keys", json: try wrap([coach, anna]), token: anna.token)
            #expect(rotated.status == .ok, "\(rotated.text)")
            #expect(try rotated.decode(Conversation.self).epoch == 2)
            let again = try await t.send(.POST, base + "/keys", json: try wrap([coach, anna]), token: coach.token)
            #expect(again.status == .conflict)

            let (sent, _) = try await t.sendText("nach Ben", from: anna, in: conversation, key: next, epoch: 2)
            #expect(sent.status == .created, "\(sent.text)")
            let coachKey = try await t.openKey(conversation, epoch: 2, as: coach, distributor: anna)
            let page = try await t.send(.GET, base + "/messages?after=0", token: coach.token).decode(MessagePage.self)
            #expect(try page.messages.last?.open(key: coachKey, sender: anna).text == "nach Ben")
            #expect(
                try await ConversationKeyRecord.query(on: t.app.db).filter(\.$memberID == ben.id)
                    .filter(\.$epoch == 2).count() == 0)
        }
    }

    @Test("Only the creator adds members; they read only from the next key epoch on")
    func addingMembers() async throws {
        try await withTestApp { t in
            let coach = try await t.participant("coach@example.org")
            let anna = try await t.participant("anna@example.org")
            let carla = try await t.participant("carla@example.org")
            let (conversation, _) = try await t.startConversation(coach, with: [anna])
            let base = "api/v1/conversations/\(conversation)"
            let refused = try await t.send(
                .POST, base + "/members", json: AddMembers(members: [carla.id]), token: anna.token)
            #expect(refused.status == .forbidden && refused.errorCode == "messaging.creator_only")
            try await t.introduce(coach, to: [carla])
            let added = try await t.send(
                .POST, base + "/members", json: AddMembers(members: [carla.id]), token: coach.token)
            let state = try added.decode(Conversation.self)
            #expect(state.needsNewKey && state.members.count == 3)
            #expect(
                try await t.send(.GET, base + "/keys", token: carla.token).decode([WrappedConversationKey].self).isEmpty
            )
            let unknown = try await t.send(
                .POST, base + "/members", json: AddMembers(members: [UUID()]), token: coach.token)
            #expect(unknown.errorCode == "messaging.member_not_found")
        }
    }

    @Test("Drafts are the author's alone and can be replaced and thrown away")
    func drafts() async throws {
        try await withTestApp { t in
            let alice = try await t.participant("alice@example.org")
            let bob = try await t.participant("bob@example.org")
            let (conversation, key) = try await t.startConversation(alice, with: [bob])
            let path = "api/v1/conversations/\(conversation)/draft"
            let sealed = try SendMessage(
                sealing: .init(kind: .letter, text: "Liebe Frau …", subject: "Woche 1"), conversation: conversation,
                sender: alice, epoch: 1, key: key)
            let draft = SaveDraft(epoch: 1, id: sealed.id, ciphertext: sealed.ciphertext, signature: sealed.signature)
            #expect(try await t.send(.PUT, path, json: draft, token: alice.token).status == .ok)
            let saved = try await t.send(.GET, path, token: alice.token).decode(Draft.self)
            #expect(saved.ciphertext == draft.ciphertext && saved.updatedAt == t.clock.now)
            #expect(try await t.send(.GET, path, token: bob.token).errorCode == "messaging.draft_not_found")
            #expect(try await t.send(.DELETE, path, token: alice.token).status == .noContent)
            #expect(try await t.send(.GET, path, token: alice.token).status == .notFound)
        }
    }

    @Test("Attachments are opaque blobs: idempotent upload, size limit, kept with their message, read by members")
    func attachments() async throws {
        try await withTestApp(environment: ["LOTSE_ATTACHMENT_MAX_BYTES": "4096"]) { t in
            let alice = try await t.participant("alice@example.org")
            let bob = try await t.participant("bob@example.org")
            let (conversation, key) = try await t.startConversation(alice, with: [bob])
            let base = "api/v1/conversations/\(conversation)/attachments/"
            let id = UUID()
            let (blob, fileKey) = try AttachmentCipher.seal(Data("Zielvereinbarung".utf8), id: id)
            func upload(_ data: Data, _ id: UUID, as person: Participant) async throws -> APIResponse {
                let response = try await t.app.testing().sendRequest(
                    .PUT, base + id.uuidString, headers: ["Authorization": "Bearer \(person.token)"],
                    body: ByteBuffer(bytes: data))
                return APIResponse(
                    status: response.status, headers: response.headers, body: Data(response.body.readableBytesView))
            }
            #expect(try await upload(blob, id, as: alice).status == .created)
            #expect(try await upload(blob, id, as: alice).status == .ok)
            #expect(try await upload(blob + Data([1]), id, as: alice).errorCode == "messaging.id_conflict")
            let tooLarge = try await upload(Data(count: 8_192), UUID(), as: alice)
            #expect(tooLarge.status == .payloadTooLarge)
            // Until a message refers to it, only the uploader sees the blob.
            #expect(try await t.send(.GET, base + id.uuidString, token: bob.token).status == .notFound)
            let reference = AttachmentReference(id: id, name: "ziele.txt", type: "text/plain", size: 16, key: fileKey)
            let (sent, _) = try await t.sendText(
                "Anbei", from: alice, in: conversation, key: key, attachments: [reference])
            #expect(try sent.decode(Message.self).attachments == [id])
            let downloaded = try await t.send(.GET, base + id.uuidString, token: bob.token)
            let content = try sent.decode(Message.self).open(
                key: try await t.openKey(conversation, epoch: 1, as: bob, distributor: alice), sender: alice)
            let file = try AttachmentCipher.open(downloaded.body, id: id, key: content.attachments[0].key)
            #expect(String(decoding: file, as: UTF8.self) == "Zielvereinbarung")
            let (reuse, _) = try await t.sendText(
                "nochmal", from: alice, in: conversation, key: key, attachments: [reference])
            #expect(reuse.errorCode == "messaging.attachment_not_found")
        }
    }

    @Test("Offline members get one mail per unread stretch that says nothing about the content or the sender")
    func contentFreeNotifications() async throws {
        try await withTestApp { t in
            let alice = try await t.participant("alice@example.org")
            let bob = try await t.participant("bob@example.org")
            let (conversation, key) = try await t.startConversation(alice, with: [bob])
            let canary = "CANARY-\(UUID().uuidString)"
            try await t.sendText(canary, from: alice, in: conversation, key: key)
            try await t.sendText("zweite", from: alice, in: conversation, key: key)
            let mail = try await t.smtp.message(to: "bob@example.org", skipping: 1)
            #expect(mail.body.contains("/conversations/\(conversation.uuidString.lowercased())"))
            #expect(!mail.raw.contains(canary) && !mail.raw.contains("alice"))
            #expect(!mail.raw.contains("Person alice"))
            try await Task.sleep(for: .milliseconds(200))
            #expect(t.smtp.messages.filter { $0.recipients.contains("bob@example.org") }.count == 2)  // verify + 1
            let marked = try await t.send(
                .POST, "api/v1/conversations/\(conversation)/marks", json: MarkConversation(readSeq: 2),
                token: bob.token)
            #expect(marked.status == .noContent)
            try await t.sendText("dritte", from: alice, in: conversation, key: key)
            _ = try await t.smtp.message(to: "bob@example.org", skipping: 2)
            let state = try await t.send(.GET, "api/v1/conversations/\(conversation)", token: alice.token)
                .decode(Conversation.self)
            #expect(state.members.first { $0.userId == bob.id }?.readSeq == 2)
            #expect(state.members.first { $0.userId == alice.id }?.readSeq == 3)
        }
    }

    @Test("A conversation starts only with people one shares something with or, as a coach, looked up by address")
    func whoMayStartOne() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            let anna = try await t.participant("anna@example.org")
            let ben = try await t.participant("ben@example.org")
            let stranger = try await t.participant("stranger@example.org")
            func start(_ creator: Participant, with others: [Participant]) async throws -> APIResponse {
                let (request, _) = try t.newConversation(creator, with: others)
                return try await t.send(.POST, "api/v1/conversations", json: request, token: creator.token)
            }
            // Knowing someone's user ID is not enough: the same answer as for an ID nobody has.
            let byID = try await start(stranger, with: [anna])
            #expect(byID.status == .notFound && byID.errorCode == "messaging.member_not_found")
            #expect(try await start(coach, with: [anna]).errorCode == "messaging.member_not_found")

            // A group engagement: its clients see each other's IDs, and may write to the coach, not to each other.
            _ = try await t.invite([anna, ben], by: coach)
            #expect(try await start(anna, with: [ben]).errorCode == "messaging.member_not_found")
            #expect(try await start(anna, with: [coach]).status == .created)
            #expect(try await start(coach, with: [ben]).status == .created)
            // Nor may a client bring a stranger into a conversation she started with the coach.
            let (own, _) = try await t.startConversation(anna, with: [coach])
            let smuggled = try await t.send(
                .POST, "api/v1/conversations/\(own)/members", json: AddMembers(members: [ben.id]), token: anna.token)
            #expect(smuggled.errorCode == "messaging.member_not_found")

            // A coach who looks someone up by address may write to them (and they back, in that conversation).
            #expect(try await start(coach, with: [stranger]).errorCode == "messaging.member_not_found")
            try await t.lookUp(stranger, by: coach)
            #expect(try await start(coach, with: [stranger]).status == .created)
            #expect(try await start(stranger, with: [coach]).status == .created)
        }
    }
}
