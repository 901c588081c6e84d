// The program matcher of Sources/LotseServer/Programs/Matching/Matcher.swift, compiled with -O on its own
// (bench/matching.sh). Reads an instance written by bench/matching_instance.py and prints, as JSON, the optimum's
// total and time per run, the "nobody left unmatched first" variant's, and greedy's.
import Foundation

let data = try Data(contentsOf: URL(fileURLWithPath: CommandLine.arguments[1]))
let runs = Int(CommandLine.arguments[2]) ?? 5
func int32(at offset: Int) -> Int {
    Int(Int32(littleEndian: data.subdata(in: offset..<offset + 4).withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }))
}
let mentees = int32(at: 0)
let mentors = int32(at: 4)
let capacity = (0..<mentors).map { int32(at: 8 + 4 * $0) }
let scores = data.dropFirst(8 + 4 * mentors).map { Int8(bitPattern: $0) }
let problem = MatchingProblem(mentees: mentees, capacity: capacity, scores: scores)

func milliseconds(_ work: () -> MatchingAssignment) -> (MatchingAssignment, Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let result = work()
    return (result, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
}

var times: [Double] = []
var optimum = MatchingAssignment(mentorOf: [], total: 0)
for _ in 0..<runs {
    let (result, time) = milliseconds { Matcher.optimum(problem) }
    optimum = result
    times.append(time)
}
let (everyone, everyoneTime) = milliseconds { Matcher.optimum(problem, everyoneFirst: true) }
let (greedy, greedyTime) = milliseconds { Matcher.greedy(problem) }
// The optimum must be a feasible assignment: allowed pairs, no mentor over capacity.
var load = [Int](repeating: 0, count: mentors)
for (mentee, mentor) in optimum.mentorOf.enumerated() {
    guard let mentor else { continue }
    precondition(problem.score(mentee, mentor) >= 0, "an excluded pair")
    load[mentor] += 1
    precondition(load[mentor] <= capacity[mentor], "a mentor over capacity")
}
let report: [String: Double] = [
    "total": Double(optimum.total), "matched": Double(optimum.matched),
    "medianMilliseconds": times.sorted()[times.count / 2],
    "everyoneTotal": Double(everyone.total), "everyoneMatched": Double(everyone.matched),
    "everyoneMilliseconds": everyoneTime,
    "greedyTotal": Double(greedy.total), "greedyMatched": Double(greedy.matched), "greedyMilliseconds": greedyTime,
]
print(String(decoding: try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys]), as: UTF8.self))
