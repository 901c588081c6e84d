import Fluent
import Foundation
import LotseAPI
import LotseCrypto
import Testing
import Vapor

@testable import LotseServer

@Suite("Notifications")
struct NotificationTests {
    @Test("An inquiry waits for the coach: a line in the center, and one private mail per stretch while away")
    func inquiryReachesTheCoach() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            let client = try await t.participant("jonas@example.org")
            try await t.publishProfile(coach, slug: "carla")
            let before = mails(to: coach.email, in: t)
            let canary = "CANARY-\(UUID().uuidString)"
            let engagement = try await t.inquire(from: client, to: coach, text: canary)
            let mail = try await t.smtp.message(to: coach.email, skipping: before)
            #expect(mail.header("Subject") == "Something is waiting for you in Lotse")
            #expect(mail.body.contains("/home"))
            for secret in [canary, "jonas", "Jonas", "inquiry"] { #expect(!mail.body.contains(secret)) }

            // The client withdraws before the coach looked: a second line, no second mail.
            let firstStretch = mails(to: coach.email, in: t)
            t.clock.advance(by: 60)
            let withdrawn = try await t.send(
                .POST, engagement.path + "/decline", json: DeclineEngagement(reason: nil), token: client.token)
            #expect(withdrawn.status == .ok, "\(withdrawn.text)")
            await t.app.lotse.mailer.drain()
            #expect(mails(to: coach.email, in: t) == firstStretch)
            let list = try await t.send(.GET, "api/v1/notifications", token: coach.token)
                .decode(NotificationList.self)
            #expect(list.unread == 2)
            #expect(list.items.map(\.kind) == [.withdrawn, .inquiry])  // newest first
            #expect(list.items.allSatisfy { $0.engagementId == engagement.id && !$0.read })
            #expect(list.items.first?.actorName == "Person jonas@example.org")
        }
    }

    @Test("Looking at the center ends the stretch; muting a topic stops its mails but not its lines")
    func stretchesAndOptOut() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            let client = try await t.participant("jonas@example.org")
            try await t.lookUp(client, by: coach)
            let engagement = try await t.invite([client], by: coach)
            await t.app.lotse.mailer.drain()
            let invited = mails(to: client.email, in: t)
            #expect(
                t.smtp.messages.last { $0.recipients.contains(client.email) }?.header("Subject")
                    == "Something is waiting for you in Lotse")

            _ = try await t.send(.GET, "api/v1/notifications", token: client.token)  // the client looks
            try await propose(engagement, version: 1)
            await t.app.lotse.mailer.drain()
            #expect(mails(to: client.email, in: t) == invited + 1)  // a new stretch, a new mail

            let muted = try await t.send(
                .PUT, "api/v1/notifications/settings", json: NotificationSettings(mutedTopics: [.agreements, .tasks]),
                token: client.token)
            #expect(try muted.decode(NotificationSettings.self).mutedTopics == [.agreements, .tasks])
            _ = try await t.send(.GET, "api/v1/notifications", token: client.token)
            t.clock.advance(by: 60)
            try await propose(engagement, version: 2)
            await t.app.lotse.mailer.drain()
            #expect(mails(to: client.email, in: t) == invited + 1)
            let list = try await t.send(.GET, "api/v1/notifications", token: client.token)
                .decode(NotificationList.self)
            // The agreement changed twice: one line, moved up, unread again.
            #expect(list.items.map(\.kind) == [.agreementProposed, .invited])
            #expect(list.unread == 2)

            let bad = try await t.send(
                .PUT, "api/v1/notifications/settings", json: ["mutedTopics": ["everything"]], token: client.token)
            #expect(bad.status == .badRequest)
            #expect(
                try await t.send(.GET, "api/v1/notifications/settings", token: client.token)
                    .decode(NotificationSettings.self).mutedTopics == [.agreements, .tasks])

            func propose(_ engagement: TestEngagement, version: Int) async throws {
                let response = try await t.send(
                    .PUT, engagement.path + "/agreement",
                    json: ProposeAgreement(
                        sessions: 5 + version, fee: nil, startsOn: nil, endsOn: nil,
                        scope: try engagement.seal(EngagementText(text: "v\(version)"), by: coach)),
                    token: coach.token)
                #expect(response.status == .ok, "\(response.text)")
            }
        }
    }

    @Test("An open tab hears of a new notification at once and of reads on another device; it gets no mail")
    func liveOverTheSocket() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            let client = try await t.participant("jonas@example.org")
            try await t.publishProfile(coach, slug: "carla")
            let port = try await t.serve()
            let tab = try await SocketClient.connect(port: port, token: coach.token, on: t.app.eventLoopGroup)
            _ = try await tab.next("hello") { if case .hello = $0 { true } else { false } }
            let before = mails(to: coach.email, in: t)
            let engagement = try await t.inquire(from: client, to: coach)
            let event = try await tab.next("notifications") { if case .notifications = $0 { true } else { false } }
            guard case .notifications(let unread, let latest) = event else { Issue.record("\(event)"); return }
            #expect(unread == 1)
            #expect(latest?.kind == .inquiry && latest?.engagementId == engagement.id)

            let read = try await t.send(
                .POST, "api/v1/notifications/read", json: MarkNotificationsRead(engagementId: engagement.id),
                token: coach.token)
            #expect(try read.decode(NotificationList.self).unread == 0)
            let cleared = try await tab.next("notifications", after: tab.events.firstIndex(of: event)! + 1) {
                if case .notifications = $0 { true } else { false }
            }
            #expect(cleared == .notifications(unread: 0, latest: nil))
            // Marking again changes nothing.
            let again = try await t.send(
                .POST, "api/v1/notifications/read", json: MarkNotificationsRead(), token: coach.token)
            #expect(try again.decode(NotificationList.self).items.allSatisfy(\.read))
            await t.app.lotse.mailer.drain()
            #expect(mails(to: coach.email, in: t) == before)
            try await tab.close()
        }
    }

    @Test("Steps racing each other for someone away send one mail, and the same step racing itself makes one line")
    func racingStepsMailOnce() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            let client = try await t.participant("jonas@example.org")
            try await t.publishProfile(coach, slug: "carla")
            let engagement = try await t.inquire(from: client, to: coach)
            _ = try await t.send(.GET, "api/v1/notifications", token: coach.token)  // looked: a new stretch
            await t.app.lotse.mailer.drain()
            let before = mails(to: coach.email, in: t)
            let service: NotificationsService = t.app.make(on: t.app.db)
            let kinds: [NotificationKind] = [.agreementConfirmed, .withdrawn, .booked, .cancelled, .rescheduled]
            try await withThrowingTaskGroup(of: Void.self) { group in
                for kind in kinds + kinds {
                    group.addTask { try await service.post(kind, in: engagement.id, by: client.id, to: [coach.id]) }
                }
                try await group.waitForAll()
            }
            await t.app.lotse.mailer.drain()
            #expect(mails(to: coach.email, in: t) == before + 1)
            let rows = try await NotificationRecord.query(on: t.app.db).filter(\.$userID == coach.id).all()
            #expect(rows.count == 1 + kinds.count)
        }
    }

    @Test("A client in the waiting room reaches the coach; letting them in settles it")
    func waitingRoom() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            let client = try await t.participant("jonas@example.org")
            let engagement = try await t.invite([client], by: coach)
            try await t.agree(engagement)
            let calls: CallsService = t.app.make(on: t.app.db)
            let peer = UUID()
            #expect(try await calls.join(engagement.id, peer: peer, by: client.id))
            var list = try await t.send(.GET, "api/v1/notifications", token: coach.token).decode(NotificationList.self)
            #expect(list.items.first { $0.kind == .waiting }?.read == false)
            try await calls.admit(engagement.id, peer: peer, by: coach.id)
            list = try await t.send(.GET, "api/v1/notifications", token: coach.token).decode(NotificationList.self)
            #expect(list.items.first { $0.kind == .waiting }?.read == true)
        }
    }

    private func mails(to address: String, in t: TestContext) -> Int {
        t.smtp.messages.filter { $0.recipients.contains(address) }.count
    }
}
