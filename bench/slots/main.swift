// The 90-day slot computation of Sources/LotseServer/Scheduling, compiled with -O together with its two source
// files (bench/scheduling.sh). Reads a scenario (JSON) and prints the free starts and the time per computation.
import Foundation

struct Scenario: Decodable {
    var timeZone: String
    var weekly: [[[Int]]]  // per weekday (Monday first): [start, end] minutes
    var exceptions: [String: [[Int]]]  // day number → hours
    var bufferBefore: Int
    var bufferAfter: Int
    var minimumNotice: Int
    var horizon: Int
    var step: Int
    var duration: Int
    var busy: [[Int]]
    var now: Int
    var runs: Int
}

let scenario = try JSONDecoder().decode(
    Scenario.self, from: Data(contentsOf: URL(fileURLWithPath: CommandLine.arguments[1])))
let rules = SlotRules(
    weekly: scenario.weekly.map { $0.map { SlotRules.Hours(start: $0[0], end: $0[1]) } },
    exceptions: Dictionary(
        uniqueKeysWithValues: scenario.exceptions.map { (Int($0.key)!, $0.value.map { SlotRules.Hours(start: $0[0], end: $0[1]) }) }),
    bufferBefore: scenario.bufferBefore, bufferAfter: scenario.bufferAfter, minimumNotice: scenario.minimumNotice,
    horizon: scenario.horizon, step: scenario.step)
let busy = scenario.busy.map { Interval(start: $0[0], end: $0[1]) }
let zone = TimeZone(identifier: scenario.timeZone)!

/// One computation as the server does it: the zone's offsets looked up, then the slots.
@inline(never) func compute() -> [Int] {
    let offsets = ZoneOffsets(zone, from: scenario.now, to: scenario.now + rules.horizon + scenario.duration)
    return SlotFinder.freeStarts(rules: rules, zone: offsets, duration: scenario.duration, busy: busy, now: scenario.now)
}

var result = compute()
var times: [Double] = []
for _ in 0..<scenario.runs {
    let start = DispatchTime.now().uptimeNanoseconds
    result = compute()
    times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000)
}
times.sort()
let output: [String: Any] = ["medianMicroseconds": times[times.count / 2], "starts": result]
print(String(decoding: try JSONSerialization.data(withJSONObject: output), as: UTF8.self))
