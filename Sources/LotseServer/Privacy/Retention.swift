import Fluent
import Foundation
import LotseAPI
import SQLKit

/// How long the server keeps what nobody needs any more (docs/privacy.md, "Retention"), run once a day: so far, an
/// inquiry nobody answered. After the Caritas rules for online counseling, an inquiry without activity for
/// ``abandonedInquiry`` is deleted with everything in it (its conversation, messages, attachments, notifications);
/// everyone in it is told by mail ``inquiryNotice`` before, once, and anything that happens in it meanwhile starts
/// the period again.
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
        run.day = CivilDate.format(Int((now().timeIntervalSince1970 / 86_400).rounded(.down)))
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

    /// Tells the people of inquiries that are about to expire, and deletes those whose notice period is over. Safe to
    /// run any number of times: each notice goes out once per stretch of inactivity.
    func pass() async throws -> Outcome {
        var outcome = Outcome()
        let time = now()
        let inquiries = try await EngagementRecord.query(on: db).filter(\.$status == .inquiry)
            .filter(\.$updatedAt <= time.addingTimeInterval(-(Self.abandonedInquiry - Self.inquiryNotice))).all()
        for inquiry in inquiries {
            let id = try inquiry.requireID()
            let conversation = try await ConversationRecord.find(inquiry.conversationID, on: db)
            let lastActivity = max(inquiry.updatedAt, conversation?.lastMessageAt ?? inquiry.updatedAt)
            let notice = try await RetentionNoticeRecord.query(on: db).filter(\.$subjectID == id)
                .filter(\.$kind == Self.inquiryKind).first()
            if let notice, notice.activityAt < lastActivity {
                try await notice.delete(on: db)  // something happened after the notice: the period starts again
                continue
            }
            let deletesAt = lastActivity.addingTimeInterval(Self.abandonedInquiry)
            guard let notice else {
                if time >= deletesAt.addingTimeInterval(-Self.inquiryNotice),
                    try await tell(inquiry, lastActivity: lastActivity, deletesAt: deletesAt)
                {
                    outcome.noticed += 1
                }
                continue
            }
            // A week's notice however late the notice went out (the server may have been down).
            if time >= max(deletesAt, notice.sentAt.addingTimeInterval(Self.inquiryNotice)) {
                try await delete(inquiry)
                outcome.deleted += 1
            }
        }
        return outcome
    }

    static let inquiryKind = "abandoned_inquiry"

    /// Mails everyone in the inquiry that it will be deleted; the notice's row is claimed first, so two passes at
    /// once send it once. Answers whether this call sent it.
    private func tell(_ inquiry: EngagementRecord, lastActivity: Date, deletesAt: Date) async throws -> Bool {
        let notice = RetentionNoticeRecord()
        notice.subjectID = try inquiry.requireID()
        notice.kind = Self.inquiryKind
        notice.activityAt = lastActivity
        notice.sentAt = now()
        do {
            try await WriteConflict.retrying { try await notice.create(on: db) }
        } catch  where (error as? any DatabaseError)?.isConstraintFailure == true {
            return false
        }
        let clients = try await EngagementClientRecord.query(on: db).filter(\.$engagementID == notice.subjectID)
            .all(\.$userID)
        let everyone = clients + [inquiry.coachID]
        let people = try await UserRecord.query(on: db).filter(\.$id ~~ everyone).all()
        guard let coach = people.first(where: { $0.id == inquiry.coachID }) else { return false }
        let clientNames = people.filter { $0.id != inquiry.coachID }.map(\.displayName).joined(separator: ", ")
        let page = mailer.page("/engagements/\(notice.subjectID.uuidString)")
        for person in people {
            let date = Self.day(deletesAt, person.language)
            if person.id == inquiry.coachID {
                mailer.send(
                    "inquiry_expiring_coach", to: person.email, in: person.language,
                    arguments: [clientNames, date, page], now: now())
            } else {
                mailer.send(
                    "inquiry_expiring", to: person.email, in: person.language,
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

    /// Deletes the inquiry with everything in it: its conversation takes the engagement, messages, attachments, keys,
    /// drafts, items and bookings with it (the schema cascades); notifications about it go explicitly (their subject
    /// may be an engagement, a match or a program, so they hold no reference).
    private func delete(_ inquiry: EngagementRecord) async throws {
        let id = try inquiry.requireID()
        try await WriteConflict.retrying {
            try await db.transaction { db in
                try await NotificationRecord.query(on: db).filter(\.$engagementID == id).delete()
                try await ConversationRecord.query(on: db).filter(\.$id == inquiry.conversationID).delete()
                try await RetentionNoticeRecord.query(on: db).filter(\.$subjectID == id).delete()
            }
        }
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
