import Foundation
import PropertyBased
import Testing

@testable import LotseServer

@Suite("Free slots")
struct SlotFinderTests {
    /// 2027-03-28 00:00 UTC (a Sunday: Europe's clocks go forward at 01:00 UTC).
    static let europeSpring = 1_806_192_000

    static func rules(
        _ weekly: [Int: [(Int, Int)]], step: Int = 60, before: Int = 0, after: Int = 0, notice: Int = 0,
        horizon: Int = 7, exceptions: [Int: [SlotRules.Hours]] = [:]
    ) -> SlotRules {
        SlotRules(
            weekly: (1...7).map { day in (weekly[day] ?? []).map { SlotRules.Hours(start: $0.0 * 60, end: $0.1 * 60) }
            },
            exceptions: exceptions, bufferBefore: before * 60, bufferAfter: after * 60, minimumNotice: notice * 60,
            horizon: horizon * 86_400, step: step * 60)
    }

    static func zone(_ identifier: String, around time: Int) -> ZoneOffsets {
        ZoneOffsets(TimeZone(identifier: identifier)!, from: time - 86_400 * 100, to: time + 86_400 * 200)
    }

    static func hours(_ starts: [Int], since base: Int) -> [Double] {
        starts.map { Double($0 - base) / 3_600 }
    }

    @Test("When Berlin's clocks go forward, 01:00–04:00 holds two hours, and the skipped hour offers nothing")
    func berlinSpringForward() {
        let base = Self.europeSpring
        let starts = SlotFinder.freeStarts(
            rules: Self.rules([7: [(1, 4)]]), zone: Self.zone("Europe/Berlin", around: base), duration: 3_600,
            busy: [], now: base - 86_400)
        // 01:00 CET is 00:00 UTC, 04:00 CEST is 02:00 UTC.
        #expect(Self.hours(starts, since: base) == [0, 1])
    }

    @Test("When New York's clocks go back, 00:00–03:00 holds four hours and 01:00 is offered twice")
    func newYorkFallBack() {
        let base = 1_793_491_200  // 2026-11-01 00:00 UTC, a Sunday
        let starts = SlotFinder.freeStarts(
            rules: Self.rules([7: [(0, 3)]]), zone: Self.zone("America/New_York", around: base), duration: 3_600,
            busy: [], now: base - 86_400)
        // 00:00 EDT is 04:00 UTC; 03:00 EST is 08:00 UTC.
        #expect(Self.hours(starts, since: base) == [4, 5, 6, 7])
    }

    @Test("Kolkata's half-hour offset and Lord Howe's half-hour daylight saving land where the wall clock says")
    func halfHourZones() {
        let base = 1_806_192_000 - 86_400 * 175  // 2026-10-04 00:00 UTC, a Sunday: Lord Howe goes to +11 at 02:00
        let kolkata = SlotFinder.freeStarts(
            rules: Self.rules([7: [(9, 11)]]), zone: Self.zone("Asia/Kolkata", around: base), duration: 3_600,
            busy: [], now: base - 86_400)
        #expect(Self.hours(kolkata, since: base) == [3.5, 4.5])  // 09:00 IST is 03:30 UTC
        // On 2026-10-04 local, Lord Howe's 01:00–04:00 is 01:00 (+10:30) to 04:00 (+11): 2.5 hours, which hold
        // 01:00, 01:30, 02:30 and 03:00 (the clocks skip from 02:00 to 02:30).
        let lordHowe = SlotFinder.freeStarts(
            rules: Self.rules([7: [(1, 4)]], step: 30), zone: Self.zone("Australia/Lord_Howe", around: base),
            duration: 3_600, busy: [], now: base - 86_400 * 2)
        let sunday = base - 86_400  // the local Sunday starts on Saturday in UTC
        let local = lordHowe.filter { $0 < sunday + 86_400 && $0 >= sunday - 43_200 }
        #expect(Self.hours(local, since: sunday) == [14.5, 15, 15.5, 16])
    }

    @Test("Buffers keep time free around a booking; minimum notice and the horizon bound the offer")
    func buffersNoticeAndHorizon() {
        let monday = 1_796_601_600  // 2026-12-07 00:00 UTC, a Monday
        let rules = Self.rules([1: [(9, 13)]], step: 30, before: 15, after: 15, notice: 60, horizon: 1)
        let booked = Interval(start: monday + 10 * 3_600 - 900, end: monday + 11 * 3_600 + 900)
        let starts = SlotFinder.freeStarts(
            rules: rules, zone: Self.zone("UTC", around: monday), duration: 3_600, busy: [booked],
            now: monday + 8 * 3_600 + 30 * 60)
        // 09:00 is too soon (notice), 09:30 and 10:00 meet the booking with buffers, 11:30 is the first after it.
        #expect(Self.hours(starts, since: monday) == [11.5, 12])
    }

    @Test("An exception closes a day or gives it other hours")
    func exceptions() {
        let monday = 1_796_601_600
        let day = monday / 86_400
        let rules = Self.rules(
            [1: [(9, 11)], 2: [(9, 11)]], horizon: 8,
            exceptions: [day: [], day + 1: [SlotRules.Hours(start: 14 * 60, end: 15 * 60)]])
        let starts = SlotFinder.freeStarts(
            rules: rules, zone: Self.zone("UTC", around: monday), duration: 3_600, busy: [], now: monday - 3_600)
        let expected: [Double] = [38, 177, 178]  // Tuesday 14:00, next Monday 09:00 and 10:00
        #expect(Self.hours(starts, since: monday) == expected)
    }

    // MARK: Properties

    static let zones = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]

    /// A random week of hours, random bookings, a random moment within two years around the DST changes.
    static let scenario = zip(
        Gen.int(in: 0..<4),
        Gen.int(in: 0...(730 * 96)),
        zip(Gen.int(in: 0...7), Gen.int(in: 0...60), Gen.int(in: 0...48)).array(of: 0...12),
        zip(Gen.int(in: 0...(90 * 96)), Gen.int(in: 1...24)).array(of: 0...40),
        zip(Gen.int(in: 1...24), Gen.int(in: 1...12), Gen.int(in: 0...6), Gen.int(in: 0...6))
    )

    static func make(
        _ zoneIndex: Int, _ quarter: Int, _ hours: [(Int, Int, Int)], _ bookings: [(Int, Int)],
        _ shape: (Int, Int, Int, Int)
    ) -> (SlotRules, ZoneOffsets, Int, [Interval], Int) {
        let now = 1_767_225_600 + quarter * 900  // from 2026-01-01
        var weekly = [[SlotRules.Hours]](repeating: [], count: 7)
        for (day, start, length) in hours where day < 7 {
            let from = start * 15 + 300  // 05:00 to 20:00
            weekly[day].append(SlotRules.Hours(start: from, end: min(1_440, from + length * 15 + 15)))
        }
        let rules = SlotRules(
            weekly: weekly.map { $0.sorted { $0.start < $1.start } }, exceptions: [:], bufferBefore: shape.2 * 300,
            bufferAfter: shape.3 * 300, minimumNotice: 3_600, horizon: 90 * 86_400, step: shape.1 * 300)
        let busy = bookings.map { offset, length in
            Interval(start: now + offset * 900, end: now + offset * 900 + length * 900)
        }
        return (rules, zone(zones[zoneIndex], around: now), shape.0 * 900, busy, now)
    }

    @Test("Every offered start is in the future, inside the hours, clear of every booking, and offered once")
    func offeredStartsAreValid() async {
        await propertyCheck(count: 150, input: Self.scenario) { zoneIndex, quarter, hours, bookings, shape in
            let (rules, zone, duration, busy, now) = Self.make(zoneIndex, quarter, hours, bookings, shape)
            let starts = SlotFinder.freeStarts(rules: rules, zone: zone, duration: duration, busy: busy, now: now)
            #expect(zip(starts, starts.dropFirst()).allSatisfy { $0 < $1 })
            let foundation = TimeZone(identifier: Self.zones[zoneIndex])!
            for start in starts {
                #expect(start >= now + rules.minimumNotice && start < now + rules.horizon)
                let claim = Interval(start: start - rules.bufferBefore, end: start + duration + rules.bufferAfter)
                #expect(!busy.contains { $0.start < claim.end && claim.start < $0.end })
                // Read back through Foundation: the start's wall-clock time lies in that weekday's hours, or in the
                // hour the clocks skipped right before them.
                let local = start + foundation.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(start)))
                let day = SlotFinder.floorDiv(local, 86_400)
                let minute = (local - day * 86_400) / 60
                let hours = rules.weekly[CivilDate.weekday(day) - 1]
                #expect(hours.contains { minute >= $0.start - 60 && minute < $0.end + 60 })
            }
        }
    }

    @Test("The sweep finds exactly what checking every candidate against every booking finds")
    func sweepMatchesBruteForce() async {
        await propertyCheck(count: 150, input: Self.scenario) { zoneIndex, quarter, hours, bookings, shape in
            let (rules, zone, duration, busy, now) = Self.make(zoneIndex, quarter, hours, bookings, shape)
            let fast = SlotFinder.freeStarts(rules: rules, zone: zone, duration: duration, busy: busy, now: now)
            let ranges = SlotFinder.ranges(rules: rules, zone: zone, from: now, to: now + rules.horizon + duration)
            let windows = SlotFinder.merged(ranges)
            var slow = Set<Int>()
            for range in ranges {
                var start = range.start
                while start < range.end {
                    let fits = windows.contains { $0.start <= start && start + duration <= $0.end }
                    let claim = Interval(start: start - rules.bufferBefore, end: start + duration + rules.bufferAfter)
                    let clear = !busy.contains { $0.start < claim.end && claim.start < $0.end }
                    if fits && clear && start >= now + rules.minimumNotice && start < now + rules.horizon {
                        slow.insert(start)
                    }
                    start += rules.step
                }
            }
            #expect(fast == slow.sorted())
        }
    }

    @Test("Another booking never adds a slot, and frees none but its own time")
    func bookingOnlyRemoves() async {
        await propertyCheck(count: 100, input: Self.scenario) { zoneIndex, quarter, hours, bookings, shape in
            let (rules, zone, duration, busy, now) = Self.make(zoneIndex, quarter, hours, bookings, shape)
            let before = SlotFinder.freeStarts(rules: rules, zone: zone, duration: duration, busy: busy, now: now)
            guard let pick = before.first else { return }
            let claim = Interval(start: pick - rules.bufferBefore, end: pick + duration + rules.bufferAfter)
            let after = SlotFinder.freeStarts(
                rules: rules, zone: zone, duration: duration, busy: busy + [claim], now: now)
            #expect(Set(after).isSubset(of: Set(before)))
            #expect(!after.contains(pick))
        }
    }

    @Test("Local wall-clock times round-trip through the zone's offsets as Python's zoneinfo reads them")
    func zoneOffsetsRoundTrip() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0..<4), Gen.int(in: 0...(730 * 288))) { index, step in
            let utc = 1_767_225_600 + step * 300
            let zone = Self.zone(Self.zones[index], around: utc)
            let foundation = TimeZone(identifier: Self.zones[index])!
            #expect(
                zone.offset(at: utc) == foundation.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(utc))))
            // A local time that happens once maps back to its moment; one that happens twice to its first.
            let back = zone.utc(zone.local(utc))
            #expect(back == utc || (back < utc && zone.local(back) == zone.local(utc)))
        }
    }

    @Test("Day numbers, weekdays and dates agree with each other")
    func civilDates() {
        #expect(CivilDate.parse("1970-01-01") == 0)
        #expect(CivilDate.weekday(0) == 4)
        #expect(CivilDate.parse("2026-12-08").map(CivilDate.weekday) == 2)
        #expect(CivilDate.parse("2028-02-29") != nil && CivilDate.parse("2027-02-29") == nil)
        for day in stride(from: -1_000, through: 80_000, by: 97) {
            #expect(CivilDate.parse(CivilDate.format(day)) == day)
        }
    }
}
