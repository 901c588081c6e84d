import Fluent
import Foundation
import LotseAPI

extension SchedulingService {
    /// What changed, for the mails that tell people.
    enum Change: String {
        case booked, rescheduled, cancelled, proposed, declined, series
    }

    /// The bookings as the account sees them.
    func wire(_ records: [BookingRecord], for userID: UUID) async throws -> [Booking] {
        var people: [UUID: [BookingPerson]] = [:]
        var places: [UUID: EngagementsService.Place] = [:]
        var result: [Booking] = []
        for record in records {
            if people[record.engagementID] == nil,
                let engagement = try await EngagementRecord.find(
                    record.engagementID, on: db)
            {
                people[record.engagementID] = try await self.people(of: engagement).map {
                    BookingPerson(userId: try $0.requireID(), displayName: $0.displayName)
                }
            }
            places[record.engagementID] = places[record.engagementID] ?? (record.coachID == userID ? .coach : .client)
            result.append(
                Booking(
                    id: try record.requireID(), engagementId: record.engagementID, coachId: record.coachID,
                    people: people[record.engagementID] ?? [], sessionTypeId: record.sessionTypeID,
                    title: record.title, status: record.status, startsAt: record.startsAt, endsAt: record.endsAt,
                    durationMinutes: record.durationMinutes, format: record.format, location: record.location,
                    proposedStarts: try JSONText.decode([Date].self, record.proposedStarts),
                    timeZone: record.timeZone, seriesId: record.seriesID, occurrence: record.occurrence,
                    changeableUntil: try await changeableUntil(record, place: places[record.engagementID] ?? .client),
                    createdBy: record.createdBy, cancelledBy: record.cancelledBy, sequence: record.sequence,
                    updatedAt: record.updatedAt))
        }
        return result
    }

    /// Tells everyone in the engagement: a live event, and a mail with the calendar file where there is one.
    func announce(_ records: [BookingRecord], _ change: Change, in engagement: EngagementRecord) async throws {
        let people = try await people(of: engagement)
        events.send(.engagement(id: try engagement.requireID()), to: people.compactMap(\.id))
        guard change != .declined, let first = records.first, let coach = people.first else { return }
        let settings = try await calendarSettings(of: people.compactMap(\.id))
        let host = mailer.publicURL.host ?? "lotse"
        let time = now()
        let link = mailer.page("/engagements/\(try engagement.requireID().uuidString.lowercased())")
        for person in people {
            let language = person.language
            let zone = settings[person.id ?? UUID()]?.timeZone ?? first.timeZone
            let others = people.filter { $0.id != person.id }.map(\.displayName).joined(separator: ", ")
            let when: String
            if change == .proposed {
                let starts = try JSONText.decode([Date].self, first.proposedStarts)
                when = starts.map { "– " + Self.when($0, zone: zone, language) }.joined(separator: "\n")
            } else {
                when = records.compactMap(\.startsAt).map { "– " + Self.when($0, zone: zone, language) }
                    .joined(separator: "\n")
            }
            let place = first.location ?? L10n.message("mail.booking.online", language)
            var attachments: [MailAttachment] = []
            if change != .proposed {
                let method: ICalendar.Method = change == .cancelled ? .cancel : .request
                let events = records.map { record in
                    ICalendar.Event(
                        booking: record, summary: Self.summary(record, others: others, language),
                        description: link, organizer: coach, attendees: Array(people.dropFirst()))
                }
                let calendar = ICalendar.calendar(events, method: method, host: host, now: time)
                attachments.append(
                    MailAttachment(
                        filename: "invite.ics",
                        contentType: "text/calendar; charset=utf-8; method=\(method.rawValue)",
                        data: Data(calendar.utf8)))
            }
            mailer.send(
                "booking_\(change.rawValue)", to: person.email, in: language,
                arguments: [person.displayName, first.title, when, link, others, place], now: time,
                attachments: attachments)
        }
    }

    /// "Coaching session with Carla Coach".
    static func summary(_ record: BookingRecord, others: String, _ language: Language) -> String {
        L10n.message("mail.booking.summary", language, [record.title, others])
    }

    /// "Tuesday, 8 December 2026 at 10:00 (Europe/Berlin)", in the language's way.
    static func when(_ date: Date, zone identifier: String, _ language: Language) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: language == .de ? "de_DE" : "en_GB")
        formatter.timeZone = TimeZone(identifier: identifier) ?? .gmt
        formatter.dateStyle = .full
        formatter.timeStyle = .short
        return "\(formatter.string(from: date)) (\(identifier))"
    }

    func calendarSettings(of users: [UUID]) async throws -> [UUID: CalendarSettingsRecord] {
        let records = try await CalendarSettingsRecord.query(on: db).filter(\.$id ~~ users).all()
        return Dictionary(records.compactMap { record in record.id.map { ($0, record) } }) { first, _ in first }
    }
}
