import Fluent
import Foundation
import LotseAPI

/// The tech check's results: each person saves their latest, and an engagement's coach reads their clients' before
/// the first session (docs/video.md, "Tech check").
struct TechChecks {
    let db: any Database
    let now: @Sendable () -> Date
    let membership: EngagementMembership

    /// The longest round trip worth recording; anything slower is a failed test call, not a measurement.
    static let maximumRoundTrip = 60_000

    /// Saves `report` as the person's latest check; saving the same report again just renews its time.
    /// `again` marks the one retry after another tab stored the first check at the same moment.
    func save(_ report: TechCheckReport, for user: UUID, again: Bool = false) async throws -> TechCheck {
        if report.connection == .passed {
            guard report.route != nil else {
                throw RequestError.invalid(field: "route", reason: "say how a test call that connected got through")
            }
        } else if report.route != nil || report.roundTripMilliseconds != nil {
            let field = report.route != nil ? "route" : "roundTripMilliseconds"
            throw RequestError.invalid(field: field, reason: "only for a test call that connected")
        }
        if let roundTrip = report.roundTripMilliseconds, !(0...Self.maximumRoundTrip).contains(roundTrip) {
            throw RequestError.invalid(
                field: "roundTripMilliseconds", reason: "must be between 0 and \(Self.maximumRoundTrip)")
        }
        let record = try await TechCheckRecord.find(user, on: db) ?? TechCheckRecord()
        record.id = user
        record.camera = report.camera
        record.microphone = report.microphone
        record.speaker = report.speaker
        record.connection = report.connection
        record.route = report.route
        record.roundTripMilliseconds = report.roundTripMilliseconds
        record.checkedAt = now()
        do {
            try await record.save(on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure && !again {
            return try await save(report, for: user, again: true)  // a second tab saved first: now this one updates
        }
        return record.wire
    }

    /// The person's latest check.
    func latest(of user: UUID) async throws -> TechCheck {
        guard let record = try await TechCheckRecord.find(user, on: db) else { throw VideoError.noTechCheck }
        return record.wire
    }

    /// The latest checks of an engagement's clients, for its coach; clients without one are not listed.
    func ofClients(in engagement: UUID, for user: UUID) async throws -> [TechCheck] {
        let (_, place) = try await membership.require(engagement, user)
        guard place == .coach else { throw EngagementsError.coachOnly }
        let clients = try await membership.clientIDs(of: engagement)
        return try await TechCheckRecord.query(on: db).filter(\.$id ~~ clients).sort(\.$checkedAt, .descending).all()
            .map(\.wire)
    }
}
