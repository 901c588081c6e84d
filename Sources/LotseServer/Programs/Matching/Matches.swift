import Fluent
import Foundation
import LotseAPI
import SQLKit

/// Matches: staff publish pairs, mentees ask mentors, and both sides answer (docs/programs.md, "Matches"). A
/// mentor's places and a mentee's one match are taken by conditional updates, so no two racing acceptances can
/// overfill a mentor or match a mentee twice.
extension ProgramsService {
    /// At most this many open requests per mentee.
    static let maximumOpenRequests = 3

    // MARK: Staff

    /// Publishes pairs for both sides to accept: all of them or none.
    func publish(_ input: PublishMatches, in programID: UUID, by user: UUID) async throws -> PublishedMatches {
        let program = try await staffProgram(programID, for: user)
        let published = try await publish(input, in: program)
        if published.created > 0 {
            try await recordAction(
                "matches_published", in: program, by: user, details: ["pairs": String(published.created)])
        }
        return published
    }

    func publish(_ input: PublishMatches, in program: ProgramRecord) async throws -> PublishedMatches {
        let programID = try program.requireID()
        guard
            program.status == .matching || program.status == .active
                || (program.takesRegistrations && program.cohort == .evergreen)
        else { throw ProgramsError.wrongStatus(current: program.status) }
        guard Set(input.pairs).count == input.pairs.count else { throw ProgramsError.pinNotPossible }
        let pool = try await pool(of: program)
        let scorer = PairScore(questions: program.questionnaire.questions, at: now())
        let mentees = Dictionary(uniqueKeysWithValues: pool.mentees.map { ($0.id!, $0) })
        let mentors = Dictionary(uniqueKeysWithValues: pool.mentors.map { ($0.id!, $0) })
        var scored: [(PairChoice, Int)] = []
        for pair in input.pairs {
            guard let mentee = mentees[pair.menteeId], let mentor = mentors[pair.mentorId],
                let (score, _) = scorer.score(
                    mentee: pool.answers[mentee.id!] ?? [:], mentor: pool.answers[mentor.id!] ?? [:])
            else { throw ProgramsError.pinNotPossible }
            scored.append((pair, score))
        }
        let time = now()
        let toPublish = scored
        let created = try await WriteConflict.retrying {
            try await db.transaction { db -> [(PairChoice, UUID)] in
                var created: [(PairChoice, UUID)] = []
                for (pair, score) in toPublish {
                    let existing = try await MatchRecord.query(on: db).filter(\.$menteeID == pair.menteeId)
                        .filter(\.$mentorID == pair.mentorId).first()
                    if let existing, existing.state.isLive { continue }
                    let match =
                        existing
                        ?? MatchRecord(
                            program: programID, mentee: pair.menteeId, mentor: pair.mentorId, state: .waiting,
                            origin: .staff, score: score, at: time)
                    guard try await Self.takePlace(of: pair.mentorId, on: db) else {
                        throw ProgramsError.mentorFull(name: mentors[pair.mentorId]?.displayName ?? "")
                    }
                    guard try await Self.claim(pair.menteeId, for: match.requireID(), on: db) else {
                        throw ProgramsError.menteeMatched(name: mentees[pair.menteeId]?.displayName ?? "")
                    }
                    match.state = .waiting
                    match.origin = .staff
                    match.score = score
                    match.menteeAcceptedAt = nil
                    match.mentorAcceptedAt = nil
                    match.respondBy = time.addingTimeInterval(Double(program.requestExpiryDays) * 86_400)
                    match.updatedAt = time
                    try await match.save(on: db)
                    created.append((pair, try match.requireID()))
                }
                return created
            }
        }
        try await tell(created.flatMap { [$0.0.menteeId, $0.0.mentorId] }, "match_waiting", in: program)
        for (pair, match) in created {
            try await post(.matchProposed, about: match, to: [pair.menteeId, pair.mentorId])
        }
        return PublishedMatches(created: created.count, alreadyPublished: toPublish.count - created.count)
    }

    /// Mails the people behind these participations, without saying who their partner is (docs/notifications.md),
    /// unless they turned program mails off: `match_waiting` when an answer waits for them, `match_active` when both
    /// said yes, `pair_check_in`, `pair_completed`.
    func tell(_ participants: [UUID], _ template: String, in program: ProgramRecord) async throws {
        guard !participants.isEmpty else { return }
        let people = try await ProgramParticipantRecord.query(on: db).filter(\.$id ~~ participants).all()
        let accounts = people.compactMap(\.userID)
        let muted = try await NotificationSettingsRecord.muting(.programs, among: accounts, on: db)
        let users = try await UserRecord.query(on: db).filter(\.$id ~~ accounts.filter { !muted.contains($0) }).all()
        for user in users {
            mailer.send(
                template, to: user.email, in: user.language,
                arguments: [user.displayName, program.name, mailer.page("/home")], now: now())
        }
    }

    /// The program's matches, for its staff: who with whom and where they are, nothing they wrote.
    func matches(in programID: UUID, for user: UUID) async throws -> [ProgramMatch] {
        let program = try await staffProgram(programID, for: user)
        let records = try await MatchRecord.query(on: db).filter(\.$programID == programID).sort(\.$createdAt).all()
        return try await wire(records, programs: [programID: program])
    }

    // MARK: Participants

    /// The account's matches in every program, newest first.
    func myMatches(_ user: UserRecord) async throws -> [ProgramMatch] {
        let mine = try await ProgramParticipantRecord.query(on: db).filter(\.$userID == user.requireID()).all()
            .compactMap(\.id)
        guard !mine.isEmpty else { return [] }
        let records = try await MatchRecord.query(on: db)
            .group(.or) { $0.filter(\.$menteeID ~~ mine).filter(\.$mentorID ~~ mine) }
            .sort(\.$createdAt, .descending).all()
        return try await wire(records, programs: [:])
    }

    /// Mentors a mentee may ask: those the must criteria allow with places left, best score first.
    func suggestions(in programID: UUID, for user: UserRecord) async throws -> [MentorSuggestion] {
        let (program, mentee) = try await menteeParticipation(in: programID, of: user)
        let pool = try await pool(of: program)
        let scorer = PairScore(questions: program.questionnaire.questions, at: now())
        let requested = Set(
            try await MatchRecord.query(on: db).filter(\.$menteeID == mentee.requireID())
                .filter(\.$state == .requested).all().map(\.mentorID))
        let tried = try await triedPairs(in: programID, of: mentee.requireID())
        let own = pool.answers[try mentee.requireID()] ?? [:]
        return pool.mentors.compactMap { mentor -> MentorSuggestion? in
            guard mentor.takenPlaces < mentor.capacity, !tried.contains([mentee.id!, mentor.id!]),
                let (score, reasons) = scorer.score(mentee: own, mentor: pool.answers[mentor.id!] ?? [:])
            else { return nil }
            return MentorSuggestion(
                mentorId: mentor.id!, displayName: mentor.displayName, score: score, reasons: reasons,
                placesLeft: mentor.capacity - mentor.takenPlaces, isRequested: requested.contains(mentor.id!))
        }
        .sorted { ($0.score, $1.displayName) > ($1.score, $0.displayName) }
        .prefix(10).map { $0 }
    }

    /// A mentee asks a mentor; asking again answers the same request.
    func request(_ input: RequestMentor, in programID: UUID, by user: UserRecord) async throws -> ProgramMatch {
        let (program, mentee) = try await menteeParticipation(in: programID, of: user)
        guard program.matchingMode == .choice else { throw ProgramsError.wrongStatus(current: program.status) }
        guard program.status == .matching || program.status == .active || program.takesRegistrations else {
            throw ProgramsError.wrongStatus(current: program.status)
        }
        let menteeID = try mentee.requireID()
        if let existing = try await MatchRecord.query(on: db).filter(\.$menteeID == menteeID)
            .filter(\.$mentorID == input.mentorId).first()
        {
            return try await wire([existing], programs: [programID: program])[0]
        }
        guard mentee.matchID == nil else { throw ProgramsError.menteeMatched(name: mentee.displayName) }
        let open = try await MatchRecord.query(on: db).filter(\.$menteeID == menteeID).filter(\.$state == .requested)
            .count()
        guard open < Self.maximumOpenRequests else { throw ProgramsError.tooManyRequests }
        guard
            let suggestion = try await suggestions(in: programID, for: user).first(where: {
                $0.mentorId == input.mentorId
            })
        else { throw ProgramsError.pinNotPossible }
        let time = now()
        let match = MatchRecord(
            program: programID, mentee: menteeID, mentor: input.mentorId, state: .requested, origin: .mentee,
            score: suggestion.score, at: time)
        match.menteeAcceptedAt = time
        match.respondBy = time.addingTimeInterval(Double(program.requestExpiryDays) * 86_400)
        do {
            try await match.create(on: db)
            try await post(.matchProposed, about: match.requireID(), to: [input.mentorId], by: user.requireID())
        } catch  where (error as? any DatabaseError)?.isConstraintFailure == true {
            guard
                let winner = try await MatchRecord.query(on: db).filter(\.$menteeID == menteeID)
                    .filter(\.$mentorID == input.mentorId).first()
            else { throw error }
            return try await wire([winner], programs: [programID: program])[0]
        }
        return try await wire([match], programs: [programID: program])[0]
    }

    /// Accepts a match for the account's side. A mentor accepting a request takes one of their places and the
    /// mentee's one match at once (or neither); the mentee's other requests are then superseded. Accepting again
    /// answers the match as it is.
    func accept(_ matchID: UUID, by user: UserRecord) async throws -> ProgramMatch {
        let (match, side) = try await matchAndSide(matchID, of: user)
        let time = now()
        /// Whether this request made the pair active (and so tells both, once).
        var activated = false
        switch (match.state, side) {
        case (.active, _), (.paused, _):
            break
        case (.waiting, _):
            // Each side writes only its own acceptance; then one conditional update makes the pair active once both
            // are there. Whichever of two simultaneous acceptances comes second sees both.
            let column = side == .mentee ? "mentee_accepted_at" : "mentor_accepted_at"
            let sql = db as! any SQLDatabase
            try await sql.raw(
                """
                UPDATE program_matches SET \(unsafeRaw: column) = \(bind: time), updated_at = \(bind: time)
                WHERE id = \(bind: matchID) AND state = \(bind: MatchState.waiting.rawValue) AND \(unsafeRaw: column) IS NULL
                """
            ).run()
            activated =
                try await sql.raw(
                    """
                    UPDATE program_matches SET state = \(bind: MatchState.active.rawValue)
                    WHERE id = \(bind: matchID) AND state = \(bind: MatchState.waiting.rawValue)
                        AND mentee_accepted_at IS NOT NULL AND mentor_accepted_at IS NOT NULL
                    RETURNING id
                    """
                ).all().count == 1
        case (.requested, .mentor):
            let names = Dictionary(
                uniqueKeysWithValues: try await ProgramParticipantRecord.query(on: db)
                    .filter(\.$id ~~ [match.menteeID, match.mentorID]).all().map { ($0.id!, $0.displayName) })
            do {
                let full = try await WriteConflict.retrying {
                    try await db.transaction { db -> Bool in
                        // The mentee's match is this one already: the same acceptance sent twice at once.
                        let acceptedMeanwhile = {
                            try await ProgramParticipantRecord.find(match.menteeID, on: db)?.matchID == matchID
                        }
                        guard try await Self.takePlace(of: match.mentorID, on: db) else {
                            if try await acceptedMeanwhile() { throw AcceptedAlready() }
                            return true
                        }
                        guard try await Self.claim(match.menteeID, for: matchID, on: db) else {
                            if try await acceptedMeanwhile() { throw AcceptedAlready() }
                            throw ProgramsError.menteeMatched(name: names[match.menteeID] ?? "")
                        }
                        try await MatchRecord.query(on: db).filter(\.$id == matchID).filter(\.$state == .requested)
                            .set(\.$state, to: .active).set(\.$mentorAcceptedAt, to: time)
                            .set(\.$updatedAt, to: time).update()
                        try await MatchRecord.query(on: db).filter(\.$menteeID == match.menteeID)
                            .filter(\.$state == .requested).filter(\.$id != matchID)
                            .set(\.$state, to: .superseded).set(\.$updatedAt, to: time).update()
                        return false
                    }
                }
                if full { throw ProgramsError.mentorFull(name: names[match.mentorID] ?? "") }
                activated = true
            } catch is AcceptedAlready {
                activated = false
            }
        case (.requested, .mentee):
            throw ProgramsError.wrongMatchState(current: match.state)
        default:
            throw ProgramsError.wrongMatchState(current: match.state)
        }
        let fresh = try await MatchRecord.find(matchID, on: db) ?? match
        try await notifications.settle([.matchProposed, .requestExpiring], in: matchID, for: [user.requireID()])
        if activated,
            let program = try await ProgramRecord.find(fresh.programID, on: db)
        {
            try await tell([fresh.menteeID, fresh.mentorID], "match_active", in: program)
            try await post(.matchActive, about: matchID, to: [fresh.menteeID, fresh.mentorID], by: user.requireID())
        }
        return try await wire([fresh], programs: [:])[0]
    }

    /// Says no to a match (a mentee may also withdraw a request): the mentor's place and the mentee are free again.
    func decline(_ matchID: UUID, by user: UserRecord) async throws -> ProgramMatch {
        let (match, _) = try await matchAndSide(matchID, of: user)
        guard match.state == .requested || match.state == .waiting else {
            if match.state == .declined { return try await wire([match], programs: [:])[0] }
            throw ProgramsError.wrongMatchState(current: match.state)
        }
        let time = now()
        try await WriteConflict.retrying {
            try await db.transaction { db in
                let changed = try await Self.changeState(
                    of: matchID, from: [match.state], to: .declined, at: time, on: db)
                guard changed, match.state == .waiting else { return }
                try await Self.releasePlace(of: match.mentorID, on: db)
                try await Self.unclaim(match.menteeID, from: matchID, on: db)
            }
        }
        let fresh = try await MatchRecord.find(matchID, on: db) ?? match
        try await notifications.settle([.matchProposed, .requestExpiring], in: matchID, for: [user.requireID()])
        return try await wire([fresh], programs: [:])[0]
    }

    /// For programs matched automatically: publishes the optimum (as many mentees as possible first) for everyone
    /// not matched yet, while the program matches or runs. Answers how many pairs it published.
    @discardableResult
    func matchAutomatically(_ program: ProgramRecord) async throws -> Int {
        guard program.matchingMode == .automatic, program.status == .matching || program.status == .active else {
            return 0
        }
        let proposal = try await proposeMatching(ProposeMatching(everyoneFirst: true), in: program)
        guard !proposal.pairs.isEmpty else { return 0 }
        let pairs = proposal.pairs.map { PairChoice(menteeId: $0.menteeId, mentorId: $0.mentorId) }
        return try await publish(PublishMatches(pairs: pairs), in: program).created
    }

    /// Every automatic program's new pairs (the periodic work).
    func matchAutomatically() async throws {
        let programs = try await ProgramRecord.query(on: db).filter(\.$matchingMode == .automatic)
            .filter(\.$status ~~ [.matching, .active]).all()
        for program in programs { try await matchAutomatically(program) }
    }

    /// Requests and published matches nobody answered by their date expire; a published one frees the mentor's
    /// place and the mentee, who is then offered the next suggestions. Answers how many expired.
    @discardableResult
    func expireUnanswered() async throws -> Int {
        let time = now()
        let due = try await MatchRecord.query(on: db).filter(\.$state ~~ [.requested, .waiting])
            .filter(\.$respondBy <= time).all()
        var expired = 0
        for match in due {
            let id = try match.requireID()
            let wasWaiting = match.state == .waiting
            let changed = try await WriteConflict.retrying {
                try await db.transaction { db -> Bool in
                    guard try await Self.changeState(of: id, from: [match.state], to: .expired, at: time, on: db)
                    else { return false }
                    if wasWaiting {
                        try await Self.releasePlace(of: match.mentorID, on: db)
                        try await Self.unclaim(match.menteeID, from: id, on: db)
                    }
                    return true
                }
            }
            if changed { expired += 1 }
        }
        return expired
    }

    /// Thrown inside an acceptance's transaction (to undo the place it took) when the pair was accepted meanwhile.
    private struct AcceptedAlready: Error {}

    // MARK: States and places, changed by conditional updates

    /// Moves a match from one of `states` to `target` in one statement; false when another request moved it first.
    /// `nudged` also restarts its check-in rhythm.
    static func changeState(
        of match: UUID, from states: [MatchState], to target: MatchState, at time: Date, nudged: Bool = false,
        on db: any Database
    ) async throws -> Bool {
        let nudge: SQLQueryString = nudged ? ", nudged_at = \(bind: time)" : ""
        let statement: SQLQueryString =
            "UPDATE program_matches SET state = \(bind: target.rawValue), updated_at = \(bind: time)" + nudge
            + " WHERE id = \(bind: match) AND state IN (\(binds: states.map(\.rawValue))) RETURNING id"
        return try await (db as! any SQLDatabase).raw(statement).all().count == 1
    }

    /// Takes one of a mentor's places if one is left.
    static func takePlace(of mentor: UUID, on db: any Database) async throws -> Bool {
        try await (db as! any SQLDatabase).raw(
            """
            UPDATE program_participants SET taken_places = taken_places + 1
            WHERE id = \(bind: mentor) AND taken_places < capacity RETURNING id
            """
        ).all().count == 1
    }

    static func releasePlace(of mentor: UUID, on db: any Database) async throws {
        try await (db as! any SQLDatabase).raw(
            """
            UPDATE program_participants SET taken_places = taken_places - 1
            WHERE id = \(bind: mentor) AND taken_places > 0
            """
        ).run()
    }

    /// Makes `match` the mentee's one match if they have none.
    static func claim(_ mentee: UUID, for match: UUID, on db: any Database) async throws -> Bool {
        try await (db as! any SQLDatabase).raw(
            """
            UPDATE program_participants SET match_id = \(bind: match)
            WHERE id = \(bind: mentee) AND match_id IS NULL RETURNING id
            """
        ).all().count == 1
    }

    static func unclaim(_ mentee: UUID, from match: UUID, on db: any Database) async throws {
        try await (db as! any SQLDatabase).raw(
            "UPDATE program_participants SET match_id = NULL WHERE id = \(bind: mentee) AND match_id = \(bind: match)"
        ).run()
    }

    // MARK: Helpers

    private func menteeParticipation(in programID: UUID, of user: UserRecord) async throws
        -> (ProgramRecord, ProgramParticipantRecord)
    {
        guard let program = try await ProgramRecord.find(programID, on: db),
            let mentee = try await ProgramParticipantRecord.query(on: db).filter(\.$programID == programID)
                .filter(\.$userID == user.requireID()).filter(\.$role == .mentee).first()
        else { throw ProgramsError.programNotFound }
        return (program, mentee)
    }

    /// The match and the account's side of it; not one's own is the same answer as none.
    func matchAndSide(_ matchID: UUID, of user: UserRecord) async throws -> (MatchRecord, ParticipantRole) {
        guard let match = try await MatchRecord.find(matchID, on: db) else { throw ProgramsError.matchNotFound }
        let mine = try await ProgramParticipantRecord.query(on: db).filter(\.$userID == user.requireID())
            .filter(\.$id ~~ [match.menteeID, match.mentorID]).all()
        if mine.contains(where: { $0.id == match.mentorID }) { return (match, .mentor) }
        if mine.contains(where: { $0.id == match.menteeID }) { return (match, .mentee) }
        throw ProgramsError.matchNotFound
    }

    func wire(_ records: [MatchRecord], programs known: [UUID: ProgramRecord]) async throws -> [ProgramMatch] {
        guard !records.isEmpty else { return [] }
        var programs = known
        let missing = Set(records.map(\.programID)).subtracting(programs.keys)
        if !missing.isEmpty {
            for program in try await ProgramRecord.query(on: db).filter(\.$id ~~ Array(missing)).all() {
                programs[program.id!] = program
            }
        }
        let people = try await ProgramParticipantRecord.query(on: db)
            .filter(\.$id ~~ Array(Set(records.flatMap { [$0.menteeID, $0.mentorID] }))).all()
        let byID = Dictionary(uniqueKeysWithValues: people.map { ($0.id!, $0) })
        let started = Set(try await EngagementRecord.query(on: db).filter(\.$id ~~ records.compactMap(\.id)).all(\.$id))
        func person(_ id: UUID) -> MatchPerson {
            MatchPerson(participantId: id, userId: byID[id]?.userID, displayName: byID[id]?.displayName ?? "")
        }
        return records.map { match in
            var waiting: [ParticipantRole] = []
            if match.state == .requested { waiting = [.mentor] }
            if match.state == .waiting {
                if match.menteeAcceptedAt == nil { waiting.append(.mentee) }
                if match.mentorAcceptedAt == nil { waiting.append(.mentor) }
            }
            return ProgramMatch(
                id: match.id!, programId: match.programID, programName: programs[match.programID]?.name ?? "",
                mentee: person(match.menteeID), mentor: person(match.mentorID), state: match.state,
                origin: match.origin, score: match.score, waitingFor: waiting,
                respondBy: match.state == .requested || match.state == .waiting ? match.respondBy : nil,
                engagementId: started.contains(match.id!) ? match.id : nil, createdAt: match.createdAt)
        }
    }
}
