import Fluent
import Foundation
import LotseAPI
import Testing
import Vapor

@testable import LotseServer

/// Sets up `coach` to be booked: Monday to Friday 09:00–17:00 in Berlin, hourly starts, 15 minutes after each
/// session, 12 hours' notice, 24 hours to change; and a 60-minute online session type.
func makeBookable(_ t: TestContext, _ coach: Participant, changeNoticeHours: Int = 24) async throws -> UUID {
    let availability = UpdateAvailability(
        timeZone: "Europe/Berlin", weekly: (1...5).map { WeeklyHours(weekday: $0, start: "09:00", end: "17:00") },
        exceptions: [DateException(date: "2026-12-24", hours: [])], bufferBeforeMinutes: 0, bufferAfterMinutes: 15,
        minimumNoticeMinutes: 720, horizonDays: 60, slotStepMinutes: 60, changeNoticeHours: changeNoticeHours)
    let saved = try await t.send(.PUT, "api/v1/availability", json: availability, token: coach.token)
    #expect(saved.status == .ok, "\(saved.text)")
    let type = UUID()
    let created = try await t.send(
        .PUT, "api/v1/session-types/\(type)",
        json: SaveSessionType(
            name: "Coaching session", durationMinutes: 60, format: .online, location: nil,
            price: Price(amount: 12_000, currency: "EUR", per: .session), isActive: true),
        token: coach.token)
    #expect(created.status == .created, "\(created.text)")
    return type
}

/// `person` books a session of `type` in `engagement` at an RFC 3339 moment.
func book(_ t: TestContext, _ engagement: UUID, _ type: UUID, at start: String, by person: Participant) async throws
    -> Booking
{
    let answer = try await t.send(
        .POST, "api/v1/bookings",
        json: CreateBooking(id: UUID(), engagementId: engagement, sessionTypeId: type, startsAt: moment(start)),
        token: person.token)
    #expect(answer.status == .created, "\(answer.text)")
    return try answer.decode(Booking.self)
}

/// Reads an iCalendar text with Python's icalendar package (Tests/Fixtures/read_ics.py).
func readCalendar(_ text: String) async throws -> [String: Any] {
    let result = try await runCommand(
        "python3", [repositoryRoot + "/Tests/Fixtures/read_ics.py"], input: Data(text.utf8))
    #expect(result.status == 0, "icalendar could not read:\n\(text)\n\(result.errors)")
    return try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
}

/// The attachment of a mail, decoded.
func attachment(of message: TestSMTPServer.Message) -> String? {
    guard let range = message.raw.range(of: "filename=\"invite.ics\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
    else { return nil }
    let rest = message.raw[range.upperBound...]
    let base64 = rest.prefix { $0 != "-" }.replacingOccurrences(of: "\r\n", with: "")
    return Data(base64Encoded: base64).map { String(decoding: $0, as: UTF8.self) }
}

func moment(_ text: String) -> Date { RFC3339.date(text)! }

/// Waits for the mail to `recipient` with `subject` (mails go out in the background, in no fixed order).
func mail(_ t: TestContext, to recipient: String, subject: String) async throws -> TestSMTPServer.Message {
    for _ in 0..<500 {
        if let found = t.smtp.messages.first(where: {
            $0.recipients.contains(recipient) && $0.header("Subject") == subject
        }) {
            return found
        }
        try await Task.sleep(for: .milliseconds(20))
    }
    Issue.record("no mail \"\(subject)\" to \(recipient)")
    throw TestSMTPServer.SMTPTestError.noMail(recipient)
}

@Suite("Bookings")
struct BookingTests {
    @Test("A client books a free slot once, however often the request is retried, and gets a calendar invitation")
    func bookingIsIdempotentAndInvites() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            let client = try await t.participant("client@example.org")
            let engagement = try await t.invite([client], by: coach)
            let type = try await makeBookable(t, coach)
            let slots = try await t.send(
                .GET, engagement.path + "/slots?sessionType=\(type)", token: client.token
            ).decode(FreeSlots.self)
            // The clock stands at Wednesday 2026-11-18 08:53 UTC; with 12 hours' notice the first start is Thursday
            // 09:00 in Berlin, which is 08:00 UTC.
            #expect(slots.starts.first == moment("2026-11-19T08:00:00Z"))
            #expect(slots.timeZone == "Europe/Berlin")
            #expect(!slots.starts.contains { ISO8601DateFormatter().string(from: $0).hasPrefix("2026-12-24") })
            let booking = CreateBooking(
                id: UUID(), engagementId: engagement.id, sessionTypeId: type, startsAt: slots.starts[0])
            for expected: HTTPStatus in [.created, .ok] {
                let response = try await t.send(.POST, "api/v1/bookings", json: booking, token: client.token)
                #expect(response.status == expected, "\(response.text)")
            }
            #expect(try await BookingRecord.query(on: t.app.db).count() == 1)
            let after = try await t.send(
                .GET, engagement.path + "/slots?sessionType=\(type)", token: client.token
            ).decode(FreeSlots.self)
            #expect(!after.starts.contains(slots.starts[0]))
            // 09:00–10:00 plus 15 minutes keeps 10:00 free too? No: the next hourly start, 10:00, would begin
            // within the buffer, so 11:00 is the next one that day.
            #expect(!after.starts.contains(slots.starts[1]))
            #expect(after.starts.contains(slots.starts[2]))

            let mail = try await mail(t, to: client.email, subject: "Booked: Coaching session")
            let calendar = try await readCalendar(try #require(attachment(of: mail)))
            #expect(calendar["method"] as? String == "REQUEST")
            let event = try #require((calendar["events"] as? [[String: Any]])?.first)
            #expect(event["uid"] as? String == "\(booking.id.uuidString.lowercased())@lotse.test")
            #expect(event["start"] as? String == "2026-11-19T08:00:00Z")
            #expect(event["startByVTimezone"] as? String == "2026-11-19T08:00:00Z")
            #expect(event["end"] as? String == "2026-11-19T09:00:00Z")
            #expect(event["local"] as? String == "2026-11-19T09:00")
            #expect(event["tzid"] as? String == "Europe/Berlin")
            // Names and account IDs, never addresses.
            #expect(!(try #require(attachment(of: mail))).contains("mailto:"))
            _ = try await LotseServerTests.mail(t, to: coach.email, subject: "Booked: Coaching session")
        }
    }

    @Test("Two clients racing for one slot: one gets 201, the other 409, and the coach has one session then")
    func racingClients() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            let first = try await t.participant("first@example.org")
            let second = try await t.participant("second@example.org")
            let one = try await t.invite([first], by: coach)
            let two = try await t.invite([second], by: coach)
            let type = try await makeBookable(t, coach)
            let start = moment("2026-11-23T09:00:00Z")  // Monday 10:00 in Berlin
            for round in 0..<3 {
                let when = start.addingTimeInterval(TimeInterval(round * 86_400))
                async let a = t.send(
                    .POST, "api/v1/bookings",
                    json: CreateBooking(id: UUID(), engagementId: one.id, sessionTypeId: type, startsAt: when),
                    token: first.token)
                async let b = t.send(
                    .POST, "api/v1/bookings",
                    json: CreateBooking(id: UUID(), engagementId: two.id, sessionTypeId: type, startsAt: when),
                    token: second.token)
                let statuses = try await [a.status, b.status].sorted { $0.code < $1.code }
                #expect(statuses == [.created, .conflict], "round \(round)")
            }
            let confirmed = try await BookingRecord.query(on: t.app.db).filter(\.$status == .confirmed).count()
            #expect(confirmed == 3)
        }
    }

    @Test("A coach's session that meets another one is refused by the database's claims, not only by the offer")
    func overlappingSessionsAreRefused() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            let client = try await t.participant("client@example.org")
            let engagement = try await t.invite([client], by: coach)
            let type = try await makeBookable(t, coach)
            let first = try await t.send(
                .POST, "api/v1/bookings",
                json: CreateBooking(
                    id: UUID(), engagementId: engagement.id, sessionTypeId: type,
                    startsAt: moment("2026-11-23T09:00:00Z")),
                token: coach.token)
            #expect(first.status == .created)
            // 10:10 UTC starts within the 15 minutes kept free after 09:00–10:00.
            let overlapping = try await t.send(
                .POST, "api/v1/bookings",
                json: CreateBooking(
                    id: UUID(), engagementId: engagement.id, sessionTypeId: type,
                    startsAt: moment("2026-11-23T10:10:00Z")),
                token: coach.token)
            #expect(overlapping.status == .conflict)
            #expect(overlapping.errorCode == "scheduling.slot_taken")
            // A time the client was never offered.
            let offHours = try await t.send(
                .POST, "api/v1/bookings",
                json: CreateBooking(
                    id: UUID(), engagementId: engagement.id, sessionTypeId: type,
                    startsAt: moment("2026-11-22T09:00:00Z")),
                token: client.token)
            #expect(offHours.errorCode == "scheduling.slot_unavailable")
            let unaligned = try await t.send(
                .POST, "api/v1/bookings",
                json: CreateBooking(
                    id: UUID(), engagementId: engagement.id, sessionTypeId: type,
                    startsAt: moment("2026-11-23T13:02:00Z")),
                token: coach.token)
            #expect(unaligned.status == .badRequest && unaligned.field == "startsAt")
        }
    }

    @Test("While a session is being moved, its own time (and its buffer) shows as free, but only for that session")
    func slotsWhileMoving() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            let client = try await t.participant("client@example.org")
            let other = try await t.participant("other@example.org")
            let engagement = try await t.invite([client], by: coach)
            let elsewhere = try await t.invite([other], by: coach)
            let type = try await makeBookable(t, coach)
            let booked = try await book(t, engagement.id, type, at: "2026-11-20T09:00:00Z", by: client)
            func starts(_ query: String) async throws -> Set<Date> {
                let answer = try await t.send(
                    .GET, "api/v1/engagements/\(engagement.id)/slots?sessionType=\(type)\(query)", token: client.token)
                #expect(answer.status == .ok, "\(answer.text)")
                return Set(try answer.decode(FreeSlots.self).starts)
            }
            // 08:00 would end within 15 minutes of the session; 10:00 starts within its 15 minutes.
            let taken = ["08:00", "09:00", "10:00"].map { moment("2026-11-20T\($0):00Z") }
            let moving = try await starts("&moving=\(booked.id)")
            #expect(moving.subtracting(try await starts("")) == Set(taken))
            let moved = try await t.send(
                .POST, "api/v1/bookings/\(booked.id)/reschedule", json: PickTime(startsAt: taken[2]),
                token: client.token)
            #expect(try moved.decode(Booking.self).startsAt == taken[2])

            let foreign = try await book(t, elsewhere.id, type, at: "2026-11-23T09:00:00Z", by: other)
            let notOurs = try await t.send(
                .GET, "api/v1/engagements/\(engagement.id)/slots?sessionType=\(type)&moving=\(foreign.id)",
                token: client.token)
            #expect(notOurs.status == .notFound)
            let garbled = try await t.send(
                .GET, "api/v1/engagements/\(engagement.id)/slots?sessionType=\(type)&moving=soon", token: client.token)
            #expect(garbled.status == .badRequest && garbled.field == "moving")
        }
    }

    @Test("Clients move and cancel until the coach's notice; after it only the coach can, and the time frees up")
    func noticePolicy() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            let client = try await t.participant("client@example.org")
            let engagement = try await t.invite([client], by: coach)
            let type = try await makeBookable(t, coach)
            let booked = try await book(t, engagement.id, type, at: "2026-11-20T09:00:00Z", by: client)
            #expect(booked.changeableUntil == moment("2026-11-19T09:00:00Z"))
            let moved = try await t.send(
                .POST, "api/v1/bookings/\(booked.id)/reschedule",
                json: PickTime(startsAt: moment("2026-11-20T12:00:00Z")),
                token: client.token)
            #expect(moved.status == .ok, "\(moved.text)")
            #expect(try moved.decode(Booking.self).sequence == 1)
            _ = try await mail(t, to: client.email, subject: "Moved: Coaching session")
            t.clock.advance(by: 86_400)  // Thursday 08:53 UTC: 27 hours before, then within 24
            t.clock.advance(by: 4 * 3_600)
            let late = try await t.send(.POST, "api/v1/bookings/\(booked.id)/cancel", token: client.token)
            #expect(late.status == .conflict)
            #expect(late.errorCode == "scheduling.too_late_to_change")
            #expect(late.text.contains("24 hours"))
            let byCoach = try await t.send(.POST, "api/v1/bookings/\(booked.id)/cancel", token: coach.token)
            #expect(try byCoach.decode(Booking.self).status == .cancelled)
            let again = try await t.send(.POST, "api/v1/bookings/\(booked.id)/cancel", token: coach.token)
            #expect(again.status == .ok)
            #expect(try await BookingClaimRecord.query(on: t.app.db).count() == 0)
            let cancelled = try await mail(t, to: client.email, subject: "Cancelled: Coaching session")
            let calendar = try await readCalendar(try #require(attachment(of: cancelled)))
            #expect(calendar["method"] as? String == "CANCEL")
            #expect((calendar["events"] as? [[String: Any]])?.first?["status"] as? String == "CANCELLED")
        }
    }

    @Test(
        "Every second Tuesday, 10 sessions: the same Berlin time across the DST change; one moved or cancelled leaves the rest"
    )
    func recurringSeries() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            let client = try await t.participant("client@example.org")
            let engagement = try await t.invite([client], by: coach)
            let type = try await makeBookable(t, coach)
            let input = CreateSeries(
                id: UUID(), engagementId: engagement.id, sessionTypeId: type,
                firstStartsAt: moment("2026-12-08T09:00:00Z"), intervalWeeks: 2, count: 10)
            let series = try await t.send(.POST, "api/v1/series", json: input, token: coach.token)
            #expect(series.status == .created, "\(series.text)")
            let bookings = try series.decode(BookingSeries.self).bookings
            #expect(bookings.count == 10)
            let berlin = TimeZone(identifier: "Europe/Berlin")!
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = berlin
            for (index, booking) in bookings.enumerated() {
                let start = try #require(booking.startsAt)
                #expect(calendar.component(.hour, from: start) == 10, "occurrence \(index + 1)")
                #expect(calendar.component(.weekday, from: start) == 3)  // Tuesday
                #expect(booking.occurrence == index + 1)
            }
            // 2027-04-13 is after the change to summer time: 10:00 CEST is 08:00 UTC.
            #expect(bookings[9].startsAt == moment("2027-04-13T08:00:00Z"))
            let retry = try await t.send(.POST, "api/v1/series", json: input, token: coach.token)
            #expect(retry.status == .ok)
            #expect(try retry.decode(BookingSeries.self).bookings.map(\.id) == bookings.map(\.id))

            let moved = try await t.send(
                .POST, "api/v1/bookings/\(bookings[2].id)/reschedule",
                json: PickTime(startsAt: moment("2027-01-06T13:00:00Z")), token: coach.token)
            #expect(moved.status == .ok, "\(moved.text)")
            let cancelled = try await t.send(.POST, "api/v1/bookings/\(bookings[4].id)/cancel", token: client.token)
            #expect(cancelled.status == .ok, "\(cancelled.text)")
            let after = try await BookingRecord.query(on: t.app.db).filter(\.$seriesID == input.id)
                .sort(\.$occurrence).all()
            #expect(after.count == 10)
            #expect(after.map(\.occurrence) == Array(1...10))
            #expect(after.filter { $0.status == .cancelled }.map(\.occurrence) == [5])
            for (before, now) in zip(bookings, after) where ![3, 5].contains(now.occurrence) {
                #expect(now.startsAt == before.startsAt && now.sequence == 0)
            }
            #expect(after[2].startsAt == moment("2027-01-06T13:00:00Z"))

            // A second series over the same Tuesdays meets the first, and says on which day.
            let clash = try await t.send(
                .POST, "api/v1/series",
                json: CreateSeries(
                    id: UUID(), engagementId: engagement.id, sessionTypeId: type,
                    firstStartsAt: moment("2026-12-01T09:30:00Z"), intervalWeeks: 1, count: 3),
                token: coach.token)
            #expect(clash.errorCode == "scheduling.series_conflict")
            #expect(clash.text.contains("2026-12-08"))
        }
    }

    @Test("The coach proposes times, the client picks one; a time not proposed is refused")
    func proposals() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            let client = try await t.participant("client@example.org")
            let engagement = try await t.invite([client], by: coach)
            let type = try await makeBookable(t, coach)
            let times = [moment("2026-11-25T17:00:00Z"), moment("2026-11-26T18:00:00Z")]
            let proposal = try await t.send(
                .POST, "api/v1/proposals",
                json: ProposeTimes(id: UUID(), engagementId: engagement.id, sessionTypeId: type, starts: times),
                token: coach.token
            ).decode(Booking.self)
            #expect(proposal.status == .proposed && proposal.proposedStarts == times)
            let proposedMail = try await mail(t, to: client.email, subject: "Times proposed: Coaching session")
            #expect(attachment(of: proposedMail) == nil)
            let wrong = try await t.send(
                .POST, "api/v1/bookings/\(proposal.id)/accept",
                json: PickTime(startsAt: moment("2026-11-25T18:00:00Z")),
                token: client.token)
            #expect(wrong.errorCode == "scheduling.not_proposed")
            let accepted = try await t.send(
                .POST, "api/v1/bookings/\(proposal.id)/accept", json: PickTime(startsAt: times[1]), token: client.token)
            #expect(try accepted.decode(Booking.self).status == .confirmed)
            #expect(try accepted.decode(Booking.self).startsAt == times[1])
            let list = try await t.send(.GET, "api/v1/bookings", token: coach.token).decode([Booking].self)
            #expect(list.map(\.id) == [proposal.id])
            let stranger = try await t.participant("stranger@example.org")
            let hidden = try await t.send(.GET, "api/v1/bookings/\(proposal.id)", token: stranger.token)
            #expect(hidden.status == .notFound)
        }
    }

    @Test("A private feed lists one's sessions for calendar apps until it is revoked")
    func calendarFeed() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            let client = try await t.participant("client@example.org")
            let engagement = try await t.invite([client], by: coach)
            let type = try await makeBookable(t, coach)
            for start in ["2026-11-23T09:00:00Z", "2027-04-05T08:00:00Z"] {
                let response = try await t.send(
                    .POST, "api/v1/bookings",
                    json: CreateBooking(
                        id: UUID(), engagementId: engagement.id, sessionTypeId: type, startsAt: moment(start)),
                    token: coach.token)
                #expect(response.status == .created)
            }
            let feed = try await t.send(.POST, "api/v1/calendar/feed", token: client.token).decode(CalendarFeed.self)
            let path = try #require(URL(string: feed.url)?.path)
            #expect(path.hasPrefix("/calendar/") && path.hasSuffix(".ics"))
            let response = try await t.send(.GET, String(path.dropFirst()))
            #expect(response.status == .ok)
            let calendar = try await readCalendar(response.text)
            let events = try #require(calendar["events"] as? [[String: Any]])
            #expect(events.map { $0["start"] as? String } == ["2026-11-23T09:00:00Z", "2027-04-05T08:00:00Z"])
            #expect(events.map { $0["startByVTimezone"] as? String } == events.map { $0["start"] as? String })
            #expect(events.map { $0["local"] as? String } == ["2026-11-23T10:00", "2027-04-05T10:00"])
            #expect(
                events.first?["summary"] as? String == "Coaching session with \(coach.email.split(separator: "@")[0])"
                    || (events.first?["summary"] as? String)?.hasPrefix("Coaching session with") == true)
            #expect(
                try await t.send(.GET, "api/v1/calendar/settings", token: client.token)
                    .decode(CalendarSettings.self).hasFeed)
            _ = try await t.send(.DELETE, "api/v1/calendar/feed", token: client.token)
            #expect(try await t.send(.GET, String(path.dropFirst())).status == .notFound)
        }
    }

    @Test(
        "Reminders go out by mail at each person's offsets, exactly once, with the tech check before a first video session"
    )
    func reminders() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            let client = try await t.participant("client@example.org")
            let engagement = try await t.invite([client], by: coach)
            let type = try await makeBookable(t, coach)
            let settings = try await t.send(
                .PUT, "api/v1/calendar/settings",
                json: UpdateCalendarSettings(timeZone: "America/New_York", reminderOffsetsMinutes: [120]),
                token: client.token)
            #expect(try settings.decode(CalendarSettings.self).reminderOffsetsMinutes == [120])
            let bad = try await t.send(
                .PUT, "api/v1/calendar/settings",
                json: UpdateCalendarSettings(timeZone: "Mars/Olympus", reminderOffsetsMinutes: [120]),
                token: client.token)
            #expect(bad.status == .badRequest && bad.field == "timeZone")
            _ = try await t.send(
                .POST, "api/v1/bookings",
                json: CreateBooking(
                    id: UUID(), engagementId: engagement.id, sessionTypeId: type,
                    startsAt: moment("2026-11-20T14:00:00Z")),
                token: client.token)
            let before = t.smtp.messages.count
            func instance() -> Reminders {
                t.app.make(on: t.app.db)  // as the server builds them (App/Services.swift)
            }
            #expect(try await instance().sendDue() == 0)
            t.clock.advance(by: moment("2026-11-19T14:00:00Z").timeIntervalSince(t.clock.now))  // 24 h before
            #expect(try await instance().sendDue() == 1)  // the coach's default 24 hours
            t.clock.advance(by: 22 * 3_600 + 60)  // 1 h 59 min before: the client's 2 hours
            // Two instances at once, and then again: each reminder once.
            async let a = instance().sendDue()
            async let b = instance().sendDue()
            let sent = try await a + b
            #expect(sent == 1)
            #expect(try await instance().sendDue() == 0)
            t.clock.advance(by: 3_600)  // the coach's 1 hour
            #expect(try await instance().sendDue() == 1)
            #expect(try await instance().sendDue() == 0)
            await t.app.lotse.mailer.drain()
            let mails = t.smtp.messages.dropFirst(before).filter { $0.header("Subject")?.hasPrefix("Reminder") == true }
            #expect(mails.count == 3)
            let toClient = try #require(mails.first { $0.recipients.contains(client.email) })
            #expect(toClient.header("Subject") == "Reminder: Coaching session")
            let body = String(
                decoding: Data(
                    base64Encoded: toClient.raw.components(separatedBy: "\r\n\r\n")[1]
                        .replacingOccurrences(of: "\r\n", with: "")) ?? Data(), as: UTF8.self)
            #expect(body.contains("https://lotse.test/tech-check"))
            #expect(body.contains("09:00") && body.contains("America/New_York"))  // 14:00 UTC in New York
            #expect(try await ReminderRecord.query(on: t.app.db).filter(\.$sentAt == nil).count() == 0)
        }
    }

    @Test("Bad availability is refused with the field at fault, and what was saved stays")
    func badAvailability() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            _ = try await makeBookable(t, coach)
            let cases: [(UpdateAvailability, String)] = [
                (
                    .init(
                        timeZone: "Berlin", weekly: [], exceptions: [], bufferBeforeMinutes: 0, bufferAfterMinutes: 0,
                        minimumNoticeMinutes: 0, horizonDays: 30, slotStepMinutes: 30, changeNoticeHours: 0), "timeZone"
                ),
                (
                    .init(
                        timeZone: "Europe/Berlin", weekly: [WeeklyHours(weekday: 8, start: "09:00", end: "10:00")],
                        exceptions: [], bufferBeforeMinutes: 0, bufferAfterMinutes: 0, minimumNoticeMinutes: 0,
                        horizonDays: 30, slotStepMinutes: 30, changeNoticeHours: 0), "weekly[0].weekday"
                ),
                (
                    .init(
                        timeZone: "Europe/Berlin", weekly: [WeeklyHours(weekday: 1, start: "10:00", end: "09:00")],
                        exceptions: [], bufferBeforeMinutes: 0, bufferAfterMinutes: 0, minimumNoticeMinutes: 0,
                        horizonDays: 30, slotStepMinutes: 30, changeNoticeHours: 0), "weekly[0].end"
                ),
                (
                    .init(
                        timeZone: "Europe/Berlin", weekly: [],
                        exceptions: [DateException(date: "2026-02-30", hours: [])],
                        bufferBeforeMinutes: 0, bufferAfterMinutes: 0, minimumNoticeMinutes: 0, horizonDays: 30,
                        slotStepMinutes: 30, changeNoticeHours: 0), "exceptions[0].date"
                ),
                (
                    .init(
                        timeZone: "Europe/Berlin", weekly: [], exceptions: [], bufferBeforeMinutes: 0,
                        bufferAfterMinutes: 0, minimumNoticeMinutes: 0, horizonDays: 91, slotStepMinutes: 30,
                        changeNoticeHours: 0), "horizonDays"
                ),
            ]
            for (input, field) in cases {
                let response = try await t.send(.PUT, "api/v1/availability", json: input, token: coach.token)
                #expect(response.status == .badRequest && response.field == field, "\(response.text)")
            }
            let kept = try await t.send(.GET, "api/v1/availability", token: coach.token).decode(Availability.self)
            #expect(kept.weekly.count == 5)
            let client = try await t.participant("client@example.org")
            let notCoach = try await t.send(.GET, "api/v1/availability", token: client.token)
            #expect(notCoach.status == .forbidden)
        }
    }
}
