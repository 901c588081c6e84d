import Fluent
import Foundation
import LotseAPI
import Vapor

/// Reminder mails before sessions, at each person's offsets (docs/scheduling.md). A reminder is claimed in the
/// database before it is sent (unique per booking, person, offset and start) and marked once the mail server took
/// it, so a restart or a second instance never sends it twice; a failed send gives the claim back for the next round.
struct Reminders {
    let scheduling: SchedulingService
    var db: any Database { scheduling.db }
    var now: @Sendable () -> Date { scheduling.now }
    var mailer: Mailer { scheduling.mailer }

    /// The longest offset anyone may choose (a week).
    static let horizon: TimeInterval = 10_080 * 60

    /// Sends every reminder that is due; returns how many went out.
    @discardableResult
    func sendDue() async throws -> Int {
        let time = now()
        let bookings = try await BookingRecord.query(on: db).filter(\.$status == .confirmed)
            .filter(\.$startsAt > time).filter(\.$startsAt <= time.addingTimeInterval(Self.horizon)).all()
        var sent = 0
        let peopleByEngagement = try await scheduling.people(ofEngagementsOf: bookings)
        for booking in bookings {
            guard let start = booking.startsAt, let people = peopleByEngagement[booking.engagementID] else { continue }
            let settings = try await scheduling.calendarSettings(of: people.compactMap(\.id))
            for person in people {
                let userID = try person.requireID()
                let offsets =
                    try settings[userID].map { try JSONText.decode([Int].self, $0.reminderOffsets) }
                    ?? SchedulingService.defaultReminderOffsets
                // Of the reminders due now, only the latest: after a long outage one mail, not a burst.
                let due = offsets.filter { offset in
                    let moment = start.addingTimeInterval(TimeInterval(-offset * 60))
                    return moment <= time && (booking.scheduledAt ?? booking.createdAt) < moment
                }
                guard let offset = due.min() else { continue }
                if try await remind(person, of: booking, at: start, offset: offset, people: people, settings: settings)
                {
                    sent += 1
                }
            }
        }
        return sent
    }

    private func remind(
        _ person: UserRecord, of booking: BookingRecord, at start: Date, offset: Int, people: [UserRecord],
        settings: [UUID: CalendarSettingsRecord]
    ) async throws -> Bool {
        let claim = ReminderRecord()
        claim.bookingID = try booking.requireID()
        claim.userID = try person.requireID()
        claim.offsetMinutes = offset
        claim.startsAt = start
        claim.claimedAt = now()
        do {
            try await claim.create(on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return false  // sent already, or being sent by another instance
        }
        let language = person.language
        let zone = settings[claim.userID]?.timeZone ?? booking.timeZone
        let others = SchedulingService.names(of: people, except: person.id)
        let place = booking.location ?? Texts.scheduling.message("mail.booking.online", language)
        var arguments = [
            person.displayName, booking.title, SchedulingService.when(start, zone: zone, language),
            mailer.engagementPage(booking.engagementID), others, place,
        ]
        var template = "reminder"
        if booking.format == .online, booking.coachID != claim.userID,
            try await isFirstOnlineSession(booking, of: claim.userID)
        {
            template = "reminder_first_online"
            arguments.append(mailer.page("/tech-check"))
        }
        let mail = mailer.compose(template, to: person.email, in: language, arguments: arguments, now: now())
        do {
            try await mailer.deliver(mail, template: template)
        } catch {
            try await claim.delete(on: db)  // not sent: the next round tries again
            return false
        }
        claim.sentAt = now()
        try await claim.save(on: db)
        return true
    }

    /// Whether the client has no earlier online session that was not cancelled.
    private func isFirstOnlineSession(_ booking: BookingRecord, of userID: UUID) async throws -> Bool {
        let engagements = try await EngagementClientRecord.query(on: db).filter(\.$userID == userID)
            .all(\.$engagementID)
        guard let start = booking.startsAt else { return false }
        let earlier = try await BookingRecord.query(on: db).filter(\.$engagementID ~~ engagements)
            .filter(\.$format == .online).filter(\.$status == .confirmed).filter(\.$startsAt < start).count()
        return earlier == 0
    }
}
