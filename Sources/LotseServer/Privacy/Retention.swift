import Fluent
import Foundation
import LotseAPI
import SQLKit

/// How long the server keeps what nobody needs any more (docs/privacy.md, "Retention"), run once a day. An inquiry
/// nobody answered (after the Caritas rules for online counseling) is deleted ``abandonedInquiry`` after its last
/// activity, an ended engagement after the period its coach chose (``RetentionSettings``), each with everything in it
/// (conversation, messages, attachments, items, notifications). Everyone in it is told by mail ``inquiryNotice``
/// before, once, and anything that happens in it meanwhile starts the period again.
struct Retention {
    let db: any Database
    let now: @Sendable () -> Date
    let mailer: Mailer

    static let abandonedInquiry: TimeInterval = 30 * 86_400
    static let inquiryNotice: TimeInterval = 7 * 86_400

    /// Runs the day's pass if no instance ran it yet today (UTC), across restarts and instances: the day's row is
    /// claimed first, and a pass that fails gives its claim back so the next hour tries again. Answers whether this
    /// call ran it.
    @discardableResult
    func runToday() async throws -> Bool {
        let run = RetentionRunRecord()
        run.day = CivilDate.format(dayOf: now())
        run.startedAt = now()
        do {
            try await WriteConflict.retrying { try await run.create(on: db) }
        } catch  where (error as? any DatabaseError)?.isConstraintFailure == true {
            return false
        }
        do {
            _ = try await pass()
        } catch {
            try? await run.delete(on: db)
            throw error
        }
        return true
    }

    /// What one pass did.
    struct Outcome: Equatable {
        var noticed = 0
        var deleted = 0
    }

    /// Tells the people of engagements about to expire, and deletes those whose notice period is over: inquiries
    /// nobody answered, and ended engagements after the period their coach chose. Safe to run any number of times:
    /// each notice goes out once per stretch of inactivity.
    func pass() async throws -> Outcome {
        var outcome = Outcome()
        try await expire(try await abandonedInquiries(), outcome: &outcome)
        try await expire(try await endedEngagements(), outcome: &outcome)
        return outcome
    }

    /// An engagement that expires a period after its last activity.
    struct Candidate {
        let engagement: EngagementRecord
        let kind: Kind
        let period: TimeInterval
    }

    /// What expires, and so which notice its people get.
    enum Kind: String {
        case abandonedInquiry = "abandoned_inquiry"
        case endedEngagement = "ended_engagement"
    }

    private func abandonedInquiries() async throws -> [Candidate] {
        try await EngagementRecord.query(on: db).filter(\.$status == .inquiry)
            .filter(\.$updatedAt <= now().addingTimeInterval(-(Self.abandonedInquiry - Self.inquiryNotice))).all()
            .map { Candidate(engagement: $0, kind: .abandonedInquiry, period: Self.abandonedInquiry) }
    }

    /// Closed, declined and withdrawn engagements old enough that a notice may be due under their coach's period.
    private func endedEngagements() async throws -> [Candidate] {
        let shortest = TimeInterval(RetentionSettings.allowedDays.lowerBound) * 86_400
        let ended = try await EngagementRecord.query(on: db).filter(\.$status ~~ [.closed, .declined, .withdrawn])
            .filter(\.$updatedAt <= now().addingTimeInterval(-(shortest - Self.inquiryNotice))).all()
        let settings = try await RetentionSettingRecord.query(on: db).filter(\.$id ~~ Set(ended.map(\.coachID))).all()
        let days = Dictionary(settings.map { ($0.id!, $0.endedEngagementDays) }) { first, _ in first }
        // A mentoring pair's engagement (its ID is the match's) is kept as long as its program says.
        let pairs = try await MatchRecord.query(on: db).filter(\.$id ~~ ended.compactMap(\.id)).all()
        let programs = try await ProgramRetentionRecord.query(on: db).filter(\.$id ~~ Set(pairs.map(\.programID)))
            .all()
        let programDays = Dictionary(programs.map { ($0.id!, $0.endedPairDays) }) { first, _ in first }
        let pairDays = Dictionary(pairs.map { ($0.id!, programDays[$0.programID] ?? RetentionSettings.defaultDays) }) {
            first, _ in first
        }
        return ended.map { engagement in
            let chosen = engagement.id.flatMap { pairDays[$0] } ?? days[engagement.coachID]
            return Candidate(
                engagement: engagement, kind: .endedEngagement,
                period: TimeInterval(chosen ?? RetentionSettings.defaultDays) * 86_400)
        }
    }

    private func expire(_ candidates: [Candidate], outcome: inout Outcome) async throws {
        guard !candidates.isEmpty else { return }
        let time = now()
        // Their conversations' last messages and the notices already sent, in two queries for all of them.
        let conversations = try await ConversationRecord.query(on: db)
            .filter(\.$id ~~ candidates.map(\.engagement.conversationID)).all()
        let lastMessages = Dictionary(
            conversations.compactMap { record in record.lastMessageAt.map { (record.id!, $0) } }
        ) {
            first, _ in first
        }
        let sent = try await RetentionNoticeRecord.query(on: db)
            .filter(\.$subjectID ~~ candidates.compactMap(\.engagement.id)).all()
        for candidate in candidates {
            let engagement = candidate.engagement
            let id = try engagement.requireID()
            let lastActivity = max(
                engagement.updatedAt, lastMessages[engagement.conversationID] ?? engagement.updatedAt)
            let notice = sent.first { $0.subjectID == id && $0.kind == candidate.kind.rawValue }
            if let notice, notice.activityAt < lastActivity {
                try await notice.delete(on: db)  // something happened after the notice: the period starts again
                continue
            }
            let deletesAt = lastActivity.addingTimeInterval(candidate.period)
            guard let notice else {
                if time >= deletesAt.addingTimeInterval(-Self.inquiryNotice),
                    try await tell(candidate, lastActivity: lastActivity, deletesAt: deletesAt)
                {
                    outcome.noticed += 1
                }
                continue
            }
            // A week's notice however late the notice went out (the server may have been down).
            if time >= max(deletesAt, notice.sentAt.addingTimeInterval(Self.inquiryNotice)) {
                try await delete(engagement)
                outcome.deleted += 1
            }
        }
    }

    /// Mails everyone in the engagement that it will be deleted; the notice's row is claimed first, so two passes at
    /// once send it once. Answers whether this call sent it.
    private func tell(_ candidate: Candidate, lastActivity: Date, deletesAt: Date) async throws -> Bool {
        let engagement = candidate.engagement
        let notice = RetentionNoticeRecord()
        notice.subjectID = try engagement.requireID()
        notice.kind = candidate.kind.rawValue
        notice.activityAt = lastActivity
        notice.sentAt = now()
        do {
            try await WriteConflict.retrying { try await notice.create(on: db) }
        } catch  where (error as? any DatabaseError)?.isConstraintFailure == true {
            return false
        }
        let clients = try await EngagementClientRecord.query(on: db).filter(\.$engagementID == notice.subjectID)
            .all(\.$userID)
        let everyone = clients + [engagement.coachID]
        let people = try await UserRecord.query(on: db).filter(\.$id ~~ everyone).all()
        guard let coach = people.first(where: { $0.id == engagement.coachID }) else { return false }
        let clientNames = people.filter { $0.id != engagement.coachID }.map(\.displayName).joined(separator: ", ")
        let page = mailer.page("/engagements/\(notice.subjectID.uuidString)")
        let template = candidate.kind == .abandonedInquiry ? "inquiry_expiring" : "engagement_expiring"
        for person in people {
            let date = Self.day(deletesAt, person.language)
            if person.id == engagement.coachID {
                let link = candidate.kind == .abandonedInquiry ? page : page + "/export"
                mailer.send(
                    template + "_coach", to: person.email, in: person.language,
                    arguments: [clientNames, date, link], now: now())
            } else {
                mailer.send(
                    template, to: person.email, in: person.language,
                    arguments: [coach.displayName, date, page], now: now())
            }
        }
        return true
    }

    /// "8 December 2026" / "8. Dezember 2026" (UTC: the pass runs during that day).
    static func day(_ date: Date, _ language: Language) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: language == .de ? "de_DE" : "en_GB")
        formatter.timeZone = .gmt
        formatter.dateStyle = .long
        formatter.timeStyle = .none
        return formatter.string(from: date)
    }

    /// Deletes the engagement with everything in it: its conversation takes the engagement, messages, attachments, keys,
    /// drafts, items and bookings with it (the schema cascades); notifications about it go explicitly (their subject
    /// may be an engagement, a match or a program, so they hold no reference).
    private func delete(_ engagement: EngagementRecord) async throws {
        try await WriteConflict.retrying {
            try await db.transaction { db in try await Self.deleteConversation(engagement.conversationID, on: db) }
        }
    }

    /// Deletes a conversation with everything in it (the schema cascades to its engagement, messages, attachments,
    /// keys, drafts, items and bookings) and what names its engagement without a reference: notifications and
    /// retention notices. Runs inside the caller's transaction; also used when the last member deletes their account.
    static func deleteConversation(_ conversation: UUID, on db: any Database) async throws {
        let engagements = try await EngagementRecord.query(on: db).filter(\.$conversationID == conversation)
            .all(\.$id)
        try await NotificationRecord.query(on: db).filter(\.$engagementID ~~ engagements).delete()
        try await RetentionNoticeRecord.query(on: db).filter(\.$subjectID ~~ engagements).delete()
        try await ConversationRecord.query(on: db).filter(\.$id == conversation).delete()
    }
}

/// How long a program's ended pairs are kept, as its institution chose (``RetentionSettings``); without a choice, the
/// default — not the mentor's own setting: the institution is responsible for its program's data.
final class ProgramRetentionRecord: Model, @unchecked Sendable {
    static let schema = "program_retention"

    /// The program.
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "ended_pair_days") var endedPairDays: Int
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

struct CreateProgramRetention: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ProgramRetentionRecord.schema)
            .field("id", .uuid, .identifier(auto: false), .references("programs", "id", onDelete: .cascade))
            .field("ended_pair_days", .int, .required)
            .field("updated_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ProgramRetentionRecord.schema).delete()
    }
}

/// A day's retention pass, claimed by the instance that runs it.
final class RetentionRunRecord: Model, @unchecked Sendable {
    static let schema = "retention_runs"

    @ID(key: .id) var id: UUID?
    /// `yyyy-mm-dd` (UTC), unique.
    @Field(key: "day") var day: String
    @Field(key: "started_at") var startedAt: Date

    init() {}
}

/// A retention notice that went out: unique per subject and kind, so it goes out once per stretch of inactivity.
final class RetentionNoticeRecord: Model, @unchecked Sendable {
    static let schema = "retention_notices"

    @ID(key: .id) var id: UUID?
    @Field(key: "subject_id") var subjectID: UUID
    @Field(key: "kind") var kind: String
    /// The last activity the notice was about: activity after it starts the period again.
    @Field(key: "activity_at") var activityAt: Date
    @Field(key: "sent_at") var sentAt: Date

    init() {}
}

/// A coach's choice how long ended engagements are kept (``RetentionSettings``); without one, the default.
final class RetentionSettingRecord: Model, @unchecked Sendable {
    static let schema = "retention_settings"

    /// The coach.
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "ended_engagement_days") var endedEngagementDays: Int
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

struct CreateRetentionSettings: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(RetentionSettingRecord.schema)
            .field("id", .uuid, .identifier(auto: false), .references("users", "id", onDelete: .cascade))
            .field("ended_engagement_days", .int, .required)
            .field("updated_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RetentionSettingRecord.schema).delete()
    }
}

struct CreateRetention: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(RetentionRunRecord.schema)
            .id()
            .field("day", .string, .required)
            .field("started_at", .datetime, .required)
            .unique(on: "day")
            .create()
        try await database.schema(RetentionNoticeRecord.schema)
            .id()
            .field("subject_id", .uuid, .required)
            .field("kind", .string, .required)
            .field("activity_at", .datetime, .required)
            .field("sent_at", .datetime, .required)
            .unique(on: "subject_id", "kind")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RetentionNoticeRecord.schema).delete()
        try await database.schema(RetentionRunRecord.schema).delete()
    }
}
