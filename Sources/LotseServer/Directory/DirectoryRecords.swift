import Fluent
import Foundation
import LotseAPI
import SQLKit

/// A coach's directory profile. Lists are JSON text, the same on SQLite and PostgreSQL.
final class DirectoryProfileRecord: Model, @unchecked Sendable {  // property wrappers defeat Sendable checking
    static let schema = "directory_profiles"

    /// The coach's user ID: one profile per coach.
    @ID(custom: "user_id", generatedBy: .user) var id: UUID?
    @Field(key: "slug") var slug: String
    @Field(key: "headline") var headline: String
    @Field(key: "bio") var bio: String
    @Field(key: "topics") var topics: String
    @Field(key: "languages") var languages: String
    @Field(key: "formats") var formats: String
    @OptionalField(key: "location") var location: String?
    @OptionalField(key: "rate") var rate: String?
    @Field(key: "time_zone") var timeZone: String
    @Field(key: "is_published") var isPublished: Bool
    /// The photo's media type, when it has one (the bytes live in `directory_photos`, out of the search's way).
    @OptionalField(key: "photo_type") var photoType: String?
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

/// A profile's photo.
final class DirectoryPhotoRecord: Model, @unchecked Sendable {
    static let schema = "directory_photos"

    @ID(custom: "profile_id", generatedBy: .user) var id: UUID?
    @Field(key: "data") var data: Data

    init() {}
}

/// One search term of a profile (docs/directory.md): a prefix of one of its words' terms, or a `t:`/`l:`/`f:` tag
/// for the filters.
final class DirectoryTermRecord: Model, @unchecked Sendable {
    static let schema = "directory_terms"

    @ID(key: .id) var id: UUID?
    @Field(key: "profile_id") var profileID: UUID
    @Field(key: "term") var term: String
    /// In the name, headline or topics: ranks higher than a word only in the about text.
    @Field(key: "is_prominent") var isProminent: Bool

    init() {}

    init(profile: UUID, term: String, isProminent: Bool) {
        self.profileID = profile
        self.term = term
        self.isProminent = isProminent
    }
}

struct CreateDirectory: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("directory_profiles")
            .field("user_id", .uuid, .identifier(auto: false), .references("users", "id", onDelete: .cascade))
            .field("slug", .string, .required)
            .field("headline", .string, .required)
            .field("bio", .string, .required)
            .field("topics", .string, .required)
            .field("languages", .string, .required)
            .field("formats", .string, .required)
            .field("location", .string)
            .field("rate", .string)
            .field("time_zone", .string, .required)
            .field("is_published", .bool, .required)
            .field("photo_type", .string)
            .field("updated_at", .datetime, .required)
            .unique(on: "slug")
            .create()
        try await db.schema("directory_photos")
            .field(
                "profile_id", .uuid, .identifier(auto: false),
                .references("directory_profiles", "user_id", onDelete: .cascade)
            )
            .field("data", .data, .required)
            .create()
        try await db.schema("directory_terms")
            .id()
            .field("profile_id", .uuid, .required, .references("directory_profiles", "user_id", onDelete: .cascade))
            .field("term", .string, .required)
            .field("is_prominent", .bool, .required)
            .unique(on: "profile_id", "term")
            .create()
        // Queries look terms up by exact value: across profiles, and within one (the unique index).
        try await (db as! any SQLDatabase).raw("CREATE INDEX directory_terms_term ON directory_terms (term)").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("directory_terms").delete()
        try await db.schema("directory_photos").delete()
        try await db.schema("directory_profiles").delete()
    }
}

/// Indexes every profile again, with the synonyms of its topics (#18); later saves keep them.
struct ReindexDirectory: AsyncMigration {
    func prepare(on db: any Database) async throws {
        let service = DirectoryService(db: db, now: { Date() })
        // The name through SQL: the account model has columns that later migrations add.
        struct Row: Decodable { let id: UUID, display_name: String }
        let names = try await (db as! any SQLDatabase).raw(
            "SELECT users.id, users.display_name FROM users JOIN directory_profiles ON directory_profiles.user_id = users.id"
        ).all(decoding: Row.self)
        for row in names { try await service.reindex(row.id, displayName: row.display_name) }
    }

    func revert(on db: any Database) async throws {}
}
