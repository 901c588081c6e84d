import Fluent
import Foundation
import LotseAPI
import SQLKit

/// One line of a person's notification center: a step of one engagement that waits for them — or of a mentoring
/// match, before the pair's engagement (which takes the match's ID) exists. The same step again (an agreement
/// changed twice) moves the line up and marks it unread instead of adding one: one row per person, kind and
/// subject, kept so by a unique index. Since #19 `engagement_id` has no foreign key (a match is no engagement): what
/// deletes an engagement or a match deletes its lines too.
final class NotificationRecord: Model, @unchecked Sendable {
    static let schema = "notifications"

    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "kind") var kind: NotificationKind
    @Field(key: "engagement_id") var engagementID: UUID
    @OptionalField(key: "actor_id") var actorID: UUID?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "read_at") var readAt: Date?

    init() {}

    init(user: UUID, kind: NotificationKind, engagement: UUID, actor: UUID?, at time: Date) {
        self.id = UUID()
        self.userID = user
        self.kind = kind
        self.engagementID = engagement
        self.actorID = actor
        self.createdAt = time
        self.readAt = nil
    }
}

/// A person's choices about notification mails, and whether the current stretch of unseen notifications was
/// already mailed about (at most one mail until they look).
final class NotificationSettingsRecord: Model, @unchecked Sendable {
    static let schema = "notification_settings"

    @ID(custom: "user_id", generatedBy: .user) var id: UUID?
    /// Comma-separated ``NotificationTopic`` raw values.
    @Field(key: "muted") var muted: String
    @Field(key: "mailed") var mailed: Bool

    init() {}

    var mutedTopics: [NotificationTopic] {
        muted.split(separator: ",").compactMap { NotificationTopic(rawValue: String($0)) }
    }

    /// Those of `people` who get no mail about `topic`.
    static func muting(_ topic: NotificationTopic, among people: [UUID], on db: any Database) async throws -> Set<UUID>
    {
        Set(
            try await query(on: db).filter(\.$id ~~ people).all()
                .filter { $0.mutedTopics.contains(topic) }.compactMap(\.id))
    }
}

struct CreateNotifications: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(NotificationRecord.schema)
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("engagement_id", .uuid, .required, .references("engagements", "id", onDelete: .cascade))
            .field("actor_id", .uuid, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .field("read_at", .datetime)
            .unique(on: "user_id", "kind", "engagement_id")
            .create()
        try await db.schema(NotificationSettingsRecord.schema)
            .field("user_id", .uuid, .identifier(auto: false), .references("users", "id", onDelete: .cascade))
            .field("muted", .string, .required)
            .field("mailed", .bool, .required)
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(NotificationSettingsRecord.schema).delete()
        try await db.schema(NotificationRecord.schema).delete()
    }
}

/// #19: `engagement_id` names an engagement or a mentoring match, so it loses its foreign key. SQLite cannot drop a
/// constraint, so the table is made anew (the same on PostgreSQL, to keep one path) and its rows copied over.
struct LoosenNotificationSubject: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await rebuild(on: db, referencingEngagements: false)
    }

    func revert(on db: any Database) async throws {
        // Lines about matches have no engagement to point to: they go.
        try await (db as! any SQLDatabase).raw(
            "DELETE FROM notifications WHERE engagement_id NOT IN (SELECT id FROM engagements)"
        ).run()
        try await rebuild(on: db, referencingEngagements: true)
    }

    private func rebuild(on db: any Database, referencingEngagements: Bool) async throws {
        try await db.transaction { db in
            let sql = db as! any SQLDatabase
            var schema = db.schema("notifications_next")
                .id()
                .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
                .field("kind", .string, .required)
            schema =
                referencingEngagements
                ? schema.field("engagement_id", .uuid, .required, .references("engagements", "id", onDelete: .cascade))
                : schema.field("engagement_id", .uuid, .required)
            try await schema
                .field("actor_id", .uuid, .references("users", "id", onDelete: .setNull))
                .field("created_at", .datetime, .required)
                .field("read_at", .datetime)
                .unique(on: "user_id", "kind", "engagement_id")
                .create()
            try await sql.raw(
                """
                INSERT INTO notifications_next (id, user_id, kind, engagement_id, actor_id, created_at, read_at)
                SELECT id, user_id, kind, engagement_id, actor_id, created_at, read_at FROM notifications
                """
            ).run()
            try await sql.raw("DROP TABLE notifications").run()
            try await sql.raw("ALTER TABLE notifications_next RENAME TO notifications").run()
        }
    }
}
