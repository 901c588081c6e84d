import Fluent
import Foundation
import LotseAPI

extension EngagementsService {
    func wire(_ record: EngagementRecord, for userID: UUID) async throws -> Engagement {
        guard let engagement = try await wire([record], for: userID).first else { throw EngagementsError.notFound }
        return engagement
    }

    /// Engagements as the requester sees them, with the dashboards' counts, in as few queries as the list needs.
    func wire(_ records: [EngagementRecord], for userID: UUID) async throws -> [Engagement] {
        guard !records.isEmpty else { return [] }
        let ids = try records.map { try $0.requireID() }
        let clients = try await EngagementClientRecord.query(on: db).filter(\.$engagementID ~~ ids).sort(\.$joinedAt)
            .all()
        let people = Set(clients.map(\.userID) + records.map(\.coachID))
        let names = try await UserRecord.displayNames(of: Array(people), on: db)
        let work = try await EngagementItemRecord.query(on: db).filter(\.$engagementID ~~ ids)
            .filter(\.$kind ~~ [.goal, .milestone, .task]).all()
        let clientsOf = Dictionary(grouping: clients, by: \.engagementID)
        let workOf = Dictionary(grouping: work, by: \.engagementID)
        return try records.map { record in
            let id = try record.requireID()
            let items = workOf[id] ?? []
            let open = items.filter { $0.status == .open && $0.kind != .goal }
            let goals = items.filter { $0.kind == .goal }
            return Engagement(
                id: id, conversationId: record.conversationID,
                coach: EngagementParticipant(userId: record.coachID, displayName: names[record.coachID] ?? ""),
                // In the order they joined; people who joined together by name, so every view lists them alike.
                clients: (clientsOf[id] ?? []).sorted {
                    ($0.joinedAt, names[$0.userID] ?? "") < ($1.joinedAt, names[$1.userID] ?? "")
                }.map {
                    EngagementParticipant(
                        userId: $0.userID, displayName: names[$0.userID] ?? "", confirmedVersion: $0.confirmedVersion)
                },
                isGroup: record.isGroup, status: record.status, initiatedBy: record.initiatedBy,
                firstMeeting: try record.firstMeeting.map { try JSONText.decode(FirstMeeting.self, $0) },
                agreement: try record.agreement.map { try JSONText.decode(Agreement.self, $0) },
                declineReason: try record.declineReason.map { try JSONText.decode(SealedContent.self, $0) },
                intake: try record.intake.map { try JSONText.decode(EngagementIntake.self, $0) },
                program: try record.program.map { try JSONText.decode(EngagementProgram.self, $0) },
                openTasks: open.filter { $0.kind == .task }.count, nextDueAt: open.compactMap(\.dueAt).min(),
                progress: goals.isEmpty ? nil : goals.map { $0.progress ?? 0 }.reduce(0, +) / goals.count,
                createdAt: record.createdAt, updatedAt: record.updatedAt)
        }
    }
}
