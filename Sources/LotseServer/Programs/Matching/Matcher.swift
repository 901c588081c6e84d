/// Who mentors whom, given every pair's score: the whole pool's optimum and the greedy pick it must beat
/// (docs/programs.md, "Matching"). Plain Swift with no imports, so bench/matching.sh compiles it alone with -O.
///
/// The problem is a maximum-weight b-matching: each mentee gets at most one mentor, mentor `j` at most
/// `capacity[j]` mentees, and a pair's weight is its score (0…100), or the pair is excluded (a "must" rule failed).
/// `optimum` solves it exactly as a min-cost flow by successive shortest paths: mentees enter one at a time, and
/// each entry follows the cheapest augmenting path (Dijkstra on reduced costs, node potentials kept lazily) to a
/// mentor with a free place, or to a mentee who is better off unmatched. Mentors are nodes with a capacity rather
/// than `capacity` copies of a column, so a path through a full mentor reaches all of its mentees at once. Each
/// mentee first knows only its best-scoring mentors; the potentials then show which mentees a mentor beyond them
/// would serve better, and only those learn of more and are routed anew, on the flow as it stands.
///
/// Three million pairs on one core in a few tens of milliseconds: the flow's arrays are plain buffers allocated
/// once, the queue has a bucket per distance, and the passes over whole rows compare bytes, not pairs of arrays.
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

/// The proof that an assignment is optimal (linear-programming duality): a profit per mentee and a price per mentor,
/// none negative, such that no allowed pair outside the pins weighs more than its mentee's profit plus its mentor's
/// price, and the profits plus each mentor's price times its places left by the pins add up to the weight of the
/// pairs outside the pins. A pair weighs its score plus `bonus` ("nobody left unmatched first"). Tests check it.
struct MatchingCertificate: Sendable {
    var profit: [Int]
    var price: [Int]
    var bonus: Int
}

enum Matcher {
    /// The assignment with the highest total score. With `everyoneFirst`, it first matches as many mentees as the
    /// must rules and capacities allow, and among those assignments takes the highest total. `pinned` pairs
    /// (mentee → mentor) are kept as they are and count against the mentor's capacity; a pin on an excluded pair or
    /// beyond a mentor's capacity is ignored.
    static func optimum(
        _ problem: MatchingProblem, everyoneFirst: Bool = false, pinned: [Int: Int] = [:]
    ) -> MatchingAssignment {
        solve(problem, everyoneFirst: everyoneFirst, pinned: pinned).assignment
    }

    /// `optimum`, and the certificate that proves it.
    static func solve(
        _ problem: MatchingProblem, everyoneFirst: Bool = false, pinned: [Int: Int] = [:]
    ) -> (assignment: MatchingAssignment, certificate: MatchingCertificate) {
        guard problem.mentees > 0, problem.mentors > 0 else {
            return (
                MatchingAssignment(mentorOf: Array(repeating: nil, count: problem.mentees), total: 0),
                MatchingCertificate(
                    profit: Array(repeating: 0, count: problem.mentees),
                    price: Array(repeating: 0, count: problem.mentors),
                    bonus: 0)
            )
        }
        return problem.scores.withUnsafeBufferPointer { scores in
            var flow = AugmentingPaths(problem, scores: scores, everyoneFirst: everyoneFirst)
            defer { flow.free() }
            for (mentee, mentor) in pinned.sorted(by: { $0.key < $1.key }) { flow.pin(mentee, to: mentor) }
            // Every mentee enters knowing only its best-scoring mentors, those with the most good mentors first:
            // the later a mentee enters, the fuller the mentors and the longer its search, which stops sooner for
            // mentees with less to gain.
            let order = (0..<problem.mentees).sorted {
                (flow.known.floor[$0], $1) > (flow.known.floor[$1], $0)
            }
            for mentee in order where !flow.isPinned(mentee) { flow.enter(mentee) }
            // Then each mentee whom the potentials show a better mentor it does not know of learns of it and is
            // routed anew, until none is left: then the potentials prove the assignment optimal on the whole problem.
            while true {
                var widened = false
                flow.notePrices()
                for mentee in 0..<problem.mentees where flow.widenIfShortchanged(mentee) {
                    flow.reroute(mentee)
                    widened = true
                }
                if !widened { return (flow.assignment, flow.certificate) }
            }
        }
    }

    /// How many of each mentee's best-scoring mentors it knows of at first (more where scores tie).
    static let firstReach = 24

    /// The baseline: the best remaining pair first, until no pair is left that fits.
    static func greedy(_ problem: MatchingProblem, pinned: [Int: Int] = [:]) -> MatchingAssignment {
        var mentorOf = [Int?](repeating: nil, count: problem.mentees)
        var left = problem.capacity
        for (mentee, mentor) in pinned where problem.score(mentee, mentor) >= 0 && left[mentor] > 0 {
            mentorOf[mentee] = mentor
            left[mentor] -= 1
        }
        // Counting sort of the allowed pairs by score, highest first; within a score, by mentee and mentor.
        precondition(problem.scores.count <= Int(UInt32.max), "pairs numbered in 32 bits")
        var level = [Int](repeating: 0, count: 102)
        var order = [UInt32](repeating: 0, count: problem.scores.count)
        problem.scores.withUnsafeBufferPointer { scores in
            level.withUnsafeMutableBufferPointer { level in
                for score in scores where score >= 0 { level[100 - Int(score) + 1] += 1 }
                for index in 1..<102 { level[index] += level[index - 1] }
                var next = Array(level)
                order.withUnsafeMutableBufferPointer { order in
                    for (index, score) in scores.enumerated() where score >= 0 {
                        order[next[100 - Int(score)]] = UInt32(index)
                        next[100 - Int(score)] += 1
                    }
                }
            }
        }
        var places = left.reduce(0, +)
        for score in 0...100 where places > 0 {
            // Within a score the pairs run row by row: the mentee advances instead of dividing every index.
            var mentee = 0
            var row = 0
            for position in level[score]..<level[score + 1] {
                let index = Int(order[position])
                while index >= row + problem.mentors {
                    mentee += 1
                    row += problem.mentors
                }
                let mentor = index - row
                if mentorOf[mentee] == nil && left[mentor] > 0 {
                    mentorOf[mentee] = mentor
                    left[mentor] -= 1
                    places -= 1
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

/// A fixed number of plain values, allocated once and freed by `free()`: the matcher's loops index it without the
/// bounds and uniqueness checks of an array.
private struct Buffer<Element> {
    let base: UnsafeMutablePointer<Element>

    init(repeating value: Element, count: Int) {
        base = .allocate(capacity: max(1, count))
        base.initialize(repeating: value, count: max(1, count))
    }

    subscript(index: Int) -> Element {
        get { base[index] }
        nonmutating set { base[index] = newValue }
    }

    func free() { base.deallocate() }
}

/// A buffer that grows at its end.
private struct GrowingBuffer<Element> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(16, capacity)
        base = .allocate(capacity: self.capacity)
    }

    subscript(index: Int) -> Element {
        get { base[index] }
        nonmutating set { base[index] = newValue }
    }

    /// Makes room for `more` values at the end, uninitialised, and returns where they start.
    mutating func extend(by more: Int) -> Int {
        if count + more > capacity {
            capacity = max(2 * capacity, count + more)
            let grown = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
            grown.moveInitialize(from: base, count: count)
            base.deallocate()
            base = grown
        }
        count += more
        return count - more
    }

    mutating func append(_ value: Element) { base[extend(by: 1)] = value }

    mutating func removeAll() { count = 0 }

    func free() { base.deallocate() }
}

/// The mentors a mentee knows of, best score first: `packed[start[i] ..< end[i]]`, each `mentor << 8 | score`, and
/// every allowed pair of the mentee scoring `floor[i]` or more is among them. Prices only lower what a mentor is
/// worth to a mentee, so a scan in this order stops at the first mentor whose score alone makes a path too long.
private struct KnownMentors {
    var packed: GrowingBuffer<Int32>
    let start: Buffer<Int>
    let end: Buffer<Int>
    let floor: Buffer<Int>
    let scores: UnsafeBufferPointer<Int8>
    let mentors: Int
    /// A row's mentors scoring at least some value, packed, and how many score 0, 1, … 100 (then where the next of
    /// each goes): scratch space.
    private let candidates: Buffer<Int32>
    private let count = Buffer(repeating: 0, count: 101)

    /// Each mentee's `reach` best-scoring mentors, and all that tie with the last of them. (Three million pairs: a
    /// guess from every eighth mentor keeps the one pass over a row to a comparison per mentor.)
    init(_ problem: MatchingProblem, scores: UnsafeBufferPointer<Int8>, reach: Int) {
        self.scores = scores
        mentors = problem.mentors
        start = Buffer(repeating: 0, count: problem.mentees)
        end = Buffer(repeating: 0, count: problem.mentees)
        floor = Buffer(repeating: 0, count: problem.mentees)
        candidates = Buffer(repeating: 0, count: mentors)
        packed = GrowingBuffer(capacity: problem.mentees * reach * 2)
        for mentee in 0..<problem.mentees {
            let row = scores.baseAddress! + mentee * mentors
            for score in 0..<101 { count[score] = 0 }
            for mentor in stride(from: 0, to: mentors, by: 8) where row[mentor] >= 0 { count[Int(row[mentor])] += 1 }
            // The score that about twice `reach` of the row's mentors reach, judged by the sample.
            var guess = 100
            var sampled = count[100]
            while guess > 0 && 4 * sampled < reach {
                guess -= 1
                sampled += count[guess]
            }
            var collected = collect(mentee, from: guess)
            if collected < reach && guess > 0 {
                // The sample misled: take the whole row.
                guess = 0
                collected = collect(mentee, from: 0)
            }
            var lowest = 100
            var listed = count[100]
            while lowest > guess && listed < reach {
                lowest -= 1
                listed += count[lowest]
            }
            list(mentee, from: lowest, collected)
        }
    }

    /// Lists every allowed mentor of the mentee scoring `lowest` or more, anew at the end of `packed`.
    mutating func widen(_ mentee: Int, to lowest: Int) {
        list(mentee, from: lowest, collect(mentee, from: lowest))
    }

    func free() {
        packed.free()
        start.free()
        end.free()
        floor.free()
        candidates.free()
        count.free()
    }

    /// Puts the mentee's mentors scoring `lowest` or more into `candidates`, counts them by score and returns how
    /// many there are.
    private func collect(_ mentee: Int, from lowest: Int) -> Int {
        for score in lowest..<101 { count[score] = 0 }
        let row = scores.baseAddress! + mentee * mentors
        var collected = 0
        for mentor in 0..<mentors where row[mentor] >= lowest {
            let score = Int(row[mentor])
            candidates[collected] = Int32(mentor << 8 | score)
            collected += 1
            count[score] += 1
        }
        return collected
    }

    /// A counting sort of the first `collected` candidates scoring `lowest` or more, by `count`, into `packed`.
    private mutating func list(_ mentee: Int, from lowest: Int, _ collected: Int) {
        var listed = 0
        for score in lowest..<101 { listed += count[score] }
        let first = packed.extend(by: listed)
        var position = first
        for score in stride(from: 100, through: lowest, by: -1) {
            let scoring = count[score]
            count[score] = position
            position += scoring
        }
        for index in 0..<collected {
            let score = Int(candidates[index] & 0xFF)
            guard score >= lowest else { continue }
            packed[count[score]] = candidates[index]
            count[score] += 1
        }
        start[mentee] = first
        end[mentee] = first + listed
        floor[mentee] = lowest
    }
}

/// The min-cost flow behind `Matcher.optimum`. Nodes are the mentees, the mentors and one sink; a mentee reaches the
/// sink through a mentor (cost −weight) or directly (cost 0: unmatched), a mentor reaches it while it has a free
/// place. `potential` (mentees', then mentors', then the sink's) keeps every residual arc's reduced cost
/// `cost + p(from) − p(to)` non-negative on the arcs the mentees know of; no mentor's potential exceeds the sink's
/// (a mentor with mentees has the arc sink → mentor; one without is held down to it).
private struct AugmentingPaths {
    let problem: MatchingProblem
    let scores: UnsafeBufferPointer<Int8>
    /// Added to every allowed pair's weight with `everyoneFirst`: more than any difference in total score, so one
    /// more matched mentee always wins.
    let bonus: Int
    let mentees: Int
    let mentors: Int
    /// The node numbers: mentee `i` is `i`, mentor `j` is `mentees + j`, the sink `sink`.
    let sink: Int
    var known: KnownMentors
    let mentorOf: Buffer<Int>
    /// The places left for the flow: the mentor's capacity less its pinned mentees.
    let capacity: Buffer<Int>
    let pinned: Buffer<Bool>
    let potential: Buffer<Int>
    /// Mentors' potentials less `priceBase`, for a cheap first test of `widenIfShortchanged`.
    let cheap: Buffer<Int16>
    var priceBase = 0
    /// Mentor `j`'s mentees are `members[first[j] ..< first[j] + load[j]]`.
    let first: Buffer<Int>
    let load: Buffer<Int>
    let members: Buffer<Int>
    /// The mentees who entered and have no mentor: `unmatched[0 ..< unmatchedCount]`, mentee `i` at `slot[i]`.
    let unmatched: Buffer<Int>
    var unmatchedCount = 0
    let slot: Buffer<Int>

    // Dijkstra's state, stamped with the run it belongs to so nothing is cleared between routes.
    var run: UInt32 = 0
    let distance: Buffer<Int>
    let seen: Buffer<UInt32>
    let done: Buffer<UInt32>
    /// The node each node was reached from.
    let via: Buffer<Int32>
    var finished: GrowingBuffer<Int32>
    var queue: DistanceQueue
    /// A path's moves of a mentee to a mentor, made after its mentees left their mentors.
    var joins: GrowingBuffer<Int>

    init(_ problem: MatchingProblem, scores: UnsafeBufferPointer<Int8>, everyoneFirst: Bool) {
        self.problem = problem
        self.scores = scores
        mentees = problem.mentees
        mentors = problem.mentors
        sink = problem.mentees + problem.mentors
        known = KnownMentors(problem, scores: scores, reach: Matcher.firstReach)
        let places = problem.capacity.reduce(0, +)
        bonus = everyoneFirst ? 100 * min(problem.mentees, places) + 1 : 0
        mentorOf = Buffer(repeating: -1, count: mentees)
        capacity = Buffer(repeating: 0, count: mentors)
        first = Buffer(repeating: 0, count: mentors)
        var next = 0
        for (mentor, places) in problem.capacity.enumerated() {
            capacity[mentor] = places
            first[mentor] = next
            next += places
        }
        pinned = Buffer(repeating: false, count: mentees)
        potential = Buffer(repeating: 0, count: sink + 1)
        cheap = Buffer(repeating: 0, count: mentors)
        load = Buffer(repeating: 0, count: mentors)
        members = Buffer(repeating: -1, count: places)
        unmatched = Buffer(repeating: -1, count: mentees)
        slot = Buffer(repeating: -1, count: mentees)
        distance = Buffer(repeating: 0, count: sink + 1)
        seen = Buffer(repeating: 0, count: sink + 1)
        done = Buffer(repeating: 0, count: sink + 1)
        via = Buffer(repeating: -1, count: sink + 1)
        finished = GrowingBuffer(capacity: sink + 1)
        queue = DistanceQueue(capacity: 4 * (sink + 1))
        joins = GrowingBuffer(capacity: 2 * (sink + 1))
    }

    func free() {
        known.free()
        for buffer in [mentorOf, capacity, potential, first, load, members, unmatched, slot, distance] { buffer.free() }
        pinned.free()
        cheap.free()
        seen.free()
        done.free()
        via.free()
        finished.free()
        queue.free()
        joins.free()
    }

    var assignment: MatchingAssignment {
        let mentorOf = (0..<mentees).map { self.mentorOf[$0] < 0 ? nil : self.mentorOf[$0] }
        return MatchingAssignment(mentorOf: mentorOf, total: Matcher.total(of: mentorOf, in: problem))
    }

    /// The potentials as profits and prices, measured from the sink's. An unmatched mentee's potential may lie below
    /// the sink's (no arc holds it up); its profit is 0, which keeps every pair's constraint.
    var certificate: MatchingCertificate {
        MatchingCertificate(
            profit: (0..<mentees).map { pinned[$0] ? 0 : max(0, potential[$0] - potential[sink]) },
            price: (0..<mentors).map { potential[sink] - potential[mentees + $0] }, bonus: bonus)
    }

    func isPinned(_ mentee: Int) -> Bool { pinned[mentee] }

    /// A pinned mentee is no node of the flow: it only takes one of the mentor's places.
    func pin(_ mentee: Int, to mentor: Int) {
        guard problem.score(mentee, mentor) >= 0, capacity[mentor] > 0, mentorOf[mentee] < 0 else { return }
        mentorOf[mentee] = mentor
        capacity[mentor] -= 1
        pinned[mentee] = true
    }

    /// Adds a mentee to the flow along the cheapest augmenting path.
    mutating func enter(_ mentee: Int) {
        let best = raise(mentee)
        // Most mentees enter while the mentor worth most to them has a free place: a path of length 0.
        if best >= 0 && load[best] < capacity[best] {
            add(mentee, to: best)
        } else {
            route(from: mentee, to: sink)
        }
    }

    /// Whether a mentor the mentee does not know of is worth more to it than what it has (an arc of negative
    /// reduced cost that the flow did not see); if so, the mentee now knows of every such mentor.
    mutating func widenIfShortchanged(_ mentee: Int) -> Bool {
        guard !pinned[mentee], known.floor[mentee] > 0 else { return false }
        // A mentor it does not know of scores below the floor and is worth at most its score plus `priceBase`.
        let floor = known.floor[mentee]
        let limit = potential[mentee] - bonus - priceBase
        guard floor - 1 > limit else { return false }
        let row = scores.baseAddress! + mentee * mentors
        // First the cheap test on 16-bit lanes, which the compiler vectorises: `cheap` never understates what a
        // mentor is worth, so where it finds none worth more than the limit, there is none.
        let mostWorth = Self.mostWorth(row, cheap.base, count: mentors, below: Int16(floor))
        guard Int(mostWorth) > max(limit, -200) else { return false }
        let mentorPotential = potential.base + mentees
        let exactLimit = potential[mentee] - bonus
        var lowest = floor
        for mentor in 0..<mentors {
            let score = Int(row[mentor])
            if score >= 0 && score < lowest && score + mentorPotential[mentor] > exactLimit { lowest = score }
        }
        guard lowest < floor else { return false }
        known.widen(mentee, to: lowest)
        return true
    }

    /// The most any mentor scoring below `floor` is worth by `cheap`, or `Int16.min` if none. A loop of its own over
    /// plain pointers, which the compiler turns into vector instructions.
    @inline(never)  // Inlined, the loop is no longer vectorised.
    private static func mostWorth(
        _ row: UnsafePointer<Int8>, _ cheap: UnsafePointer<Int16>, count: Int, below floor: Int16
    ) -> Int16 {
        var most = Int16.min
        // One unsigned comparison for 0 ≤ score < floor: an excluded pair's −1 is the largest 16-bit number.
        let floor = UInt16(floor)
        for mentor in 0..<count {
            let score = Int16(row[mentor])
            let worth = score &+ cheap[mentor]
            most = max(most, UInt16(bitPattern: score) < floor ? worth : .min)
        }
        return most
    }

    /// Measures the mentors' prices for the cheap test of `widenIfShortchanged` from the sink's potential now.
    mutating func notePrices() {
        priceBase = potential[sink]
        for mentor in 0..<mentors { notePrice(of: mentor) }
    }

    /// A mentor's potential less `priceBase`, no lower than −128 (no score makes up more).
    private func notePrice(of mentor: Int) {
        cheap[mentor] = Int16(clamping: max(-128, potential[mentees + mentor] - priceBase))
    }

    /// Routes a mentee anew after it learned of more mentors: its potential rises to what the best of them is worth,
    /// which the arc back to its mentor (or from the sink, if it had none) cannot bear, so that unit of flow is
    /// taken back and sent again along the cheapest path, to the mentor it left (or the sink).
    mutating func reroute(_ mentee: Int) {
        raise(mentee)
        let mentor = mentorOf[mentee]
        if mentor >= 0 {
            remove(mentee, from: mentor)
            route(from: mentee, to: mentees + mentor)
        } else {
            leaveUnmatched(mentee)
            route(from: mentee, to: sink)
        }
    }

    /// Sets the mentee's potential to the most any mentor it knows of is worth to it (or being unmatched), so that
    /// no arc out of it has a negative reduced cost. Returns the mentor worth that most, or -1 for being unmatched.
    @discardableResult
    private func raise(_ mentee: Int) -> Int {
        let floor = bonus + potential[sink]
        var highest = potential[sink]
        var best = -1
        for index in known.start[mentee]..<known.end[mentee] {
            let choice = Int(known.packed[index])
            guard (choice & 0xFF) + floor > highest else { break }
            let worth = (choice & 0xFF) + bonus + potential[mentees + choice >> 8]
            if worth > highest {
                highest = worth
                best = choice >> 8
            }
        }
        potential[mentee] = highest
        return best
    }

    /// Dijkstra on reduced costs from `start`, which has one unit to send, to `goal`, which lacks one (the sink, or
    /// a mentor whose mentee left); then the potentials of the nodes it settled move by their distance, and the
    /// unit moves along the path.
    private mutating func route(from start: Int, to target: Int) {
        run &+= 1
        // Locals, not fields: a write through a pointer could otherwise change any field, so the loop would load
        // them all again after every write.
        let run = run, mentees = mentees, mentors = mentors, sink = sink, bonus = bonus
        let potential = potential.base, distance = distance.base, seen = seen.base, done = done.base, via = via.base
        let packed = known.packed.base, listStart = known.start.base, listEnd = known.end.base
        let mentorOf = mentorOf.base, load = load.base, capacity = capacity.base, first = first.base
        let members = members.base, scores = scores.baseAddress!
        var queue = queue
        var finished = finished
        defer {
            self.queue = queue
            self.finished = finished
        }
        finished.removeAll()
        queue.removeAll()
        var bound = Int.max
        func reach(_ node: Int, _ length: Int, from: Int) {
            guard length < bound, seen[node] != run || length < distance[node] else { return }
            seen[node] = run
            distance[node] = length
            via[node] = Int32(from)
            if node == target { bound = length } else { queue.push(length, node: node) }
        }
        seen[start] = run
        distance[start] = 0
        queue.push(0, node: start)
        while let (settled, node) = queue.pop(), settled < bound {
            guard done[node] != run else { continue }
            done[node] = run
            finished.append(Int32(node))
            let here = settled + potential[node]
            if node < mentees {
                let own = mentorOf[node]
                if own >= 0 || node == start { reach(sink, here - potential[sink], from: node) }
                // What a mentor is worth stops at the sink's potential: no path via a later one is shorter.
                let cutoff = here - bonus - potential[sink]
                for index in listStart[node]..<listEnd[node] {
                    let choice = Int(packed[index])
                    let score = choice & 0xFF
                    guard cutoff - score < bound else { break }
                    let mentor = choice >> 8
                    if mentor != own {
                        reach(mentees + mentor, here - score - bonus - potential[mentees + mentor], from: node)
                    }
                }
            } else if node < sink {
                let mentor = node - mentees
                if load[mentor] < capacity[mentor] { reach(sink, here - potential[sink], from: node) }
                for place in first[mentor]..<(first[mentor] + load[mentor]) {
                    let mentee = members[place]
                    reach(mentee, here + Int(scores[mentee * mentors + mentor]) + bonus - potential[mentee], from: node)
                }
            } else {
                for mentor in 0..<mentors where load[mentor] > 0 || mentees + mentor == target {
                    reach(mentees + mentor, here - potential[mentees + mentor], from: sink)
                }
                for index in 0..<unmatchedCount {
                    let mentee = unmatched[index]
                    reach(mentee, here - potential[mentee], from: sink)
                }
            }
        }
        let length = distance[target]
        for index in 0..<finished.count {
            let node = Int(finished[index])
            guard distance[node] < length else { continue }
            potential[node] += distance[node] - length
            if node >= mentees && node < sink { notePrice(of: node - mentees) }
        }
        if done[sink] == run {
            // The sink moved down: hold mentors without mentees down to it.
            for mentor in 0..<mentors where load[mentor] == 0 && potential[mentees + mentor] > potential[sink] {
                potential[mentees + mentor] = potential[sink]
                notePrice(of: mentor)
            }
        }
        augment(from: start, to: target)
    }

    /// Walks the path back from its end: a mentee reached from its mentor leaves it, a mentor reached from a mentee
    /// takes it; arcs to and from the sink only change whether a mentee is unmatched or a mentor full.
    private mutating func augment(from start: Int, to target: Int) {
        joins.removeAll()
        var node = target
        while node != start {
            let from = Int(via[node])
            if from < mentees && node >= mentees && node < sink {
                joins.append(from)
                joins.append(node - mentees)
            } else if node < mentees && from >= mentees && from < sink {
                remove(node, from: from - mentees)
            } else if node < mentees && from == sink {
                leaveUnmatched(node)
            } else if node == sink && from < mentees && from != start {
                becomeUnmatched(from)
            }
            node = from
        }
        for index in stride(from: 0, to: joins.count, by: 2) { add(joins[index], to: joins[index + 1]) }
        if mentorOf[start] < 0 { becomeUnmatched(start) }
    }

    private mutating func becomeUnmatched(_ mentee: Int) {
        slot[mentee] = unmatchedCount
        unmatched[unmatchedCount] = mentee
        unmatchedCount += 1
    }

    private mutating func leaveUnmatched(_ mentee: Int) {
        let at = slot[mentee]
        guard at >= 0 else { return }
        unmatchedCount -= 1
        let last = unmatched[unmatchedCount]
        unmatched[at] = last
        slot[last] = at
        slot[mentee] = -1
    }

    private func add(_ mentee: Int, to mentor: Int) {
        members[first[mentor] + load[mentor]] = mentee
        load[mentor] += 1
        mentorOf[mentee] = mentor
    }

    private func remove(_ mentee: Int, from mentor: Int) {
        var place = first[mentor]
        while members[place] != mentee { place += 1 }
        load[mentor] -= 1
        members[place] = members[first[mentor] + load[mentor]]
        mentorOf[mentee] = -1
    }
}

/// Dijkstra's queue of (distance, node): one bucket per distance below `buckets` (a list threaded through `next`;
/// entries are never taken out early, a node settled before is skipped), and a binary heap beyond. Paths are short
/// where scores are 0…100; the heap serves "nobody left unmatched first", whose weights carry a large bonus.
private struct DistanceQueue {
    static let buckets = 512
    private let head = Buffer<Int32>(repeating: -1, count: buckets)
    private var node: GrowingBuffer<Int32>
    private var next: GrowingBuffer<Int32>
    /// No bucket below `lowest` holds an entry; none above `highest`.
    private var lowest = 0
    private var highest = -1
    private var heap: [Int] = []

    init(capacity: Int) {
        node = GrowingBuffer(capacity: capacity)
        next = GrowingBuffer(capacity: capacity)
    }

    func free() {
        head.free()
        node.free()
        next.free()
    }

    mutating func removeAll() {
        if lowest <= highest { for bucket in lowest...highest { head[bucket] = -1 } }
        node.removeAll()
        next.removeAll()
        lowest = 0
        highest = -1
        heap.removeAll(keepingCapacity: true)
    }

    @inline(__always)
    mutating func push(_ distance: Int, node added: Int) {
        guard distance < Self.buckets else { return pushHeap(distance << 32 | added) }
        next.append(head[distance])
        head[distance] = Int32(node.count)
        node.append(Int32(added))
        if distance < lowest { lowest = distance }
        if distance > highest { highest = distance }
    }

    @inline(__always)
    mutating func pop() -> (Int, Int)? {
        while lowest <= highest {
            let entry = Int(head[lowest])
            if entry >= 0 {
                head[lowest] = next[entry]
                return (lowest, Int(node[entry]))
            }
            lowest += 1
        }
        return popHeap()
    }

    private mutating func pushHeap(_ item: Int) {
        var index = heap.count
        heap.append(item)
        while index > 0 {
            let parent = (index - 1) / 2
            guard heap[parent] > item else { break }
            heap[index] = heap[parent]
            index = parent
        }
        heap[index] = item
    }

    private mutating func popHeap() -> (Int, Int)? {
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            var index = 0
            while true {
                var child = 2 * index + 1
                guard child < heap.count else { break }
                if child + 1 < heap.count && heap[child + 1] < heap[child] { child += 1 }
                guard heap[child] < last else { break }
                heap[index] = heap[child]
                index = child
            }
            heap[index] = last
        }
        return (top >> 32, top & 0xFFFF_FFFF)
    }
}
