import Foundation
import LotseAPI
import LotseCrypto
import Testing
import Vapor

@testable import LotseServer

@Suite("Programs: content-blind reports")
struct ReportTests {
    @Test("Figures about fewer than five people are hidden; pairs show names, state and days, nothing written; CSV too")
    func report() async throws {
        try await withTestApp { t in
            let (school, program, mentors, mentees) = try await MatchesTests.cohort(
                t, mode: .review, capacities: [2, 2, 2], mentees: 6)
            let pairs = (0..<3).map { PairChoice(menteeId: mentees[$0].id, mentorId: mentors[$0].id) }
            _ = try await t.send(
                .POST, "api/v1/programs/\(program.id)/matches", json: PublishMatches(pairs: pairs),
                token: school.admin.token)
            t.clock.advance(by: 2 * 86_400)
            for index in 0..<3 {
                let match = try await t.send(.GET, "api/v1/matches", token: mentees[index].participant.token)
                    .decode([ProgramMatch].self)[0]
                _ = try await t.send(
                    .POST, "api/v1/matches/\(match.id)/accept", token: mentees[index].participant.token)
                _ = try await t.send(
                    .POST, "api/v1/matches/\(match.id)/accept", token: mentors[index].participant.token)
            }
            t.clock.advance(by: 10 * 86_400)
            let report = try await t.send(.GET, "api/v1/programs/\(program.id)/report", token: school.admin.token)
                .decode(ProgramReport.self)
            let figures = Dictionary(uniqueKeysWithValues: report.figures.map { ($0.key, $0) })
            #expect(figures["mentees_registered"]?.value == 6)
            #expect(figures["mentors_registered"]?.isHidden == true && figures["mentors_registered"]?.value == nil)
            #expect(
                figures["invited_not_registered"]?.value == 0 && figures["invited_not_registered"]?.isHidden == false)
            #expect(figures["matches_active"]?.value == 3)  // three pairs are six people
            #expect(figures["match_rate_percent"]?.value == 50)
            #expect(figures["median_days_to_match"]?.isHidden == true)  // three waits
            #expect(figures["mentor_places"]?.isHidden == true)
            #expect(report.pairs.count == 3 && report.pairs.allSatisfy { $0.state == .active && $0.daysActive == 10 })

            let csv = try await t.send(.GET, "api/v1/programs/\(program.id)/report.csv", token: school.admin.token)
            #expect(csv.headers.contentType?.subType == "csv")
            #expect(csv.text.contains("mentees_registered,6\r\n"))
            #expect(csv.text.contains("mentors_registered,hidden (fewer than 5)\r\n"))
            #expect(csv.text.contains("Person mentee0@example.org,Person mentor0@example.org,active,10,0,0,0,,,"))

            // Participants see no report.
            #expect(
                try await t.send(.GET, "api/v1/programs/\(program.id)/report", token: mentees[0].participant.token)
                    .status == .notFound)
        }
    }

    @Test("Pairs at work: sessions held, missed, cancelled and planned, activity, health and feedback averages")
    func pairsAtWork() async throws {
        try await withTestApp { t in
            let (school, program, mentors, mentees) = try await MatchesTests.cohort(
                t, mode: .review, capacities: [1, 1, 1, 1, 1], mentees: 5)
            var weekly = program.settings
            weekly.cadenceWeeks = 1
            _ = try await t.send(
                .PUT, "api/v1/institutions/\(school.id)/programs/\(program.id)", json: weekly, token: school.admin.token
            )
            let choices = (0..<5).map { PairChoice(menteeId: mentees[$0].id, mentorId: mentors[$0].id) }
            _ = try await t.send(
                .POST, "api/v1/programs/\(program.id)/matches", json: PublishMatches(pairs: choices),
                token: school.admin.token)
            var pairs: [TestEngagement] = []
            for index in 0..<5 {
                let (mentee, mentor) = (mentees[index].participant, mentors[index].participant)
                let match = try await t.send(.GET, "api/v1/matches", token: mentee.token).decode([ProgramMatch].self)[0]
                for person in [mentee, mentor] {
                    _ = try await t.send(.POST, "api/v1/matches/\(match.id)/accept", token: person.token)
                }
                let (request, key) = try t.newConversation(mentee, with: [mentor], id: match.id)
                let started = try await t.send(
                    .POST, "api/v1/matches/\(match.id)/engagement", json: StartPairWork(conversation: request),
                    token: mentee.token)
                #expect(started.status == .created, "\(started.text)")
                pairs.append(
                    TestEngagement(id: match.id, conversation: match.id, key: key, coach: mentor, clients: [mentee]))
            }
            // Each mentor plans a session in three days at 10:00 UTC; the fifth pair cancels theirs.
            let start = Date(timeIntervalSince1970: 1_795_255_200)
            var bookings: [UUID] = []
            for pair in pairs {
                let booking = try await t.send(
                    .POST, "api/v1/bookings",
                    json: CreateBooking(id: UUID(), engagementId: pair.id, sessionTypeId: pair.id, startsAt: start),
                    token: pair.coach.token)
                #expect(booking.status == .created, "\(booking.text)")
                bookings.append(try booking.decode(Booking.self).id)
            }
            _ = try await t.send(
                .POST, "api/v1/bookings/\(bookings[4])/cancel", token: pairs[4].coach.token)
            // Before the session is over, there is nothing to say about it.
            let early = try await t.send(
                .PUT, "api/v1/matches/\(pairs[3].id)/meetings/\(bookings[3])", json: AnswerMeeting(met: false),
                token: pairs[3].clients[0].token)
            #expect(early.status == .notFound && early.errorCode == "programs.meeting_not_found")
            t.clock.advance(by: 4 * 86_400)
            // The fourth pair did not meet after all, and says so; the others' sessions count as held.
            let meetings = try await t.send(
                .GET, "api/v1/matches/\(pairs[3].id)/meetings", token: pairs[3].coach.token
            ).decode([PairMeeting].self)
            #expect(meetings == [PairMeeting(bookingId: bookings[3], startsAt: start, met: nil)])
            let answered = try await t.send(
                .PUT, "api/v1/matches/\(pairs[3].id)/meetings/\(bookings[3])", json: AnswerMeeting(met: false),
                token: pairs[3].clients[0].token)
            #expect(try answered.decode(PairMeeting.self).met == false)
            // Someone else's pair is nobody's business.
            #expect(
                try await t.send(.GET, "api/v1/matches/\(pairs[3].id)/meetings", token: pairs[0].coach.token).status
                    == .notFound)
            // Every mentee rates their session; the ratings are averaged over the five, never shown per pair.
            for (index, pair) in pairs.enumerated() {
                let id = UUID()
                let feedback = SaveEngagementItem(
                    kind: .feedback, sealed: try pair.seal(EngagementText(text: "CANARY"), id: id, by: pair.clients[0]),
                    rating: [5, 4, 4, 3, 5][index])
                #expect(try await t.saveItem(feedback, id: id, in: pair, as: pair.clients[0]).status == .created)
            }

            let report = try await t.send(.GET, "api/v1/programs/\(program.id)/report", token: school.admin.token)
            #expect(!report.text.contains("CANARY"))
            let decoded = try report.decode(ProgramReport.self)
            let figures = Dictionary(uniqueKeysWithValues: decoded.figures.map { ($0.key, $0) })
            #expect(figures["sessions_held"]?.value == 3)
            #expect(figures["sessions_cancelled"]?.value == 1)
            #expect(figures["sessions_upcoming"]?.value == 0)
            #expect(figures["median_days_to_first_session"]?.value == 2)  // from 18 November, 11:06 to the 21st, 10:00
            #expect(figures["feedback_average_by_mentees"]?.value == 4.2)
            #expect(figures["feedback_average_by_mentors"]?.isHidden == true)  // nobody, which is fewer than five
            #expect(decoded.pairs.map(\.sessionsHeld) == [1, 1, 1, 0, 0])
            #expect(decoded.pairs.map(\.sessionsCancelled) == [0, 0, 0, 0, 1])
            #expect(decoded.pairs.map(\.daysToFirstSession) == [2, 2, 2, nil, nil])
            #expect(decoded.pairs.allSatisfy { $0.daysSinceActivity == 0 && $0.health == .tooEarly })
            // Fifteen days on with nothing new: past twice the weekly rhythm since the last activity (staff look in
            // between, so their sign-in stays alive).
            t.clock.advance(by: 8 * 86_400)
            _ = try await t.send(.GET, "api/v1/programs/\(program.id)/report", token: school.admin.token)
            t.clock.advance(by: 7 * 86_400)
            let laterResponse = try await t.send(
                .GET, "api/v1/programs/\(program.id)/report", token: school.admin.token)
            #expect(laterResponse.status == .ok, "\(laterResponse.text)")
            let later = try laterResponse.decode(ProgramReport.self)
            #expect(later.pairs.allSatisfy { $0.health == .needsCheckIn && $0.daysSinceActivity == 15 })
            #expect(later.figures.first { $0.key == "pairs_needs_check_in" }?.value == 5)
            let csv = try await t.send(.GET, "api/v1/programs/\(program.id)/report.csv", token: school.admin.token)
            #expect(csv.text.contains(",active,19,1,0,0,2,15,needs_check_in\r\n"), "\(csv.text)")
        }
    }

    @Test("A name that a spreadsheet would run as a formula is defused in the CSV")
    func formulasDefused() {
        #expect(ProgramsService.csvField("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(ProgramsService.csvField("Lovelace, Ada") == "\"Lovelace, Ada\"")
        #expect(ProgramsService.csvField("Ada") == "Ada")
    }
}
