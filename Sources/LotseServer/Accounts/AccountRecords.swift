import Fluent
import Foundation
import LotseAPI
import SQLKit

/// A person's account. The login key arrives already derived from the password and is stored only as bcrypt.
final class UserRecord: Model, @unchecked Sendable {  // property wrappers defeat Sendable checking
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "role") var role: Role
    @OptionalField(key: "coach_title") var coachTitle: CoachTitle?
    @Field(key: "language") var language: Language
    @Field(key: "kdf_algorithm") var kdfAlgorithm: String
    @Field(key: "kdf_iterations") var kdfIterations: Int
    @Field(key: "kdf_salt") var kdfSalt: String
    @Field(key: "login_key_hash") var loginKeyHash: String
    @OptionalField(key: "email_verified_at") var emailVerifiedAt: Date?
    /// The active TOTP secret, sealed with the server secret (AES-GCM, the user id as associated data).
    @OptionalField(key: "totp_secret") var totpSecret: String?
    /// A secret handed out by setup but not yet confirmed with a code.
    @OptionalField(key: "totp_pending_secret") var totpPendingSecret: String?
    /// The last TOTP step accepted, so a code works once only.
    @OptionalField(key: "totp_last_step") var totpLastStep: Int64?
    /// Set from the service's clock, not by Fluent, so expiry rules and their tests agree on the time.
    @OptionalField(key: "created_at") var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    /// Set when the account was erased (#20): the row is then a tombstone that only keeps the ID others' messages
    /// name; the column is added by the privacy feature's migration.
    @OptionalField(key: "erased_at") var erasedAt: Date?

    init() {}

    init(
        id: UUID? = nil, email: String, displayName: String, role: Role, coachTitle: CoachTitle?, language: Language,
        kdf: KDFParameters, loginKeyHash: String
    ) {
        self.id = id
        self.email = email
        self.displayName = displayName
        self.role = role
        self.coachTitle = coachTitle
        self.language = language
        setLoginKey(kdf: kdf, hash: loginKeyHash)
    }

    /// Stores how a new login key was derived and the bcrypt hash of it.
    func setLoginKey(kdf: KDFParameters, hash: String) {
        kdfAlgorithm = kdf.algorithm
        kdfIterations = kdf.iterations
        kdfSalt = kdf.salt
        loginKeyHash = hash
    }

    var isTwoFactorEnabled: Bool { totpSecret != nil }
    var kdf: KDFParameters { KDFParameters(algorithm: kdfAlgorithm, iterations: kdfIterations, salt: kdfSalt) }
}

/// A signed-in device. The secret token is stored only as its SHA-256; ending a session deletes the row.
final class AuthSessionRecord: Model, @unchecked Sendable {
    static let schema = "auth_sessions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: UserRecord
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "csrf_token") var csrfToken: String
    @Field(key: "transport") var transport: SessionTransport
    @Field(key: "user_agent") var userAgent: String
    @Field(key: "ip_address") var ipAddress: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "last_seen_at") var lastSeenAt: Date
    @Field(key: "expires_at") var expiresAt: Date

    init() {}
}

/// A single-use secret sent by mail or handed out during sign-in, stored as its SHA-256.
final class AccountTokenRecord: Model, @unchecked Sendable {
    static let schema = "account_tokens"

    enum Purpose: String, Codable, Sendable {
        case verifyEmail = "verify_email"
        case resetPassword = "reset_password"
        /// The first factor was right; a TOTP or recovery code must follow.
        case loginChallenge = "login_challenge"
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: UserRecord
    @Field(key: "purpose") var purpose: Purpose
    @Field(key: "token_hash") var tokenHash: String
    /// For login challenges: the session transport asked for.
    @OptionalField(key: "detail") var detail: String?
    @Field(key: "attempts") var attempts: Int
    /// Set when the link was used; kept until expiry so a retried request can be recognized.
    @OptionalField(key: "used_at") var usedAt: Date?
    @Field(key: "expires_at") var expiresAt: Date
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// A recovery code, stored as its SHA-256 (the codes carry 60 random bits, so a plain hash is enough).
final class RecoveryCodeRecord: Model, @unchecked Sendable {
    static let schema = "recovery_codes"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: UserRecord
    @Field(key: "code_hash") var codeHash: String
    @OptionalField(key: "used_at") var usedAt: Date?

    init() {}
}

struct CreateUsers: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("users")
            .id()
            .field("email", .string, .required)
            .field("display_name", .string, .required)
            .field("role", .string, .required)
            .field("coach_title", .string)
            .field("language", .string, .required)
            .field("kdf_algorithm", .string, .required)
            .field("kdf_iterations", .int, .required)
            .field("kdf_salt", .string, .required)
            .field("login_key_hash", .string, .required)
            .field("email_verified_at", .datetime)
            .field("totp_secret", .string)
            .field("totp_pending_secret", .string)
            .field("totp_last_step", .int64)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "email")  // one account per address, even under concurrent sign-ups
            .create()
    }

    func revert(on db: any Database) async throws { try await db.schema("users").delete() }
}

struct CreateAuthSessions: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("auth_sessions")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("csrf_token", .string, .required)
            .field("transport", .string, .required)
            .field("user_agent", .string, .required)
            .field("ip_address", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on db: any Database) async throws { try await db.schema("auth_sessions").delete() }
}

struct CreateAccountTokens: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("account_tokens")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("purpose", .string, .required)
            .field("token_hash", .string, .required)
            .field("detail", .string)
            .field("attempts", .int, .required)
            .field("used_at", .datetime)
            .field("expires_at", .datetime, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on db: any Database) async throws { try await db.schema("account_tokens").delete() }
}

struct CreateRecoveryCodes: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("recovery_codes")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("code_hash", .string, .required)
            .field("used_at", .datetime)
            .unique(on: "user_id", "code_hash")
            .create()
    }

    func revert(on db: any Database) async throws { try await db.schema("recovery_codes").delete() }
}

extension UserRecord {
    /// Display names by account, for lists that name people; accounts that no longer exist are left out.
    static func displayNames(of ids: [UUID], on db: any Database) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        // Two columns, not whole accounts: a directory page names 20 coaches, and an account's row is large (#21).
        let rows = try await (db as! any SQLDatabase).raw(
            "SELECT id, display_name FROM users WHERE id IN (\(binds: Array(Set(ids))))"
        ).all()
        return Dictionary(
            try rows.map {
                (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "display_name", as: String.self))
            },
            uniquingKeysWith: { first, _ in first })
    }
}
