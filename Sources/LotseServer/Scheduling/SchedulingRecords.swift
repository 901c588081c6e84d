import Fluent
import Foundation
import LotseAPI
import SQLKit

/// A coach's availability; the hour lists are JSON text, the durations minutes.
final class AvailabilityRecord: Model, @unchecked Sendable {  // property wrappers defeat Sendable checking
    static let schema = "availabilities"

    @ID(custom: "coach_id", generatedBy: .user) var id: UUID?
    @Field(key: "time_zone") var timeZone: String
    @Field(key: "weekly") var weekly: String
    @Field(key: "exceptions") var exceptions: String
    @Field(key: "buffer_before") var bufferBefore: Int
    @Field(key: "buffer_after") var bufferAfter: Int
    @Field(key: "minimum_notice") var minimumNotice: Int
    @Field(key: "horizon_days") var horizonDays: Int
    @Field(key: "slot_step") var slotStep: Int
    @Field(key: "change_notice_hours") var changeNoticeHours: Int
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

/// A kind of session a coach offers; `price` is JSON text.
final class SessionTypeRecord: Model, @unchecked Sendable {
    static let schema = "session_types"

    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "coach_id") var coachID: UUID
    @Field(key: "name") var name: String
    @Field(key: "duration_minutes") var durationMinutes: Int
    @Field(key: "format") var format: SessionFormat
    @OptionalField(key: "location") var location: String?
    @OptionalField(key: "price") var price: String?
    @Field(key: "is_active") var isActive: Bool
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

/// One session. `claim_start`/`claim_end` are the time it keeps free, buffers included; while it is confirmed,
/// `booking_claims` holds that time in five-minute blocks, which the database keeps from overlapping.
final class BookingRecord: Model, @unchecked Sendable {
    static let schema = "bookings"

    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "engagement_id") var engagementID: UUID
    @Field(key: "coach_id") var coachID: UUID
    @Field(key: "session_type_id") var sessionTypeID: UUID
    @Field(key: "title") var title: String
    @Field(key: "status") var status: BookingStatus
    @OptionalField(key: "starts_at") var startsAt: Date?
    @Field(key: "duration_minutes") var durationMinutes: Int
    @Field(key: "format") var format: SessionFormat
    @OptionalField(key: "location") var location: String?
    @Field(key: "proposed_starts") var proposedStarts: String
    @Field(key: "time_zone") var timeZone: String
    @OptionalField(key: "series_id") var seriesID: UUID?
    @OptionalField(key: "occurrence") var occurrence: Int?
    @Field(key: "buffer_before") var bufferBefore: Int
    @Field(key: "buffer_after") var bufferAfter: Int
    @Field(key: "created_by") var createdBy: UUID
    @OptionalField(key: "cancelled_by") var cancelledBy: UUID?
    @Field(key: "sequence") var sequence: Int
    /// When the current start was set: reminders whose moment had passed by then are not sent.
    @OptionalField(key: "scheduled_at") var scheduledAt: Date?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    var endsAt: Date? { startsAt?.addingTimeInterval(TimeInterval(durationMinutes * 60)) }

    /// The time kept free, buffers included.
    var claim: Interval? {
        guard let startsAt else { return nil }
        let start = Int(startsAt.timeIntervalSince1970)
        return Interval(start: start - bufferBefore * 60, end: start + (durationMinutes + bufferAfter) * 60)
    }
}

/// Five minutes of a coach's time held by a confirmed booking. Unique per coach and block: of two bookings racing
/// for overlapping times, one commits and the other's insert fails.
final class BookingClaimRecord: Model, @unchecked Sendable {
    static let schema = "booking_claims"
    static let blockSeconds = 300

    @ID(key: .id) var id: UUID?
    @Field(key: "booking_id") var bookingID: UUID
    @Field(key: "coach_id") var coachID: UUID
    @Field(key: "block") var block: Int

    init() {}

    init(booking: UUID, coach: UUID, block: Int) {
        self.bookingID = booking
        self.coachID = coach
        self.block = block
    }
}

/// A recurring series; its sessions are bookings with its ID and their occurrence.
final class BookingSeriesRecord: Model, @unchecked Sendable {
    static let schema = "booking_series"

    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "engagement_id") var engagementID: UUID
    @Field(key: "interval_weeks") var intervalWeeks: Int
    @Field(key: "count") var count: Int
    @Field(key: "created_by") var createdBy: UUID
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// A person's calendar preferences; `reminder_offsets` is JSON text of minutes. The feed token is kept as its
/// SHA-256 only, like every other secret link.
final class CalendarSettingsRecord: Model, @unchecked Sendable {
    static let schema = "calendar_settings"

    @ID(custom: "user_id", generatedBy: .user) var id: UUID?
    @OptionalField(key: "time_zone") var timeZone: String?
    @Field(key: "reminder_offsets") var reminderOffsets: String
    @OptionalField(key: "feed_token_hash") var feedTokenHash: String?
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

/// A reminder mail, claimed before it is sent and marked after: unique per booking, person, offset and start, so
/// no restart and no second instance sends it twice.
final class ReminderRecord: Model, @unchecked Sendable {
    static let schema = "reminders"

    @ID(key: .id) var id: UUID?
    @Field(key: "booking_id") var bookingID: UUID
    @Field(key: "user_id") var userID: UUID
    @Field(key: "offset_minutes") var offsetMinutes: Int
    @Field(key: "starts_at") var startsAt: Date
    @Field(key: "claimed_at") var claimedAt: Date
    @OptionalField(key: "sent_at") var sentAt: Date?

    init() {}
}

struct CreateScheduling: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("availabilities")
            .field("coach_id", .uuid, .identifier(auto: false), .references("users", "id", onDelete: .cascade))
            .field("time_zone", .string, .required)
            .field("weekly", .string, .required)
            .field("exceptions", .string, .required)
            .field("buffer_before", .int, .required)
            .field("buffer_after", .int, .required)
            .field("minimum_notice", .int, .required)
            .field("horizon_days", .int, .required)
            .field("slot_step", .int, .required)
            .field("change_notice_hours", .int, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await db.schema("session_types")
            .field("id", .uuid, .identifier(auto: false))
            .field("coach_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("duration_minutes", .int, .required)
            .field("format", .string, .required)
            .field("location", .string)
            .field("price", .string)
            .field("is_active", .bool, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await db.schema("booking_series")
            .field("id", .uuid, .identifier(auto: false))
            .field("engagement_id", .uuid, .required, .references("engagements", "id", onDelete: .cascade))
            .field("interval_weeks", .int, .required)
            .field("count", .int, .required)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await db.schema("bookings")
            .field("id", .uuid, .identifier(auto: false))
            .field("engagement_id", .uuid, .required, .references("engagements", "id", onDelete: .cascade))
            .field("coach_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("session_type_id", .uuid, .required, .references("session_types", "id"))
            .field("title", .string, .required)
            .field("status", .string, .required)
            .field("starts_at", .datetime)
            .field("duration_minutes", .int, .required)
            .field("format", .string, .required)
            .field("location", .string)
            .field("proposed_starts", .string, .required)
            .field("time_zone", .string, .required)
            .field("series_id", .uuid, .references("booking_series", "id", onDelete: .cascade))
            .field("occurrence", .int)
            .field("buffer_before", .int, .required)
            .field("buffer_after", .int, .required)
            .field("created_by", .uuid, .required)
            .field("cancelled_by", .uuid)
            .field("sequence", .int, .required)
            .field("scheduled_at", .datetime)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "series_id", "occurrence")  // one booking per occurrence: a series never duplicates
            .create()
        try await db.schema("booking_claims")
            .id()
            .field("booking_id", .uuid, .required, .references("bookings", "id", onDelete: .cascade))
            .field("coach_id", .uuid, .required)
            .field("block", .int64, .required)
            .unique(on: "coach_id", "block")  // a coach's five minutes belong to one booking
            .create()
        try await db.schema("calendar_settings")
            .field("user_id", .uuid, .identifier(auto: false), .references("users", "id", onDelete: .cascade))
            .field("time_zone", .string)
            .field("reminder_offsets", .string, .required)
            .field("feed_token_hash", .string)
            .field("updated_at", .datetime, .required)
            .unique(on: "feed_token_hash")
            .create()
        try await db.schema("reminders")
            .id()
            .field("booking_id", .uuid, .required, .references("bookings", "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("offset_minutes", .int, .required)
            .field("starts_at", .datetime, .required)
            .field("claimed_at", .datetime, .required)
            .field("sent_at", .datetime)
            .unique(on: "booking_id", "user_id", "offset_minutes", "starts_at")
            .create()
        let sql = db as! any SQLDatabase
        try await sql.raw("CREATE INDEX session_types_coach ON session_types (coach_id)").run()
        try await sql.raw("CREATE INDEX bookings_coach_start ON bookings (coach_id, starts_at)").run()
        try await sql.raw("CREATE INDEX bookings_engagement ON bookings (engagement_id)").run()
        try await sql.raw("CREATE INDEX bookings_confirmed_start ON bookings (starts_at) WHERE status = 'confirmed'")
            .run()
        try await sql.raw("CREATE INDEX booking_claims_booking ON booking_claims (booking_id)").run()
    }

    func revert(on db: any Database) async throws {
        for table in [
            "reminders", "calendar_settings", "booking_claims", "bookings", "booking_series", "session_types",
            "availabilities",
        ] {
            try await db.schema(table).delete()
        }
    }
}
