import Fluent
import Foundation
import LotseAPI
import SQLKit

/// A coaching relationship. Status and dates are plain so they can be listed and reported; every free text is a
/// sealed value (JSON text of `SealedContent`) the server cannot open. See docs/engagements.md.
final class EngagementRecord: Model, @unchecked Sendable {  // property wrappers defeat Sendable checking
    static let schema = "engagements"

    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "conversation_id") var conversationID: UUID
    @Field(key: "coach_id") var coachID: UUID
    @Field(key: "is_group") var isGroup: Bool
    @Field(key: "status") var status: EngagementStatus
    @Field(key: "initiated_by") var initiatedBy: Engagement.InitiatedBy
    @OptionalField(key: "first_meeting") var firstMeeting: String?
    @OptionalField(key: "agreement") var agreement: String?
    @OptionalField(key: "decline_reason") var declineReason: String?
    @OptionalField(key: "intake") var intake: String?
    @OptionalField(key: "program") var program: String?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

/// A client of an engagement, and the agreement version they confirmed.
final class EngagementClientRecord: Model, @unchecked Sendable {
    static let schema = "engagement_clients"

    @ID(key: .id) var id: UUID?
    @Field(key: "engagement_id") var engagementID: UUID
    @Field(key: "user_id") var userID: UUID
    @OptionalField(key: "confirmed_version") var confirmedVersion: Int?
    @Field(key: "joined_at") var joinedAt: Date

    init() {}

    init(engagement: UUID, user: UUID, at time: Date) {
        self.engagementID = engagement
        self.userID = user
        self.joinedAt = time
    }
}

/// One item of an engagement's workspace. The ID is the author's device's, so saving is idempotent.
final class EngagementItemRecord: Model, @unchecked Sendable {
    static let schema = "engagement_items"

    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "engagement_id") var engagementID: UUID
    @Field(key: "kind") var kind: EngagementItemKind
    @Field(key: "author_id") var authorID: UUID
    @OptionalField(key: "sealed") var sealed: String?
    @OptionalField(key: "status") var status: EngagementItemStatus?
    @OptionalField(key: "progress") var progress: Int?
    @OptionalField(key: "due_at") var dueAt: Date?
    @OptionalField(key: "rating") var rating: Int?
    @OptionalField(key: "session_on") var sessionOn: String?
    @OptionalField(key: "parent_id") var parentID: UUID?
    @OptionalField(key: "step") var step: Int?
    @Field(key: "revision") var revision: Int
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    @OptionalField(key: "completed_at") var completedAt: Date?

    init() {}
}

/// What happened in an engagement, for its timeline.
final class EngagementEventRecord: Model, @unchecked Sendable {
    static let schema = "engagement_events"

    @ID(key: .id) var id: UUID?
    @Field(key: "engagement_id") var engagementID: UUID
    @Field(key: "kind") var kind: EngagementEvent.Kind
    @Field(key: "actor_id") var actorID: UUID
    @OptionalField(key: "item_id") var itemID: UUID?
    @OptionalField(key: "item_kind") var itemKind: EngagementItemKind?
    @Field(key: "at") var at: Date

    init() {}

    init(engagement: UUID, kind: EngagementEvent.Kind, actor: UUID, item: EngagementItemRecord? = nil, at: Date) {
        self.engagementID = engagement
        self.kind = kind
        self.actorID = actor
        self.itemID = item?.id
        self.itemKind = item?.kind
        self.at = at
    }
}

/// A coach's intake questionnaire; `questions` is JSON text.
final class QuestionnaireRecord: Model, @unchecked Sendable {
    static let schema = "questionnaires"

    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "coach_id") var coachID: UUID
    @Field(key: "title") var title: String
    @Field(key: "questions") var questions: String
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

/// A coach's reusable program; `steps` is JSON text.
final class ProgramTemplateRecord: Model, @unchecked Sendable {
    static let schema = "program_templates"

    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "coach_id") var coachID: UUID
    @Field(key: "name") var name: String
    @Field(key: "description") var description: String
    @Field(key: "steps") var steps: String
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

struct CreateEngagements: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("engagements")
            .field("id", .uuid, .identifier(auto: false))
            .field("conversation_id", .uuid, .required, .references("conversations", "id", onDelete: .cascade))
            .field("coach_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("is_group", .bool, .required)
            .field("status", .string, .required)
            .field("initiated_by", .string, .required)
            .field("first_meeting", .string)
            .field("agreement", .string)
            .field("decline_reason", .string)
            .field("intake", .string)
            .field("program", .string)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "conversation_id")  // one engagement per conversation
            .create()
        try await db.schema("engagement_clients")
            .id()
            .field("engagement_id", .uuid, .required, .references("engagements", "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("confirmed_version", .int)
            .field("joined_at", .datetime, .required)
            .unique(on: "engagement_id", "user_id")
            .create()
        try await db.schema("engagement_items")
            .field("id", .uuid, .identifier(auto: false))
            .field("engagement_id", .uuid, .required, .references("engagements", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("author_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("sealed", .string)
            .field("status", .string)
            .field("progress", .int)
            .field("due_at", .datetime)
            .field("rating", .int)
            .field("session_on", .string)
            .field("parent_id", .uuid)
            .field("step", .int)
            .field("revision", .int, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("completed_at", .datetime)
            .create()
        try await db.schema("engagement_events")
            .id()
            .field("engagement_id", .uuid, .required, .references("engagements", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("actor_id", .uuid, .required)
            .field("item_id", .uuid)
            .field("item_kind", .string)
            .field("at", .datetime, .required)
            .create()
        try await db.schema("questionnaires")
            .field("id", .uuid, .identifier(auto: false))
            .field("coach_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("title", .string, .required)
            .field("questions", .string, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await db.schema("program_templates")
            .field("id", .uuid, .identifier(auto: false))
            .field("coach_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("description", .string, .required)
            .field("steps", .string, .required)
            .field("updated_at", .datetime, .required)
            .create()
        let sql = db as! any SQLDatabase
        try await sql.raw("CREATE INDEX engagement_clients_user ON engagement_clients (user_id)").run()
        try await sql.raw("CREATE INDEX engagements_coach ON engagements (coach_id)").run()
        try await sql.raw("CREATE INDEX engagement_items_engagement ON engagement_items (engagement_id)").run()
        try await sql.raw("CREATE INDEX engagement_events_engagement ON engagement_events (engagement_id, at)").run()
        // A program step becomes one milestone, even when the coach applies it twice at once.
        try await sql.raw(
            "CREATE UNIQUE INDEX engagement_items_one_per_step ON engagement_items (engagement_id, step) WHERE step IS NOT NULL"
        ).run()
    }

    func revert(on db: any Database) async throws {
        for table in [
            "program_templates", "questionnaires", "engagement_events", "engagement_items", "engagement_clients",
            "engagements",
        ] {
            try await db.schema(table).delete()
        }
    }
}
