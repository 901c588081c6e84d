import Fluent
import Foundation
import LotseAPI
import SQLKit

extension SchedulingService {
    static let maximumProposals = 5

    // MARK: Reading

    /// The account's bookings whose start lies in `[from, to)` (default: a week ago to four months ahead), and every
    /// open proposal, in order of start.
    func bookings(of userID: UUID, from: Date?, to: Date?) async throws -> [Booking] {
        let from = from ?? now().addingTimeInterval(-7 * 86_400)
        let to = to ?? from.addingTimeInterval(130 * 86_400)
        guard to > from, to.timeIntervalSince(from) <= 400 * 86_400 else {
            throw RequestError.invalid(field: "to", reason: "not after from, or more than 400 days after it")
        }
        let engagements = try await engagementIDs(of: userID)
        guard !engagements.isEmpty else { return [] }
        let records = try await BookingRecord.query(on: db).filter(\.$engagementID ~~ engagements)
            .group(.or) { group in
                group.filter(\.$status == .proposed)
                    .group(.and) { $0.filter(\.$startsAt >= from).filter(\.$startsAt < to) }
            }
            .all()
        return try await wire(records.sorted(by: Self.inOrder), for: userID)
    }

    /// One booking the account is part of.
    func booking(_ id: UUID, for userID: UUID) async throws -> Booking {
        let (record, context) = try await requireBooking(id, userID)
        return try wire([record], for: userID, in: context)[0]
    }

    // MARK: Booking

    /// A client books a free slot, or the coach puts a session in the calendar (which needs no free slot, only no
    /// other session at that time). A retry with the same ID returns the first booking.
    func book(_ input: CreateBooking, by userID: UUID) async throws -> (Booking, isNew: Bool) {
        if let existing = try await BookingRecord.find(input.id, on: db) { return try await retried(existing, userID) }
        let context = try await context(input.engagementId, for: userID)
        let (engagement, place, availability) = (context.engagement, context.place, context.availability)
        try requireOpen(engagement)
        let type = try await activeSessionType(input.sessionTypeId, of: engagement.coachID)
        let start = try SchedulingInput.start(input.startsAt, field: "startsAt")
        if place == .client {
            guard !engagement.isGroup else { throw SchedulingError.clientBookingNotAllowed }
            let rules = try context.requireRules()
            let free = try await freeStarts(
                coach: engagement.coachID, rules: rules, timeZone: availability.timeZone,
                duration: type.durationMinutes * 60)
            guard Self.contains(free, start) else { throw SchedulingError.slotUnavailable }
        } else {
            try requireFuture(start, field: "startsAt")
        }
        let record = BookingRecord(
            id: input.id, engagement: engagement, type: type, availability: availability, createdBy: userID,
            at: now())
        record.status = .confirmed
        record.startsAt = Date(timeIntervalSince1970: TimeInterval(start))
        record.scheduledAt = record.createdAt
        if let raced = try await create([record], claimed: true, by: userID) { return (raced, false) }
        try await announce([record], .booked, in: context)
        return (try wire([record], for: userID, in: context)[0], true)
    }

    /// The coach proposes one to five times; a client picks one with ``accept(_:_:by:)``.
    func propose(_ input: ProposeTimes, by userID: UUID) async throws -> (Booking, isNew: Bool) {
        if let existing = try await BookingRecord.find(input.id, on: db) { return try await retried(existing, userID) }
        let context = try await context(input.engagementId, for: userID)
        let engagement = context.engagement
        guard context.place == .coach else { throw SchedulingError.engagementCoachOnly }
        try requireOpen(engagement)
        let type = try await activeSessionType(input.sessionTypeId, of: engagement.coachID)
        guard (1...Self.maximumProposals).contains(input.starts.count) else {
            throw RequestError.invalid(field: "starts", reason: "not 1 to \(Self.maximumProposals) times")
        }
        var starts: [Int] = []
        for (index, date) in input.starts.enumerated() {
            let start = try SchedulingInput.start(date, field: "starts[\(index)]")
            try requireFuture(start, field: "starts[\(index)]")
            guard !starts.contains(start) else {
                throw RequestError.invalid(field: "starts[\(index)]", reason: "a time listed twice")
            }
            starts.append(start)
        }
        let record = BookingRecord(
            id: input.id, engagement: engagement, type: type,
            availability: context.availability, createdBy: userID, at: now())
        record.status = .proposed
        record.proposedStarts = JSONText.encode(starts.sorted().map { Date(timeIntervalSince1970: TimeInterval($0)) })
        if let raced = try await create([record], claimed: false, by: userID) { return (raced, false) }
        try await announce([record], .proposed, in: context)
        return (try wire([record], for: userID, in: context)[0], true)
    }

    /// A client picks one of the proposed times; picking the same time again changes nothing.
    func accept(_ id: UUID, _ input: PickTime, by userID: UUID) async throws -> Booking {
        let (record, context) = try await requireBooking(id, userID)
        let start = try SchedulingInput.start(input.startsAt, field: "startsAt")
        if record.status == .confirmed, record.startsAt == input.startsAt {
            return try wire([record], for: userID, in: context)[0]
        }
        guard context.place == .client else { throw EngagementsError.clientOnly }
        guard record.status == .proposed else { throw SchedulingError.wrongStatus(current: record.status.rawValue) }
        try requireOpen(context.engagement)
        let proposed = try JSONText.decode([Date].self, record.proposedStarts).map { Int($0.timeIntervalSince1970) }
        guard proposed.contains(start) else { throw SchedulingError.notProposed }
        try requireFuture(start, field: "startsAt")
        try await move(record, to: start, status: .confirmed, availability: context.availability)
        try await announce([record], .booked, in: context)
        return try wire([record], for: userID, in: context)[0]
    }

    /// Moves a confirmed session. Clients may do so until the coach's notice (to one of the free slots); the coach
    /// any time before it starts. Moving it to where it already is changes nothing.
    func reschedule(_ id: UUID, _ input: PickTime, by userID: UUID) async throws -> Booking {
        let (record, context) = try await requireBooking(id, userID)
        guard record.status == .confirmed, let current = record.startsAt else {
            throw SchedulingError.wrongStatus(current: record.status.rawValue)
        }
        let start = try SchedulingInput.start(input.startsAt, field: "startsAt")
        if Int(current.timeIntervalSince1970) == start { return try wire([record], for: userID, in: context)[0] }
        try requireOpen(context.engagement)
        try requireChangeable(record, in: context)
        if context.place == .client {
            let rules = try context.requireRules()
            let free = try await freeStarts(
                coach: record.coachID, rules: rules, timeZone: context.availability.timeZone,
                duration: record.durationMinutes * 60, ignoring: record.id)
            guard Self.contains(free, start) else { throw SchedulingError.slotUnavailable }
        } else {
            try requireFuture(start, field: "startsAt")
        }
        try await move(record, to: start, status: .confirmed, availability: context.availability)
        try await announce([record], .rescheduled, in: context)
        return try wire([record], for: userID, in: context)[0]
    }

    /// Calls off a session (clients until the coach's notice) or a proposal (declined by a client, withdrawn by the
    /// coach). Cancelling again changes nothing.
    func cancel(_ id: UUID, by userID: UUID) async throws -> Booking {
        let (record, context) = try await requireBooking(id, userID)
        guard record.status != .cancelled else { return try wire([record], for: userID, in: context)[0] }
        let wasConfirmed = record.status == .confirmed
        if wasConfirmed { try requireChangeable(record, in: context) }
        record.status = .cancelled
        record.cancelledBy = userID
        record.sequence += 1
        record.updatedAt = now()
        try await db.transaction { db in
            try await record.save(on: db)
            try await BookingClaimRecord.query(on: db).filter(\.$bookingID == record.requireID()).delete()
        }
        try await announce([record], wasConfirmed ? .cancelled : .declined, in: context)
        return try wire([record], for: userID, in: context)[0]
    }

    // MARK: Series

    /// Sessions every `intervalWeeks` at the same wall-clock time in the coach's time zone. Each is a booking of its
    /// own; a client's series must fit the free slots, the coach's only avoid other sessions. A retry returns the
    /// first series.
    func createSeries(_ input: CreateSeries, by userID: UUID) async throws -> (BookingSeries, isNew: Bool) {
        if let existing = try await BookingSeriesRecord.find(input.id, on: db) {
            guard existing.createdBy == userID else { throw SchedulingError.idConflict }
            return (try await series(existing, for: userID), false)
        }
        guard (1...4).contains(input.intervalWeeks) else {
            throw RequestError.invalid(field: "intervalWeeks", reason: "not 1 to 4")
        }
        guard (2...52).contains(input.count) else { throw RequestError.invalid(field: "count", reason: "not 2 to 52") }
        let context = try await context(input.engagementId, for: userID)
        let (engagement, place) = (context.engagement, context.place)
        try requireOpen(engagement)
        let type = try await activeSessionType(input.sessionTypeId, of: engagement.coachID)
        if place == .client, engagement.isGroup { throw SchedulingError.clientBookingNotAllowed }
        let first = try SchedulingInput.start(input.firstStartsAt, field: "firstStartsAt")
        try requireFuture(first, field: "firstStartsAt")
        let availability = context.availability
        let duration = type.durationMinutes * 60
        let weeks = input.intervalWeeks * 7 * 86_400
        let zone = ZoneOffsets(
            TimeZone(identifier: availability.timeZone) ?? .gmt, from: first, to: first + input.count * weeks)
        let local = zone.local(first)
        let starts = (0..<input.count).map { zone.utc(local + $0 * weeks) }
        let time = now()
        let records = starts.enumerated().map { index, start in
            let record = BookingRecord(
                id: UUID(), engagement: engagement, type: type, availability: availability, createdBy: userID, at: time)
            record.status = .confirmed
            record.startsAt = Date(timeIntervalSince1970: TimeInterval(start))
            record.scheduledAt = time
            record.seriesID = input.id
            record.occurrence = index + 1
            return record
        }
        try await requireFree(records, starts: starts, context: context, duration: duration, zone: zone)
        let record = BookingSeriesRecord()
        record.id = input.id
        record.engagementID = try engagement.requireID()
        record.intervalWeeks = input.intervalWeeks
        record.count = input.count
        record.createdBy = userID
        record.createdAt = time
        do {
            try await db.transaction { db in
                try await record.create(on: db)
                try await records.create(on: db)
                for record in records { try await Self.claim(record, on: db) }
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            if let raced = try await BookingSeriesRecord.find(input.id, on: db), raced.createdBy == userID {
                return (try await series(raced, for: userID), false)
            }
            throw SchedulingError.slotTaken
        }
        try await announce(records, .series, in: context)
        return (try await series(record, for: userID), true)
    }

    /// Each session of a new series must be free: for a client a free slot, for the coach clear of other sessions.
    private func requireFree(
        _ records: [BookingRecord], starts: [Int], context: BookingContext, duration: Int, zone: ZoneOffsets
    ) async throws {
        let claims = records.compactMap(\.claim)
        guard let last = claims.last else { return }
        func conflict(_ start: Int) -> SchedulingError {
            .seriesConflict(date: CivilDate.format(SlotFinder.floorDiv(zone.local(start), 86_400)))
        }
        if context.place == .client {
            let free = try await freeStarts(
                coach: records[0].coachID, rules: try context.requireRules(),
                timeZone: context.availability.timeZone, duration: duration,
                until: last.end)
            for start in starts where !Self.contains(free, start) { throw conflict(start) }
        } else {
            let busy = SlotFinder.merged(
                try await busyTime(of: records[0].coachID, from: claims[0].start, to: last.end).compactMap(\.claim))
            for (start, claim) in zip(starts, claims) {
                let index = SlotFinder.firstEnding(after: claim.start, in: busy)
                if index < busy.count && busy[index].start < claim.end { throw conflict(start) }
            }
        }
    }

    private func series(_ record: BookingSeriesRecord, for userID: UUID) async throws -> BookingSeries {
        let bookings = try await BookingRecord.query(on: db).filter(\.$seriesID == record.requireID())
            .sort(\.$occurrence).all()
        return BookingSeries(
            id: try record.requireID(), intervalWeeks: record.intervalWeeks, count: record.count,
            bookings: try await wire(bookings, for: userID))
    }

    // MARK: Claims

    /// Holds a confirmed booking's time in five-minute blocks; the unique index refuses overlaps.
    static func claim(_ record: BookingRecord, on db: any Database) async throws {
        guard let claim = record.claim else { return }
        let size = BookingClaimRecord.blockSeconds
        let first = SlotFinder.floorDiv(claim.start, size)
        let last = SlotFinder.floorDiv(claim.end + size - 1, size)
        let id = try record.requireID()
        try await (first..<last).map { BookingClaimRecord(booking: id, coach: record.coachID, block: $0) }.create(
            on: db)
    }

    /// Creates bookings (with their claims). Returns the first booking if this was the same request racing itself;
    /// `slot_taken` if another booking holds the time.
    private func create(_ records: [BookingRecord], claimed: Bool, by userID: UUID) async throws -> Booking? {
        do {
            try await db.transaction { db in
                try await records.create(on: db)
                if claimed { for record in records { try await Self.claim(record, on: db) } }
            }
            return nil
        } catch let error as any DatabaseError where error.isConstraintFailure {
            if let raced = try await BookingRecord.find(records[0].id, on: db) {
                return try await retried(raced, userID).0
            }
            throw SchedulingError.slotTaken
        }
    }

    /// Sets a new start: releases the old time and claims the new one in one transaction.
    private func move(
        _ record: BookingRecord, to start: Int, status: BookingStatus, availability: Availability
    ) async throws {
        let time = now()
        record.status = status
        record.startsAt = Date(timeIntervalSince1970: TimeInterval(start))
        record.bufferBefore = availability.bufferBeforeMinutes
        record.bufferAfter = availability.bufferAfterMinutes
        record.scheduledAt = time
        record.sequence += 1
        record.updatedAt = time
        do {
            try await db.transaction { db in
                try await BookingClaimRecord.query(on: db).filter(\.$bookingID == record.requireID()).delete()
                try await record.save(on: db)
                try await Self.claim(record, on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw SchedulingError.slotTaken
        }
    }

    // MARK: Checks

    private func retried(_ existing: BookingRecord, _ userID: UUID) async throws -> (Booking, isNew: Bool) {
        guard existing.createdBy == userID else { throw SchedulingError.idConflict }
        return (try await wire([existing], for: userID)[0], false)
    }

    func requireBooking(_ id: UUID, _ userID: UUID) async throws -> (BookingRecord, BookingContext) {
        guard let record = try await BookingRecord.find(id, on: db) else { throw SchedulingError.bookingNotFound }
        do {
            return (record, try await context(record.engagementID, for: userID))
        } catch EngagementsError.notFound {
            throw SchedulingError.bookingNotFound
        }
    }

    private func requireOpen(_ engagement: EngagementRecord) throws {
        guard EngagementStatus.ongoing.contains(engagement.status) else {
            throw SchedulingError.engagementEnded
        }
    }

    private func requireFuture(_ start: Int, field: String) throws {
        guard start > Int(now().timeIntervalSince1970) else {
            throw RequestError.invalid(field: field, reason: "in the past")
        }
    }

    /// The coach's notice policy: a client may change a session until `changeNoticeHours` before it; the coach
    /// until it starts.
    private func requireChangeable(_ record: BookingRecord, in context: BookingContext) throws {
        let hours = context.noticeHours
        guard let deadline = Self.changeableUntil(record, place: context.place, noticeHours: hours), deadline > now()
        else {
            throw SchedulingError.tooLateToChange(hours: hours)
        }
    }

    /// Until when `place` may change a confirmed booking: the coach until it starts, a client `noticeHours` before.
    static func changeableUntil(_ record: BookingRecord, place: EngagementMembership.Place, noticeHours: Int) -> Date? {
        guard record.status == .confirmed, let start = record.startsAt else { return nil }
        return place == .client ? start.addingTimeInterval(TimeInterval(-noticeHours * 3_600)) : start
    }

    /// The saved availability, or the defaults: a coach may put sessions in the calendar without bookable hours.
    func availabilityOrDefault(of coach: UUID) async throws -> Availability {
        if let record = try await AvailabilityRecord.find(coach, on: db) { return try record.wire() }
        return try await defaultAvailability(of: coach)
    }

    /// The defaults for a coach who saved no availability, in the time zone of their profile (else Berlin's).
    func defaultAvailability(of coach: UUID) async throws -> Availability {
        let zone = try await DirectoryProfileRecord.find(coach, on: db)?.timeZone ?? "Europe/Berlin"
        return Self.defaultAvailability(timeZone: zone)
    }

    func engagementIDs(of userID: UUID) async throws -> [UUID] {
        let asClient = try await EngagementClientRecord.query(on: db).filter(\.$userID == userID).all(\.$engagementID)
        let asCoach = try await EngagementRecord.query(on: db).filter(\.$coachID == userID).all(\.$id)
        return asClient + asCoach.compactMap { $0 }
    }

    static func contains(_ sorted: [Int], _ value: Int) -> Bool {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low < sorted.count && sorted[low] == value
    }

    static func inOrder(_ a: BookingRecord, _ b: BookingRecord) -> Bool {
        switch (a.startsAt, b.startsAt) {
        case (nil, nil): a.createdAt < b.createdAt
        case (nil, _): true
        case (_, nil): false
        case (let x?, let y?): x < y || (x == y && (a.occurrence ?? 0) < (b.occurrence ?? 0))
        }
    }
}

extension BookingRecord {
    convenience init(
        id: UUID, engagement: EngagementRecord, type: SessionTypeRecord, availability: Availability, createdBy: UUID,
        at time: Date
    ) {
        self.init()
        self.id = id
        self.engagementID = engagement.id ?? id
        self.coachID = engagement.coachID
        self.sessionTypeID = type.id ?? id
        self.title = type.name
        self.durationMinutes = type.durationMinutes
        self.format = type.format
        self.location = type.location
        self.proposedStarts = "[]"
        self.timeZone = availability.timeZone
        self.bufferBefore = availability.bufferBeforeMinutes
        self.bufferAfter = availability.bufferAfterMinutes
        self.createdBy = createdBy
        self.sequence = 0
        self.createdAt = time
        self.updatedAt = time
    }
}
