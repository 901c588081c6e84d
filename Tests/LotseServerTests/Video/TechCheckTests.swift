import Fluent
import Foundation
import LotseAPI
import Testing
import Vapor

@testable import LotseServer

@Suite("Tech check: each person's latest result, and the coach's view of their clients'")
struct TechCheckTests {
    static let allGood = TechCheckReport(
        camera: .passed, microphone: .passed, speaker: .passed, connection: .passed, route: .relay,
        roundTripMilliseconds: 41)

    @Test("A saved check is one's own latest; a new one replaces it; saving the same again renews its time")
    func savesTheLatest() async throws {
        try await withTestApp { t in
            let client = try await t.participant("client@example.org")
            let none = try await t.send(.GET, "api/v1/video/tech-check", token: client.token)
            #expect(none.status == .notFound)
            #expect(none.errorCode == "video.no_tech_check")

            let noMicrophone = TechCheckReport(
                camera: .passed, microphone: .denied, speaker: .passed, connection: .failed)
            let first = try await t.send(.PUT, "api/v1/video/tech-check", json: noMicrophone, token: client.token)
            #expect(first.status == .ok)
            let failed = try first.decode(TechCheck.self)
            #expect(failed.userId == client.id)
            #expect(failed.report == noMicrophone)
            #expect(!failed.passed)
            #expect(failed.checkedAt == t.clock.now)

            t.clock.advance(by: 600)
            let second = try await t.send(.PUT, "api/v1/video/tech-check", json: Self.allGood, token: client.token)
                .decode(TechCheck.self)
            #expect(second.passed)
            #expect(second.report == Self.allGood)
            t.clock.advance(by: 60)
            let again = try await t.send(.PUT, "api/v1/video/tech-check", json: Self.allGood, token: client.token)
                .decode(TechCheck.self)
            #expect(again.report == Self.allGood)
            #expect(again.checkedAt == t.clock.now)
            let latest = try await t.send(.GET, "api/v1/video/tech-check", token: client.token)
                .decode(TechCheck.self)
            #expect(latest == again)
            #expect(try await TechCheckRecord.query(on: t.app.db).count() == 1)

            let anonymous = try await t.send(.PUT, "api/v1/video/tech-check", json: Self.allGood)
            #expect(anonymous.status == .unauthorized)
        }
    }

    @Test("Only a part that was not passed makes the check fail, whichever part it is")
    func passedNeedsEveryPart() {
        let parts: [WritableKeyPath<TechCheckReport, TechCheckOutcome>] = [
            \.camera, \.microphone, \.speaker, \.connection,
        ]
        for part in parts {
            for outcome in TechCheckOutcome.allCases where outcome != .passed {
                var report = Self.allGood
                report[keyPath: part] = outcome
                #expect(!TechCheck(userId: UUID(), report: report, checkedAt: Date()).passed, "\(part) \(outcome)")
            }
        }
        #expect(TechCheck(userId: UUID(), report: Self.allGood, checkedAt: Date()).passed)
    }

    @Test("Reports that contradict themselves or are malformed get a 400 naming the field and keep the saved check")
    func badReports() async throws {
        try await withTestApp { t in
            let client = try await t.participant("client@example.org")
            let saved = try await t.send(.PUT, "api/v1/video/tech-check", json: Self.allGood, token: client.token)
                .decode(TechCheck.self)
            let noRoute = TechCheckReport(camera: .passed, microphone: .passed, speaker: .passed, connection: .passed)
            let routeWithoutCall = TechCheckReport(
                camera: .passed, microphone: .passed, speaker: .passed, connection: .failed, route: .direct)
            let timeWithoutCall = TechCheckReport(
                camera: .passed, microphone: .passed, speaker: .passed, connection: .skipped,
                roundTripMilliseconds: 20)
            var tooSlow = Self.allGood
            tooSlow.roundTripMilliseconds = 60_001
            var negative = Self.allGood
            negative.roundTripMilliseconds = -1
            let cases: [(TechCheckReport, String)] = [
                (noRoute, "route"), (routeWithoutCall, "route"), (timeWithoutCall, "roundTripMilliseconds"),
                (tooSlow, "roundTripMilliseconds"), (negative, "roundTripMilliseconds"),
            ]
            for (report, field) in cases {
                let answer = try await t.send(.PUT, "api/v1/video/tech-check", json: report, token: client.token)
                #expect(answer.status == .badRequest, "\(report)")
                #expect(answer.field == field)
                #expect(answer.errorCode == "request.invalid")
            }
            let unknown = try await t.send(
                .PUT, "api/v1/video/tech-check", json: ["camera": "great", "microphone": "passed"],
                token: client.token)
            #expect(unknown.status == .badRequest)
            #expect(unknown.field == "camera")
            let latest = try await t.send(.GET, "api/v1/video/tech-check", token: client.token)
                .decode(TechCheck.self)
            #expect(latest == saved)
        }
    }

    @Test("The coach sees the checks of the engagement's clients, newest first; nobody else does")
    func coachSeesClients() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            let ada = try await t.participant("ada@example.org")
            let ben = try await t.participant("ben@example.org")
            let carla = try await t.participant("carla@example.org")
            let outsider = try await t.participant("outsider@example.org")
            let group = try await t.invite([ada, ben, carla], by: coach, isGroup: true)
            let other = try await t.invite([outsider], by: coach)
            let path = "api/v1/engagements/\(group.id)/tech-checks"

            #expect(try await t.send(.GET, path, token: coach.token).decode([TechCheck].self).isEmpty)
            let failing = TechCheckReport(camera: .missing, microphone: .passed, speaker: .failed, connection: .failed)
            try await t.send(.PUT, "api/v1/video/tech-check", json: failing, token: ada.token)
            t.clock.advance(by: 60)
            try await t.send(.PUT, "api/v1/video/tech-check", json: Self.allGood, token: ben.token)
            try await t.send(.PUT, "api/v1/video/tech-check", json: Self.allGood, token: outsider.token)
            try await t.send(.PUT, "api/v1/video/tech-check", json: Self.allGood, token: coach.token)

            let checks = try await t.send(.GET, path, token: coach.token).decode([TechCheck].self)
            #expect(checks.map(\.userId) == [ben.id, ada.id])  // carla has none; the coach's own is not a client's
            #expect(checks.map(\.passed) == [true, false])
            #expect(checks[1].report == failing)

            let asClient = try await t.send(.GET, path, token: ada.token)
            #expect(asClient.status == .forbidden)
            #expect(asClient.errorCode == "engagements.coach_only")
            let asOutsider = try await t.send(.GET, path, token: outsider.token)
            #expect(asOutsider.status == .notFound)
            let otherChecks = try await t.send(
                .GET, "api/v1/engagements/\(other.id)/tech-checks", token: coach.token
            ).decode([TechCheck].self)
            #expect(otherChecks.map(\.userId) == [outsider.id])
            let malformed = try await t.send(.GET, "api/v1/engagements/nope/tech-checks", token: coach.token)
            #expect(malformed.status == .badRequest)
        }
    }
}
