import Foundation

/// A stretch of wall-clock time within one day, `"09:00"` to `"12:30"`, in the coach's time zone. Times are
/// multiples of five minutes; `end` may be `"24:00"`.
public struct TimeRange: Codable, Sendable, Equatable {
    /// The first minute, `HH:MM`.
    public var start: String
    /// The minute after the last, `HH:MM`.
    public var end: String

    /// Creates the value.
    public init(start: String, end: String) {
        self.start = start
        self.end = end
    }
}

/// Hours a coach works on one weekday, every week.
public struct WeeklyHours: Codable, Sendable, Equatable {
    /// ISO 8601 weekday: 1 is Monday, 7 is Sunday.
    public var weekday: Int
    /// The first minute, `HH:MM`.
    public var start: String
    /// The minute after the last, `HH:MM`.
    public var end: String

    /// Creates the value.
    public init(weekday: Int, start: String, end: String) {
        self.weekday = weekday
        self.start = start
        self.end = end
    }
}

/// A date on which the weekly hours do not apply: closed (no hours), or other hours.
public struct DateException: Codable, Sendable, Equatable {
    /// The date in the coach's time zone, `yyyy-mm-dd`.
    public var date: String
    /// The hours of that day instead of the weekly ones; empty means closed.
    public var hours: [TimeRange]

    /// Creates the value.
    public init(date: String, hours: [TimeRange]) {
        self.date = date
        self.hours = hours
    }
}

/// When a coach can be booked, and the rules for changing a booking. See docs/scheduling.md.
public struct Availability: Codable, Sendable, Equatable {
    /// The IANA time zone the hours are in, e.g. `Europe/Berlin`.
    public var timeZone: String
    /// The weekly hours.
    public var weekly: [WeeklyHours]
    /// Dates with other hours, or none.
    public var exceptions: [DateException]
    /// Free time kept before every session (preparation).
    public var bufferBeforeMinutes: Int
    /// Free time kept after every session (notes, a break).
    public var bufferAfterMinutes: Int
    /// How long in advance a client must book.
    public var minimumNoticeMinutes: Int
    /// How far ahead clients may book, at most 90 days.
    public var horizonDays: Int
    /// The distance between offered start times, e.g. 30 for :00 and :30.
    public var slotStepMinutes: Int
    /// Until how many hours before the start a client may reschedule or cancel by themselves.
    public var changeNoticeHours: Int
    /// When it last changed; nil if the coach never saved it.
    public var updatedAt: Date?

    /// Creates the value.
    public init(
        timeZone: String, weekly: [WeeklyHours], exceptions: [DateException], bufferBeforeMinutes: Int,
        bufferAfterMinutes: Int, minimumNoticeMinutes: Int, horizonDays: Int, slotStepMinutes: Int,
        changeNoticeHours: Int, updatedAt: Date?
    ) {
        self.timeZone = timeZone
        self.weekly = weekly
        self.exceptions = exceptions
        self.bufferBeforeMinutes = bufferBeforeMinutes
        self.bufferAfterMinutes = bufferAfterMinutes
        self.minimumNoticeMinutes = minimumNoticeMinutes
        self.horizonDays = horizonDays
        self.slotStepMinutes = slotStepMinutes
        self.changeNoticeHours = changeNoticeHours
        self.updatedAt = updatedAt
    }
}

/// The body of `PUT /availability`: the whole availability at once.
public struct UpdateAvailability: Codable, Sendable, Equatable {
    /// The IANA time zone the hours are in.
    public var timeZone: String
    /// The weekly hours.
    public var weekly: [WeeklyHours]
    /// Dates with other hours, or none.
    public var exceptions: [DateException]
    /// Free time kept before every session.
    public var bufferBeforeMinutes: Int
    /// Free time kept after every session.
    public var bufferAfterMinutes: Int
    /// How long in advance a client must book.
    public var minimumNoticeMinutes: Int
    /// How far ahead clients may book (1 to 90 days).
    public var horizonDays: Int
    /// The distance between offered start times (5 to 240 minutes, a multiple of 5).
    public var slotStepMinutes: Int
    /// Until how many hours before the start a client may reschedule or cancel.
    public var changeNoticeHours: Int

    /// Creates the value.
    public init(
        timeZone: String, weekly: [WeeklyHours], exceptions: [DateException], bufferBeforeMinutes: Int,
        bufferAfterMinutes: Int, minimumNoticeMinutes: Int, horizonDays: Int, slotStepMinutes: Int,
        changeNoticeHours: Int
    ) {
        self.timeZone = timeZone
        self.weekly = weekly
        self.exceptions = exceptions
        self.bufferBeforeMinutes = bufferBeforeMinutes
        self.bufferAfterMinutes = bufferAfterMinutes
        self.minimumNoticeMinutes = minimumNoticeMinutes
        self.horizonDays = horizonDays
        self.slotStepMinutes = slotStepMinutes
        self.changeNoticeHours = changeNoticeHours
    }
}

/// A kind of session a coach offers: how long, where, and for how much.
public struct SessionType: Codable, Sendable, Equatable {
    /// Chosen by the coach's device.
    public var id: UUID
    /// The coach.
    public var coachId: UUID
    /// E.g. "Coaching session" or "Kennenlerngespräch".
    public var name: String
    /// 5 to 480 minutes, a multiple of 5.
    public var durationMinutes: Int
    /// Online (video on Lotse) or in person.
    public var format: SessionFormat
    /// Where an in-person session takes place.
    public var location: String?
    /// What it costs, if the coach says.
    public var price: Price?
    /// Whether clients may book it; retired types stay for the bookings made with them.
    public var isActive: Bool
    /// When it last changed.
    public var updatedAt: Date

    /// Creates the value.
    public init(
        id: UUID, coachId: UUID, name: String, durationMinutes: Int, format: SessionFormat, location: String?,
        price: Price?, isActive: Bool, updatedAt: Date
    ) {
        self.id = id
        self.coachId = coachId
        self.name = name
        self.durationMinutes = durationMinutes
        self.format = format
        self.location = location
        self.price = price
        self.isActive = isActive
        self.updatedAt = updatedAt
    }
}

/// The body of `PUT /session-types/{id}`.
public struct SaveSessionType: Codable, Sendable, Equatable {
    /// 1 to 100 characters.
    public var name: String
    /// 5 to 480 minutes, a multiple of 5.
    public var durationMinutes: Int
    /// Online or in person.
    public var format: SessionFormat
    /// Required for in-person sessions.
    public var location: String?
    /// What it costs, if the coach says.
    public var price: Price?
    /// Whether clients may book it.
    public var isActive: Bool

    /// Creates the value.
    public init(
        name: String, durationMinutes: Int, format: SessionFormat, location: String?, price: Price?, isActive: Bool
    ) {
        self.name = name
        self.durationMinutes = durationMinutes
        self.format = format
        self.location = location
        self.price = price
        self.isActive = isActive
    }
}

/// What a client of an engagement may book with its coach, and when.
public struct FreeSlots: Codable, Sendable, Equatable {
    /// The session type the slots are for.
    public var sessionTypeId: UUID
    /// The coach's time zone (the viewer shows times in their own).
    public var timeZone: String
    /// The start times, in order.
    public var starts: [Date]

    /// Creates the value.
    public init(sessionTypeId: UUID, timeZone: String, starts: [Date]) {
        self.sessionTypeId = sessionTypeId
        self.timeZone = timeZone
        self.starts = starts
    }
}
