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

/// Calendar arithmetic on day numbers (days since 1970-01-01), after Howard Hinnant's `days_from_civil`.
enum CivilDate {
    /// The day number of a date, or nil if the date does not exist.
    static func day(year: Int, month: Int, day: Int) -> Int? {
        guard (1...12).contains(month), (1...days(inMonth: month, of: year)).contains(day) else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of a day number.
    static func date(_ dayNumber: Int) -> (year: Int, month: Int, day: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// ISO weekday: 1 is Monday, 7 is Sunday (1970-01-01 was a Thursday).
    static func weekday(_ dayNumber: Int) -> Int {
        ((dayNumber % 7 + 7) % 7 + 3) % 7 + 1
    }

    /// `yyyy-mm-dd` as a day number, or nil.
    static func parse(_ text: String) -> Int? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.utf8.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        return Self.day(year: year, month: month, day: day)
    }

    /// A day number as `yyyy-mm-dd`.
    static func format(_ dayNumber: Int) -> String {
        let (year, month, day) = date(dayNumber)
        return String(format: "%04d-%02d-%02d", year, month, day)
    }

    /// The UTC day of an instant, `yyyy-mm-dd`.
    static func format(dayOf instant: Date) -> String {
        format(Int((instant.timeIntervalSince1970 / 86_400).rounded(.down)))
    }

    private static func days(inMonth month: Int, of year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
