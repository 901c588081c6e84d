import Foundation
import LotseAPI

/// Writes iCalendar (RFC 5545): invitations for mails and the private subscription feed. Times are local times
/// with a `TZID` whose `VTIMEZONE` lists the zone's real offsets over the events' span (docs/scheduling.md).
enum ICalendar {
    /// What an invitation asks the receiving calendar to do.
    enum Method: String {
        /// Add or update the events.
        case request = "REQUEST"
        /// Remove them.
        case cancel = "CANCEL"
        /// A feed: here is the calendar.
        case publish = "PUBLISH"
    }

    /// One event, with what the calendar shows of it.
    struct Event {
        var booking: BookingRecord
        var summary: String
        var description: String
        var organizer: UserRecord
        var attendees: [UserRecord]
    }

    /// A whole calendar object, CRLF line ends, lines folded at 75 octets.
    static func calendar(_ events: [Event], method: Method, host: String, now: Date) -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Lotse//Scheduling//EN", "CALSCALE:GREGORIAN",
            "METHOD:\(method.rawValue)",
        ]
        var zones: [String: (Int, Int)] = [:]
        for event in events {
            guard let claim = event.booking.claim else { continue }
            let span = zones[event.booking.timeZone] ?? (claim.start, claim.end)
            zones[event.booking.timeZone] = (min(span.0, claim.start), max(span.1, claim.end))
        }
        for (identifier, span) in zones.sorted(by: { $0.key < $1.key }) {
            lines += timeZone(identifier, from: span.0, to: span.1)
        }
        for event in events { lines += self.event(event, method: method, host: host, now: now) }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    private static func event(_ event: Event, method: Method, host: String, now: Date) -> [String] {
        let booking = event.booking
        guard let start = booking.startsAt, let end = booking.endsAt else { return [] }
        let isCancelled = method == .cancel || booking.status == .cancelled
        var lines = [
            "BEGIN:VEVENT",
            "UID:\(booking.id?.uuidString.lowercased() ?? "")@\(host)",
            "DTSTAMP:\(utc(now))",
            "DTSTART;TZID=\(booking.timeZone):\(local(start, in: booking.timeZone))",
            "DTEND;TZID=\(booking.timeZone):\(local(end, in: booking.timeZone))",
            "SEQUENCE:\(booking.sequence)",
            "STATUS:\(isCancelled ? "CANCELLED" : "CONFIRMED")",
            "SUMMARY:\(text(event.summary))",
            "DESCRIPTION:\(text(event.description))",
            // People appear by name and account ID, never by address: a coach does not see a client's email
            // address anywhere in Lotse (docs/engagements.md), so not in a calendar file either.
            "ORGANIZER;CN=\(parameter(event.organizer.displayName)):\(address(event.organizer))",
        ]
        if let location = booking.location { lines.append("LOCATION:\(text(location))") }
        for attendee in event.attendees {
            lines.append(
                "ATTENDEE;CN=\(parameter(attendee.displayName));ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:\(address(attendee))"
            )
        }
        lines.append("END:VEVENT")
        return lines
    }

    private static func address(_ user: UserRecord) -> String {
        "urn:uuid:" + (user.id?.uuidString.lowercased() ?? "")
    }

    /// A `VTIMEZONE` with every offset change between `from` and `to`, each as its own observance.
    static func timeZone(_ identifier: String, from: Int, to: Int) -> [String] {
        let zone = ZoneOffsets(TimeZone(identifier: identifier) ?? .gmt, from: from, to: to)
        let offsets = Set(zone.periods.map(\.offset))
        let standard = offsets.min() ?? 0
        var lines = ["BEGIN:VTIMEZONE", "TZID:\(identifier)"]
        var previous = zone.periods[0].offset
        for (index, period) in zone.periods.enumerated() {
            // The first observance stands for everything before the span; its start is arbitrary but must exist.
            let start = index == 0 ? "19700101T000000" : stamp(period.start + previous)
            let kind = period.offset > standard ? "DAYLIGHT" : "STANDARD"
            lines += [
                "BEGIN:\(kind)", "DTSTART:\(start)", "TZOFFSETFROM:\(offset(previous))",
                "TZOFFSETTO:\(offset(period.offset))", "END:\(kind)",
            ]
            previous = period.offset
        }
        lines.append("END:VTIMEZONE")
        return lines
    }

    /// `20261208T090000Z`.
    static func utc(_ date: Date) -> String {
        stamp(Int(date.timeIntervalSince1970)) + "Z"
    }

    /// The wall-clock time in the zone, `20261208T100000`.
    static func local(_ date: Date, in identifier: String) -> String {
        stamp(Int(date.timeIntervalSince1970) + (TimeZone(identifier: identifier) ?? .gmt).secondsFromGMT(for: date))
    }

    private static func stamp(_ seconds: Int) -> String {
        let day = SlotFinder.floorDiv(seconds, 86_400)
        let (year, month, dayOfMonth) = CivilDate.date(day)
        let rest = seconds - day * 86_400
        return String(
            format: "%04d%02d%02dT%02d%02d%02d", year, month, dayOfMonth, rest / 3_600, rest % 3_600 / 60, rest % 60)
    }

    private static func offset(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let value = abs(seconds)
        return String(format: "%@%02d%02d", sign, value / 3_600, value % 3_600 / 60)
    }

    /// TEXT escaping: backslash, semicolon, comma and newlines.
    static func text(_ value: String) -> String {
        var result = ""
        for character in value {
            switch character {
            case "\\": result += "\\\\"
            case ";": result += "\\;"
            case ",": result += "\\,"
            case "\n", "\r\n": result += "\\n"
            case "\r": continue
            default: result.append(character)
            }
        }
        return result
    }

    /// A parameter value: quoted, without the characters a quoted value cannot hold.
    private static func parameter(_ value: String) -> String {
        "\"" + value.filter { $0 != "\"" && !$0.isNewline } + "\""
    }

    /// Folds a content line into pieces of at most 75 octets, never inside a UTF-8 sequence.
    static func fold(_ line: String) -> String {
        guard line.utf8.count > 75 else { return line }
        var pieces: [String] = []
        var current = ""
        var size = 0
        for character in line {
            let length = String(character).utf8.count
            if size + length > (pieces.isEmpty ? 75 : 74) {
                pieces.append(current)
                current = ""
                size = 0
            }
            current.append(character)
            size += length
        }
        pieces.append(current)
        return pieces.joined(separator: "\r\n ")
    }
}
