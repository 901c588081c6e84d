import Foundation
import LotseAPI
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
            #expect(csv.text.contains("Person mentee0@example.org,Person mentor0@example.org,active,10\r\n"))

            // Participants see no report.
            #expect(
                try await t.send(.GET, "api/v1/programs/\(program.id)/report", token: mentees[0].participant.token)
                    .status == .notFound)
        }
    }

    @Test("A name that a spreadsheet would run as a formula is defused in the CSV")
    func formulasDefused() {
        #expect(ProgramsService.csvField("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(ProgramsService.csvField("Lovelace, Ada") == "\"Lovelace, Ada\"")
        #expect(ProgramsService.csvField("Ada") == "Ada")
    }
}
