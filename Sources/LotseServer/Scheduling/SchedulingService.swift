import Fluent
import Foundation
import LotseAPI
import SQLKit

/// The rules of scheduling: a coach's availability and session types, the free slots computed from them, and
/// bookings of one-to-one and group engagements (docs/scheduling.md).
struct SchedulingService {
    let db: any Database
    let now: @Sendable () -> Date
    let events: EventHub
    let mailer: Mailer
    let notifications: NotificationsService

    /// What a coach who never saved their availability starts with: no hours, sensible rules.
    static func defaultAvailability(timeZone: String) -> Availability {
        Availability(
            timeZone: timeZone, weekly: [], exceptions: [], bufferBeforeMinutes: 0, bufferAfterMinutes: 15,
            minimumNoticeMinutes: 720, horizonDays: 60, slotStepMinutes: 30, changeNoticeHours: 24, updatedAt: nil)
    }

    // MARK: Availability and session types

    /// The coach's availability, or the defaults in the time zone of their directory profile.
    func availability(of coach: UserRecord) async throws -> Availability {
        try await availabilityOrDefault(of: requireCoach(coach))
    }

    /// Replaces the coach's availability; existing bookings stay as they are.
    func saveAvailability(_ input: UpdateAvailability, for coach: UserRecord) async throws -> Availability {
        let coachID = try requireCoach(coach)
        _ = try SchedulingInput.availability(input)
        let record = try await AvailabilityRecord.find(coachID, on: db) ?? AvailabilityRecord()
        record.id = coachID
        record.timeZone = input.timeZone
        record.weekly = JSONText.encode(input.weekly)
        record.exceptions = JSONText.encode(input.exceptions.sorted { $0.date < $1.date })
        record.bufferBefore = input.bufferBeforeMinutes
        record.bufferAfter = input.bufferAfterMinutes
        record.minimumNotice = input.minimumNoticeMinutes
        record.horizonDays = input.horizonDays
        record.slotStep = input.slotStepMinutes
        record.changeNoticeHours = input.changeNoticeHours
        record.updatedAt = now()
        try await record.save(on: db)
        return try record.wire()
    }

    /// The coach's session types, active ones first, by name.
    func sessionTypes(of coach: UserRecord) async throws -> [SessionType] {
        let coachID = try requireCoach(coach)
        return try await SessionTypeRecord.query(on: db).filter(\.$coachID == coachID).all()
            .sorted { ($0.isActive ? 0 : 1, $0.name) < ($1.isActive ? 0 : 1, $1.name) }.map { try $0.wire() }
    }

    /// Creates (isNew) or updates a session type; bookings keep the name, length and place they were made with.
    func saveSessionType(_ id: UUID, _ input: SaveSessionType, for coach: UserRecord) async throws -> (
        SessionType, isNew: Bool
    ) {
        let coachID = try requireCoach(coach)
        let clean = try SchedulingInput.sessionType(input)
        let existing = try await SessionTypeRecord.find(id, on: db)
        guard existing == nil || existing?.coachID == coachID else { throw SchedulingError.idConflict }
        let record = existing ?? SessionTypeRecord()
        record.id = id
        record.coachID = coachID
        record.name = clean.name
        record.durationMinutes = clean.durationMinutes
        record.format = clean.format
        record.location = clean.location
        record.price = clean.price.map(JSONText.encode)
        record.isActive = clean.isActive
        record.updatedAt = now()
        do {
            try await record.save(on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw SchedulingError.idConflict  // created at the same moment by another coach
        }
        return (try record.wire(), existing == nil)
    }

    // MARK: What an engagement can book

    /// The active session types of the engagement's coach.
    func sessionTypes(forEngagement id: UUID, by userID: UUID) async throws -> [SessionType] {
        let engagement = try await membership.require(id, userID).record
        return try await SessionTypeRecord.query(on: db).filter(\.$coachID == engagement.coachID)
            .filter(\.$isActive == true).sort(\.$name).all().map { try $0.wire() }
    }

    /// The free starts of a session type for the engagement's clients; while `moving` one of its bookings, that
    /// booking's own time counts as free.
    func freeSlots(
        forEngagement id: UUID, sessionType typeID: UUID, moving: UUID?, by userID: UUID
    ) async throws -> FreeSlots {
        let engagement = try await membership.require(id, userID).record
        let type = try await activeSessionType(typeID, of: engagement.coachID)
        if let moving {  // its own time counts as free; the account is a member, so it may see the engagement's
            guard try await BookingRecord.find(moving, on: db)?.engagementID == id else {
                throw SchedulingError.bookingNotFound
            }
        }
        let (availability, rules) = try await rules(of: engagement.coachID)
        let starts = try await freeStarts(
            coach: engagement.coachID, rules: rules, timeZone: availability.timeZone,
            duration: type.durationMinutes * 60, ignoring: moving)
        return FreeSlots(
            sessionTypeId: typeID, timeZone: availability.timeZone,
            starts: starts.map { Date(timeIntervalSince1970: TimeInterval($0)) })
    }

    /// The free starts from now on, with the coach's confirmed bookings as busy time (except `ignoring`, which is
    /// being moved).
    func freeStarts(
        coach: UUID, rules: SlotRules, timeZone: String, duration: Int, until: Int? = nil, ignoring: UUID? = nil
    ) async throws -> [Int] {
        let time = Int(now().timeIntervalSince1970)
        var rules = rules
        if let until { rules.horizon = max(rules.horizon, until - time + 1) }
        let zone = ZoneOffsets(
            TimeZone(identifier: timeZone) ?? .gmt, from: time, to: time + rules.horizon + duration)
        let busy = try await busyTime(of: coach, from: time, to: time + rules.horizon + duration + 86_400)
            .filter { $0.id != ignoring }.compactMap(\.claim)
        return SlotFinder.freeStarts(rules: rules, zone: zone, duration: duration, busy: busy, now: time)
    }

    /// The coach's confirmed bookings whose claimed time meets `[from, to)`.
    func busyTime(of coach: UUID, from: Int, to: Int) async throws -> [BookingRecord] {
        // Claims reach at most a day (8 hours plus buffers) before a start, so this window finds every one.
        try await BookingRecord.query(on: db).filter(\.$coachID == coach).filter(\.$status == .confirmed)
            .filter(\.$startsAt >= Date(timeIntervalSince1970: TimeInterval(from - 86_400)))
            .filter(\.$startsAt < Date(timeIntervalSince1970: TimeInterval(to))).all()
    }

    /// Each coach's earliest free start for their shortest active session type, for the directory's cards; coaches
    /// without saved hours or a session type have none.
    func nextFreeStarts(of coaches: [UUID]) async throws -> [UUID: Date] {
        guard !coaches.isEmpty else { return [:] }
        let types = try await SessionTypeRecord.query(on: db).filter(\.$coachID ~~ coaches).filter(\.$isActive == true)
            .all()
        var found: [UUID: Date] = [:]
        for coach in coaches {
            guard let shortest = types.filter({ $0.coachID == coach }).map(\.durationMinutes).min(),
                let (availability, rules) = try await savedAvailability(of: coach)
            else { continue }
            let starts = try await freeStarts(
                coach: coach, rules: rules, timeZone: availability.timeZone, duration: shortest * 60)
            if let first = starts.first { found[coach] = Date(timeIntervalSince1970: TimeInterval(first)) }
        }
        return found
    }

    /// The coach's availability and its rules; `no_availability` if they never set it up.
    func rules(of coach: UUID) async throws -> (Availability, SlotRules) {
        guard let saved = try await savedAvailability(of: coach) else { throw SchedulingError.noAvailability }
        return saved
    }

    /// The coach's saved availability and its rules, read straight from it; nil if they never saved any.
    func savedAvailability(of coach: UUID) async throws -> (Availability, SlotRules)? {
        guard let record = try await AvailabilityRecord.find(coach, on: db) else { return nil }
        let availability = try record.wire()
        return (availability, try SchedulingInput.rules(availability))
    }

    // MARK: Who is where

    var membership: EngagementMembership { EngagementMembership(db: db) }

    func activeSessionType(_ id: UUID, of coach: UUID) async throws -> SessionTypeRecord {
        guard let type = try await SessionTypeRecord.find(id, on: db), type.coachID == coach, type.isActive else {
            throw SchedulingError.sessionTypeNotFound
        }
        return type
    }

    /// The session type of a mentoring pair's meetings (`id` the pair's): an hour, online, free, named after the
    /// program. The mentor needs no coach account for it.
    func keepSessionType(_ id: UUID, for mentor: UUID, name: String) async throws {
        let record = try await SessionTypeRecord.find(id, on: db) ?? SessionTypeRecord()
        guard record.id == nil || record.coachID == mentor else { throw SchedulingError.idConflict }
        record.id = id
        record.coachID = mentor
        record.name = String(name.prefix(100))
        record.durationMinutes = 60
        record.format = .online
        record.location = nil
        record.price = nil
        record.isActive = true
        record.updatedAt = now()
        do {
            try await record.save(on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Both of the pair started at the same moment: the other's save made the same type.
        }
    }

    func requireCoach(_ user: UserRecord) throws -> UUID {
        guard user.role == .coach else { throw SchedulingError.coachOnly }
        return try user.requireID()
    }
}

extension AvailabilityRecord {
    func wire() throws -> Availability {
        Availability(
            timeZone: timeZone, weekly: try JSONText.decode([WeeklyHours].self, weekly),
            exceptions: try JSONText.decode([DateException].self, exceptions), bufferBeforeMinutes: bufferBefore,
            bufferAfterMinutes: bufferAfter, minimumNoticeMinutes: minimumNotice, horizonDays: horizonDays,
            slotStepMinutes: slotStep, changeNoticeHours: changeNoticeHours, updatedAt: updatedAt)
    }
}

extension SessionTypeRecord {
    func wire() throws -> SessionType {
        SessionType(
            id: try requireID(), coachId: coachID, name: name, durationMinutes: durationMinutes, format: format,
            location: location, price: try price.map { try JSONText.decode(Price.self, $0) }, isActive: isActive,
            updatedAt: updatedAt)
    }
}
