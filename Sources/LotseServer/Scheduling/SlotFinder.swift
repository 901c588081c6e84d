import Foundation

/// A half-open stretch of time, `[start, end)`, in seconds since 1970 (UTC).
struct Interval: Sendable, Equatable, Hashable {
    var start: Int
    var end: Int
}

/// A coach's availability in the form the slot computation reads: minutes of the day per weekday and per exception
/// date, and the buffers, notice and step in seconds. Built from ``LotseAPI/Availability`` after validation.
struct SlotRules: Sendable, Equatable {
    /// A stretch of the day in minutes since midnight, `[start, end)`; `end` is at most 1440.
    struct Hours: Sendable, Equatable {
        var start: Int
        var end: Int
    }

    /// Index 0 is Monday, 6 is Sunday; each list sorted by start.
    var weekly: [[Hours]]
    /// Day number (``CivilDate``) → the hours of that day instead of the weekly ones; empty is closed.
    var exceptions: [Int: [Hours]]
    var bufferBefore: Int
    var bufferAfter: Int
    var minimumNotice: Int
    var horizon: Int
    var step: Int
}

/// Computes the start times a client can book. A pure function of the rules, the zone's offsets, the busy times and
/// the clock, specified in docs/scheduling.md and checked against a Python reference in bench/scheduling.sh.
enum SlotFinder {
    /// The free starts (UTC seconds) for a session of `duration` seconds, at or after `now + minimumNotice` and
    /// before `now + horizon`.
    ///
    /// 1. Each local day's hours (an exception's, or the weekday's) become UTC ranges through `zone`.
    /// 2. Candidates are each range's start and every `step` seconds after it, while still inside the range.
    /// 3. A candidate must fit its window: the ranges merged where they overlap or touch, so a session may run from
    ///    one stretch into an adjacent one.
    /// 4. It is free if `[start - bufferBefore, start + duration + bufferAfter)` meets no busy interval.
    ///
    /// `busy` holds the claimed time of existing bookings (their buffers included), in any order. The result is
    /// sorted and has no duplicates.
    static func freeStarts(
        rules: SlotRules, zone: ZoneOffsets, duration: Int, busy: [Interval], now: Int
    ) -> [Int] {
        let earliest = now + rules.minimumNotice
        let latest = now + rules.horizon
        guard duration > 0, rules.step > 0, earliest < latest else { return [] }
        let ranges = ranges(rules: rules, zone: zone, from: earliest, to: latest + duration)
        let windows = merged(ranges)
        let taken = merged(busy)
        var starts: [Int] = []
        starts.reserveCapacity(ranges.count * 8)
        var window = 0
        var isSorted = true
        for range in ranges {
            while windows[window].end < range.end { window += 1 }  // ranges are sorted by start: monotone
            let limit = windows[window].end - duration
            var start = range.start
            if start < earliest { start += (earliest - start + rules.step - 1) / rules.step * rules.step }
            // The first busy interval that may meet this range's first claim; after it, claims only move later.
            var next = firstEnding(after: start - rules.bufferBefore, in: taken)
            while start < range.end && start <= limit && start < latest {
                let claimStart = start - rules.bufferBefore
                while next < taken.count && taken[next].end <= claimStart { next += 1 }
                if next < taken.count && taken[next].start < start + duration + rules.bufferAfter {
                    // Skip the steps whose claims would still meet this busy interval.
                    let clear = taken[next].end + rules.bufferBefore
                    start += max(1, (clear - start + rules.step - 1) / rules.step) * rules.step
                    continue
                }
                if let last = starts.last, last >= start { isSorted = false }
                starts.append(start)
                start += rules.step
            }
        }
        if !isSorted { starts = Array(Set(starts)).sorted() }  // only when ranges overlap
        return starts
    }

    /// The ranges (UTC) of every local day around `[from, to)`, sorted by start.
    static func ranges(rules: SlotRules, zone: ZoneOffsets, from: Int, to: Int) -> [Interval] {
        let firstDay = floorDiv(zone.local(from), 86_400) - 1
        let lastDay = floorDiv(zone.local(to), 86_400) + 1
        var ranges: [Interval] = []
        ranges.reserveCapacity((lastDay - firstDay + 1) * 2)
        var isSorted = true
        for day in firstDay...lastDay {
            let hours = rules.exceptions[day] ?? rules.weekly[CivilDate.weekday(day) - 1]
            for hour in hours {
                let start = zone.utc(day * 86_400 + hour.start * 60)
                let end = zone.utc(day * 86_400 + hour.end * 60)
                guard end > start else { continue }
                if let last = ranges.last, last.start > start { isSorted = false }
                ranges.append(Interval(start: start, end: end))
            }
        }
        if !isSorted { ranges.sort { $0.start < $1.start } }
        return ranges
    }

    /// The index of the first of `sorted` (disjoint, in order) that ends after `moment`.
    static func firstEnding(after moment: Int, in sorted: [Interval]) -> Int {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle].end <= moment { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Sorted, with overlapping or touching intervals joined.
    static func merged(_ intervals: [Interval]) -> [Interval] {
        guard intervals.count > 1 else { return intervals }
        var sorted = intervals
        if !zip(sorted, sorted.dropFirst()).allSatisfy({ $0.start <= $1.start }) {
            sorted.sort { $0.start < $1.start }
        }
        var result: [Interval] = [sorted[0]]
        for interval in sorted.dropFirst() {
            if interval.start <= result[result.count - 1].end {
                result[result.count - 1].end = max(result[result.count - 1].end, interval.end)
            } else {
                result.append(interval)
            }
        }
        return result
    }

    static func floorDiv(_ a: Int, _ b: Int) -> Int {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }
}
