import Fluent
import Foundation
import LotseAPI
import Testing
import Vapor

@testable import LotseServer

@Suite("Programs: matches — publishing, requests, answers, and places under racing acceptances")
struct MatchesTests {
    static let topics = RegistrationQuestion(
        id: UUID(), kind: .topics, label: "Topics", options: ["AI", "Career"], use: .weight, isRequired: false)
    static let capacity = RegistrationQuestion(
        id: UUID(), kind: .capacity, label: "How many mentees can you take?", askedOf: [.mentor])

    struct Person {
        let participant: Participant
        let id: UUID
    }

    /// A program in `mode`, moved to matching, with mentors of the given capacities and `mentees` mentees.
    static func cohort(_ t: TestContext, mode: MatchingMode, capacities: [Int], mentees count: Int) async throws
        -> (TestInstitution, Program, [Person], [Person])
    {
        let school = try await t.institution()
        var settings = ProgramsTests.settings
        settings.matchingMode = mode
        let program = try await t.openProgram(in: school, settings: settings)
        _ = try await t.send(
            .PUT, "api/v1/programs/\(program.id)/questionnaire",
            json: RegistrationQuestions(questions: [topics, capacity]), token: school.admin.token)
        func join(_ email: String, _ role: ParticipantRole, capacity places: Int?) async throws -> Person {
            let person = try await t.participant(email)
            let joined = try await t.send(
                .POST, "api/v1/program-invitations/\(program.invitationCode)/join", json: JoinProgram(role: role),
                token: person.token
            ).decode(ProgramParticipant.self)
            if let places {
                let answers = [RegistrationAnswer(questionId: capacity.id, number: places)]
                let saved = try await t.send(
                    .PUT, "api/v1/programs/\(program.id)/registration",
                    json: Registration(answers: answers, consent: Registration.consentVersion),
                    token: person.token)
                #expect(saved.status == .ok, "\(saved.text)")
            }
            return Person(participant: person, id: joined.id)
        }
        var mentors: [Person] = []
        for (index, places) in capacities.enumerated() {
            mentors.append(try await join("mentor\(index)@example.org", .mentor, capacity: places))
        }
        var mentees: [Person] = []
        for index in 0..<count { mentees.append(try await join("mentee\(index)@example.org", .mentee, capacity: nil)) }
        _ = try await t.send(
            .POST, "api/v1/programs/\(program.id)/status", json: ChangeProgramStatus(status: .matching),
            token: school.admin.token)
        return (school, program, mentors, mentees)
    }

    static func places(_ t: TestContext, _ person: Person) async throws -> Int {
        try await ProgramParticipantRecord.find(person.id, on: t.app.db)!.takenPlaces
    }

    @Test("Staff publish pairs all or none; both sides accept; a decline frees the place; publishing again is a no-op")
    func publishAndAnswer() async throws {
        try await withTestApp { t in
            let (school, program, mentors, mentees) = try await Self.cohort(
                t, mode: .review, capacities: [1, 1], mentees: 3)
            let path = "api/v1/programs/\(program.id)/matches"
            let first = PublishMatches(pairs: [
                PairChoice(menteeId: mentees[0].id, mentorId: mentors[0].id),
                PairChoice(menteeId: mentees[1].id, mentorId: mentors[1].id),
            ])
            let published = try await t.send(.POST, path, json: first, token: school.admin.token)
            #expect(try published.decode(PublishedMatches.self) == PublishedMatches(created: 2, alreadyPublished: 0))
            let again = try await t.send(.POST, path, json: first, token: school.admin.token)
            #expect(try again.decode(PublishedMatches.self) == PublishedMatches(created: 0, alreadyPublished: 2))
            // A new proposal leaves out who is matched and counts the places taken: nobody fits the third mentee now.
            let next = try await t.send(
                .POST, "api/v1/programs/\(program.id)/matching/proposal", json: ProposeMatching(),
                token: school.admin.token
            ).decode(MatchingProposal.self)
            #expect(next.pairs.isEmpty && next.unmatched.map(\.id) == [mentees[2].id])
            // A third pair for a full mentor fails, and takes nothing with it.
            let over = try await t.send(
                .POST, path,
                json: PublishMatches(pairs: [PairChoice(menteeId: mentees[2].id, mentorId: mentors[0].id)]),
                token: school.admin.token)
            #expect(over.status == .conflict && over.errorCode == "programs.mentor_full")
            #expect(try await MatchRecord.query(on: t.app.db).count() == 2)

            // Mentee and mentor each accept; then the pair is active.
            let mine = try await t.send(.GET, "api/v1/matches", token: mentees[0].participant.token).decode(
                [ProgramMatch].self)
            #expect(mine.count == 1 && mine[0].state == .waiting && mine[0].waitingFor == [.mentee, .mentor])
            let match = mine[0].id
            let half = try await t.send(.POST, "api/v1/matches/\(match)/accept", token: mentees[0].participant.token)
                .decode(ProgramMatch.self)
            #expect(half.state == .waiting && half.waitingFor == [.mentor])
            let whole = try await t.send(.POST, "api/v1/matches/\(match)/accept", token: mentors[0].participant.token)
                .decode(ProgramMatch.self)
            #expect(whole.state == .active && whole.waitingFor.isEmpty)
            // Both were told by mail that an answer waited, then that they can start — never with whom.
            for person in [mentees[0], mentors[0]] {
                let waiting = try await t.smtp.message(to: person.participant.email, skipping: 1)
                #expect(waiting.header("Subject")?.contains("An answer is waiting for you") == true)
                let start = try await t.smtp.message(to: person.participant.email, skipping: 2)
                #expect(start.header("Subject")?.hasPrefix("You can start") == true)
                let partner = person.id == mentees[0].id ? "mentor0" : "mentee0"
                #expect(!waiting.body.contains(partner) && !start.body.contains(partner))
            }
            // Someone else's match is nobody's business.
            #expect(
                try await t.send(.POST, "api/v1/matches/\(match)/accept", token: mentees[1].participant.token).status
                    == .notFound)

            // The second mentor declines: the place and the mentee are free, and staff can publish anew.
            let second = try await t.send(.GET, "api/v1/matches", token: mentors[1].participant.token).decode(
                [ProgramMatch].self)[0]
            let declined = try await t.send(
                .POST, "api/v1/matches/\(second.id)/decline", token: mentors[1].participant.token
            )
            .decode(ProgramMatch.self)
            #expect(declined.state == .declined)
            #expect(try await Self.places(t, mentors[1]) == 0)
            let anew = try await t.send(
                .POST, path,
                json: PublishMatches(pairs: [PairChoice(menteeId: mentees[2].id, mentorId: mentors[1].id)]),
                token: school.admin.token)
            #expect(try anew.decode(PublishedMatches.self).created == 1)
            let staffView = try await t.send(.GET, path, token: school.admin.token).decode([ProgramMatch].self)
            #expect(staffView.map(\.state) == [.active, .declined, .waiting])
        }
    }

    @Test("A mentee asks mentors with places left; the first to accept wins and the other requests are superseded")
    func requests() async throws {
        try await withTestApp { t in
            let (_, program, mentors, mentees) = try await Self.cohort(
                t, mode: .choice, capacities: [1, 2, 1], mentees: 2)
            let ada = mentees[0].participant
            let suggestions = try await t.send(.GET, "api/v1/programs/\(program.id)/suggestions", token: ada.token)
                .decode([MentorSuggestion].self)
            #expect(Set(suggestions.map(\.mentorId)) == Set(mentors.map(\.id)))
            var requests: [ProgramMatch] = []
            for mentor in mentors {
                let made = try await t.send(
                    .POST, "api/v1/programs/\(program.id)/requests", json: RequestMentor(mentorId: mentor.id),
                    token: ada.token)
                #expect(made.status == .ok, "\(made.text)")
                requests.append(try made.decode(ProgramMatch.self))
            }
            #expect(requests.allSatisfy { $0.state == .requested && $0.waitingFor == [.mentor] && $0.respondBy != nil })
            // Asking the same mentor again is the same request.
            let repeated = try await t.send(
                .POST, "api/v1/programs/\(program.id)/requests", json: RequestMentor(mentorId: mentors[0].id),
                token: ada.token
            ).decode(ProgramMatch.self)
            #expect(repeated.id == requests[0].id)
            // A mentee cannot accept her own request.
            #expect(
                try await t.send(.POST, "api/v1/matches/\(requests[1].id)/accept", token: ada.token).status == .conflict
            )
            let accepted = try await t.send(
                .POST, "api/v1/matches/\(requests[1].id)/accept", token: mentors[1].participant.token
            ).decode(ProgramMatch.self)
            #expect(accepted.state == .active)
            let states = try await t.send(.GET, "api/v1/matches", token: ada.token).decode([ProgramMatch].self)
                .sorted { $0.createdAt < $1.createdAt }.map(\.state)
            #expect(Set(states) == [.active, .superseded] && states.count == 3)
            let late = try await t.send(
                .POST, "api/v1/matches/\(requests[0].id)/accept", token: mentors[0].participant.token)
            #expect(late.status == .conflict && late.errorCode == "programs.wrong_match_state")
            #expect(try await Self.places(t, mentors[0]) == 0)
            // The mentor with one place left still shows for the next mentee; a full one does not.
            _ = mentees[1]
            let next = try await t.send(
                .GET, "api/v1/programs/\(program.id)/suggestions", token: mentees[1].participant.token
            )
            .decode([MentorSuggestion].self)
            #expect(next.first { $0.mentorId == mentors[1].id }?.placesLeft == 1)
        }
    }

    @Test("Eight mentees ask a mentor with two places who accepts all at once: exactly two pairs")
    func racingAcceptancesNeverExceedCapacity() async throws {
        try await withTestApp { t in
            let (_, program, mentors, mentees) = try await Self.cohort(t, mode: .choice, capacities: [2], mentees: 8)
            var requests: [UUID] = []
            for mentee in mentees {
                requests.append(
                    try await t.send(
                        .POST, "api/v1/programs/\(program.id)/requests", json: RequestMentor(mentorId: mentors[0].id),
                        token: mentee.participant.token
                    ).decode(ProgramMatch.self).id)
            }
            let token = mentors[0].participant.token
            let statuses = try await withThrowingTaskGroup(of: (HTTPStatus, String?).self) { group in
                for request in requests {
                    group.addTask {
                        let response = try await t.send(.POST, "api/v1/matches/\(request)/accept", token: token)
                        return (response.status, response.errorCode)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.count { $0.0 == .ok } == 2, "\(statuses)")
            #expect(statuses.filter { $0.0 != .ok }.allSatisfy { $0 == (.conflict, "programs.mentor_full") })
            #expect(try await Self.places(t, mentors[0]) == 2)
            #expect(try await MatchRecord.query(on: t.app.db).filter(\.$state == .active).count() == 2)
        }
    }

    @Test("Three mentors accept the same mentee's requests at once: she gets exactly one mentor")
    func racingAcceptancesMatchAMenteeOnce() async throws {
        try await withTestApp { t in
            let (_, program, mentors, mentees) = try await Self.cohort(
                t, mode: .choice, capacities: [1, 1, 1], mentees: 1)
            var requests: [(UUID, String)] = []
            for mentor in mentors {
                let id = try await t.send(
                    .POST, "api/v1/programs/\(program.id)/requests", json: RequestMentor(mentorId: mentor.id),
                    token: mentees[0].participant.token
                ).decode(ProgramMatch.self).id
                requests.append((id, mentor.participant.token))
            }
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for (request, token) in requests {
                    group.addTask { try await t.send(.POST, "api/v1/matches/\(request)/accept", token: token).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.count { $0 == .ok } == 1, "\(statuses)")
            #expect(try await MatchRecord.query(on: t.app.db).filter(\.$state == .active).count() == 1)
            var taken = 0
            for mentor in mentors { taken += try await Self.places(t, mentor) }
            #expect(taken == 1)
        }
    }

    @Test("Unanswered requests and published pairs expire after the program's days; the place and the mentee are free")
    func expiry() async throws {
        try await withTestApp { t in
            let (school, program, mentors, mentees) = try await Self.cohort(
                t, mode: .choice, capacities: [1, 1], mentees: 2)
            let request = try await t.send(
                .POST, "api/v1/programs/\(program.id)/requests", json: RequestMentor(mentorId: mentors[0].id),
                token: mentees[0].participant.token
            ).decode(ProgramMatch.self)
            let published = try await t.send(
                .POST, "api/v1/programs/\(program.id)/matches",
                json: PublishMatches(pairs: [PairChoice(menteeId: mentees[1].id, mentorId: mentors[1].id)]),
                token: school.admin.token)
            #expect(try published.decode(PublishedMatches.self).created == 1)
            #expect(try await Self.places(t, mentors[1]) == 1)
            let programs: ProgramsService = t.app.make(on: t.app.db)
            t.clock.advance(by: 6 * 86_400)
            #expect(try await programs.expireUnanswered() == 0)
            t.clock.advance(by: 2 * 86_400)  // past the default seven days
            #expect(try await programs.expireUnanswered() == 2)
            let states = try await MatchRecord.query(on: t.app.db).all().map(\.state)
            #expect(states == [.expired, .expired])
            #expect(try await Self.places(t, mentors[1]) == 0)
            #expect(try await ProgramParticipantRecord.find(mentees[1].id, on: t.app.db)?.matchID == nil)
            // The mentee is offered the mentor again, and may ask anew.
            let suggestions = try await t.send(
                .GET, "api/v1/programs/\(program.id)/suggestions", token: mentees[0].participant.token
            ).decode([MentorSuggestion].self)
            #expect(suggestions.contains { $0.mentorId == mentors[0].id && !$0.isRequested })
            _ = request
        }
    }

    @Test("An automatic program is matched when registration closes; newcomers later, and nobody twice")
    func automatic() async throws {
        try await withTestApp { t in
            let (_, program, mentors, mentees) = try await Self.cohort(
                t, mode: .automatic, capacities: [1, 2], mentees: 2)
            // Moving to matching published the optimum at once.
            let published = try await MatchRecord.query(on: t.app.db).all()
            #expect(published.count == 2 && published.allSatisfy { $0.state == .waiting && $0.origin == .staff })
            #expect(Set(published.map(\.menteeID)) == Set(mentees.map(\.id)))
            let programs: ProgramsService = t.app.make(on: t.app.db)
            // Nothing new: the periodic run publishes nothing more.
            try await programs.matchAutomatically()
            #expect(try await MatchRecord.query(on: t.app.db).count() == 2)
            var taken = 0
            for mentor in mentors { taken += try await Self.places(t, mentor) }
            #expect(taken == 2)
            _ = program
        }
    }

    @Test("Mentee and mentor accepting a published pair at the same moment make it active")
    func simultaneousAcceptance() async throws {
        try await withTestApp { t in
            let (school, program, mentors, mentees) = try await Self.cohort(
                t, mode: .review, capacities: [1, 1, 1], mentees: 3)
            let pairs = (0..<3).map { PairChoice(menteeId: mentees[$0].id, mentorId: mentors[$0].id) }
            _ = try await t.send(
                .POST, "api/v1/programs/\(program.id)/matches", json: PublishMatches(pairs: pairs),
                token: school.admin.token)
            for index in 0..<3 {
                let match = try await t.send(.GET, "api/v1/matches", token: mentees[index].participant.token)
                    .decode([ProgramMatch].self)[0].id
                let tokens = [mentees[index].participant.token, mentors[index].participant.token]
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for token in tokens {
                        group.addTask { _ = try await t.send(.POST, "api/v1/matches/\(match)/accept", token: token) }
                    }
                    try await group.waitForAll()
                }
            }
            #expect(try await MatchRecord.query(on: t.app.db).all().map(\.state) == [.active, .active, .active])
        }
    }

    @Test("A mentor's acceptance sent twice at once (a double click on a slow line) is one acceptance")
    func doubleAcceptance() async throws {
        try await withTestApp { t in
            let (_, program, mentors, mentees) = try await Self.cohort(t, mode: .choice, capacities: [1], mentees: 1)
            let request = try await t.send(
                .POST, "api/v1/programs/\(program.id)/requests", json: RequestMentor(mentorId: mentors[0].id),
                token: mentees[0].participant.token
            ).decode(ProgramMatch.self).id
            let token = mentors[0].participant.token
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<4 {
                    group.addTask { try await t.send(.POST, "api/v1/matches/\(request)/accept", token: token).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .ok }, "\(statuses)")
            #expect(try await Self.places(t, mentors[0]) == 1)
            // Told once that they can start (after the verification mail): not once per click.
            _ = try await t.smtp.message(to: mentees[0].participant.email, skipping: 1)
            try await Task.sleep(for: .milliseconds(300))
            #expect(t.smtp.messages.count { $0.recipients.contains(mentees[0].participant.email) } == 2)
        }
    }
}
