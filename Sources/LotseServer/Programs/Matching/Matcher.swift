/// Who mentors whom, given every pair's score: the whole pool's optimum and the greedy pick it must beat
/// (docs/programs.md, "Matching"). Plain Swift with no imports, so bench/matching.sh compiles it alone with -O.
///
/// The problem is a maximum-weight b-matching: each mentee gets at most one mentor, mentor `j` at most
/// `capacity[j]` mentees, and a pair's weight is its score (0…100), or the pair is excluded (a "must" rule failed).
/// `optimum` solves it exactly as a min-cost flow by successive shortest paths: mentees enter one at a time, and
/// each entry follows the cheapest augmenting path (Dijkstra on reduced costs, node potentials kept lazily) to a
/// mentor with a free place, or to a mentee who is better off unmatched. Mentors are nodes with a capacity rather
/// than `capacity` copies of a column, so a path through a full mentor reaches all of its mentees at once.
struct MatchingProblem: Sendable {
    /// The score of every pair, row by row (mentee `i`'s row is `scores[i * mentors ..< (i + 1) * mentors]`):
    /// 0…100, or `excluded`.
    var scores: [Int8]
    var mentees: Int
    var capacity: [Int]
    var mentors: Int { capacity.count }

    static let excluded: Int8 = -1

    init(mentees: Int, capacity: [Int], scores: [Int8]) {
        precondition(scores.count == mentees * capacity.count, "one score per pair")
        self.mentees = mentees
        self.capacity = capacity.map { max(0, $0) }
        self.scores = scores
    }

    func score(_ mentee: Int, _ mentor: Int) -> Int8 { scores[mentee * mentors + mentor] }
}

/// An assignment: each mentee's mentor or nil.
struct MatchingAssignment: Sendable, Equatable {
    var mentorOf: [Int?]
    /// The sum of the matched pairs' scores.
    var total: Int
    var matched: Int { mentorOf.count { $0 != nil } }
}

enum Matcher {
    /// The assignment with the highest total score. With `everyoneFirst`, it first matches as many mentees as the
    /// must rules and capacities allow, and among those assignments takes the highest total. `pinned` pairs
    /// (mentee → mentor) are kept as they are and count against the mentor's capacity; a pin on an excluded pair or
    /// beyond a mentor's capacity is ignored.
    static func optimum(
        _ problem: MatchingProblem, everyoneFirst: Bool = false, pinned: [Int: Int] = [:]
    ) -> MatchingAssignment {
        let choices = Choices(problem)
        // First only each mentee's best-scoring mentors; then eight times as many for every mentee whom the
        // potentials show a better pair outside them, until none does: then the potentials prove the assignment
        // optimal on the whole problem. (Each round starts afresh: cheaper than keeping the potentials valid while
        // a mentee's choices grow.)
        var reach = [Int](repeating: firstReach, count: problem.mentees)
        while true {
            var flow = AugmentingPaths(problem, choices: choices, reach: reach, everyoneFirst: everyoneFirst)
            for (mentee, mentor) in pinned.sorted(by: { $0.key < $1.key }) { flow.pin(mentee, to: mentor) }
            for mentee in 0..<problem.mentees where flow.mentorOf[mentee] < 0 { flow.enter(mentee) }
            let shortchanged = flow.shortchanged()
            if shortchanged.isEmpty { return flow.assignment }
            for mentee in shortchanged { reach[mentee] = reach[mentee] > problem.mentors ? .max : reach[mentee] * 8 }
        }
    }

    /// How many of each mentee's best-scoring mentors the first round considers.
    static let firstReach = 24

    /// The baseline: the best remaining pair first, until no pair is left that fits.
    static func greedy(_ problem: MatchingProblem, pinned: [Int: Int] = [:]) -> MatchingAssignment {
        var mentorOf = [Int?](repeating: nil, count: problem.mentees)
        var left = problem.capacity
        for (mentee, mentor) in pinned where problem.score(mentee, mentor) >= 0 && left[mentor] > 0 {
            mentorOf[mentee] = mentor
            left[mentor] -= 1
        }
        // Counting sort by score, highest first; within a score, by mentee and mentor.
        var byScore = [[Int]](repeating: [], count: 101)
        for index in problem.scores.indices where problem.scores[index] >= 0 {
            byScore[Int(problem.scores[index])].append(index)
        }
        for score in stride(from: 100, through: 0, by: -1) {
            for index in byScore[score] {
                let (mentee, mentor) = index.quotientAndRemainder(dividingBy: problem.mentors)
                if mentorOf[mentee] == nil && left[mentor] > 0 {
                    mentorOf[mentee] = mentor
                    left[mentor] -= 1
                }
            }
        }
        return MatchingAssignment(mentorOf: mentorOf, total: total(of: mentorOf, in: problem))
    }

    static func total(of mentorOf: [Int?], in problem: MatchingProblem) -> Int {
        mentorOf.indices.reduce(0) { sum, mentee in
            mentorOf[mentee].map { sum + Int(problem.score(mentee, $0)) } ?? sum
        }
    }
}

/// Each mentee's allowed mentors, best score first (`packed[start[i] ..< start[i + 1]]`, each `mentor << 8 | score`).
/// Prices only lower what a mentor is worth to a mentee, so a scan in this order stops at the first mentor whose
/// score alone makes a path too long.
private struct Choices {
    var packed: [Int32]
    var start: [Int]

    /// A counting sort of every row by score; excluded pairs left out. (Three million pairs: the loops run over
    /// buffers, without a bounds check per pair.)
    init(_ problem: MatchingProblem) {
        let mentors = problem.mentors
        var start = [Int](repeating: 0, count: problem.mentees + 1)
        var packed = [Int32](repeating: 0, count: problem.scores.count { $0 >= 0 })
        var count = [Int](repeating: 0, count: 101)
        problem.scores.withUnsafeBufferPointer { scores in
            packed.withUnsafeMutableBufferPointer { packed in
                count.withUnsafeMutableBufferPointer { count in
                    for mentee in 0..<problem.mentees {
                        let row = UnsafeBufferPointer(rebasing: scores[(mentee * mentors)..<((mentee + 1) * mentors)])
                        for index in 0..<101 { count[index] = 0 }
                        for score in row where score >= 0 { count[Int(score)] += 1 }
                        var next = start[mentee]
                        for score in stride(from: 100, through: 0, by: -1) {
                            let n = count[score]
                            count[score] = next
                            next += n
                        }
                        start[mentee + 1] = next
                        for (mentor, score) in row.enumerated() where score >= 0 {
                            packed[count[Int(score)]] = Int32(mentor << 8 | Int(score))
                            count[Int(score)] += 1
                        }
                    }
                }
            }
        }
        self.start = start
        self.packed = packed
    }
}

/// The min-cost flow behind `Matcher.optimum`. Nodes are mentees, mentors and one sink; a mentee reaches the sink
/// through a mentor (cost −weight) or directly (cost 0: unmatched), a mentor reaches it while it has a free place.
/// Potentials `menteePotential`, `mentorPotential` (the sink's stays 0) keep every residual arc's reduced cost
/// `cost + p(from) − p(to)` non-negative; mentors' potentials are ≤ 0 and 0 while they have a free place.
private struct AugmentingPaths {
    let problem: MatchingProblem
    /// Added to every allowed pair's weight with `everyoneFirst`: more than any difference in total score, so one
    /// more matched mentee always wins.
    let bonus: Int
    var mentorOf: [Int]
    /// The places left for the flow: the mentor's capacity less its pinned mentees.
    var capacity: [Int]
    var pinned: [Bool]
    var menteePotential: [Int]
    var mentorPotential: [Int]
    /// Mentor `j`'s mentees are `members[first[j] ..< first[j] + load[j]]`.
    var first: [Int]
    var load: [Int]
    var members: [Int]

    // Dijkstra's state, stamped with the run it belongs to so nothing is cleared between entries.
    var run: UInt32 = 0
    var menteeDistance: [Int]
    var mentorDistance: [Int]
    var menteeSeen: [UInt32]
    var mentorSeen: [UInt32]
    var menteeDone: [UInt32]
    var mentorDone: [UInt32]
    /// The mentor a mentee was reached from (its own), and the mentee a mentor was reached from.
    var menteeVia: [Int]
    var mentorVia: [Int]
    var finished: [Int] = []
    var queue = MinQueue()
    /// The choices this round considers: mentee `i`'s are `choices.packed[choices.start[i] ..< end[i]]`.
    let choices: Choices
    let end: [Int]

    init(_ problem: MatchingProblem, choices: Choices, reach: [Int], everyoneFirst: Bool) {
        self.problem = problem
        self.choices = choices
        end = (0..<problem.mentees).map {
            choices.start[$0] + min(reach[$0], choices.start[$0 + 1] - choices.start[$0])
        }
        let places = problem.capacity.reduce(0, +)
        bonus = everyoneFirst ? 100 * min(problem.mentees, places) + 1 : 0
        mentorOf = Array(repeating: -1, count: problem.mentees)
        capacity = problem.capacity
        pinned = Array(repeating: false, count: problem.mentees)
        menteePotential = Array(repeating: 0, count: problem.mentees)
        mentorPotential = Array(repeating: 0, count: problem.mentors)
        first = Array(repeating: 0, count: problem.mentors)
        for mentor in problem.capacity.indices.dropFirst() {
            first[mentor] = first[mentor - 1] + problem.capacity[mentor - 1]
        }
        load = Array(repeating: 0, count: problem.mentors)
        members = Array(repeating: -1, count: places)
        menteeDistance = Array(repeating: 0, count: problem.mentees)
        mentorDistance = Array(repeating: 0, count: problem.mentors)
        menteeSeen = Array(repeating: 0, count: problem.mentees)
        mentorSeen = Array(repeating: 0, count: problem.mentors)
        menteeDone = Array(repeating: 0, count: problem.mentees)
        mentorDone = Array(repeating: 0, count: problem.mentors)
        menteeVia = Array(repeating: -1, count: problem.mentees)
        mentorVia = Array(repeating: -1, count: problem.mentors)
    }

    var assignment: MatchingAssignment {
        let mentorOf = mentorOf.map { $0 < 0 ? nil : $0 }
        return MatchingAssignment(mentorOf: mentorOf, total: Matcher.total(of: mentorOf, in: problem))
    }

    func weight(_ mentee: Int, _ mentor: Int) -> Int { Int(problem.score(mentee, mentor)) + bonus }

    /// The mentees for whom a mentor outside this round's choices is worth more than what they have: a residual arc
    /// of negative reduced cost that the round did not see.
    func shortchanged() -> [Int] {
        (0..<problem.mentees).filter { mentee in
            guard !pinned[mentee], end[mentee] < choices.start[mentee + 1] else { return false }
            for index in end[mentee]..<choices.start[mentee + 1] {
                let choice = Int(choices.packed[index])
                let weight = (choice & 0xFF) + bonus
                if weight <= menteePotential[mentee] { return false }
                if weight + mentorPotential[choice >> 8] > menteePotential[mentee] { return true }
            }
            return false
        }
    }

    /// A pinned mentee is no node of the flow: it only takes one of the mentor's places.
    mutating func pin(_ mentee: Int, to mentor: Int) {
        guard problem.score(mentee, mentor) >= 0, capacity[mentor] > 0, mentorOf[mentee] < 0 else { return }
        mentorOf[mentee] = mentor
        capacity[mentor] -= 1
        pinned[mentee] = true
    }

    /// Adds a mentee to the flow along the cheapest augmenting path.
    mutating func enter(_ start: Int) {
        var highest = 0
        for index in choices.start[start]..<end[start] {
            let choice = Int(choices.packed[index])
            guard (choice & 0xFF) + bonus > highest else { break }
            highest = max(highest, (choice & 0xFF) + bonus + mentorPotential[choice >> 8])
        }
        menteePotential[start] = highest
        run &+= 1
        finished.removeAll(keepingCapacity: true)
        queue.removeAll()
        // Unmatched costs the start its potential: the path to beat.
        var best = highest
        var pathEnd = End.unmatched(start)
        menteeSeen[start] = run
        menteeDistance[start] = 0
        queue.push(0, node: start)
        let mentees = problem.mentees
        while let (distance, node) = queue.pop(), distance < best {
            if node < mentees {
                let mentee = node
                if menteeDone[mentee] == run { continue }
                menteeDone[mentee] = run
                finished.append(node)
                let potential = menteePotential[mentee]
                if mentee != start && distance + potential < best {
                    best = distance + potential
                    pathEnd = .unmatched(mentee)
                }
                let own = mentorOf[mentee]
                for index in choices.start[mentee]..<end[mentee] {
                    let choice = Int(choices.packed[index])
                    let cheapest = distance + potential - (choice & 0xFF) - bonus
                    guard cheapest < best else { break }
                    let mentor = choice >> 8
                    guard mentor != own, mentorDone[mentor] != run else { continue }
                    let reached = cheapest - mentorPotential[mentor]
                    if reached < best && (mentorSeen[mentor] != run || reached < mentorDistance[mentor]) {
                        mentorSeen[mentor] = run
                        mentorDistance[mentor] = reached
                        mentorVia[mentor] = mentee
                        queue.push(reached, node: mentees + mentor)
                    }
                }
            } else {
                let mentor = node - mentees
                if mentorDone[mentor] == run { continue }
                mentorDone[mentor] = run
                finished.append(node)
                let potential = mentorPotential[mentor]
                if load[mentor] < capacity[mentor] && distance + potential < best {
                    best = distance + potential
                    pathEnd = .freePlace(mentor)
                }
                for place in first[mentor]..<(first[mentor] + load[mentor]) {
                    let mentee = members[place]
                    guard menteeDone[mentee] != run else { continue }
                    let reached = distance + weight(mentee, mentor) + potential - menteePotential[mentee]
                    if reached < best && (menteeSeen[mentee] != run || reached < menteeDistance[mentee]) {
                        menteeSeen[mentee] = run
                        menteeDistance[mentee] = reached
                        menteeVia[mentee] = mentor
                        queue.push(reached, node: mentee)
                    }
                }
            }
        }
        for node in finished {
            if node < mentees {
                menteePotential[node] += menteeDistance[node] - best
            } else {
                mentorPotential[node - mentees] += mentorDistance[node - mentees] - best
            }
        }
        augment(from: start, to: pathEnd)
    }

    private enum End {
        case unmatched(Int)
        case freePlace(Int)
    }

    /// Walks the path back from its end: each mentee on it moves to the mentor after it.
    private mutating func augment(from start: Int, to end: End) {
        var mentor: Int
        switch end {
        case .unmatched(let mentee):
            guard mentee != start else { return }
            mentor = mentorOf[mentee]
            remove(mentee, from: mentor)
        case .freePlace(let free):
            mentor = free
        }
        while true {
            let mentee = mentorVia[mentor]
            let previous = mentorOf[mentee]
            if previous >= 0 { remove(mentee, from: previous) }
            add(mentee, to: mentor)
            if mentee == start { return }
            mentor = previous
        }
    }

    private mutating func add(_ mentee: Int, to mentor: Int) {
        members[first[mentor] + load[mentor]] = mentee
        load[mentor] += 1
        mentorOf[mentee] = mentor
    }

    private mutating func remove(_ mentee: Int, from mentor: Int) {
        let places = first[mentor]..<(first[mentor] + load[mentor])
        let place = places.first { members[$0] == mentee }!
        members[place] = members[places.upperBound - 1]
        load[mentor] -= 1
        mentorOf[mentee] = -1
    }
}

/// A binary min-heap of (distance, node), packed into one integer each.
private struct MinQueue {
    private var items: [Int] = []

    mutating func removeAll() { items.removeAll(keepingCapacity: true) }

    mutating func push(_ distance: Int, node: Int) {
        var index = items.count
        items.append(distance << 32 | node)
        let item = items[index]
        while index > 0 {
            let parent = (index - 1) / 2
            guard items[parent] > item else { break }
            items[index] = items[parent]
            index = parent
        }
        items[index] = item
    }

    mutating func pop() -> (Int, Int)? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            var index = 0
            while true {
                var child = 2 * index + 1
                guard child < items.count else { break }
                if child + 1 < items.count && items[child + 1] < items[child] { child += 1 }
                guard items[child] < last else { break }
                items[index] = items[child]
                index = child
            }
            items[index] = last
        }
        return (top >> 32, top & 0xFFFF_FFFF)
    }
}
