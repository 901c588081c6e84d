import Fluent
import Foundation
import LotseAPI

extension SchedulingService {
    /// What changed, for the mails that tell people.
    enum Change: String {
        case booked, rescheduled, cancelled, proposed, declined, series

        /// What it leaves waiting for the other side, in their notification center: a client calling off proposed
        /// times asks for others.
        func waitingStep(by place: EngagementMembership.Place) -> NotificationKind {
            switch self {
            case .booked, .series: .booked
            case .rescheduled: .rescheduled
            case .cancelled: .cancelled
            case .declined: place == .client ? .otherTimeAsked : .cancelled
            case .proposed: .timesProposed
            }
        }
    }

    /// The bookings as the account sees them.
    func wire(_ records: [BookingRecord], for userID: UUID) async throws -> [Booking] {
        let people = try await people(ofEngagementsOf: records)
        var noticeHours: [UUID: Int] = [:]  // per coach, read once
        for coach in Set(records.map(\.coachID)) where coach != userID {
            noticeHours[coach] = try await availabilityOrDefault(of: coach).changeNoticeHours
        }
        return try wire(records, for: userID, people: people, noticeHours: noticeHours)
    }

    /// Bookings of one engagement, with what the request already loaded.
    func wire(_ records: [BookingRecord], for userID: UUID, in context: BookingContext) throws -> [Booking] {
        try wire(
            records, for: userID, people: [try context.engagement.requireID(): context.people],
            noticeHours: [context.engagement.coachID: context.availability.changeNoticeHours])
    }

    /// The bookings as the account sees them, given each engagement's people and each coach's notice in hours.
    private func wire(
        _ records: [BookingRecord], for userID: UUID, people: [UUID: [UserRecord]], noticeHours: [UUID: Int]
    ) throws -> [Booking] {
        var result: [Booking] = []
        for record in records {
            let place: EngagementMembership.Place = record.coachID == userID ? .coach : .client
            result.append(
                Booking(
                    id: try record.requireID(), engagementId: record.engagementID, coachId: record.coachID,
                    people: try (people[record.engagementID] ?? []).map {
                        BookingPerson(userId: try $0.requireID(), displayName: $0.displayName)
                    },
                    sessionTypeId: record.sessionTypeID, title: record.title, status: record.status,
                    startsAt: record.startsAt, endsAt: record.endsAt, durationMinutes: record.durationMinutes,
                    format: record.format, location: record.location,
                    proposedStarts: try JSONText.decode([Date].self, record.proposedStarts),
                    timeZone: record.timeZone, seriesId: record.seriesID, occurrence: record.occurrence,
                    changeableUntil: Self.changeableUntil(
                        record, place: place, noticeHours: noticeHours[record.coachID] ?? 0),
                    createdBy: record.createdBy, cancelledBy: record.cancelledBy, sequence: record.sequence,
                    updatedAt: record.updatedAt))
        }
        return result
    }

    /// The people of each engagement the bookings belong to (the coach first), each engagement read once.
    func people(ofEngagementsOf records: [BookingRecord]) async throws -> [UUID: [UserRecord]] {
        var people: [UUID: [UserRecord]] = [:]
        for id in Set(records.map(\.engagementID)) {
            if let engagement = try await EngagementRecord.find(id, on: db) {
                people[id] = try await membership.people(of: engagement)
            }
        }
        return people
    }

    /// A booking as a calendar event, titled for `viewer` ("… with" everyone else); nil if the engagement has no
    /// coach any more.
    func event(_ booking: BookingRecord, people: [UserRecord], for viewer: UUID?, _ language: Language)
        -> ICalendar.Event?
    {
        guard let coach = people.first else { return nil }
        return ICalendar.Event(
            booking: booking, summary: Self.summary(booking, others: Self.names(of: people, except: viewer), language),
            description: mailer.engagementPage(booking.engagementID), organizer: coach,
            attendees: Array(people.dropFirst()))
    }

    /// A calendar object of `events`, with this server's host in the UIDs.
    func calendar(_ events: [ICalendar.Event], method: ICalendar.Method) -> String {
        ICalendar.calendar(events, method: method, host: mailer.publicURL.host ?? "lotse", now: now())
    }

    /// Everyone's names but `userID`'s, for "with …".
    static func names(of people: [UserRecord], except userID: UUID?) -> String {
        people.filter { $0.id != userID }.map(\.displayName).joined(separator: ", ")
    }

    /// Tells everyone in the engagement: a live event, and a mail with the calendar file where there is one.
    func announce(_ records: [BookingRecord], _ change: Change, in context: BookingContext) async throws {
        let (engagement, people) = (context.engagement, context.people)
        if let first = records.first { try await trackFirstMeeting(first, change, in: context) }
        events.send(.engagement(id: try engagement.requireID()), to: people.compactMap(\.id))
        // The other side sees it in their notification center; the mail below tells them already.
        let others = context.place == .coach ? people.dropFirst().compactMap(\.id) : [engagement.coachID]
        try await notifications.post(
            change.waitingStep(by: context.place), in: engagement.requireID(), by: context.requester, to: others,
            mail: false)
        guard change != .declined, let first = records.first, !people.isEmpty else { return }
        let settings = try await calendarSettings(of: people.compactMap(\.id))
        let link = mailer.engagementPage(try engagement.requireID())
        for person in people {
            let language = person.language
            let zone = person.id.flatMap { settings[$0]?.timeZone } ?? first.timeZone
            let others = Self.names(of: people, except: person.id)
            let starts =
                change == .proposed
                ? try JSONText.decode([Date].self, first.proposedStarts) : records.compactMap(\.startsAt)
            let when = starts.map { "– " + Self.when($0, zone: zone, language) }.joined(separator: "\n")
            let place = first.location ?? Texts.scheduling.message("mail.booking.online", language)
            var attachments: [MailAttachment] = []
            if change != .proposed {
                let method: ICalendar.Method = change == .cancelled ? .cancel : .request
                let events = records.compactMap { event($0, people: people, for: person.id, language) }
                attachments.append(
                    MailAttachment(
                        filename: "invite.ics",
                        contentType: "text/calendar; charset=utf-8; method=\(method.rawValue)",
                        data: Data(calendar(events, method: method).utf8)))
            }
            mailer.send(
                "booking_\(change.rawValue)", to: person.email, in: language,
                arguments: [person.displayName, first.title, when, link, others, place], now: now(),
                attachments: attachments)
        }
    }

    /// "Coaching session with Carla Coach".
    static func summary(_ record: BookingRecord, others: String, _ language: Language) -> String {
        Texts.scheduling.message("mail.booking.summary", language, [record.title, others])
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

extension Mailer {
    /// The engagement's page in the web client, where its sessions are.
    func engagementPage(_ id: UUID) -> String {
        page("/engagements/\(id.uuidString.lowercased())")
    }
}
