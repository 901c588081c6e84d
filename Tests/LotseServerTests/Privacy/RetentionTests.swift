import Fluent
import Foundation
import LotseAPI
import Testing
import Vapor

@testable import LotseServer

@Suite("Retention: what nobody needs any more is deleted, after telling the people in it")
struct RetentionTests {
    @Test(
        "An unanswered inquiry: one mail a week before, then deleted with everything in it; activity restarts the time")
    func abandonedInquiry() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("carla@example.org")
            let client = try await t.participant("sam@example.org")
            let other = try await t.participant("olga@example.org")
            try await t.publishProfile(coach, slug: "carla")
            let abandoned = try await t.inquire(from: client, to: coach)
            let lively = try await t.inquire(from: other, to: coach)
            let (sent, message) = try await t.sendText(
                "Hallo?", from: client, in: abandoned.conversation, key: abandoned.key)
            #expect(sent.status == .created)
            let start = t.clock.now
            func retention() -> Retention { t.app.make(on: t.app.db) }
            #expect(try await retention().pass() == .init())
            func wait(days: Double) async throws {
                try await t.waitKeepingSignedIn(days: days, [coach, client, other])
            }

            // Day 22: the other inquiry hears something; day 23: a week before the first one goes, its people are told.
            try await wait(days: 22)
            let (nudge, _) = try await t.sendText(
                "Are you still there?", from: other, in: lively.conversation, key: lively.key)
            #expect(nudge.status == .created, "\(nudge.text)")
            try await wait(days: 1 + 60 / 86_400)
            let deletion = Retention.day(start.addingTimeInterval(30 * 86_400), .en)
            async let first = retention().pass()
            async let second = retention().pass()
            let (a, b) = try await (first, second)
            #expect(a.noticed + b.noticed == 1 && a.deleted + b.deleted == 0)
            #expect(try await retention().pass() == .init())
            let toClient = try await mail(
                t, to: client.email,
                subject:
                    "Your inquiry to Person carla@example.org will be deleted on \(deletion)"
            )
            let link = "https://lotse.test/engagements/\(abandoned.id.uuidString)"
            #expect(toClient.body.contains(link), "\(toClient.body)")
            _ = try await mail(
                t, to: coach.email,
                subject:
                    "An inquiry from Person sam@example.org will be deleted on \(deletion)"
            )
            await t.app.lotse.mailer.drain()
            #expect(t.smtp.messages.filter { $0.header("Subject")?.contains("will be deleted") == true }.count == 2)

            // Day 30: it is gone, with its conversation, messages, notifications; the lively one stays.
            try await wait(days: 7)
            #expect(try await retention().pass() == .init(deleted: 1))
            #expect(try await t.send(.GET, abandoned.path, token: client.token).status == .notFound)
            #expect(try await t.send(.GET, abandoned.path, token: coach.token).status == .notFound)
            #expect(try await t.send(.GET, lively.path, token: other.token).status == .ok)
            let left = try await rowsMentioning([abandoned.id, abandoned.conversation, message.id], on: t.app.db)
            #expect(left.isEmpty, "still there: \(left)")
            #expect(try await rowsMentioning([lively.id], on: t.app.db)["engagements"] == 1)

            // The lively one is told a week before its own end, and an answer then saves it.
            try await wait(days: 15)
            #expect(try await retention().pass() == .init(noticed: 1))
            _ = try await t.sendText("Yes! Sorry.", from: other, in: lively.conversation, key: lively.key)
            try await wait(days: 8)
            #expect(try await retention().pass() == .init())
            #expect(try await t.send(.GET, lively.path, token: other.token).status == .ok)
        }
    }

    @Test("Ended engagements are kept as long as their coach chose (a year by default), told a week before, then gone")
    func endedEngagements() async throws {
        try await withTestApp { t in
            let carla = try await t.coach("carla@example.org")
            let bert = try await t.coach("bert@example.org")
            let client = try await t.participant("sam@example.org")
            let path = "api/v1/account/retention"

            // Coaches choose between a month and ten years; a year unless they do; clients have nothing to choose.
            #expect(
                try await t.send(.GET, path, token: carla.token).decode(RetentionSettings.self)
                    == RetentionSettings(endedEngagementDays: 365, defaultDays: 365))
            let tooShort = try await t.send(
                .PUT, path, json: ChangeRetentionSettings(endedEngagementDays: 7), token: carla.token)
            #expect(tooShort.status == .badRequest && tooShort.field == "endedEngagementDays")
            #expect(tooShort.text.contains("between 30 days and 3650 days"))
            #expect(try await t.send(.GET, path, token: client.token).errorCode == "privacy.coach_only")
            let saved = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<3 {
                    group.addTask {
                        try await t.send(
                            .PUT, path, json: ChangeRetentionSettings(endedEngagementDays: 30), token: carla.token
                        ).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(saved == [.ok, .ok, .ok])
            #expect(
                try await t.send(.GET, path, token: carla.token).decode(RetentionSettings.self).endedEngagementDays
                    == 30)

            let short = try await t.invite([client], by: carla)
            let long = try await t.invite([client], by: bert)
            for engagement in [short, long] {
                try await t.agree(engagement)
                let closed = try await t.send(.POST, engagement.path + "/close", token: engagement.coach.token)
                #expect(closed.status == .ok, "\(closed.text)")
            }
            func retention() -> Retention { t.app.make(on: t.app.db) }
            func wait(days: Double) async throws {
                try await t.waitKeepingSignedIn(days: days, [carla, bert, client])
            }
            try await wait(days: 23)
            #expect(try await retention().pass() == .init(noticed: 1))
            let notice = try await mail(
                t, to: client.email,
                subject:
                    "Your engagement with Person carla@example.org will be deleted on \(Retention.day(t.clock.now.addingTimeInterval(7 * 86_400), .en))"
            )
            #expect(notice.body.contains("export your data"))
            let toCoach = try await mail(
                t, to: carla.email,
                subject:
                    "Your engagement with Person sam@example.org will be deleted on \(Retention.day(t.clock.now.addingTimeInterval(7 * 86_400), .en))"
            )
            #expect(toCoach.body.contains("https://lotse.test/engagements/\(short.id.uuidString)/export"))
            try await wait(days: 7)
            #expect(try await retention().pass() == .init(deleted: 1))
            #expect(try await t.send(.GET, short.path, token: carla.token).status == .notFound)
            let left = try await rowsMentioning([short.id, short.conversation], on: t.app.db)
            #expect(left.isEmpty, "still there: \(left)")
            // Bert keeps his for the default year.
            #expect(try await t.send(.GET, long.path, token: bert.token).status == .ok)
        }
    }

    @Test("A program's ended pairs are kept as long as its institution's admins chose, not the mentor")
    func programPairs() async throws {
        try await withTestApp { t in
            let (school, program, mentor, mentee, other, match) = try await PairsTests.activePair(t)
            let (request, _) = try t.newConversation(mentee.participant, with: [mentor.participant], id: match)
            _ = try await t.send(
                .POST, "api/v1/matches/\(match)/engagement", json: StartPairWork(conversation: request),
                token: mentee.participant.token)
            let path = "api/v1/programs/\(program.id)/retention"

            // The institution's staff read it (a year until they choose); its admins choose; nobody else sees it.
            #expect(
                try await t.send(.GET, path, token: school.admin.token).decode(RetentionSettings.self)
                    == RetentionSettings(endedEngagementDays: 365))
            #expect(try await t.send(.GET, path, token: mentee.participant.token).status == .notFound)
            let strangers = try await t.send(
                .PUT, path, json: ChangeRetentionSettings(endedEngagementDays: 30), token: mentor.participant.token)
            #expect(strangers.status == .notFound)
            let tooLong = try await t.send(
                .PUT, path, json: ChangeRetentionSettings(endedEngagementDays: 4_000), token: school.admin.token)
            #expect(tooLong.status == .badRequest && tooLong.field == "endedEngagementDays")
            let saved = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<3 {
                    group.addTask {
                        try await t.send(
                            .PUT, path, json: ChangeRetentionSettings(endedEngagementDays: 30),
                            token: school.admin.token
                        ).decode(RetentionSettings.self).endedEngagementDays
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(saved == [30, 30, 30])
            let entries = try await AuditEntryRecord.query(on: t.app.db).filter(\.$scopeID == school.id).all()
            #expect(entries.filter { $0.facts["action"] == "retention_set" }.count == 1, "a retry records nothing new")

            // The mentor keeps their own coaching for ten years; the program's pairs follow the program.
            let own = RetentionSettingRecord()
            own.id = mentor.participant.id
            own.endedEngagementDays = 3_650
            own.updatedAt = t.clock.now
            try await own.create(on: t.app.db)

            // The pair ends; a month later, after a week's notice, its space is gone.
            let ended = try await t.send(.POST, "api/v1/matches/\(match)/end", token: mentor.participant.token)
            #expect(ended.status == .ok, "\(ended.text)")
            func retention() -> Retention { t.app.make(on: t.app.db) }
            let people = [school.admin, mentor.participant, mentee.participant, other.participant]
            try await t.waitKeepingSignedIn(days: 23, people)
            #expect(try await retention().pass() == .init(noticed: 1))
            _ = try await mail(
                t, to: mentee.participant.email,
                subject:
                    "Your engagement with Person \(mentor.participant.email) will be deleted on \(Retention.day(t.clock.now.addingTimeInterval(7 * 86_400), .en))"
            )
            try await t.waitKeepingSignedIn(days: 7, people)
            #expect(try await retention().pass() == .init(deleted: 1))
            #expect(try await EngagementRecord.find(match, on: t.app.db) == nil)
        }
    }

    @Test("The day's pass runs once however many instances and restarts try, and again the next day")
    func oncePerDay() async throws {
        try await withTestApp { t in
            func retention() -> Retention { t.app.make(on: t.app.db) }
            let runs = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<4 { group.addTask { try await retention().runToday() } }
                return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
            }
            #expect(runs == 1)
            #expect(try await retention().runToday() == false)
            t.clock.advance(by: 86_400)
            #expect(try await retention().runToday() == true)
            #expect(try await RetentionRunRecord.query(on: t.app.db).count() == 2)
        }
    }
}

extension TestContext {
    /// Moves the test clock by `days` in steps the people's sessions outlive (they end after 14 idle days), each
    /// of them using the API after every step.
    func waitKeepingSignedIn(days: Double, _ people: [Participant]) async throws {
        var left = days * 86_400
        while left > 0 {
            let step = min(left, 10 * 86_400)
            clock.advance(by: step)
            left -= step
            for person in people { _ = try await send(.GET, "api/v1/account", token: person.token) }
        }
    }
}
