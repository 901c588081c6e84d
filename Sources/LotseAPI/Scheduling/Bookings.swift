import Foundation

/// Where a booking stands.
public enum BookingStatus: String, Codable, Sendable, CaseIterable {
    /// The coach proposed times; the client has not picked one.
    case proposed
    /// Booked.
    case confirmed
    /// Called off; the time is free again.
    case cancelled
}

/// One session in the calendar of a coach and the clients of an engagement.
public struct Booking: Codable, Sendable, Equatable {
    /// Chosen by the device that created it, so a retry finds the first booking.
    public var id: UUID
    /// The engagement it belongs to.
    public var engagementId: UUID
    /// The coach.
    public var coachId: UUID
    /// Everyone taking part: the coach first, then the clients.
    public var people: [BookingPerson]
    /// The session type it was booked as.
    public var sessionTypeId: UUID
    /// The session type's name at booking time.
    public var title: String
    /// Where it stands.
    public var status: BookingStatus
    /// The start; nil while only proposed.
    public var startsAt: Date?
    /// The end; nil while only proposed.
    public var endsAt: Date?
    /// The length.
    public var durationMinutes: Int
    /// Online or in person.
    public var format: SessionFormat
    /// Where an in-person session takes place.
    public var location: String?
    /// The times the coach proposed, while proposed.
    public var proposedStarts: [Date]
    /// The coach's time zone, which the calendar files use.
    public var timeZone: String
    /// The series it is part of.
    public var seriesId: UUID?
    /// Its place in the series, from 1.
    public var occurrence: Int?
    /// Until when the requester may reschedule or cancel it; nil if they always may (the coach) or never.
    public var changeableUntil: Date?
    /// Who created it.
    public var createdBy: UUID
    /// Who cancelled it.
    public var cancelledBy: UUID?
    /// Counts its changes; the calendar files' `SEQUENCE`.
    public var sequence: Int
    /// When it last changed.
    public var updatedAt: Date

    /// Creates the value.
    public init(
        id: UUID, engagementId: UUID, coachId: UUID, people: [BookingPerson], sessionTypeId: UUID, title: String,
        status: BookingStatus, startsAt: Date?, endsAt: Date?, durationMinutes: Int, format: SessionFormat,
        location: String?, proposedStarts: [Date], timeZone: String, seriesId: UUID?, occurrence: Int?,
        changeableUntil: Date?, createdBy: UUID, cancelledBy: UUID?, sequence: Int, updatedAt: Date
    ) {
        self.id = id
        self.engagementId = engagementId
        self.coachId = coachId
        self.people = people
        self.sessionTypeId = sessionTypeId
        self.title = title
        self.status = status
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.durationMinutes = durationMinutes
        self.format = format
        self.location = location
        self.proposedStarts = proposedStarts
        self.timeZone = timeZone
        self.seriesId = seriesId
        self.occurrence = occurrence
        self.changeableUntil = changeableUntil
        self.createdBy = createdBy
        self.cancelledBy = cancelledBy
        self.sequence = sequence
        self.updatedAt = updatedAt
    }
}

/// Someone taking part in a booking.
public struct BookingPerson: Codable, Sendable, Equatable {
    /// The account.
    public var userId: UUID
    /// Their name.
    public var displayName: String

    /// Creates the value.
    public init(userId: UUID, displayName: String) {
        self.userId = userId
        self.displayName = displayName
    }
}

/// The body of `POST /bookings`: a client books a free slot, or the coach puts a session in the calendar.
public struct CreateBooking: Codable, Sendable, Equatable {
    /// Chosen by the device; a retry with the same ID returns the first booking.
    public var id: UUID
    /// The engagement.
    public var engagementId: UUID
    /// One of the coach's session types.
    public var sessionTypeId: UUID
    /// A start from the free slots (for a client).
    public var startsAt: Date

    /// Creates the value.
    public init(id: UUID, engagementId: UUID, sessionTypeId: UUID, startsAt: Date) {
        self.id = id
        self.engagementId = engagementId
        self.sessionTypeId = sessionTypeId
        self.startsAt = startsAt
    }
}

/// The body of `POST /proposals`: the coach proposes one to five times; a client picks one.
public struct ProposeTimes: Codable, Sendable, Equatable {
    /// Chosen by the coach's device.
    public var id: UUID
    /// The engagement.
    public var engagementId: UUID
    /// One of the coach's session types.
    public var sessionTypeId: UUID
    /// One to five start times.
    public var starts: [Date]

    /// Creates the value.
    public init(id: UUID, engagementId: UUID, sessionTypeId: UUID, starts: [Date]) {
        self.id = id
        self.engagementId = engagementId
        self.sessionTypeId = sessionTypeId
        self.starts = starts
    }
}

/// The body of `POST /bookings/{id}/accept` and `/reschedule`: a start time.
public struct PickTime: Codable, Sendable, Equatable {
    /// The start.
    public var startsAt: Date

    /// Creates the value.
    public init(startsAt: Date) {
        self.startsAt = startsAt
    }
}

/// The body of `POST /series`: sessions at the same wall-clock time every one to four weeks.
public struct CreateSeries: Codable, Sendable, Equatable {
    /// Chosen by the device; a retry returns the first series.
    public var id: UUID
    /// The engagement.
    public var engagementId: UUID
    /// One of the coach's session types.
    public var sessionTypeId: UUID
    /// The first session's start; the others follow at the same time of day in the coach's time zone.
    public var firstStartsAt: Date
    /// 1 for every week, 2 for every second week, up to 4.
    public var intervalWeeks: Int
    /// How many sessions, 2 to 52.
    public var count: Int

    /// Creates the value.
    public init(id: UUID, engagementId: UUID, sessionTypeId: UUID, firstStartsAt: Date, intervalWeeks: Int, count: Int)
    {
        self.id = id
        self.engagementId = engagementId
        self.sessionTypeId = sessionTypeId
        self.firstStartsAt = firstStartsAt
        self.intervalWeeks = intervalWeeks
        self.count = count
    }
}

/// A recurring series and its sessions, each of which can be moved or cancelled alone.
public struct BookingSeries: Codable, Sendable, Equatable {
    /// The series.
    public var id: UUID
    /// Weeks between sessions.
    public var intervalWeeks: Int
    /// How many sessions it was created with.
    public var count: Int
    /// Its sessions, in order of occurrence.
    public var bookings: [Booking]

    /// Creates the value.
    public init(id: UUID, intervalWeeks: Int, count: Int, bookings: [Booking]) {
        self.id = id
        self.intervalWeeks = intervalWeeks
        self.count = count
        self.bookings = bookings
    }
}

/// A person's calendar preferences: their time zone, when to remind them, and their private feed.
public struct CalendarSettings: Codable, Sendable, Equatable {
    /// The IANA time zone mails show times in; nil until set (the web client sets the browser's).
    public var timeZone: String?
    /// Minutes before a session at which a reminder mail goes out, e.g. `[1440, 60]`.
    public var reminderOffsetsMinutes: [Int]
    /// Whether a subscription feed is on; its address is shown only once, when it is made.
    public var hasFeed: Bool

    /// Creates the value.
    public init(timeZone: String?, reminderOffsetsMinutes: [Int], hasFeed: Bool) {
        self.timeZone = timeZone
        self.reminderOffsetsMinutes = reminderOffsetsMinutes
        self.hasFeed = hasFeed
    }
}

/// The body of `PUT /calendar/settings`.
public struct UpdateCalendarSettings: Codable, Sendable, Equatable {
    /// An IANA time zone, or nil.
    public var timeZone: String?
    /// Zero to four offsets, each 5 to 10080 minutes (a week).
    public var reminderOffsetsMinutes: [Int]

    /// Creates the value.
    public init(timeZone: String?, reminderOffsetsMinutes: [Int]) {
        self.timeZone = timeZone
        self.reminderOffsetsMinutes = reminderOffsetsMinutes
    }
}

/// A new private address of one's calendar feed (iCalendar), for a calendar app to subscribe to. Making a new one
/// revokes the old.
public struct CalendarFeed: Codable, Sendable, Equatable {
    /// The secret address; whoever has it can read the feed.
    public var url: String

    /// Creates the value.
    public init(url: String) {
        self.url = url
    }
}
