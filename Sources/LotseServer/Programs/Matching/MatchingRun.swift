import Fluent
import Foundation
import LotseAPI

/// The whole pool's best matching, as staff review it before publishing (docs/programs.md, "Matching").
extension ProgramsService {
    /// Who takes part in a matching: registered mentees and mentors whose registration is complete.
    struct Pool {
        let mentees: [ProgramParticipantRecord]
        let mentors: [ProgramParticipantRecord]
        let incomplete: Int
        let answers: [UUID: [UUID: RegistrationAnswer]]
    }

    /// The pool, from `everyone` in the program when the caller loaded them already.
    func pool(of program: ProgramRecord, everyone: [ProgramParticipantRecord]? = nil) async throws -> Pool {
        let people: [ProgramParticipantRecord]
        if let everyone {
            people = everyone.filter { $0.state == .registered }.sorted {
                ($0.createdAt, $0.email) < ($1.createdAt, $1.email)
            }
        } else {
            people = try await ProgramParticipantRecord.query(on: db).filter(\.$programID == program.requireID())
                .filter(\.$state == .registered).sort(\.$createdAt).sort(\.$email).all()
        }
        var complete: [ProgramParticipantRecord] = []
        var answers: [UUID: [UUID: RegistrationAnswer]] = [:]
        for person in people {
            guard Self.isComplete(person, in: program), person.mayBeMatched else { continue }
            complete.append(person)
            answers[person.id!] = Dictionary(person.answers.map { ($0.questionId, $0) }) { first, _ in first }
        }
        let mentees = complete.filter { $0.role == .mentee }
        return Pool(
            mentees: mentees, mentors: complete.filter { $0.role == .mentor },
            incomplete: people.count { $0.role == .mentee } - mentees.count, answers: answers)
    }

    /// The mentee–mentor pairs tried before and over: one of them said no, or the pair ended early. Neither staff's
    /// proposals nor a mentee's suggestions offer them again (a request nobody answered may be made again).
    func triedPairs(in programID: UUID, of mentee: UUID? = nil) async throws -> Set<[UUID]> {
        var query = MatchRecord.query(on: db).filter(\.$programID == programID)
            .filter(\.$state ~~ [.declined, .endedEarly])
        if let mentee { query = query.filter(\.$menteeID == mentee) }
        return Set(try await query.all().map { [$0.menteeID, $0.mentorID] })
    }

    /// The best matching of the pool, with each pair's reasons and the greedy pick's total beside it.
    func proposeMatching(_ input: ProposeMatching, in programID: UUID, by user: UUID) async throws
        -> MatchingProposal
    {
        try await proposeMatching(input, in: try await staffProgram(programID, for: user))
    }

    /// The proposal for the mentees without a match and the mentors' places left.
    func proposeMatching(_ input: ProposeMatching, in program: ProgramRecord) async throws -> MatchingProposal {
        let whole = try await pool(of: program)
        let pool = Pool(
            mentees: whole.mentees.filter { $0.matchID == nil }, mentors: whole.mentors, incomplete: whole.incomplete,
            answers: whole.answers)
        let scorer = PairScore(questions: program.questionnaire.questions, at: now())
        let tried = try await triedPairs(in: program.requireID())
        let mentorCount = pool.mentors.count
        var scores = [Int8](repeating: MatchingProblem.excluded, count: pool.mentees.count * mentorCount)
        for (row, mentee) in pool.mentees.enumerated() {
            for (column, mentor) in pool.mentors.enumerated() where !tried.contains([mentee.id!, mentor.id!]) {
                if let (score, _) = scorer.score(
                    mentee: pool.answers[mentee.id!] ?? [:], mentor: pool.answers[mentor.id!] ?? [:])
                {
                    scores[row * mentorCount + column] = Int8(score)
                }
            }
        }
        let problem = MatchingProblem(
            mentees: pool.mentees.count, capacity: pool.mentors.map { max(0, $0.capacity - $0.takenPlaces) },
            scores: scores)
        let menteeIndex = Dictionary(uniqueKeysWithValues: pool.mentees.enumerated().map { ($1.id!, $0) })
        let mentorIndex = Dictionary(uniqueKeysWithValues: pool.mentors.enumerated().map { ($1.id!, $0) })
        var pinned: [Int: Int] = [:]
        var left = problem.capacity
        for pin in input.pins {
            guard let mentee = menteeIndex[pin.menteeId], let mentor = mentorIndex[pin.mentorId], pinned[mentee] == nil
            else { throw ProgramsError.pinNotPossible }
            guard problem.score(mentee, mentor) >= 0, left[mentor] > 0 else { throw ProgramsError.pinNotPossible }
            pinned[mentee] = mentor
            left[mentor] -= 1
        }
        let optimum = Matcher.optimum(problem, everyoneFirst: input.everyoneFirst, pinned: pinned)
        let greedy = Matcher.greedy(problem, pinned: pinned)
        var pairs: [ProposedPair] = []
        var unmatched: [UnmatchedParticipant] = []
        for (row, mentee) in pool.mentees.enumerated() {
            guard let column = optimum.mentorOf[row] else {
                let possible = (0..<mentorCount).count { problem.score(row, $0) >= 0 }
                unmatched.append(
                    UnmatchedParticipant(id: mentee.id!, displayName: mentee.displayName, possibleMentors: possible))
                continue
            }
            let mentor = pool.mentors[column]
            let (score, reasons) =
                scorer.score(mentee: pool.answers[mentee.id!] ?? [:], mentor: pool.answers[mentor.id!] ?? [:])
                ?? (0, [])
            pairs.append(
                ProposedPair(
                    menteeId: mentee.id!, menteeName: mentee.displayName, mentorId: mentor.id!,
                    mentorName: mentor.displayName, score: score, reasons: reasons, isPinned: pinned[row] == column))
        }
        pairs.sort { ($0.score, $1.menteeName) > ($1.score, $0.menteeName) }
        return MatchingProposal(
            pairs: pairs, unmatched: unmatched, incomplete: pool.incomplete, total: optimum.total,
            greedyTotal: greedy.total, greedyMatched: greedy.matched)
    }
}
