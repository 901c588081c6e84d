import Fluent
import Foundation
import LotseAPI
import LotseCrypto
import Testing
import Vapor

@testable import LotseServer

@Suite("Programs: an active pair works as an engagement — its conversation, template, sessions; staff see none of it")
struct PairsTests {
    static let steps = [
        ProgramStep(day: 0, title: "Kick-off: agree on goals", kind: .milestone),
        ProgramStep(day: 14, title: "Check-in", kind: .checkIn),
    ]

    /// A review-mode program with the template above, one published pair both have accepted, and a second mentee.
    static func activePair(_ t: TestContext) async throws
        -> (
            TestInstitution, Program, mentor: MatchesTests.Person, mentee: MatchesTests.Person,
            other: MatchesTests.Person, match: UUID
        )
    {
        let (school, program, mentors, mentees) = try await MatchesTests.cohort(
            t, mode: .review, capacities: [1], mentees: 2)
        var settings = program.settings
        settings.steps = steps
        let saved = try await t.send(
            .PUT, "api/v1/institutions/\(school.id)/programs/\(program.id)", json: settings, token: school.admin.token)
        #expect(try saved.decode(Program.self).settings.steps == steps, "\(saved.text)")
        _ = try await t.send(
            .POST, "api/v1/programs/\(program.id)/matches",
            json: PublishMatches(pairs: [PairChoice(menteeId: mentees[0].id, mentorId: mentors[0].id)]),
            token: school.admin.token)
        let match = try await t.send(.GET, "api/v1/matches", token: mentees[0].participant.token)
            .decode([ProgramMatch].self)[0].id
        // Before both said yes there is no pair to work in.
        let early = try await t.send(
            .GET, "api/v1/matches/\(match)/partner-keys", token: mentees[0].participant.token)
        #expect(early.status == .conflict && early.errorCode == "programs.wrong_match_state")
        for person in [mentees[0], mentors[0]] {
            let accepted = try await t.send(.POST, "api/v1/matches/\(match)/accept", token: person.participant.token)
            #expect(accepted.status == .ok, "\(accepted.text)")
        }
        return (school, program, mentors[0], mentees[0], mentees[1], match)
    }

    @Test("The mentee opens the pair's space: an active engagement with the mentor in the coach's place and the steps")
    func startWork() async throws {
        try await withTestApp { t in
            let (school, program, mentor, mentee, other, match) = try await Self.activePair(t)
            // Only the two of the pair see each other's keys.
            let keys = try await t.send(
                .GET, "api/v1/matches/\(match)/partner-keys", token: mentee.participant.token
            ).decode(PublicKeys.self)
            #expect(keys.userId == mentor.participant.id)
            #expect(keys.agreementKey == mentor.participant.publicKeys.agreementBase64)
            for stranger in [other.participant.token, school.admin.token] {
                #expect(
                    try await t.send(.GET, "api/v1/matches/\(match)/partner-keys", token: stranger).status
                        == .notFound)
            }

            // The conversation must carry the match's ID, so the two cannot start two.
            let (elsewhere, _) = try t.newConversation(mentee.participant, with: [mentor.participant])
            let wrongID = try await t.send(
                .POST, "api/v1/matches/\(match)/engagement", json: StartPairWork(conversation: elsewhere),
                token: mentee.participant.token)
            #expect(wrongID.status == .badRequest && wrongID.text.contains("conversation.id"))
            let (request, key) = try t.newConversation(mentee.participant, with: [mentor.participant], id: match)
            let started = try await t.send(
                .POST, "api/v1/matches/\(match)/engagement", json: StartPairWork(conversation: request),
                token: mentee.participant.token)
            #expect(started.status == .created, "\(started.text)")
            let engagement = try started.decode(Engagement.self)
            #expect(engagement.id == match && engagement.conversationId == match)
            #expect(engagement.status == .active && engagement.initiatedBy == .program)
            #expect(engagement.coach.userId == mentor.participant.id)
            #expect(engagement.clients.map(\.userId) == [mentee.participant.id])
            #expect(engagement.program?.name == program.settings.name && engagement.program?.startsOn == "2027-03-01")
            // A retry, and the mentor arriving later with a conversation of their own, get the same engagement.
            let retried = try await t.send(
                .POST, "api/v1/matches/\(match)/engagement", json: StartPairWork(conversation: request),
                token: mentee.participant.token)
            #expect(try retried.status == .ok && retried.decode(Engagement.self).id == match)
            let (mentorsOwn, _) = try t.newConversation(mentor.participant, with: [mentee.participant], id: match)
            let late = try await t.send(
                .POST, "api/v1/matches/\(match)/engagement", json: StartPairWork(conversation: mentorsOwn),
                token: mentor.participant.token)
            #expect(try late.status == .ok && late.decode(Engagement.self).coach.userId == mentor.participant.id)
            #expect(try await EngagementRecord.query(on: t.app.db).count() == 1)
            #expect(try await ConversationRecord.query(on: t.app.db).count() == 1)

            // The template's steps are milestones from the cohort's first day.
            let items = try await t.send(.GET, "api/v1/engagements/\(match)/items", token: mentor.participant.token)
                .decode([EngagementItem].self).filter { $0.kind == .milestone }
            #expect(items.map(\.dueAt?.timeIntervalSince1970) == [1_803_902_400, 1_805_112_000])  // 1 and 15 March 2027
            #expect(
                try await t.send(.GET, "api/v1/matches", token: mentee.participant.token).decode([ProgramMatch].self)
                    .first?.engagementId == match)

            // The two write to each other; the mentor, a client account, puts their regular appointment in the
            // calendar with the pair's session type (from 21 November, 10:00 UTC).
            let (sent, _) = try await t.sendText("Hallo!", from: mentee.participant, in: match, key: key)
            #expect(sent.status == .created, "\(sent.text)")
            let types = try await t.send(
                .GET, "api/v1/engagements/\(match)/session-types", token: mentor.participant.token
            )
            .decode([SessionType].self)
            #expect(types.map(\.id) == [match] && types[0].durationMinutes == 60)
            let series = try await t.send(
                .POST, "api/v1/series",
                json: CreateSeries(
                    id: UUID(), engagementId: match, sessionTypeId: match,
                    firstStartsAt: Date(timeIntervalSince1970: 1_795_255_200), intervalWeeks: 2, count: 6),
                token: mentor.participant.token)
            #expect(series.status == .created, "\(series.text)")
            #expect(try series.decode(BookingSeries.self).bookings.count == 6)

            // Staff see the pair in their list, and nothing of what is in it.
            let staffView = try await t.send(
                .GET, "api/v1/programs/\(program.id)/matches", token: school.admin.token
            ).decode([ProgramMatch].self)
            #expect(staffView.map(\.state) == [.active])
            for path in [
                "api/v1/engagements/\(match)", "api/v1/engagements/\(match)/items",
                "api/v1/engagements/\(match)/timeline",
                "api/v1/conversations/\(match)", "api/v1/conversations/\(match)/messages",
            ] {
                #expect(try await t.send(.GET, path, token: school.admin.token).status == .notFound, "\(path)")
            }
        }
    }

    @Test("Mentor and mentee opening the space at the same moment make one engagement and one conversation")
    func racingStarts() async throws {
        try await withTestApp { t in
            let (_, _, mentor, mentee, _, match) = try await Self.activePair(t)
            let requests = try [mentee.participant, mentor.participant].map { person in
                let partner = person.id == mentee.participant.id ? mentor.participant : mentee.participant
                return (person.token, try t.newConversation(person, with: [partner], id: match).0)
            }
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for (token, request) in requests {
                    group.addTask {
                        try await t.send(
                            .POST, "api/v1/matches/\(match)/engagement", json: StartPairWork(conversation: request),
                            token: token
                        ).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // One made it; the other got it (200), or was asked to try again a moment later (409).
            #expect(statuses.filter { $0 == .created }.count == 1, "\(statuses)")
            #expect(statuses.allSatisfy { [.created, .ok, .conflict].contains($0) }, "\(statuses)")
            #expect(try await EngagementRecord.query(on: t.app.db).count() == 1)
            #expect(try await ConversationRecord.query(on: t.app.db).count() == 1)
            for (token, request) in requests {
                let again = try await t.send(
                    .POST, "api/v1/matches/\(match)/engagement", json: StartPairWork(conversation: request),
                    token: token)
                #expect(again.status == .ok, "\(again.text)")
            }
        }
    }

    /// Mails to `email` whose subject starts with `prefix`, once the mailer had a moment to send them.
    static func mails(_ t: TestContext, to email: String, _ prefix: String) async throws -> Int {
        try await Task.sleep(for: .milliseconds(300))
        return t.smtp.messages.count {
            $0.recipients.contains(email) && $0.header("Subject")?.hasPrefix(prefix) == true
        }
    }

    @Test("Quiet pairs are reminded once per rhythm, pairs that talk are not; the program's end completes the pair")
    func rhythmAndEnd() async throws {
        try await withTestApp { t in
            let (_, _, mentor, mentee, _, match) = try await Self.activePair(t)
            let (request, key) = try t.newConversation(mentee.participant, with: [mentor.participant], id: match)
            _ = try await t.send(
                .POST, "api/v1/matches/\(match)/engagement", json: StartPairWork(conversation: request),
                token: mentee.participant.token)
            let programs: ProgramsService = t.app.make(on: t.app.db)
            let day: TimeInterval = 86_400
            let muted = try await t.send(
                .PUT, "api/v1/notifications/settings", json: NotificationSettings(mutedTopics: [.programs]),
                token: mentee.participant.token)
            #expect(muted.status == .ok, "\(muted.text)")
            // They write to each other within the first two weeks: when the rhythm comes round, no reminder.
            t.clock.advance(by: 13 * day)
            #expect(try await programs.remindQuietPairs() == 0)  // the rhythm is two weeks
            let (sent, _) = try await t.sendText("Wie war die Prüfung?", from: mentor.participant, in: match, key: key)
            #expect(sent.status == .created)
            t.clock.advance(by: 2 * day)
            #expect(try await programs.remindQuietPairs() == 0)
            // Then it is quiet: a rhythm later both are reminded, once — by mail only the mentor, who did not turn
            // program mails off.
            t.clock.advance(by: 14 * day)
            #expect(try await programs.remindQuietPairs() == 1)
            #expect(try await programs.remindQuietPairs() == 0)
            #expect(try await Self.mails(t, to: mentor.participant.email, "Time for a check-in") == 1)
            #expect(try await Self.mails(t, to: mentee.participant.email, "Time for a check-in") == 0)

            // The cohort's last day is 31 August 2027: on 1 September the pair is complete, its space closed (still
            // readable), the mentor's place free, and both are asked for their closing review.
            let firstOfSeptember = Date(timeIntervalSince1970: 1_819_756_800)
            t.clock.advance(by: firstOfSeptember.timeIntervalSince(t.clock.now) - 60)
            #expect(try await programs.completeEndedPairs() == 0)
            t.clock.advance(by: 60)
            #expect(try await programs.completeEndedPairs() == 1)
            #expect(try await programs.completeEndedPairs() == 0)
            #expect(try await MatchRecord.find(match, on: t.app.db)?.state == .completed)
            #expect(try await EngagementRecord.find(match, on: t.app.db)?.status == .closed)
            #expect(try await MatchesTests.places(t, mentor) == 0)
            #expect(try await Self.mails(t, to: mentor.participant.email, "Your mentoring in") == 1)
            // A completed pair gets no more reminders.
            t.clock.advance(by: 30 * day)
            #expect(try await programs.remindQuietPairs() == 0)
        }
    }

    /// The kinds of the account's notification-center lines about `match`, unread ones marked with a `*`.
    static func center(_ t: TestContext, _ person: Participant, about match: UUID) async throws -> Set<String> {
        let response = try await t.send(.GET, "api/v1/notifications", token: person.token)
        #expect(response.status == .ok, "\(response.text)")
        let list = try response.decode(NotificationList.self)
        return Set(list.items.filter { $0.engagementId == match }.map { $0.kind.rawValue + ($0.read ? "" : "*") })
    }

    @Test("The notification center tells of matches waiting, requests about to expire, a pair's start, check-ins, end")
    func notificationCenter() async throws {
        try await withTestApp { t in
            let (school, program, mentors, mentees) = try await MatchesTests.cohort(
                t, mode: .review, capacities: [1, 1], mentees: 2)
            _ = try await t.send(
                .POST, "api/v1/programs/\(program.id)/matches",
                json: PublishMatches(
                    pairs: (0..<2).map { PairChoice(menteeId: mentees[$0].id, mentorId: mentors[$0].id) }),
                token: school.admin.token)
            let (mentee, mentor) = (mentees[0].participant, mentors[0].participant)
            let match = try await t.send(.GET, "api/v1/matches", token: mentee.token).decode([ProgramMatch].self)[0].id
            #expect(try await Self.center(t, mentee, about: match) == ["match_proposed*"])
            #expect(try await Self.center(t, mentor, about: match) == ["match_proposed*"])
            // Answering settles one's own line; the pair becoming active tells the other.
            _ = try await t.send(.POST, "api/v1/matches/\(match)/accept", token: mentee.token)
            #expect(try await Self.center(t, mentee, about: match) == ["match_proposed"])
            _ = try await t.send(.POST, "api/v1/matches/\(match)/accept", token: mentor.token)
            #expect(try await Self.center(t, mentee, about: match) == ["match_proposed", "match_active*"])
            #expect(try await Self.center(t, mentor, about: match) == ["match_proposed"])
            let (request, _) = try t.newConversation(mentor, with: [mentee], id: match)
            _ = try await t.send(
                .POST, "api/v1/matches/\(match)/engagement", json: StartPairWork(conversation: request),
                token: mentor.token)
            #expect(
                try await Self.center(t, mentee, about: match) == ["match_proposed", "match_active*", "pair_started*"])

            // The second pair nobody answered: a day before it expires, both are told, once.
            let programs: ProgramsService = t.app.make(on: t.app.db)
            let other = try await t.send(.GET, "api/v1/matches", token: mentees[1].participant.token)
                .decode([ProgramMatch].self)[0].id
            t.clock.advance(by: 5 * 86_400)
            #expect(try await programs.warnExpiringRequests() == 0)
            t.clock.advance(by: 1.5 * 86_400)
            #expect(try await programs.warnExpiringRequests() == 2)
            #expect(try await programs.warnExpiringRequests() == 0)
            #expect(
                try await Self.center(t, mentors[1].participant, about: other) == [
                    "match_proposed*", "request_expiring*",
                ])

            // Quiet for a rhythm: a check-in line for both; the end: a line asking for the closing review.
            t.clock.advance(by: 8 * 86_400)
            #expect(try await programs.remindQuietPairs() == 1)
            // (Read from the database: two weeks on, their sign-ins have run out.)
            #expect(
                try await NotificationRecord.query(on: t.app.db).filter(\.$engagementID == match)
                    .filter(\.$kind == .checkIn).filter(\.$readAt == nil).count() == 2)
            t.clock.advance(by: Date(timeIntervalSince1970: 1_819_756_800).timeIntervalSince(t.clock.now))
            #expect(try await programs.completeEndedPairs() == 1)
            #expect(
                try await NotificationRecord.query(on: t.app.db).filter(\.$engagementID == match)
                    .filter(\.$kind == .pairCompleted).count() == 2)
        }
    }

    @Test("Either of a pair pauses, resumes or ends it early; ending frees both, closes the space and tells the other")
    func pauseAndEnd() async throws {
        try await withTestApp { t in
            let (school, program, mentor, mentee, other, match) = try await Self.activePair(t)
            let (request, _) = try t.newConversation(mentee.participant, with: [mentor.participant], id: match)
            _ = try await t.send(
                .POST, "api/v1/matches/\(match)/engagement", json: StartPairWork(conversation: request),
                token: mentee.participant.token)
            func move(_ action: String, by person: MatchesTests.Person) async throws -> APIResponse {
                try await t.send(.POST, "api/v1/matches/\(match)/\(action)", token: person.participant.token)
            }
            // Resuming an active pair asks for what is: nothing changes.
            #expect(try await move("resume", by: mentee).decode(ProgramMatch.self).state == .active)
            #expect(try await move("pause", by: mentee).decode(ProgramMatch.self).state == .paused)
            #expect(try await move("pause", by: mentor).decode(ProgramMatch.self).state == .paused)  // a retry
            #expect(try await move("pause", by: other).status == .notFound)
            // Paused pairs get no check-in reminders.
            let programs: ProgramsService = t.app.make(on: t.app.db)
            t.clock.advance(by: 13 * 86_400)
            for token in [mentee.participant.token, mentor.participant.token, school.admin.token] {
                _ = try await t.send(.GET, "api/v1/matches", token: token)  // (their sign-ins stay alive)
            }
            t.clock.advance(by: 2 * 86_400)
            #expect(try await programs.remindQuietPairs() == 0)
            #expect(try await move("resume", by: mentor).decode(ProgramMatch.self).state == .active)
            #expect(try await MatchesTests.places(t, mentor) == 1)
            let ended = try await move("end", by: mentor)
            #expect(try ended.decode(ProgramMatch.self).state == .endedEarly)
            #expect(try await move("end", by: mentee).decode(ProgramMatch.self).state == .endedEarly)
            #expect(try await MatchesTests.places(t, mentor) == 0)
            #expect(try await EngagementRecord.find(match, on: t.app.db)?.status == .closed)
            #expect(try await move("resume", by: mentee).errorCode == "programs.wrong_match_state")
            // The mentee is told, once (the retry moved nothing), by the center and by mail; the mentor is not.
            #expect(try await Self.center(t, mentee.participant, about: match).contains("pair_ended*"))
            #expect(try await !Self.center(t, mentor.participant, about: match).contains("pair_ended*"))
            #expect(try await Self.mails(t, to: mentee.participant.email, "Your mentoring pair in") == 1)
            #expect(try await Self.mails(t, to: mentor.participant.email, "Your mentoring pair in") == 0)
            // The mentee is free to be matched again, but not with the mentor who ended it: neither the staff's
            // proposal nor the mentee's suggestions offer the pair again.
            #expect(try await ProgramParticipantRecord.find(mentee.id, on: t.app.db)?.matchID == nil)
            let proposal = try await t.send(
                .POST, "api/v1/programs/\(program.id)/matching/proposal", json: ProposeMatching(),
                token: school.admin.token)
            #expect(proposal.status == .ok, "\(proposal.text)")
            let proposed = try proposal.decode(MatchingProposal.self)
            #expect(proposed.pairs.isEmpty && proposed.unmatched.map(\.id).contains(mentee.id), "\(proposal.text)")
            let suggestions = try await t.send(
                .GET, "api/v1/programs/\(program.id)/suggestions", token: mentee.participant.token)
            #expect(try suggestions.decode([MentorSuggestion].self).isEmpty, "\(suggestions.text)")
        }
    }
}
