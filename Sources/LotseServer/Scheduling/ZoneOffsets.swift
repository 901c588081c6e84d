import Foundation

/// The UTC offsets of one time zone over a span of time, looked up once from the system's time zone data so that
/// everything after is integer arithmetic on seconds since 1970 (docs/scheduling.md).
///
/// "Local" seconds count wall-clock time as if the zone were UTC: 09:00 local on 1970-01-02 is 86_400 + 32_400.
struct ZoneOffsets: Sendable, Equatable {
    /// From `start` (UTC seconds) on, until the next period's start, local time is UTC plus `offset` seconds.
    struct Period: Sendable, Equatable {
        var start: Int
        var offset: Int
    }

    /// Sorted by start; the first starts at `Int.min`.
    let periods: [Period]

    init(periods: [Period]) {
        precondition(!periods.isEmpty, "a zone has at least one offset")
        self.periods = periods
    }

    /// The offsets of `zone` from `start` to `end` (UTC seconds), with a day of margin on both sides.
    init(_ zone: TimeZone, from start: Int, to end: Int) {
        var moment = Date(timeIntervalSince1970: TimeInterval(start - 86_400))
        let last = Date(timeIntervalSince1970: TimeInterval(end + 86_400))
        var periods = [Period(start: .min, offset: zone.secondsFromGMT(for: moment))]
        while let next = zone.nextDaylightSavingTimeTransition(after: moment), next < last {
            let offset = zone.secondsFromGMT(for: next)
            if offset != periods[periods.count - 1].offset {
                periods.append(Period(start: Int(next.timeIntervalSince1970.rounded()), offset: offset))
            }
            moment = next
        }
        self.init(periods: periods)
    }

    /// The offset in force at `utc`.
    func offset(at utc: Int) -> Int {
        var index = periods.count - 1
        while index > 0 && periods[index].start > utc { index -= 1 }
        return periods[index].offset
    }

    /// The wall-clock time at `utc`.
    func local(_ utc: Int) -> Int { utc + offset(at: utc) }

    /// The moment a wall-clock time happens. A time that happens twice (when clocks go back) is its first
    /// occurrence; a time that never happens (when clocks go forward) is read with the offset before the change, so
    /// 02:30 on a day that skips from 02:00 to 03:00 is 03:30. This is what Python's zoneinfo does with `fold=0`.
    func utc(_ local: Int) -> Int {
        for (index, period) in periods.enumerated() {
            let candidate = local - period.offset
            let end = index + 1 < periods.count ? periods[index + 1].start : .max
            if candidate >= period.start && candidate < end { return candidate }
        }
        // In a gap: the offset of the period the wall-clock time would have continued.
        for index in 1..<periods.count where local - periods[index].offset < periods[index].start {
            return local - periods[index - 1].offset
        }
        return local - periods[periods.count - 1].offset
    }
}
