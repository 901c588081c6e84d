import Fluent
import Foundation
import LotseAPI
import SQLKit

/// An active pair at work: their engagement (conversation, goals, sessions, video) is the one coaching uses, with the
/// mentor in the coach's place and the program's steps as its template (docs/programs.md, "Pairs at work").
extension ProgramsService {
    /// The partner's public keys, so the browser can wrap the pair's conversation key for them: only the two of an
    /// active or paused pair see each other's.
    func partnerKeys(in matchID: UUID, for user: UserRecord) async throws -> PublicKeys {
        let (match, side) = try await livePair(matchID, of: user)
        let partner = try await partnerAccount(of: match, side: side)
        guard let keys = try await AccountKeysRecord.find(partner.requireID(), on: db) else {
            throw ProgramsError.partnerNotReady(name: partner.displayName)
        }
        return try PublicKeys(
            userId: partner.requireID(), displayName: partner.displayName, agreementKey: keys.agreementKey,
            signingKey: keys.signingKey)
    }

    /// Mentor or mentee starts the pair's engagement; it and its conversation take the match's ID, so the two starting
    /// at once make one (the second is told to try again a moment later, then gets the first's). A retry answers
    /// the engagement as it is.
    func startWork(_ input: StartPairWork, in matchID: UUID, by user: UserRecord) async throws
        -> (Engagement, isNew: Bool)
    {
        let userID = try user.requireID()
        if let existing = try await EngagementRecord.find(matchID, on: db) {
            _ = try await livePair(matchID, of: user)
            return (try await engagements.engagement(existing.requireID(), for: userID), false)
        }
        let (match, side) = try await livePair(matchID, of: user)
        guard input.conversation.id == matchID else {
            throw RequestError.invalid(field: "conversation.id", reason: "not the match's ID")
        }
        guard let program = try await ProgramRecord.find(match.programID, on: db) else {
            throw ProgramsError.matchNotFound
        }
        let partner = try await partnerAccount(of: match, side: side)
        guard try await AccountKeysRecord.find(partner.requireID(), on: db) != nil else {
            throw ProgramsError.partnerNotReady(name: partner.displayName)
        }
        let (mentor, mentee) = side == .mentor ? (userID, try partner.requireID()) : (try partner.requireID(), userID)
        let start = Self.pairStart(of: program, activeSince: match.activeSince ?? now())
        try await scheduling.keepSessionType(matchID, for: mentor, name: program.name)
        do {
            return try await engagements.startPair(
                id: matchID, conversation: input.conversation, mentor: mentor, mentee: mentee, by: userID,
                program: EngagementProgram(
                    templateId: try program.requireID(), name: program.name, startsOn: start, steps: program.steps))
        } catch MessagingError.idConflict {
            // The partner created the conversation a moment ago and is creating the engagement now.
            if let existing = try await EngagementRecord.find(matchID, on: db) {
                return (try await engagements.engagement(existing.requireID(), for: userID), false)
            }
            throw ProgramsError.pairStarting
        }
    }

    /// The pair's first day, `yyyy-mm-dd`: the day it became active, or a fixed cohort's first day if that is later.
    static func pairStart(of program: ProgramRecord, activeSince: Date) -> String {
        let active = CivilDate.format(dayOf: activeSince)
        if program.cohort == .fixed, let first = program.startsOn, first > active { return first }
        return active
    }

    /// The match, if the account is one of its two and it is active or paused.
    private func livePair(_ matchID: UUID, of user: UserRecord) async throws -> (MatchRecord, ParticipantRole) {
        let (match, side) = try await matchAndSide(matchID, of: user)
        guard match.state == .active || match.state == .paused else {
            throw ProgramsError.wrongMatchState(current: match.state)
        }
        return (match, side)
    }

    private func partnerAccount(of match: MatchRecord, side: ParticipantRole) async throws -> UserRecord {
        let partnerID = side == .mentor ? match.menteeID : match.mentorID
        guard let participant = try await ProgramParticipantRecord.find(partnerID, on: db),
            let accountID = participant.userID, let account = try await UserRecord.find(accountID, on: db)
        else { throw ProgramsError.matchNotFound }
        return account
    }
}

extension MatchRecord {
    /// When both had said yes (a mentee's request is their yes).
    var activeSince: Date? {
        guard let mentee = menteeAcceptedAt, let mentor = mentorAcceptedAt else { return nil }
        return max(mentee, mentor)
    }
}

// MARK: Did you meet?

extension ProgramsService {
    /// The pair's sessions that are over, with what they answered about each: the newest first, at most 50.
    func meetings(of matchID: UUID, for user: UserRecord) async throws -> [PairMeeting] {
        _ = try await matchAndSide(matchID, of: user)
        let answers = try await PairMeetingRecord.query(on: db).filter(\.$matchID == matchID).all()
        let met = Dictionary(uniqueKeysWithValues: answers.map { ($0.id!, $0.met) })
        return try await pastSessions(of: [matchID]).prefix(50).map {
            PairMeeting(bookingId: $0.id!, startsAt: $0.startsAt!, met: met[$0.id!])
        }
    }

    /// Mentor or mentee answers "did you meet?" about one of their past sessions; the later answer counts.
    func answerMeeting(_ input: AnswerMeeting, booking bookingID: UUID, in matchID: UUID, by user: UserRecord)
        async throws -> PairMeeting
    {
        _ = try await matchAndSide(matchID, of: user)
        guard let booking = try await pastSessions(of: [matchID]).first(where: { $0.id == bookingID }) else {
            throw ProgramsError.meetingNotFound
        }
        let record = try await PairMeetingRecord.find(bookingID, on: db) ?? PairMeetingRecord()
        record.id = bookingID
        record.matchID = matchID
        record.met = input.met
        record.answeredBy = try user.requireID()
        record.answeredAt = now()
        try await WriteConflict.retrying {
            do {
                try await record.save(on: db)
            } catch let error as any DatabaseError where error.isConstraintFailure {
                // The partner answered the same moment: the later answer counts, so write over theirs.
                try await PairMeetingRecord.query(on: db).filter(\.$id == bookingID).set(\.$met, to: input.met)
                    .set(\.$answeredBy, to: record.answeredBy).set(\.$answeredAt, to: record.answeredAt).update()
            }
        }
        return PairMeeting(bookingId: bookingID, startsAt: booking.startsAt!, met: input.met)
    }

    /// Confirmed sessions of the pairs' engagements (which have the matches' IDs) that are over, newest first.
    func pastSessions(of matchIDs: [UUID]) async throws -> [BookingRecord] {
        guard !matchIDs.isEmpty else { return [] }
        let time = now()
        return try await BookingRecord.query(on: db).filter(\.$engagementID ~~ matchIDs)
            .filter(\.$status == .confirmed).filter(\.$startsAt <= time).sort(\.$startsAt, .descending).all()
            .filter { $0.endsAt! <= time }
    }
}

// MARK: The rhythm and the end

extension ProgramsService {
    /// Reminds pairs that have been quiet for one rhythm (the program's meeting cadence) to check in, by mail to
    /// both; a pair is looked at once per rhythm, and a conditional update on `nudged_at` keeps two instances from
    /// both mailing. Returns how many pairs were reminded.
    @discardableResult
    func remindQuietPairs() async throws -> Int {
        let sql = db as! any SQLDatabase
        let time = now()
        let programs = try await ProgramRecord.query(on: db).filter(\.$status ~~ [.matching, .active, .closing]).all()
        var reminded = 0
        for program in programs {
            let rhythm = Double(program.cadenceWeeks) * 7 * 86_400
            let due = try await MatchRecord.query(on: db).filter(\.$programID == program.id!).filter(
                \.$state == .active
            )
            .all().filter { match in
                guard let since = match.nudgedAt ?? match.activeSince else { return false }
                return time.timeIntervalSince(since) >= rhythm
            }
            guard !due.isEmpty else { continue }
            let people = try await ProgramParticipantRecord.query(on: db)
                .filter(\.$id ~~ due.flatMap { [$0.menteeID, $0.mentorID] }).all()
            let activity = try await activity(of: due, people: people, cadenceWeeks: program.cadenceWeeks).pairs
            for match in due {
                // Still due when this instance gets to it: another one would have moved `nudged_at` to its now.
                let claimed =
                    try await sql.raw(
                        """
                        UPDATE program_matches SET nudged_at = \(bind: time)
                        WHERE id = \(bind: match.id!) AND state = \(bind: MatchState.active.rawValue)
                            AND (nudged_at IS NULL OR nudged_at <= \(bind: time.addingTimeInterval(-rhythm)))
                        RETURNING id
                        """
                    ).all().count == 1
                guard claimed else { continue }
                let quietDays = activity[match.id!]?.daysSinceActivity
                if let quietDays, Double(quietDays) * 86_400 < rhythm { continue }  // active lately: look again later
                try await tell([match.menteeID, match.mentorID], "pair_check_in", in: program)
                try await post(.checkIn, about: match.id!, to: [match.menteeID, match.mentorID])
                reminded += 1
            }
        }
        return reminded
    }

    /// Completes the pairs whose time is over — a fixed cohort's on the day after its last day, an evergreen pair
    /// its duration after it started — closes their engagements and asks both, by mail, for their closing review.
    @discardableResult
    func completeEndedPairs() async throws -> Int {
        let time = now()
        let live = try await MatchRecord.query(on: db).filter(\.$state ~~ [.active, .paused]).all()
        guard !live.isEmpty else { return 0 }
        let programs = Dictionary(
            uniqueKeysWithValues: try await ProgramRecord.query(on: db)
                .filter(\.$id ~~ Set(live.map(\.programID))).all().map { ($0.id!, $0) })
        var completed = 0
        for match in live {
            guard let program = programs[match.programID], let end = Self.pairEnd(of: program, match: match),
                end <= time
            else { continue }
            let changed = try await Self.changeState(
                of: match.id!, from: [.active, .paused], to: .completed, at: time, on: db)
            guard changed else { continue }  // another instance completed it
            try await Self.releasePlace(of: match.mentorID, on: db)
            try await engagements.completePair(match.id!)
            try await tell([match.menteeID, match.mentorID], "pair_completed", in: program)
            try await post(.pairCompleted, about: match.id!, to: [match.menteeID, match.mentorID])
            completed += 1
        }
        return completed
    }

    /// When a pair's time is over: the day after a fixed cohort's last day (midnight UTC), or the program's duration
    /// after an evergreen pair started.
    static func pairEnd(of program: ProgramRecord, match: MatchRecord) -> Date? {
        if program.cohort == .fixed, let last = program.endsOn, let day = try? EngagementsService.day(last, field: "") {
            return day.addingTimeInterval(86_400)
        }
        guard let since = match.activeSince else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(byAdding: .month, value: program.durationMonths, to: since)
    }
}

// MARK: Pausing and ending early

extension ProgramsService {
    /// Either of a pair pauses it (no check-in reminders meanwhile), resumes it, or ends it early (the mentor's place
    /// is free again, the mentee free to be matched again, their space closes, readable still, and the other is
    /// told). Asking for the state it has changes nothing; each move
    /// is a conditional update on the state read, so two answers at once make one move.
    func move(_ matchID: UUID, to target: MatchState, by user: UserRecord) async throws -> ProgramMatch {
        let (match, side) = try await matchAndSide(matchID, of: user)
        let from: [MatchState]
        switch target {
        case .paused: from = [.active]
        case .active: from = [.paused]
        case .endedEarly: from = [.active, .paused]
        default: throw ProgramsError.wrongMatchState(current: match.state)
        }
        if match.state != target {
            guard from.contains(match.state) else { throw ProgramsError.wrongMatchState(current: match.state) }
            let moved = try await Self.changeState(
                of: matchID, from: [match.state], to: target, at: now(), nudged: true, on: db)
            if moved, target == .endedEarly {
                try await Self.releasePlace(of: match.mentorID, on: db)
                // The mentee may look for another mentor where the program still matches.
                try await Self.unclaim(match.menteeID, from: matchID, on: db)
                try await engagements.completePair(matchID)
                let partner = side == .mentee ? match.mentorID : match.menteeID
                if let program = try await ProgramRecord.find(match.programID, on: db) {
                    try await tell([partner], "pair_ended", in: program)
                }
                try await post(.pairEnded, about: matchID, to: [partner], by: user.requireID())
            }
        }
        return try await wire([try await MatchRecord.find(matchID, on: db) ?? match], programs: [:])[0]
    }
}
