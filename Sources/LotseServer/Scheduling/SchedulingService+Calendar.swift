import Fluent
import Foundation
import LotseAPI

extension SchedulingService {
    static let defaultReminderOffsets = [1_440, 60]

    /// The account's calendar settings.
    func settings(of userID: UUID) async throws -> CalendarSettings {
        let record = try await CalendarSettingsRecord.find(userID, on: db)
        return CalendarSettings(
            timeZone: record?.timeZone,
            reminderOffsetsMinutes: try record.map { try JSONText.decode([Int].self, $0.reminderOffsets) }
                ?? Self.defaultReminderOffsets,
            hasFeed: record?.feedTokenHash != nil)
    }

    /// Saves the time zone and reminder offsets.
    func saveSettings(_ input: UpdateCalendarSettings, for userID: UUID) async throws -> CalendarSettings {
        if let zone = input.timeZone { try DirectoryInput.timeZone(zone, field: "timeZone") }
        let offsets = try SchedulingInput.reminderOffsets(input.reminderOffsetsMinutes)
        let record = try await settingsRecord(of: userID)
        record.timeZone = input.timeZone
        record.reminderOffsets = JSONText.encode(offsets)
        record.updatedAt = now()
        try await record.save(on: db)
        return try await settings(of: userID)
    }

    /// A new secret feed address; the old one stops working.
    func newFeed(for userID: UUID) async throws -> CalendarFeed {
        let token = SecureToken.make()
        let record = try await settingsRecord(of: userID)
        record.feedTokenHash = SecureToken.hash(token)
        record.updatedAt = now()
        try await record.save(on: db)
        return CalendarFeed(url: mailer.page("/calendar/\(token).ics"))
    }

    /// Turns the feed off.
    func revokeFeed(for userID: UUID) async throws {
        guard let record = try await CalendarSettingsRecord.find(userID, on: db) else { return }
        record.feedTokenHash = nil
        record.updatedAt = now()
        try await record.save(on: db)
    }

    /// The feed behind a secret address: the account's sessions from 30 days ago on, cancelled ones marked so.
    func feed(token: String) async throws -> String {
        guard !token.isEmpty, token.utf8.count <= 64,
            let record = try await CalendarSettingsRecord.query(on: db)
                .filter(\.$feedTokenHash == SecureToken.hash(token)).first(),
            let userID = record.id
        else { throw SchedulingError.feedNotFound }
        let engagements = try await engagementIDs(of: userID)
        let bookings = try await BookingRecord.query(on: db).filter(\.$engagementID ~~ engagements)
            .filter(\.$status != .proposed).filter(\.$startsAt >= now().addingTimeInterval(-30 * 86_400))
            .sort(\.$startsAt).all()
        let language = try await UserRecord.find(userID, on: db)?.language ?? .en
        let people = try await people(ofEngagementsOf: bookings)
        let events = bookings.compactMap { booking in
            event(booking, people: people[booking.engagementID] ?? [], for: userID, language)
        }
        return calendar(events, method: .publish)
    }

    /// One booking as a calendar file.
    func calendarFile(of id: UUID, for userID: UUID) async throws -> String {
        let (record, context) = try await requireBooking(id, userID)
        guard record.startsAt != nil else { throw SchedulingError.wrongStatus(current: record.status.rawValue) }
        let people = context.people
        let language = people.first { $0.id == userID }?.language ?? .en
        guard let event = event(record, people: people, for: userID, language) else {
            throw SchedulingError.bookingNotFound
        }
        return calendar([event], method: record.status == .cancelled ? .cancel : .publish)
    }

    private func settingsRecord(of userID: UUID) async throws -> CalendarSettingsRecord {
        if let record = try await CalendarSettingsRecord.find(userID, on: db) { return record }
        let record = CalendarSettingsRecord()
        record.id = userID
        record.reminderOffsets = JSONText.encode(Self.defaultReminderOffsets)
        record.updatedAt = now()
        return record
    }
}
