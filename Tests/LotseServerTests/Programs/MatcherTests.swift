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
    static func hungarianTotal(_ problem: MatchingProblem) -> Int {
        let places = problem.capacity.indices.flatMap { Array(repeating: $0, count: problem.capacity[$0]) }
        let n = problem.mentees
        let columns = places.count + n
        func cost(_ row: Int, _ column: Int) -> Int {
            guard column < places.count else { return 0 }
            return -max(0, Int(problem.score(row, places[column])))
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
        return -(1...columns).reduce(0) { $0 + (owner[$1] == 0 ? 0 : cost(owner[$1] - 1, $1 - 1)) }
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
            // outside their first choices.
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
            #expect(optimum.total == Self.hungarianTotal(problem))
            #expect(Matcher.optimum(problem, everyoneFirst: true).matched >= optimum.matched)
        }
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
