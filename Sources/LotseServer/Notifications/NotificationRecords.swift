import Fluent
import Foundation
import LotseAPI

/// One line of a person's notification center: a step of one engagement that waits for them. The same step again
/// (an agreement changed twice) moves the line up and marks it unread instead of adding one: one row per person,
/// kind and engagement, kept so by a unique index.
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
