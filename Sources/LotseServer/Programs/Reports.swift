import Fluent
import Foundation
import LotseAPI

/// Content-blind reports (docs/programs.md, "Reports"): counts, rates and durations built from who is in a program,
/// where their matches stand, and when their pairs met and were active. Nothing anyone wrote is read here — not
/// registrations' free text, not messages, goals, notes or feedback — and any figure that would describe fewer than
/// five people is hidden.
extension ProgramsService {
    /// The smallest group a figure may describe.
    static let smallestGroup = 5

    func report(of programID: UUID, for user: UUID) async throws -> ProgramReport {
        let program = try await staffProgram(programID, for: user)
        let people = try await ProgramParticipantRecord.query(on: db).filter(\.$programID == programID).all()
        let matches = try await MatchRecord.query(on: db).filter(\.$programID == programID).all()
        let pool = try await pool(of: program, everyone: people)
        let registered = people.filter { $0.state == .registered }
        let mentees = registered.filter { $0.role == .mentee }
        let mentors = registered.filter { $0.role == .mentor }
        let live = matches.filter { $0.state == .active || $0.state == .paused || $0.state == .completed }
        let matchedMentees = Set(live.map(\.menteeID))
        let time = now()

        var figures: [ReportFigure] = []
        /// A count of people; hidden when 1–4.
        func headcount(_ key: String, _ count: Int) {
            let hidden = count > 0 && count < Self.smallestGroup
            figures.append(ReportFigure(key: key, value: hidden ? nil : Double(count), isHidden: hidden))
        }
        /// A figure computed over `group` people; hidden when they are fewer than five.
        func over(_ key: String, _ group: Int, _ value: @autoclosure () -> Double?) {
            let hidden = group < Self.smallestGroup
            figures.append(ReportFigure(key: key, value: hidden ? nil : value(), isHidden: hidden))
        }
        headcount("mentees_registered", mentees.count)
        headcount("mentors_registered", mentors.count)
        headcount("invited_not_registered", people.count - registered.count)
        headcount("registrations_incomplete", pool.incomplete)
        headcount("waiting_for_guardian", registered.count { $0.guardianConsent == .pending })
        for state in MatchState.allCases {
            // A match describes two people.
            let count = matches.count { $0.state == state }
            let hidden = count > 0 && count * 2 < Self.smallestGroup
            figures.append(
                ReportFigure(key: "matches_" + state.rawValue, value: hidden ? nil : Double(count), isHidden: hidden))
        }
        over(
            "match_rate_percent", mentees.count,
            mentees.isEmpty ? nil : (100 * Double(matchedMentees.count) / Double(mentees.count)).rounded())
        let waits = live.compactMap { match -> Double? in
            guard let mentee = people.first(where: { $0.id == match.menteeID }), let joined = mentee.joinedAt,
                let started = match.activeSince
            else { return nil }
            return started.timeIntervalSince(joined) / 86_400
        }
        over("median_days_to_match", waits.count, Self.median(waits).map { ($0 * 10).rounded() / 10 })
        over("mentor_places", mentors.count, Double(mentors.reduce(0) { $0 + $1.capacity }))
        over("mentor_places_taken", mentors.count, Double(mentors.reduce(0) { $0 + $1.takenPlaces }))

        let names = Dictionary(uniqueKeysWithValues: people.map { ($0.id!, $0.displayName) })
        let worked = matches.filter { $0.state.isLive || $0.state == .completed || $0.state == .endedEarly }
            .sorted { ($0.createdAt, names[$0.menteeID] ?? "") < ($1.createdAt, names[$1.menteeID] ?? "") }
        let activity = try await activity(of: worked, people: people, cadenceWeeks: program.cadenceWeeks)
        let pairs = worked.map { match in
            let done = activity.pairs[match.id!] ?? PairActivity()
            return ReportPair(
                menteeName: names[match.menteeID] ?? "", mentorName: names[match.mentorID] ?? "", state: match.state,
                daysActive: match.activeSince.map { Self.days(from: $0, to: time) }, sessionsHeld: done.held,
                sessionsCancelled: done.cancelled, sessionsUpcoming: done.upcoming,
                daysToFirstSession: done.daysToFirstSession, daysSinceActivity: done.daysSinceActivity,
                health: done.health)
        }
        // Totals over pairs describe two people per pair.
        func overPairs(_ key: String, _ count: Int, _ value: Double?) {
            let hidden = count > 0 && count * 2 < Self.smallestGroup
            figures.append(ReportFigure(key: key, value: hidden ? nil : value, isHidden: hidden))
        }
        overPairs("sessions_held", worked.count, Double(pairs.reduce(0) { $0 + $1.sessionsHeld }))
        overPairs("sessions_cancelled", worked.count, Double(pairs.reduce(0) { $0 + $1.sessionsCancelled }))
        overPairs("sessions_upcoming", worked.count, Double(pairs.reduce(0) { $0 + $1.sessionsUpcoming }))
        let firsts = pairs.compactMap(\.daysToFirstSession).map(Double.init)
        overPairs("median_days_to_first_session", firsts.count, Self.median(firsts))
        for health in PairHealth.allCases {
            let count = pairs.count { $0.health == health }
            overPairs("pairs_" + health.rawValue, count, Double(count))
        }
        for side in ParticipantRole.allCases {
            let ratings = activity.ratings[side] ?? [:]
            let all = ratings.values.flatMap { $0 }
            over(
                "feedback_average_by_\(side.rawValue)s", ratings.count,
                all.isEmpty ? nil : (10 * Double(all.reduce(0, +)) / Double(all.count)).rounded() / 10)
        }
        return ProgramReport(programId: programID, generatedAt: time, figures: figures, pairs: pairs)
    }

    /// What a pair did, from when things happened.
    struct PairActivity {
        var held = 0
        var cancelled = 0
        var upcoming = 0
        var daysToFirstSession: Int?
        var daysSinceActivity: Int?
        var health: PairHealth?
    }

    /// The pairs' sessions, last activity and health, and the feedback ratings each side gave (by author), read from
    /// their engagements' times, states and numbers only: never a sealed text, never a private note's time.
    func activity(of matches: [MatchRecord], people: [ProgramParticipantRecord], cadenceWeeks: Int) async throws
        -> (pairs: [UUID: PairActivity], ratings: [ParticipantRole: [UUID: [Int]]])
    {
        let ids = matches.compactMap(\.id)
        guard !ids.isEmpty else { return ([:], [:]) }
        let time = now()
        let bookings = Dictionary(
            grouping: try await BookingRecord.query(on: db).filter(\.$engagementID ~~ ids).all(), by: \.engagementID)
        let missed = Set(
            try await PairMeetingRecord.query(on: db).filter(\.$matchID ~~ ids).filter(\.$met == false).all(\.$id))
        let lastMessage = Dictionary(
            try await ConversationRecord.query(on: db).filter(\.$id ~~ ids).all().map { ($0.id!, $0.lastMessageAt) },
            uniquingKeysWith: { first, _ in first })
        let items = try await EngagementItemRecord.query(on: db).filter(\.$engagementID ~~ ids)
            .filter(\.$kind != .note).field(\.$engagementID).field(\.$kind).field(\.$authorID).field(\.$rating)
            .field(\.$updatedAt).all()
        let itemsByPair = Dictionary(grouping: items, by: \.engagementID)
        let accounts = Dictionary(people.compactMap { person in person.userID.map { (person.id!, $0) } }) { a, _ in a }
        let rhythm = Double(cadenceWeeks) * 7 * 86_400

        var pairs: [UUID: PairActivity] = [:]
        var ratings: [ParticipantRole: [UUID: [Int]]] = [:]
        for match in matches {
            let id = match.id!
            var done = PairActivity()
            var moments: [Date] = []
            var firstHeld: Date?
            for booking in bookings[id] ?? [] {
                guard let start = booking.startsAt, let end = booking.endsAt else { continue }
                switch booking.status {
                case .cancelled: done.cancelled += 1
                case .confirmed where start > time: done.upcoming += 1
                case .confirmed where end <= time && !missed.contains(booking.id!):
                    done.held += 1
                    moments.append(end)
                    firstHeld = min(firstHeld ?? start, start)
                default: break
                }
            }
            for item in itemsByPair[id] ?? [] {
                moments.append(item.updatedAt)
                guard item.kind == .feedback, let rating = item.rating else { continue }
                let side: ParticipantRole? =
                    item.authorID == accounts[match.menteeID]
                    ? .mentee : item.authorID == accounts[match.mentorID] ? .mentor : nil
                if let side { ratings[side, default: [:]][item.authorID, default: []].append(rating) }
            }
            if let message = lastMessage[id] ?? nil { moments.append(message) }
            let since = match.activeSince
            if let since, let firstHeld { done.daysToFirstSession = max(0, Self.days(from: since, to: firstHeld)) }
            let last = moments.max()
            done.daysSinceActivity = last.map { Self.days(from: $0, to: time) }
            if match.state == .active || match.state == .paused, let since {
                if time.timeIntervalSince(since) < rhythm {
                    done.health = .tooEarly
                } else if let last, time.timeIntervalSince(last) <= 2 * rhythm {
                    done.health = .onTrack
                } else {
                    done.health = .needsCheckIn
                }
            }
            pairs[id] = done
        }
        return (pairs, ratings)
    }

    /// Whole days between two moments.
    static func days(from start: Date, to end: Date) -> Int { Int(end.timeIntervalSince(start) / 86_400) }

    /// The report as CSV: one line per figure (hidden ones say so), then one per pair.
    func reportCSV(of programID: UUID, for user: UUID) async throws -> String {
        let report = try await report(of: programID, for: user)
        var lines = ["figure,value"]
        lines += report.figures.map {
            "\($0.key),\($0.isHidden ? "hidden (fewer than 5)" : $0.value.map(Self.number) ?? "")"
        }
        lines.append("")
        lines.append(
            "mentee,mentor,state,days_active,sessions_held,sessions_cancelled,sessions_upcoming,"
                + "days_to_first_session,days_since_activity,health")
        for pair in report.pairs {
            let counts = [pair.sessionsHeld, pair.sessionsCancelled, pair.sessionsUpcoming].map(String.init)
            let optional = [pair.daysActive, pair.daysToFirstSession, pair.daysSinceActivity].map {
                $0.map(String.init) ?? ""
            }
            let fields: [String] =
                [Self.csvField(pair.menteeName), Self.csvField(pair.mentorName), pair.state.rawValue, optional[0]]
                + counts + [optional[1], optional[2], pair.health?.rawValue ?? ""]
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// A CSV field, quoted when needed; a leading `=`, `+`, `-` or `@` is defused so a spreadsheet does not run it.
    static func csvField(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
