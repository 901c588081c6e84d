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
        // Migration 28 made the log of changes; indexes in memory load everything at start anyway.
        let service = DirectoryService(db: db, now: { Date() }, logsChanges: false)
        // The name through SQL: the account model has columns that later migrations add.
        struct Row: Decodable { let id: UUID, display_name: String }
        let names = try await (db as! any SQLDatabase).raw(
            "SELECT users.id, users.display_name FROM users JOIN directory_profiles ON directory_profiles.user_id = users.id"
        ).all(decoding: Row.self)
        for row in names { try await service.reindex(row.id, displayName: row.display_name) }
    }

    func revert(on db: any Database) async throws {}
}

/// The log of changed profiles that every instance's search index reads (`DirectoryIndex`): triggers add the ID of
/// each profile created, changed or deleted — however it is deleted, also with its account — and the service adds it
/// whenever it writes a profile's terms.
struct CreateDirectoryChanges: AsyncMigration {
    func prepare(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            try await sql.raw(
                """
                CREATE TABLE directory_changes (
                    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, profile_id uuid NOT NULL)
                """
            ).run()
            try await sql.raw(
                """
                CREATE FUNCTION lotse_directory_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        INSERT INTO directory_changes (profile_id) VALUES (OLD.user_id);
                    ELSE
                        INSERT INTO directory_changes (profile_id) VALUES (NEW.user_id);
                    END IF;
                    RETURN NULL;
                END
                $$
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER lotse_directory_profile_changed AFTER INSERT OR UPDATE OR DELETE ON directory_profiles
                FOR EACH ROW EXECUTE FUNCTION lotse_directory_changed()
                """
            ).run()
        } else {
            try await sql.raw(
                "CREATE TABLE directory_changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, profile_id BLOB NOT NULL)"
            ).run()
            for (operation, row) in [("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")] {
                try await sql.raw(
                    """
                    CREATE TRIGGER directory_profile_\(unsafeRaw: operation.lowercased()) AFTER \(unsafeRaw: operation)
                    ON directory_profiles BEGIN
                        INSERT INTO directory_changes (profile_id) VALUES (\(unsafeRaw: row).user_id);
                    END
                    """
                ).run()
            }
        }
    }

    func revert(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            try await sql.raw("DROP TRIGGER IF EXISTS lotse_directory_profile_changed ON directory_profiles").run()
            try await sql.raw("DROP FUNCTION IF EXISTS lotse_directory_changed()").run()
        } else {
            for operation in ["insert", "update", "delete"] {
                try await sql.raw("DROP TRIGGER IF EXISTS directory_profile_\(unsafeRaw: operation)").run()
            }
        }
        try await sql.raw("DROP TABLE directory_changes").run()
    }
}
