import Fluent
import Foundation
import LotseAPI
import LotseCrypto
import Testing
import Vapor

@testable import LotseServer

@Suite("Privacy: what the server knows about an account, as its own download")
struct ServerKnowledgeTests {
    @Test("Who talks to whom, when and how much, the sessions and sign-ins — never what anyone wrote")
    func metadataWithoutContent() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("carla@example.org")
            let client = try await t.participant("sam@example.org")
            let other = try await t.participant("olga@example.org")
            let engagement = try await t.invite([client], by: coach)
            let canary = "CANARY-\(UUID())"
            for text in [canary, "and a second one"] {
                let (sent, _) = try await t.sendText(
                    text, from: client, in: engagement.conversation, key: engagement.key)
                #expect(sent.status == .created || sent.status == .ok, "\(sent.text)")
            }
            _ = try await t.sendText("hello", from: coach, in: engagement.conversation, key: engagement.key)

            let response = try await t.send(.GET, "api/v1/account/data/server-knowledge", token: client.token)
            #expect(response.status == .ok, "\(response.text)")
            #expect(
                response.headers.first(name: .contentDisposition)
                    == "attachment; filename=\"lotse-what-the-server-knows.json\"")
            #expect(!response.text.contains(canary) && !response.text.contains("ciphertext"))
            let knowledge = try response.decode(ServerKnowledge.self)
            #expect(knowledge.format == "lotse-server-knowledge-1")
            #expect(knowledge.account.email == "sam@example.org" && knowledge.account.role == .client)
            #expect(knowledge.sessions.contains { $0.isCurrent })
            #expect(knowledge.securityEvents.map(\.kind).contains(.signIn))
            let conversation = try #require(knowledge.conversations.first { $0.id == engagement.conversation })
            #expect(conversation.members == ["Person carla@example.org"])
            #expect(conversation.messages == 3 && conversation.messagesSent == 2 && conversation.bytes > 0)
            #expect(conversation.firstMessageAt != nil && conversation.lastMessageAt! >= conversation.firstMessageAt!)
            #expect(knowledge.engagements.map(\.id) == [engagement.id])
            #expect(knowledge.engagements.first?.coachName == "Person carla@example.org")
            #expect(knowledge.engagements.first?.clientNames == ["Person sam@example.org"])
            // Her public keys (the private ones are never on the server), the invitation that waited for her.
            #expect(knowledge.keyVersions.map(\.version) == [1] && knowledge.keyVersions[0].validUntil == nil)
            #expect(knowledge.keyVersions[0].agreementKey == client.publicKeys.agreementBase64)
            #expect(knowledge.notifications.map(\.kind) == [.invited])
            #expect(knowledge.notifications.first?.about == engagement.id)
            #expect(knowledge.techCheck == nil)

            // Someone else's download holds none of it.
            let theirs = try await t.send(.GET, "api/v1/account/data/server-knowledge", token: other.token)
                .decode(ServerKnowledge.self)
            #expect(theirs.conversations.isEmpty && theirs.engagements.isEmpty && theirs.bookings.isEmpty)
            #expect(try await t.send(.GET, "api/v1/account/data/server-knowledge").status == .unauthorized)
        }
    }

    @Test(
        "An export made on a device is one audit entry however often it is retried; an engagement only by its members")
    func exportsAreAudited() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("carla@example.org")
            let client = try await t.participant("sam@example.org")
            let outsider = try await t.participant("olga@example.org")
            let engagement = try await t.invite([client], by: coach)
            let exported = { (token: String) in
                try await t.send(.GET, "api/v1/account/security-events", token: token).decode([SecurityEvent].self)
                    .filter { $0.kind == .dataExported }
            }

            // The device's retries (here four at once) record it once.
            let whole = DataExport(id: UUID(), scope: .account)
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await t.send(.POST, "api/v1/account/data/exports", json: whole, token: client.token).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: .noContent, count: 4))
            #expect(try await exported(client.token).map(\.details["scope"]) == ["account"])

            // The coach exports the engagement for her records; an outsider learns nothing of it.
            let record = DataExport(id: UUID(), scope: .engagement, engagementId: engagement.id)
            #expect(
                try await t.send(.POST, "api/v1/account/data/exports", json: record, token: coach.token).status
                    == .noContent)
            let hers = try await exported(coach.token)
            #expect(
                hers.map(\.details) == [
                    ["scope": "engagement", "engagement": engagement.id.uuidString, "export": record.id.uuidString]
                ])
            let foreign = DataExport(id: UUID(), scope: .engagement, engagementId: engagement.id)
            let refused = try await t.send(.POST, "api/v1/account/data/exports", json: foreign, token: outsider.token)
            #expect(refused.status == .notFound)
            let unnamed = try await t.send(
                .POST, "api/v1/account/data/exports", json: DataExport(id: UUID(), scope: .engagement),
                token: coach.token)
            #expect(unnamed.status == .badRequest && unnamed.text.contains("engagementId"), "\(unnamed.text)")
            #expect(try await exported(outsider.token).isEmpty)
            #expect(try await t.send(.POST, "api/v1/account/data/exports", json: whole).status == .unauthorized)
            let audit: AuditLog = t.app.make(on: t.app.db)
            #expect(try await audit.verify().problems.isEmpty)
        }
    }

    @Test("The privacy notice names the operator as configured, and the server's own periods; unconfigured, no name")
    func privacyNotice() async throws {
        try await withTestApp(environment: [
            "LOTSE_OPERATOR_NAME": "Praxis Berger", "LOTSE_OPERATOR_CONTACT": "Hauptstr. 1, 50667 Köln",
            "LOTSE_DPO_CONTACT": "  ",
        ]) { t in
            let notice = try await t.send(.GET, "api/v1/privacy-notice").decode(PrivacyNotice.self)
            #expect(notice.operatorName == "Praxis Berger" && notice.operatorContact == "Hauptstr. 1, 50667 Köln")
            #expect(notice.dataProtectionContact == nil)  // blank is none
            #expect(
                notice.retention
                    == PrivacyNotice.Retention(
                        unconfirmedSignUp: 7, idleSession: 14, longestSession: 90, abandonedInquiry: 30,
                        inquiryNotice: 7, endedEngagement: 365))
        }
        try await withTestApp { t in
            let notice = try await t.send(.GET, "api/v1/privacy-notice").decode(PrivacyNotice.self)
            #expect(notice.operatorName == nil && notice.operatorContact == nil)
        }
    }
}
