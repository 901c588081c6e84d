import Foundation
import LotseAPI

/// Checks what people send the scheduling feature, turning bad input into `request.invalid` naming the field.
enum SchedulingInput {
    static let maximumWeekly = 50
    static let maximumExceptions = 400
    static let maximumHoursPerException = 10

    /// The availability, checked; and the rules the slot computation reads.
    static func availability(_ input: UpdateAvailability) throws -> SlotRules {
        try rules(input)
    }

    /// The rules of availability as sent or as saved (``BookingContext`` reads them straight from the saved one).
    static func rules(_ input: some AvailabilityFields) throws -> SlotRules {
        try DirectoryInput.timeZone(input.timeZone, field: "timeZone")
        guard input.weekly.count <= maximumWeekly else {
            throw RequestError.invalid(field: "weekly", reason: "longer than \(maximumWeekly) entries")
        }
        var weekly = [[SlotRules.Hours]](repeating: [], count: 7)
        for (index, entry) in input.weekly.enumerated() {
            guard (1...7).contains(entry.weekday) else {
                throw RequestError.invalid(field: "weekly[\(index)].weekday", reason: "not 1 (Monday) to 7 (Sunday)")
            }
            weekly[entry.weekday - 1].append(
                try hours(TimeRange(start: entry.start, end: entry.end), field: "weekly[\(index)]"))
        }
        guard input.exceptions.count <= maximumExceptions else {
            throw RequestError.invalid(field: "exceptions", reason: "longer than \(maximumExceptions) entries")
        }
        var exceptions: [Int: [SlotRules.Hours]] = [:]
        for (index, exception) in input.exceptions.enumerated() {
            let field = "exceptions[\(index)]"
            guard let day = CivilDate.parse(exception.date), (10_957...84_000).contains(day) else {
                throw RequestError.invalid(field: "\(field).date", reason: "not a date (yyyy-mm-dd) from 2000 on")
            }
            guard exceptions[day] == nil else {
                throw RequestError.invalid(field: "\(field).date", reason: "a date listed twice")
            }
            guard exception.hours.count <= maximumHoursPerException else {
                throw RequestError.invalid(field: "\(field).hours", reason: "longer than 10 entries")
            }
            exceptions[day] = try exception.hours.enumerated().map { try hours($1, field: "\(field).hours[\($0)]") }
                .sorted { $0.start < $1.start }
        }
        try minutes(input.bufferBeforeMinutes, field: "bufferBeforeMinutes", in: 0...240)
        try minutes(input.bufferAfterMinutes, field: "bufferAfterMinutes", in: 0...240)
        try minutes(input.minimumNoticeMinutes, field: "minimumNoticeMinutes", in: 0...43_200)
        try minutes(input.slotStepMinutes, field: "slotStepMinutes", in: 5...240)
        guard (1...90).contains(input.horizonDays) else {
            throw RequestError.invalid(field: "horizonDays", reason: "not 1 to 90")
        }
        guard (0...336).contains(input.changeNoticeHours) else {
            throw RequestError.invalid(field: "changeNoticeHours", reason: "not 0 to 336 hours")
        }
        return SlotRules(
            weekly: weekly.map { $0.sorted { $0.start < $1.start } }, exceptions: exceptions,
            bufferBefore: input.bufferBeforeMinutes * 60, bufferAfter: input.bufferAfterMinutes * 60,
            minimumNotice: input.minimumNoticeMinutes * 60, horizon: input.horizonDays * 86_400,
            step: input.slotStepMinutes * 60)
    }

    /// A session type, checked and trimmed.
    static func sessionType(_ input: SaveSessionType) throws -> SaveSessionType {
        var clean = input
        clean.name = try DirectoryInput.text(input.name, field: "name", maximum: 100, allowEmpty: false)
        try minutes(input.durationMinutes, field: "durationMinutes", in: 5...480)
        clean.location = try input.location.map {
            try DirectoryInput.text($0, field: "location", maximum: 200, allowEmpty: true)
        }
        if clean.location?.isEmpty == true { clean.location = nil }
        if input.format == .inPerson, clean.location == nil {
            throw RequestError.invalid(field: "location", reason: "missing: in-person sessions need a place")
        }
        if let price = input.price { try DirectoryInput.price(price, field: "price") }
        return clean
    }

    /// Reminder offsets, checked, largest first, without repeats.
    static func reminderOffsets(_ offsets: [Int]) throws -> [Int] {
        guard offsets.count <= 4 else {
            throw RequestError.invalid(field: "reminderOffsetsMinutes", reason: "longer than 4 entries")
        }
        for offset in offsets where !(5...10_080).contains(offset) {
            throw RequestError.invalid(field: "reminderOffsetsMinutes", reason: "not 5 to 10080 minutes each")
        }
        return Array(Set(offsets)).sorted(by: >)
    }

    /// A start time: on a five-minute boundary, since the database holds time in five-minute blocks.
    static func start(_ date: Date, field: String) throws -> Int {
        let seconds = date.timeIntervalSince1970
        guard seconds.isFinite, seconds.rounded() == seconds, Int(seconds) % BookingClaimRecord.blockSeconds == 0
        else { throw RequestError.invalid(field: field, reason: "not on a five-minute boundary") }
        return Int(seconds)
    }

    /// `HH:MM` as minutes since midnight (`24:00` is 1440).
    static func minuteOfDay(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard text.utf8.count == 5, parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
            (0...24).contains(hour), (0...59).contains(minute), hour * 60 + minute <= 1440
        else { return nil }
        return hour * 60 + minute
    }

    private static func hours(_ range: TimeRange, field: String) throws -> SlotRules.Hours {
        guard let start = minuteOfDay(range.start), start % 5 == 0, start < 1440 else {
            throw RequestError.invalid(field: "\(field).start", reason: "not a time HH:MM on a five-minute boundary")
        }
        guard let end = minuteOfDay(range.end), end % 5 == 0 else {
            throw RequestError.invalid(field: "\(field).end", reason: "not a time HH:MM on a five-minute boundary")
        }
        guard end > start else { throw RequestError.invalid(field: "\(field).end", reason: "not after the start") }
        return SlotRules.Hours(start: start, end: end)
    }

    private static func minutes(_ value: Int, field: String, in range: ClosedRange<Int>) throws {
        guard range.contains(value), value % 5 == 0 else {
            throw RequestError.invalid(
                field: field, reason: "not \(range.lowerBound) to \(range.upperBound) minutes in steps of 5")
        }
    }
}

/// What availability says, as sent (`UpdateAvailability`) and as saved (`Availability`).
protocol AvailabilityFields {
    var timeZone: String { get }
    var weekly: [WeeklyHours] { get }
    var exceptions: [DateException] { get }
    var bufferBeforeMinutes: Int { get }
    var bufferAfterMinutes: Int { get }
    var minimumNoticeMinutes: Int { get }
    var horizonDays: Int { get }
    var slotStepMinutes: Int { get }
    var changeNoticeHours: Int { get }
}

extension UpdateAvailability: AvailabilityFields {}
extension Availability: AvailabilityFields {}
