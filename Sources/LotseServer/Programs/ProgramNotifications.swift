import Fluent
import Foundation
import LotseAPI

/// Programs in the notification center (docs/notifications.md): a line about a match — or about the pair's
/// engagement, which has the match's ID — for the accounts behind participations. The programs' own mails say what
/// happened, so the center sends none of its own.
extension ProgramsService {
    /// How long before a request expires its answerer is reminded.
    static let expiryWarning: TimeInterval = 86_400

    func post(_ kind: NotificationKind, about match: UUID, to participants: [UUID], by actor: UUID? = nil)
        async throws
    {
        let accounts = try await ProgramParticipantRecord.query(on: db).filter(\.$id ~~ participants).all()
            .compactMap(\.userID)
        try await notifications.post(kind, in: match, by: actor, to: accounts, mail: false)
    }

    /// Tells whoever a request or published match waits for that it expires within a day, once per match and
    /// person (the center's line is the record that they were told). Answers how many were told.
    @discardableResult
    func warnExpiringRequests() async throws -> Int {
        let time = now()
        let soon = try await MatchRecord.query(on: db).filter(\.$state ~~ [.requested, .waiting])
            .filter(\.$respondBy > time).filter(\.$respondBy <= time.addingTimeInterval(Self.expiryWarning)).all()
        guard !soon.isEmpty else { return 0 }
        let told = Set(
            try await NotificationRecord.query(on: db).filter(\.$kind == .requestExpiring)
                .filter(\.$engagementID ~~ soon.compactMap(\.id)).all().map { "\($0.engagementID)|\($0.userID)" })
        let accounts = Dictionary(
            uniqueKeysWithValues: try await ProgramParticipantRecord.query(on: db)
                .filter(\.$id ~~ soon.flatMap { [$0.menteeID, $0.mentorID] }).all().map { ($0.id!, $0.userID) })
        var count = 0
        for match in soon {
            var waiting: [UUID] = []
            if match.state == .requested || match.mentorAcceptedAt == nil { waiting.append(match.mentorID) }
            if match.state == .waiting, match.menteeAcceptedAt == nil { waiting.append(match.menteeID) }
            let untold = waiting.filter { participant in
                guard let account = accounts[participant] ?? nil else { return false }
                return !told.contains("\(match.id!)|\(account)")
            }
            guard !untold.isEmpty else { continue }
            try await post(.requestExpiring, about: match.id!, to: untold)
            count += untold.count
        }
        return count
    }
}
