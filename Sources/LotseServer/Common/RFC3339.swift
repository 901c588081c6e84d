import Foundation

/// RFC 3339 date-times (`2026-12-01T09:30:00Z`, `…T09:30:00.123+01:00`). Fractions of a second are dropped: no
/// date in Lotse needs them, and whole seconds survive every database's round trip unchanged.
enum RFC3339 {
    nonisolated(unsafe) static let pattern =
        #/(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:([Zz])|([+-])(\d{2}):(\d{2}))/#

    static func date(_ text: String) -> Date? {
        guard let match = try? pattern.wholeMatch(in: text) else { return nil }
        let output = match.output
        guard let year = Int(output.1), let month = Int(output.2), let day = Int(output.3), let hour = Int(output.4),
            let minute = Int(output.5), let second = Int(output.6), (1...12).contains(month), (1...31).contains(day),
            hour < 24, minute < 60, second <= 60
        else { return nil }
        var offset = 0
        if output.7 == nil, let sign = output.8, let hours = output.9.flatMap({ Int($0) }),
            let minutes = output.10.flatMap({ Int($0) })
        {
            guard hours < 24, minutes < 60 else { return nil }
            offset = (sign == "-" ? -1 : 1) * (hours * 3_600 + minutes * 60)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? .current
        let components = DateComponents(year: year, month: month, day: day)
        guard components.isValidDate(in: calendar), let midnight = calendar.date(from: components) else { return nil }
        // A leap second (:60) counts as the first second of the next minute.
        return midnight.addingTimeInterval(Double(hour * 3_600 + minute * 60 + second - offset))
    }
}
