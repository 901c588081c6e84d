import Fluent
import Foundation
import LotseAPI

/// What a request about an engagement's sessions needs, loaded once and passed down: the engagement, the
/// requester's place in it, its people (the coach first) and the coach's availability with its rules. Before,
/// a client's booking read the availability three times and the engagement's clients three times, and turned the
/// availability into rules by way of a request body on every read (bench/booking.sh counts the statements).
struct BookingContext {
    let engagement: EngagementRecord
    /// Who asks, and their place in the engagement.
    let requester: UUID
    let place: EngagementMembership.Place
    /// The coach first, then the clients in the order they joined.
    let people: [UserRecord]
    /// The coach's saved availability, or the defaults when they saved none.
    let availability: Availability
    /// The bookable hours; nil when the coach saved no availability (then only the coach puts sessions in).
    let rules: SlotRules?

    /// The bookable hours, or `no_availability`.
    func requireRules() throws -> SlotRules {
        guard let rules else { throw SchedulingError.noAvailability }
        return rules
    }

    /// Hours before a session until which the requester may change it: the coach's notice for clients.
    var noticeHours: Int { place == .client ? availability.changeNoticeHours : 0 }
}

extension SchedulingService {
    /// Loads the context of a request about engagement `id` by `userID`; everyone outside it gets
    /// `engagements.not_found`, as ``EngagementMembership/require(_:_:)`` answers.
    func context(_ id: UUID, for userID: UUID) async throws -> BookingContext {
        guard let engagement = try await EngagementRecord.find(id, on: db) else { throw EngagementsError.notFound }
        let people = try await membership.people(of: engagement)
        let place: EngagementMembership.Place
        if engagement.coachID == userID {
            place = .coach
        } else if people.contains(where: { $0.id == userID }) {
            place = .client
        } else {
            throw EngagementsError.notFound
        }
        if let (availability, rules) = try await savedAvailability(of: engagement.coachID) {
            return BookingContext(
                engagement: engagement, requester: userID, place: place, people: people, availability: availability,
                rules: rules)
        }
        return BookingContext(
            engagement: engagement, requester: userID, place: place, people: people,
            availability: try await defaultAvailability(of: engagement.coachID), rules: nil)
    }
}
