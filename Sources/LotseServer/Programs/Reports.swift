import Fluent
import Foundation
import LotseAPI

/// Content-blind reports (docs/programs.md, "Reports"): counts, rates and durations built from who is in a program and
/// where their matches stand. Nothing anyone wrote is read here — not registrations' free text, not messages, goals,
/// notes or feedback — and any figure that would describe fewer than five people is hidden.
extension ProgramsService {
    /// The smallest group a figure may describe.
    static let smallestGroup = 5

    func report(of programID: UUID, for user: UUID) async throws -> ProgramReport {
        let program = try await staffProgram(programID, for: user)
        let people = try await ProgramParticipantRecord.query(on: db).filter(\.$programID == programID).all()
        let matches = try await MatchRecord.query(on: db).filter(\.$programID == programID).all()
        let pool = try await pool(of: program)
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
                let started = Self.activation(of: match)
            else { return nil }
            return started.timeIntervalSince(joined) / 86_400
        }
        over("median_days_to_match", waits.count, Self.median(waits).map { ($0 * 10).rounded() / 10 })
        over("mentor_places", mentors.count, Double(mentors.reduce(0) { $0 + $1.capacity }))
        over("mentor_places_taken", mentors.count, Double(mentors.reduce(0) { $0 + $1.takenPlaces }))

        let names = Dictionary(uniqueKeysWithValues: people.map { ($0.id!, $0.displayName) })
        let pairs = matches.filter { $0.state.isLive || $0.state == .completed || $0.state == .endedEarly }
            .sorted { ($0.createdAt, $0.id!.uuidString) < ($1.createdAt, $1.id!.uuidString) }
            .map { match in
                ReportPair(
                    menteeName: names[match.menteeID] ?? "", mentorName: names[match.mentorID] ?? "",
                    state: match.state,
                    daysActive: Self.activation(of: match).map { Int(time.timeIntervalSince($0) / 86_400) })
            }
        return ProgramReport(programId: programID, generatedAt: time, figures: figures, pairs: pairs)
    }

    /// The report as CSV: one line per figure (hidden ones say so), then one per pair.
    func reportCSV(of programID: UUID, for user: UUID) async throws -> String {
        let report = try await report(of: programID, for: user)
        var lines = ["figure,value"]
        lines += report.figures.map {
            "\($0.key),\($0.isHidden ? "hidden (fewer than 5)" : $0.value.map(Self.number) ?? "")"
        }
        lines.append("")
        lines.append("mentee,mentor,state,days_active")
        lines += report.pairs.map {
            [
                Self.csvField($0.menteeName), Self.csvField($0.mentorName), $0.state.rawValue,
                $0.daysActive.map(String.init) ?? "",
            ]
            .joined(separator: ",")
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// When both had accepted.
    static func activation(of match: MatchRecord) -> Date? {
        guard let mentee = match.menteeAcceptedAt, let mentor = match.mentorAcceptedAt else { return nil }
        return max(mentee, mentor)
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
