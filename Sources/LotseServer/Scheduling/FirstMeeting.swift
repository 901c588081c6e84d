import Fluent
import Foundation
import LotseAPI

extension SchedulingService {
    /// Keeps an engagement's first meeting in step with its first booking (docs/engagements.md, "First meeting"):
    /// before the agreement, the coach's proposed times are the first meeting; the client's pick books it — in both
    /// calendars, with its calendar file, reminders and video link, holding the time like every session. Calling the
    /// proposal off (the client asking for another time) leaves the engagement without one again.
    func trackFirstMeeting(_ record: BookingRecord, _ change: Change, in context: BookingContext) async throws {
        let engagement = context.engagement
        guard [.inquiry, .agreementProposed].contains(engagement.status) else { return }
        let current = try engagement.firstMeeting.map { try JSONText.decode(FirstMeeting.self, $0) }
        let id = try record.requireID()
        // A booked first meeting stays the first meeting; later bookings are sessions.
        if let current, current.bookingId != id, current.acceptedAt != nil { return }
        var event: EngagementEvent.Kind?
        switch change {
        case .proposed:
            guard let earliest = try JSONText.decode([Date].self, record.proposedStarts).min() else { return }
            engagement.firstMeeting = JSONText.encode(
                FirstMeeting(
                    at: earliest, format: record.format, location: record.location, acceptedAt: nil, bookingId: id))
            event = .meetingProposed
        case .booked, .rescheduled, .series:
            guard let start = record.startsAt else { return }
            let accepted = current?.bookingId == id ? current?.acceptedAt : nil
            engagement.firstMeeting = JSONText.encode(
                FirstMeeting(
                    at: start, format: record.format, location: record.location, acceptedAt: accepted ?? now(),
                    bookingId: id))
            if accepted == nil { event = .meetingAccepted }
        case .cancelled, .declined:
            guard current?.bookingId == id else { return }
            engagement.firstMeeting = nil
        }
        let time = now()
        engagement.updatedAt = time
        try await db.transaction { [event] db in
            try await engagement.save(on: db)
            if let event {
                try await EngagementEventRecord(
                    engagement: engagement.requireID(), kind: event, actor: context.requester, at: time
                ).create(on: db)
            }
        }
    }
}
