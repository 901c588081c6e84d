import Testing

@testable import LotseServer

@Suite("Program matching: the optimum")
struct MatcherTests {
    /// A random instance: scores drawn from `levels` (few levels make many ties), `excluded` of the pairs excluded.
    static func instance(
        mentees: Int, mentors: Int, capacity: ClosedRange<Int>, levels: [Int8], excluded: Double,
        using random: inout SplitMix64
    ) -> MatchingProblem {
        let scores = (0..<(mentees * mentors)).map { _ in
            Double.random(in: 0..<1, using: &random) < excluded
                ? MatchingProblem.excluded : levels.randomElement(using: &random)!
        }
        let capacities = (0..<mentors).map { _ in Int.random(in: capacity, using: &random) }
        return MatchingProblem(mentees: mentees, capacity: capacities, scores: scores)
    }

    /// Every assignment, tried: the best (matched, total) in the order asked for.
    static func bruteForce(_ problem: MatchingProblem, everyoneFirst: Bool, pinned: [Int: Int] = [:]) -> (Int, Int) {
        var left = problem.capacity
        for (_, mentor) in pinned { left[mentor] -= 1 }
        var best = (matched: -1, total: -1)
        func better(_ a: (Int, Int), than b: (Int, Int)) -> Bool {
            everyoneFirst ? (a.0, a.1) > (b.0, b.1) : a.1 > b.1
        }
        func go(_ mentee: Int, _ matched: Int, _ total: Int) {
            if mentee == problem.mentees {
                if better((matched, total), than: best) { best = (matched, total) }
                return
            }
            if let mentor = pinned[mentee] {
                return go(mentee + 1, matched + 1, total + Int(problem.score(mentee, mentor)))
            }
            go(mentee + 1, matched, total)
            for mentor in 0..<problem.mentors where left[mentor] > 0 && problem.score(mentee, mentor) >= 0 {
                left[mentor] -= 1
                go(mentee + 1, matched + 1, total + Int(problem.score(mentee, mentor)))
                left[mentor] += 1
            }
        }
        go(0, 0, 0)
        return (best.matched, best.total)
    }

    /// The O(n³) Hungarian method on the capacity-expanded matrix (one column per place, one "unmatched" column per
    /// mentee; excluded pairs cost as much as unmatched): an independent reference for instances too big to try.
    /// `bonus` is added to every allowed pair's weight; the result is the pairs matched and their total score.
    static func hungarian(_ problem: MatchingProblem, bonus: Int = 0) -> (matched: Int, total: Int) {
        let places = problem.capacity.indices.flatMap { Array(repeating: $0, count: problem.capacity[$0]) }
        let n = problem.mentees
        let columns = places.count + n
        func cost(_ row: Int, _ column: Int) -> Int {
            guard column < places.count, problem.score(row, places[column]) >= 0 else { return 0 }
            return -(Int(problem.score(row, places[column])) + bonus)
        }
        var u = [Int](repeating: 0, count: n + 1)
        var v = [Int](repeating: 0, count: columns + 1)
        var owner = [Int](repeating: 0, count: columns + 1)
        var way = [Int](repeating: 0, count: columns + 1)
        for row in 1...n {
            owner[0] = row
            var column0 = 0
            var minimum = [Int](repeating: .max, count: columns + 1)
            var used = [Bool](repeating: false, count: columns + 1)
            repeat {
                used[column0] = true
                let row0 = owner[column0]
                var delta = Int.max
                var column1 = 0
                for column in 1...columns where !used[column] {
                    let reduced = cost(row0 - 1, column - 1) - u[row0] - v[column]
                    if reduced < minimum[column] {
                        minimum[column] = reduced
                        way[column] = column0
                    }
                    if minimum[column] < delta {
                        delta = minimum[column]
                        column1 = column
                    }
                }
                for column in 0...columns {
                    if used[column] {
                        u[owner[column]] += delta
                        v[column] -= delta
                    } else {
                        minimum[column] -= delta
                    }
                }
                column0 = column1
            } while owner[column0] != 0
            repeat {
                let column1 = way[column0]
                owner[column0] = owner[column1]
                column0 = column1
            } while column0 != 0
        }
        let pairs = (1...places.count).filter { owner[$0] != 0 && problem.score(owner[$0] - 1, places[$0 - 1]) >= 0 }
        return (pairs.count, pairs.reduce(0) { $0 + Int(problem.score(owner[$1] - 1, places[$1 - 1])) })
    }

    /// A cohort drawn the way bench/matching_instance.py draws one (fields of clustered topics, languages skewed to
    /// German and English, weekly slots with evenings popular, capacities 1–5), scored as docs/programs.md says:
    /// a shared language and a common slot are musts; topics, field, slots and languages add weighted points.
    static func cohort(mentees: Int, mentors: Int, using random: inout SplitMix64) -> MatchingProblem {
        struct Person {
            var field: Int
            var topics: UInt64
            var languages: UInt64
            var slots: UInt64
        }
        let languageShares = [0.85, 0.6, 0.08, 0.07, 0.05, 0.06, 0.04]
        func person() -> Person {
            let field = Int.random(in: 0..<8, using: &random)
            var topics: UInt64 = 0
            for topic in (0..<6).shuffled(using: &random).prefix(Int.random(in: 2...3, using: &random)) {
                topics |= 1 << UInt64(field * 6 + topic)
            }
            if Bool.random(using: &random) { topics |= 1 << UInt64(Int.random(in: 0..<48, using: &random)) }
            var languages: UInt64 = 0
            for (language, share) in languageShares.enumerated() where Double.random(in: 0..<1, using: &random) < share
            {
                languages |= 1 << UInt64(language)
            }
            var slots: UInt64 = 0
            for _ in 0..<Int.random(in: 2...7, using: &random) {
                let part = [0, 1, 1, 2, 2, 2, 2].randomElement(using: &random)!
                slots |= 1 << UInt64(Int.random(in: 0..<7, using: &random) * 3 + part)
            }
            return Person(field: field, topics: topics, languages: languages == 0 ? 1 : languages, slots: slots)
        }
        func overlap(_ a: UInt64, _ b: UInt64) -> Double {
            Double((a & b).nonzeroBitCount) / Double(min(a.nonzeroBitCount, b.nonzeroBitCount))
        }
        let people = (0..<mentees).map { _ in person() }
        let guides = (0..<mentors).map { _ in person() }
        let capacity = (0..<mentors).map { _ in [1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5].randomElement(using: &random)! }
        var scores: [Int8] = []
        scores.reserveCapacity(mentees * mentors)
        for a in people {
            for b in guides {
                guard a.languages & b.languages != 0, a.slots & b.slots != 0 else {
                    scores.append(MatchingProblem.excluded)
                    continue
                }
                let points =
                    4 * overlap(a.topics, b.topics) + 2 * (a.field == b.field ? 1 : 0) + 2 * overlap(a.slots, b.slots)
                    + overlap(a.languages, b.languages)
                scores.append(Int8((100 * points / 9).rounded()))
            }
        }
        return MatchingProblem(mentees: mentees, capacity: capacity, scores: scores)
    }

    /// The certificate proves the assignment optimal: profits and prices never negative, no allowed pair outside the
    /// pins weighs more than its mentee's profit plus its mentor's price, and both sides add up to the same weight.
    static func expectProven(
        _ solved: (assignment: MatchingAssignment, certificate: MatchingCertificate), _ problem: MatchingProblem,
        pinned: [Int: Int] = [:]
    ) {
        let (assignment, certificate) = solved
        #expect(certificate.profit.allSatisfy { $0 >= 0 } && certificate.price.allSatisfy { $0 >= 0 })
        var undercut = 0
        for mentee in 0..<problem.mentees where pinned[mentee] == nil {
            for mentor in 0..<problem.mentors where problem.score(mentee, mentor) >= 0 {
                let weight = Int(problem.score(mentee, mentor)) + certificate.bonus
                if certificate.profit[mentee] + certificate.price[mentor] < weight { undercut += 1 }
            }
        }
        #expect(undercut == 0)
        var places = problem.capacity
        for mentor in pinned.values { places[mentor] -= 1 }
        let weight = (0..<problem.mentees).reduce(0) { sum, mentee in
            guard pinned[mentee] == nil, let mentor = assignment.mentorOf[mentee] else { return sum }
            return sum + Int(problem.score(mentee, mentor)) + certificate.bonus
        }
        let bound = certificate.profit.reduce(0, +) + zip(certificate.price, places).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(bound == weight)
    }

    /// Allowed pairs only, no mentor over capacity, pins kept.
    static func expectFeasible(_ assignment: MatchingAssignment, _ problem: MatchingProblem, pinned: [Int: Int] = [:]) {
        var load = [Int](repeating: 0, count: problem.mentors)
        for (mentee, mentor) in assignment.mentorOf.enumerated() {
            guard let mentor else { continue }
            #expect(problem.score(mentee, mentor) >= 0)
            load[mentor] += 1
        }
        #expect(zip(load, problem.capacity).allSatisfy { $0 <= $1 })
        for (mentee, mentor) in pinned { #expect(assignment.mentorOf[mentee] == mentor) }
        #expect(assignment.total == Matcher.total(of: assignment.mentorOf, in: problem))
    }

    @Test("On 400 small instances the optimum equals trying every assignment, and greedy never beats it")
    func smallInstancesAgainstBruteForce() {
        var random = SplitMix64(seed: 19)
        for round in 0..<400 {
            let levels: [Int8] = round % 2 == 0 ? [0, 50, 100] : (0...100).map { Int8($0) }
            let problem = Self.instance(
                mentees: Int.random(in: 1...7, using: &random), mentors: Int.random(in: 1...3, using: &random),
                capacity: 0...3, levels: levels, excluded: round % 3 == 0 ? 0.4 : 0.1, using: &random)
            let optimum = Matcher.optimum(problem)
            Self.expectFeasible(optimum, problem)
            #expect(optimum.total == Self.bruteForce(problem, everyoneFirst: false).1)
            let everyone = Matcher.optimum(problem, everyoneFirst: true)
            Self.expectFeasible(everyone, problem)
            let expected = Self.bruteForce(problem, everyoneFirst: true)
            #expect(everyone.matched == expected.0 && everyone.total == expected.1)
            #expect(Matcher.greedy(problem).total <= optimum.total)
        }
    }

    @Test("Pinned pairs stay and take a place; the rest is the best around them")
    func pinnedPairs() {
        var random = SplitMix64(seed: 7)
        for _ in 0..<200 {
            let problem = Self.instance(
                mentees: 6, mentors: 3, capacity: 1...2, levels: (0...100).map { Int8($0) }, excluded: 0.2,
                using: &random)
            let mentee = Int.random(in: 0..<6, using: &random)
            guard let mentor = (0..<3).first(where: { problem.score(mentee, $0) >= 0 }) else { continue }
            let pinned = [mentee: mentor]
            let optimum = Matcher.optimum(problem, pinned: pinned)
            Self.expectFeasible(optimum, problem, pinned: pinned)
            #expect(optimum.total == Self.bruteForce(problem, everyoneFirst: false, pinned: pinned).1)
        }
    }

    @Test("A pool without mentors or without mentees matches nobody")
    func emptyPools() {
        let noMentors = Matcher.optimum(MatchingProblem(mentees: 3, capacity: [], scores: []))
        #expect(noMentors.mentorOf == [nil, nil, nil] && noMentors.total == 0)
        #expect(Matcher.optimum(MatchingProblem(mentees: 0, capacity: [2], scores: [])).mentorOf.isEmpty)
        let noPlaces = Matcher.optimum(
            MatchingProblem(mentees: 2, capacity: [0], scores: [80, 90]), everyoneFirst: true)
        #expect(noPlaces.mentorOf == [nil, nil])
    }

    @Test("Greedy takes the single best pair; the optimum gives it up for two good ones")
    func greedyIsBeaten() {
        // Ada: Ben 100, Cem 99. Dora: Ben 98, Cem 0.
        let problem = MatchingProblem(mentees: 2, capacity: [1, 1], scores: [100, 99, 98, 0])
        #expect(Matcher.greedy(problem).total == 100)
        let optimum = Matcher.optimum(problem)
        #expect(optimum.mentorOf == [1, 0] && optimum.total == 197)
    }

    @Test("When mentees must go beyond their best-scoring mentors, the optimum still equals the Hungarian method's")
    func widerThanTheFirstRound() {
        var random = SplitMix64(seed: 3)
        for round in 0..<12 {
            // Everyone ranks the mentors about alike and each takes one mentee, so most mentees end up with a mentor
            // they did not know of at first, and are routed anew on a flow that is already full.
            let mentors = 2 * Matcher.firstReach + 10
            let mentees = Matcher.firstReach + 20
            let scores = (0..<(mentees * mentors)).map { index -> Int8 in
                let mentor = index % mentors
                if Double.random(in: 0..<1, using: &random) < 0.2 { return MatchingProblem.excluded }
                return Int8(max(0, 95 - mentor - Int.random(in: 0...(round % 2 == 0 ? 3 : 12), using: &random)))
            }
            let problem = MatchingProblem(
                mentees: mentees, capacity: (0..<mentors).map { _ in Int.random(in: 0...1, using: &random) },
                scores: scores)
            let optimum = Matcher.optimum(problem)
            Self.expectFeasible(optimum, problem)
            #expect(optimum.total == Self.hungarian(problem).total)
            let everyone = Matcher.optimum(problem, everyoneFirst: true)
            Self.expectFeasible(everyone, problem)
            let bonus = 100 * min(mentees, problem.capacity.reduce(0, +)) + 1
            let expected = Self.hungarian(problem, bonus: bonus)
            #expect(everyone.matched == expected.matched && everyone.total == expected.total)
        }
    }

    @Test("Many mentees after the same few mentors: routed anew on a full flow, the optimum and the pins hold")
    func crowdedPoolWithPins() {
        var random = SplitMix64(seed: 11)
        for round in 0..<10 {
            // Everyone favours the same few mentors, and there are more mentees than places: prices rise, most
            // mentees fall back on mentors they did not know of at first, and some stay unmatched.
            let mentors = 3 * Matcher.firstReach
            let mentees = 5 * Matcher.firstReach
            let scores = (0..<(mentees * mentors)).map { index -> Int8 in
                let mentor = index % mentors
                if Double.random(in: 0..<1, using: &random) < 0.15 { return MatchingProblem.excluded }
                let score = max(0, 100 - mentor + Int.random(in: -15...15, using: &random))
                return Int8(min(100, round % 2 == 0 ? score / 10 * 10 : score))
            }
            let problem = MatchingProblem(
                mentees: mentees, capacity: (0..<mentors).map { _ in Int.random(in: 0...3, using: &random) },
                scores: scores)
            var pinned: [Int: Int] = [:]
            var left = problem.capacity
            for mentee in stride(from: round, to: mentees, by: 17) {
                guard let mentor = (0..<mentors).first(where: { problem.score(mentee, $0) >= 0 && left[$0] > 0 })
                else { continue }
                pinned[mentee] = mentor
                left[mentor] -= 1
            }
            // The reference: the pinned pairs fixed, the rest solved on the places they leave.
            let rest = MatchingProblem(
                mentees: mentees, capacity: left,
                scores: problem.scores.indices.map {
                    pinned[$0 / mentors] == nil ? problem.scores[$0] : MatchingProblem.excluded
                })
            let pinnedTotal = pinned.reduce(0) { $0 + Int(problem.score($1.key, $1.value)) }
            let optimum = Matcher.optimum(problem, pinned: pinned)
            Self.expectFeasible(optimum, problem, pinned: pinned)
            #expect(optimum.total == pinnedTotal + Self.hungarian(rest).total)
            #expect(optimum.total >= Matcher.greedy(problem, pinned: pinned).total)
            let everyone = Matcher.optimum(problem, everyoneFirst: true, pinned: pinned)
            Self.expectFeasible(everyone, problem, pinned: pinned)
            let bonus = 100 * min(mentees, problem.capacity.reduce(0, +)) + 1
            let expected = Self.hungarian(rest, bonus: bonus)
            #expect(everyone.matched == pinned.count + expected.matched)
            #expect(everyone.total == pinnedTotal + expected.total)
        }
    }

    @Test("A university cohort of 1200 mentees and 400 mentors: the certificate proves the optimum, pins and all")
    func cohortProven() {
        var random = SplitMix64(seed: 5)
        let problem = Self.cohort(mentees: 1200, mentors: 400, using: &random)
        let optimum = Matcher.solve(problem)
        Self.expectFeasible(optimum.assignment, problem)
        Self.expectProven(optimum, problem)
        #expect(optimum.assignment.total > Matcher.greedy(problem).total)
        let everyone = Matcher.solve(problem, everyoneFirst: true)
        Self.expectFeasible(everyone.assignment, problem)
        Self.expectProven(everyone, problem)
        #expect(everyone.assignment.matched >= optimum.assignment.matched)
        // Staff pin every tenth mentee to an allowed mentor of their choice, not the one the optimum gave.
        var pinned: [Int: Int] = [:]
        var left = problem.capacity
        for mentee in stride(from: 0, to: 1200, by: 10) {
            guard
                let mentor = (0..<400).last(where: {
                    problem.score(mentee, $0) >= 0 && left[$0] > 0 && $0 != optimum.assignment.mentorOf[mentee]
                })
            else { continue }
            pinned[mentee] = mentor
            left[mentor] -= 1
        }
        let withPins = Matcher.solve(problem, pinned: pinned)
        Self.expectFeasible(withPins.assignment, problem, pinned: pinned)
        Self.expectProven(withPins, problem, pinned: pinned)
        #expect(withPins.assignment.total < optimum.assignment.total)
    }

    @Test("Nobody left unmatched first: one more pair is worth more than any gain in score")
    func everyoneFirst() {
        // Ada fits only Ben; Dora fits Ben (90) and Cem (10); Cem has no other mentee. Best score: Dora with Ben.
        let x = MatchingProblem.excluded
        let problem = MatchingProblem(mentees: 2, capacity: [1, 1], scores: [20, x, 90, 10])
        #expect(Matcher.optimum(problem).mentorOf == [nil, 0])
        let everyone = Matcher.optimum(problem, everyoneFirst: true)
        #expect(everyone.mentorOf == [0, 1] && everyone.total == 30)
    }
}
