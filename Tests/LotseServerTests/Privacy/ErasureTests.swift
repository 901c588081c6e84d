import Fluent
import Foundation
import LotseAPI
import LotseCrypto
import SQLKit
import Testing
import Vapor

@testable import LotseServer

@Suite("Erasure: an account is deleted 30 days after asking, unless its person changes their mind")
struct ErasureTests {
    static let path = "api/v1/account/erasure"

    @Test("Asking needs the password and schedules one deletion, even racing; the mailed link or settings cancel it")
    func askAndCancel() async throws {
        try await withTestApp { t in
            let sam = try await t.participant("sam@example.org")
            let none = try await t.send(.GET, Self.path, token: sam.token).decode(ErasureStatus.self)
            #expect(none == ErasureStatus(scheduled: false))

            let wrong = try await t.send(
                .POST, Self.path, json: RequestErasure(loginKey: Data(count: 32).base64EncodedString()),
                token: sam.token)
            #expect(wrong.status == .unauthorized, "\(wrong.text)")
            #expect(try await t.send(.GET, Self.path, token: sam.token).decode(ErasureStatus.self) == none)

            // Three requests at once (a double click and a retry): one deletion, one mail.
            let request = RequestErasure(loginKey: TestCredentials().loginKey)
            let answers = try await withThrowingTaskGroup(of: ErasureStatus.self) { group in
                for _ in 0..<3 {
                    group.addTask {
                        let response = try await t.send(.POST, Self.path, json: request, token: sam.token)
                        #expect(response.status == .ok, "\(response.text)")
                        return try response.decode(ErasureStatus.self)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let due = t.clock.now.addingTimeInterval(30 * 86_400)
            #expect(Set(answers.map(\.deletesAt)).count == 1)
            #expect(answers.allSatisfy { $0.scheduled && abs($0.deletesAt!.timeIntervalSince(due)) < 2 })
            let subject = "Your Lotse account will be deleted on \(Retention.day(due, .en))"
            let asked = try await mail(t, to: sam.email, subject: subject)
            #expect(asked.body.contains("Deleted account") && asked.body.contains("https://lotse.test/export"))
            let token = try #require(
                asked.body.firstMatch(of: #/keep-account#token=([A-Za-z0-9_-]+)/#)?.output.1)
            await t.app.lotse.mailer.drain()
            #expect(t.smtp.messages.filter { $0.header("Subject") == subject }.count == 1)

            // The link keeps the account, also when opened twice at once; a made-up one is refused plainly.
            let cancels = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        try await t.send(.POST, "api/v1/erasure/cancel", json: CancelErasure(token: String(token)))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(cancels.allSatisfy { $0.status == .ok }, "\(cancels.map(\.text))")
            _ = try await mail(t, to: sam.email, subject: "Your Lotse account will not be deleted")
            let madeUp = try await t.send(.POST, "api/v1/erasure/cancel", json: CancelErasure(token: "nonsense"))
            #expect(madeUp.status == .notFound && madeUp.text.contains("no longer works"))
            #expect(try await t.send(.GET, Self.path, token: sam.token).decode(ErasureStatus.self) == none)

            // Asked again, then cancelled signed in; past the date nothing happens to the account.
            #expect(try await t.send(.POST, Self.path, json: request, token: sam.token).status == .ok)
            let kept = try await t.send(.DELETE, Self.path, token: sam.token)
            #expect(try kept.decode(ErasureStatus.self) == none)
            try await t.waitKeepingSignedIn(days: 31, [sam])
            let erasure: Erasure = t.app.make(on: t.app.db)
            #expect(try await erasure.runDue().erased == 0)
            #expect(try await t.send(.GET, "api/v1/account", token: sam.token).status == .ok)
            #expect(try await ErasureRequestRecord.query(on: t.app.db).count() == 0, "cancelled requests are forgotten")

            let kinds = try await AuditEntryRecord.query(on: t.app.db).filter(\.$accountID == sam.id).all(\.$kind)
            #expect(kinds.filter { $0 == "erasure_requested" }.count == 2)
            #expect(kinds.filter { $0 == "erasure_cancelled" }.count == 2)

            // The platform's only administrator would leave nobody to run it.
            let admin = try await t.participant("admin@example.org")
            try await t.promote(admin, to: .platformAdmin)
            let refused = try await t.send(.POST, Self.path, json: request, token: admin.token)
            #expect(refused.status == .conflict && refused.text.contains("only administrator"), "\(refused.text)")

            // So would an institution's only administrator.
            let school = try await t.institution()
            let alone = try await t.send(.POST, Self.path, json: request, token: school.admin.token)
            #expect(alone.status == .conflict && alone.text.contains("only administrator of Hochschule Rheinland"))
        }
    }

    @Test(
        "After 30 days every table is searched: nothing of the person is left but what others received and what the law keeps"
    )
    func erasure() async throws {
        try await withTestApp { t in
            let kind = TestLedger()
            try await kind.createTable(on: t.app.db)
            t.app.restrictedKinds.register(kind)

            let coach = try await t.coach("carla@example.org")
            let sam = try await t.participant("sam@example.org")
            let olga = try await t.participant("olga@example.org")
            let engagement = try await t.invite([sam], by: coach)
            try await t.agree(engagement)
            let canary = "CANARY-\(UUID().uuidString)"
            let (sent, message) = try await t.sendText(
                canary, from: sam, in: engagement.conversation, key: engagement.key)
            #expect(sent.status == .created, "\(sent.text)")
            // A group Sam started, which Olga stays in, and a conversation only Sam is left in.
            let (group, groupKey) = try await t.startConversation(sam, with: [olga, coach])
            _ = try await t.sendText("Hallo zusammen", from: sam, in: group, key: groupKey)
            let alone = UUID()
            let (request, _) = try t.newConversation(sam, with: [olga], id: alone)
            #expect(try await t.send(.POST, "api/v1/conversations", json: request, token: sam.token).status == .created)
            let leave = try await t.send(
                .DELETE, "api/v1/conversations/\(alone)/members/\(olga.id)", token: olga.token)
            #expect(leave.status == .noContent, "\(leave.text)")
            // A record the law keeps (an invoice, say): restricted for 40 days, then deleted.
            let invoice = try await kind.add(about: sam.id, keepUntil: t.clock.now.addingTimeInterval(70 * 86_400), t)

            let ask = try await t.send(
                .POST, Self.path, json: RequestErasure(loginKey: TestCredentials().loginKey), token: sam.token)
            #expect(ask.status == .ok)
            try await t.waitKeepingSignedIn(days: 30, [coach, olga, sam])  // Sam's sessions live to the end
            func erasure() -> Erasure { t.app.make(on: t.app.db) }
            async let first = erasure().runDue()
            async let second = erasure().runDue()
            let (a, b) = try await (first, second)
            #expect(a.erased + b.erased == 1)
            #expect(try await erasure().runDue().erased == 0)
            _ = try await mail(t, to: sam.email, subject: "Your Lotse account has been deleted")

            // Sam cannot sign in, the session is gone, the address is free for a new account.
            #expect(try await t.send(.GET, "api/v1/account", token: sam.token).status == .unauthorized)
            let login = try await t.send(
                .POST, "api/v1/auth/login", json: Login(email: sam.email, loginKey: TestCredentials().loginKey))
            #expect(login.status == .unauthorized)

            // Crypto-shredding: the private keys and every conversation key sealed for Sam are gone.
            #expect(try await AccountKeysRecord.find(sam.id, on: t.app.db) == nil)
            #expect(try await ConversationKeyRecord.query(on: t.app.db).filter(\.$memberID == sam.id).count() == 0)

            // Every table: Sam's ID only where others' received messages, keys and engagement need it, in the
            // tombstone, the audit log and the restricted record; Sam's address and name nowhere at all.
            let kept = try await rowsMentioning([sam.id], on: t.app.db)
            #expect(
                Set(kept.keys) == [
                    "users", "messages", "conversations", "conversation_keys", "conversation_former_members",
                    "account_key_versions", "engagement_clients", "engagement_events", "audit_entries",
                    "restricted_records", TestLedger.table,
                ], "\(kept)")
            #expect(kept["users"] == 1 && kept["messages"] == 2)
            let named = try await rowsContaining([sam.email, "Person sam@example.org"], on: t.app.db)
            #expect(named.isEmpty, "still there: \(named)")
            let tombstone = try #require(try await UserRecord.find(sam.id, on: t.app.db))
            #expect(tombstone.displayName == "" && tombstone.loginKeyHash == "" && tombstone.erasedAt != nil)
            #expect(try await rowsMentioning([alone], on: t.app.db).isEmpty, "a conversation nobody is left in goes")

            // The others keep what they received, from "a deleted account", and can still check it.
            let seen = try await t.send(.GET, "api/v1/conversations/\(group)", token: olga.token)
                .decode(Conversation.self)
            #expect(!seen.members.contains { $0.userId == sam.id } && seen.needsNewKey)
            let former = try #require(seen.formerMembers.first { $0.userId == sam.id })
            #expect(former.displayName == "" && former.signingKey == sam.publicKeys.signingBase64)
            #expect(former.keyHistory.map(\.signingKey) == [sam.publicKeys.signingBase64])
            let history = try await t.send(
                .GET, "api/v1/conversations/\(engagement.conversation)/messages", token: coach.token
            ).decode(MessagePage.self).messages
            let received = try #require(history.first { $0.id == message.id })
            #expect(try received.open(key: engagement.key, sender: sam).text == canary)
            let closed = try await t.send(.GET, engagement.path, token: coach.token).decode(Engagement.self)
            #expect(closed.status == .closed && closed.clients.map(\.displayName) == [""])
            let center = try await t.send(.GET, "api/v1/notifications", token: coach.token)
                .decode(NotificationList.self)
            #expect(center.items.contains { $0.kind == .accountDeleted && $0.engagementId == engagement.id })

            // The restricted record goes when its period ends, and with it the last trace but the messages.
            let clock = t.clock
            let restrictions = Restrictions(db: t.app.db, now: { clock.now }, kinds: [kind])
            #expect(try await restrictions.isRestricted(kind.name, invoice))
            try await t.waitKeepingSignedIn(days: 41, [coach, olga])
            #expect(try await erasure().runDue().expiredRestrictions == 1)
            #expect(try await !restrictions.isRestricted(kind.name, invoice))
            #expect(try await kind.count(invoice, on: t.app.db) == 0)
            let finally = try await rowsMentioning([sam.id], on: t.app.db)
            #expect(finally["restricted_records"] == nil && finally[TestLedger.table] == nil, "\(finally)")
        }
    }

    @Test("A coach's erasure ends their engagements: the client keeps them; notes, calendar and profile go")
    func coachErasure() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("carla@example.org")
            let sam = try await t.participant("sam@example.org")
            try await t.publishProfile(coach, slug: "carla")
            #expect(try await t.send(.GET, "api/v1/directory/coaches/\(coach.id)").status == .ok)
            let engagement = try await t.invite([sam], by: coach)
            try await t.agree(engagement)
            let noteID = UUID()
            let note = try EngagementCipher.sealPrivate(
                EngagementText(text: "Wirkt erschöpft"), id: noteID, engagement: engagement.id, author: coach.id,
                keys: coach.keys)
            #expect(
                try await t.saveItem(
                    SaveEngagementItem(kind: .note, sealed: note), id: noteID, in: engagement, as: coach
                )
                .status == .created)
            let goal = try engagement.seal(EngagementText(text: "Gut ankommen"), by: coach)
            #expect(
                try await t.saveItem(
                    SaveEngagementItem(kind: .goal, sealed: goal), id: goal.id, in: engagement, as: coach
                )
                .status == .created)
            #expect(
                try await t.send(
                    .POST, Self.path, json: RequestErasure(loginKey: TestCredentials().loginKey), token: coach.token
                ).status == .ok)
            try await t.waitKeepingSignedIn(days: 30, [sam])
            let erasure: Erasure = t.app.make(on: t.app.db)
            #expect(try await erasure.runDue().erased == 1)

            let seen = try await t.send(.GET, engagement.path, token: sam.token).decode(Engagement.self)
            #expect(seen.status == .closed && seen.coach.displayName == "")
            let items = try await t.send(.GET, engagement.path + "/items", token: sam.token)
                .decode([EngagementItem].self)
            #expect(items.map(\.id) == [goal.id], "the shared goal stays")
            #expect(try await rowsMentioning([noteID], on: t.app.db).isEmpty, "the private note is gone")
            #expect(try await t.send(.GET, "api/v1/directory/coaches/\(coach.id)").status == .notFound)
            #expect(try await rowsContaining([coach.email], on: t.app.db).isEmpty)
        }
    }
}

/// A kind of record the law requires to be kept, for tests: rows about an account with the day their keeping ends.
struct TestLedger: RestrictedKind {
    static let table = "test_ledger"
    var name: String { "test_ledger_entry" }
    var legalBasis: String { "§ 147 AO (test)" }

    func createTable(on db: any Database) async throws {
        try await (db as! any SQLDatabase).raw(
            "CREATE TABLE test_ledger (id TEXT PRIMARY KEY, subject_id TEXT NOT NULL, keep_until DOUBLE PRECISION NOT NULL)"
        ).run()
    }

    func add(about subject: UUID, keepUntil: Date, _ t: TestContext) async throws -> String {
        let id = UUID().uuidString
        try await (t.app.db as! any SQLDatabase).raw(
            "INSERT INTO test_ledger (id, subject_id, keep_until) VALUES (\(bind: id), \(bind: subject.uuidString), \(bind: keepUntil.timeIntervalSince1970))"
        ).run()
        return id
    }

    func count(_ id: String, on db: any Database) async throws -> Int {
        struct Row: Decodable { let n: Int }
        return try await (db as! any SQLDatabase).raw("SELECT count(*) AS n FROM test_ledger WHERE id = \(bind: id)")
            .first(decoding: Row.self)?.n ?? 0
    }

    func records(of subject: UUID, on db: any Database) async throws -> [(id: String, keepUntil: Date)] {
        struct Row: Decodable {
            let id: String
            let keep_until: Double
        }
        return try await (db as! any SQLDatabase).raw(
            "SELECT id, keep_until FROM test_ledger WHERE subject_id = \(bind: subject.uuidString)"
        ).all(decoding: Row.self).map { ($0.id, Date(timeIntervalSince1970: $0.keep_until)) }
    }

    func delete(_ ids: [String], on db: any Database) async throws {
        try await (db as! any SQLDatabase).raw("DELETE FROM test_ledger WHERE id IN (\(binds: ids))").run()
    }
}
