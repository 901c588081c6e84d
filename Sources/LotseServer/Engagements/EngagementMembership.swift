import Fluent
import Foundation

/// Who is in an engagement, and as what: the one place engagements, scheduling, calls and tech checks ask. Anyone
/// outside an engagement gets the same `engagements.not_found` as for an engagement that does not exist.
struct EngagementMembership {
    let db: any Database

    /// A person's place in an engagement.
    enum Place: Equatable {
        case coach
        case client
    }

    /// The engagement and the requester's place in it.
    func require(_ id: UUID, _ userID: UUID) async throws -> (record: EngagementRecord, place: Place) {
        guard let record = try await EngagementRecord.find(id, on: db),
            let place = try await place(of: userID, in: record)
        else { throw EngagementsError.notFound }
        return (record, place)
    }

    /// The account's place in the engagement, or nil if it is not in it.
    func place(of userID: UUID, in record: EngagementRecord) async throws -> Place? {
        if record.coachID == userID { return .coach }
        let isClient =
            try await EngagementClientRecord.query(on: db).filter(\.$engagementID == record.requireID())
            .filter(\.$userID == userID).count() > 0
        return isClient ? .client : nil
    }

    /// The engagement's clients.
    func clientIDs(of id: UUID) async throws -> [UUID] {
        try await EngagementClientRecord.query(on: db).filter(\.$engagementID == id).all(\.$userID)
    }

    /// The coach and the clients.
    func participants(of record: EngagementRecord) async throws -> [UUID] {
        [record.coachID] + (try await clientIDs(of: record.requireID()))
    }

    /// The people of an engagement: the coach first, then the clients in the order they joined.
    func people(of engagement: EngagementRecord) async throws -> [UserRecord] {
        let clients = try await EngagementClientRecord.query(on: db)
            .filter(\.$engagementID == engagement.requireID()).sort(\.$joinedAt).all(\.$userID)
        let users = try await UserRecord.query(on: db).filter(\.$id ~~ ([engagement.coachID] + clients)).all()
        let byID = Dictionary(users.compactMap { user in user.id.map { ($0, user) } }) { first, _ in first }
        return ([engagement.coachID] + clients).compactMap { byID[$0] }
    }
}
