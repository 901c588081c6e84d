import Fluent
import Foundation
import LotseAPI
import LotseCrypto
import Testing
import Vapor

@testable import LotseServer

@Suite("Engagements: who may read and change what")
struct PermissionTests {
    @Test(
        "No one outside an engagement reads or changes it: other clients, other coaches, institution and platform admins"
    )
    func outsidersSeeNothing() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach-a@example.org")
            let client = try await t.participant("client-a@example.org")
            let otherCoach = try await t.coach("coach-b@example.org")
            let otherClient = try await t.participant("client-b@example.org")
            let institutionAdmin = try await t.participant("institution@example.org")
            try await t.promote(institutionAdmin, to: .institutionAdmin)
            let platformAdmin = try await t.participant("admin@example.org")
            try await t.promote(platformAdmin, to: .platformAdmin)

            let engagement = try await t.invite([client], by: coach)
            try await t.agree(engagement)
            let neighbour = try await t.invite([otherClient], by: otherCoach)
            try await t.agree(neighbour)
            let taskID = UUID()
            let task = SaveEngagementItem(
                kind: .task, sealed: try engagement.seal(EngagementText(title: "Vertraulich"), id: taskID, by: client),
                status: .open, dueAt: t.clock.now.addingTimeInterval(86_400))
            #expect(try await t.saveItem(task, id: taskID, in: engagement, as: client).status == .created)
            let noteID = UUID()
            let note = try EngagementCipher.sealPrivate(
                EngagementText(text: "privat"), id: noteID, engagement: engagement.id, author: coach.id,
                keys: coach.keys)
            #expect(
                try await t.saveItem(
                    SaveEngagementItem(kind: .note, sealed: note), id: noteID, in: engagement, as: coach
                )
                .status == .created)
            let secrets = try await EngagementItemRecord.query(on: t.app.db).filter(\.$engagementID == engagement.id)
                .all().compactMap { $0.sealedContent?.ciphertext }
            #expect(secrets.count == 2)
            let before = try await counts(t)

            // Every operation on someone else's engagement, with a body that would be valid for an insider.
            let path = engagement.path
            let scope = try engagement.seal(EngagementText(text: "x"), by: coach)
            let operations: [(HTTPMethod, String, (any Encodable & Sendable)?)] = [
                (.GET, path, nil),
                (.GET, path + "/items", nil),
                (.GET, path + "/timeline", nil),
                (.PUT, path + "/items/\(UUID())", task),
                (.PUT, path + "/items/\(taskID)", task),
                (.DELETE, path + "/items/\(taskID)", nil),
                (.DELETE, path + "/items/\(noteID)", nil),
                (
                    .PUT, path + "/agreement",
                    ProposeAgreement(sessions: 1, fee: nil, startsOn: nil, endsOn: nil, scope: scope)
                ),
                (.POST, path + "/agreement/confirm", ConfirmAgreement(version: 1)),
                (.POST, path + "/decline", DeclineEngagement(reason: nil)),
                (.POST, path + "/close", nil),
                (.POST, path + "/intake", SendIntake(questionnaireId: UUID())),
                (.POST, path + "/program", ApplyProgram(templateId: UUID(), startsOn: "2027-01-01")),
                (.POST, path + "/clients", AddEngagementClients(clients: [otherClient.id])),
                (.DELETE, path + "/clients/\(client.id)", nil),
            ]
            let outsiders = [otherClient, otherCoach, institutionAdmin, platformAdmin]
            for outsider in outsiders {
                for (method, url, body) in operations {
                    let response = try await t.send(method, url, json: body, token: outsider.token)
                    #expect(
                        response.status == .notFound && response.errorCode == "engagements.not_found",
                        "\(outsider.email) \(method) \(url): \(response.status) \(response.text)")
                    #expect(!secrets.contains { response.text.contains($0) })
                }
                let listed = try await t.send(.GET, "api/v1/engagements", token: outsider.token)
                #expect(!listed.text.contains(engagement.id.uuidString))
                let agenda = try await t.send(.GET, "api/v1/engagements/agenda", token: outsider.token)
                #expect(!agenda.text.contains(taskID.uuidString))
            }
            for (method, url, body) in operations {
                #expect(try await t.send(method, url, json: body).status == .unauthorized, "\(method) \(url)")
            }
            #expect(try await counts(t) == before)

            // The institution admin and the platform admin list nothing at all.
            for admin in [institutionAdmin, platformAdmin] {
                #expect(
                    try await t.send(.GET, "api/v1/engagements", token: admin.token).decode([Engagement].self).isEmpty)
            }
        }
    }

    @Test("Inside an engagement: the coach's steps are the coach's, the client's the client's")
    func insidersHaveRoles() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            let client = try await t.participant("client@example.org")
            let engagement = try await t.invite([client], by: coach)
            let scope = try engagement.seal(EngagementText(text: "x"), by: client)
            let coachOnly: [(HTTPMethod, String, (any Encodable & Sendable)?)] = [
                (
                    .PUT, engagement.path + "/agreement",
                    ProposeAgreement(sessions: 1, fee: nil, startsOn: nil, endsOn: nil, scope: scope)
                ),
                (.POST, engagement.path + "/close", nil),
                (.POST, engagement.path + "/intake", SendIntake(questionnaireId: UUID())),
                (.POST, engagement.path + "/program", ApplyProgram(templateId: UUID(), startsOn: "2027-01-01")),
                (.POST, engagement.path + "/clients", AddEngagementClients(clients: [UUID()])),
            ]
            for (method, url, body) in coachOnly {
                let response = try await t.send(method, url, json: body, token: client.token)
                #expect(response.status == .forbidden && response.errorCode == "engagements.coach_only", "\(url)")
            }
            let clientOnly: [(HTTPMethod, String, (any Encodable & Sendable)?)] = [
                (.POST, engagement.path + "/agreement/confirm", ConfirmAgreement(version: 1))
            ]
            for (method, url, body) in clientOnly {
                let response = try await t.send(method, url, json: body, token: coach.token)
                #expect(response.status == .forbidden && response.errorCode == "engagements.client_only", "\(url)")
            }
            // A coach's questionnaires and templates are their own.
            let otherCoach = try await t.coach("other@example.org")
            let templateID = UUID()
            let template = SaveProgramTemplate(
                name: "Mine", description: "", steps: [ProgramStep(day: 0, title: "Start", kind: .milestone)])
            #expect(
                try await t.send(.PUT, "api/v1/templates/\(templateID)", json: template, token: otherCoach.token).status
                    == .created)
            #expect(
                try await t.send(.PUT, "api/v1/templates/\(templateID)", json: template, token: coach.token).errorCode
                    == "engagements.id_conflict")
            #expect(
                try await t.send(.GET, "api/v1/templates", token: coach.token).decode([ProgramTemplate].self).isEmpty)
            let borrowed = try await t.send(
                .POST, engagement.path + "/program", json: ApplyProgram(templateId: templateID, startsOn: "2027-01-01"),
                token: coach.token)
            #expect(borrowed.errorCode == "engagements.template_not_found")
        }
    }

    @Test("An engagement cannot take over a conversation that has other people in it: they could read it all")
    func conversationMustHoldExactlyTheEngagementsPeople() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            let old = try await t.participant("old-client@example.org")
            let new = try await t.participant("new-client@example.org")
            try await t.lookUp(old, by: coach)
            let (earlier, _) = try t.newConversation(coach, with: [old])
            #expect(
                try await t.send(.POST, "api/v1/conversations", json: earlier, token: coach.token).status == .created)
            // The same conversation ID, claiming other members: the server has the real ones.
            var reused = earlier
            reused.members = [new.id]
            let invite = try await t.send(
                .POST, "api/v1/engagements", json: CreateEngagement(id: UUID(), conversation: reused, isGroup: false),
                token: coach.token)
            #expect(invite.status == .badRequest && invite.errorCode == "engagements.members_mismatch")
            // A client cannot file an inquiry into a conversation with a third person either.
            try await t.publishProfile(coach, slug: "coach")
            let third = try await t.participant("third@example.org")
            try await t.introduce(new, to: [coach, third])
            let (group, key) = try t.newConversation(new, with: [coach, third])
            #expect(try await t.send(.POST, "api/v1/conversations", json: group, token: new.token).status == .created)
            var claimed = group
            claimed.members = [coach.id]
            let id = UUID()
            let sealed = try EngagementCipher.seal(
                EngagementText(text: "x"), id: UUID(), engagement: id, author: new.id, epoch: 1, key: key,
                signingKey: new.keys.signing)
            let inquiry = try await t.send(
                .POST, "api/v1/inquiries",
                json: CreateInquiry(id: id, profileId: coach.id, conversation: claimed, inquiry: sealed),
                token: new.token)
            #expect(inquiry.errorCode == "engagements.members_mismatch")
            #expect(try await EngagementRecord.query(on: t.app.db).count() == 0)
            // The earlier conversation of exactly coach and client may become their engagement.
            let fitting = try await t.send(
                .POST, "api/v1/engagements", json: CreateEngagement(id: UUID(), conversation: earlier, isGroup: false),
                token: coach.token)
            #expect(fitting.status == .created)
        }
    }

    private func counts(_ t: TestContext) async throws -> [Int] {
        [
            try await EngagementRecord.query(on: t.app.db).count(),
            try await EngagementItemRecord.query(on: t.app.db).count(),
            try await EngagementEventRecord.query(on: t.app.db).count(),
            try await EngagementClientRecord.query(on: t.app.db).count(),
            try await ConversationMemberRecord.query(on: t.app.db).count(),
        ]
    }
}
