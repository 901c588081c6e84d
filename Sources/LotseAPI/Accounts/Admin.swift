import Foundation

/// Whether the platform still needs its first administrator.
public struct SetupStatus: Codable, Sendable, Equatable {
    /// True until a platform admin exists.
    public var needsAdmin: Bool

    /// Creates the value.
    public init(needsAdmin: Bool) { self.needsAdmin = needsAdmin }
}

/// Creates the first platform admin with the one-time token the server printed at start-up.
public struct CreateFirstAdmin: Codable, Sendable, Equatable {
    /// The token from the server's start-up message.
    public var setupToken: String
    /// The admin's email address.
    public var email: String
    /// The admin's name.
    public var displayName: String
    /// The language for mail and messages.
    public var language: Language
    /// How the login key was derived.
    public var kdf: KDFParameters
    /// The login key.
    public var loginKey: String

    /// Creates the request.
    public init(
        setupToken: String, email: String, displayName: String, language: Language, kdf: KDFParameters, loginKey: String
    ) {
        self.setupToken = setupToken
        self.email = email
        self.displayName = displayName
        self.language = language
        self.kdf = kdf
        self.loginKey = loginKey
    }
}

/// An account as a platform admin sees it.
public struct AccountSummary: Codable, Sendable, Equatable {
    /// The account's identifier.
    public var id: UUID
    /// Its email address.
    public var email: String
    /// Its display name.
    public var displayName: String
    /// Its role.
    public var role: Role
    /// Whether the address is verified.
    public var isEmailVerified: Bool
    /// Whether two-factor sign-in is on.
    public var isTwoFactorEnabled: Bool
    /// When it was created.
    public var createdAt: Date

    /// Creates the value.
    public init(
        id: UUID, email: String, displayName: String, role: Role, isEmailVerified: Bool, isTwoFactorEnabled: Bool,
        createdAt: Date
    ) {
        self.id = id
        self.email = email
        self.displayName = displayName
        self.role = role
        self.isEmailVerified = isEmailVerified
        self.isTwoFactorEnabled = isTwoFactorEnabled
        self.createdAt = createdAt
    }
}

/// Gives an account another role.
public struct ChangeRole: Codable, Sendable, Equatable {
    /// The new role.
    public var role: Role
    /// For coaches: how they call their work.
    public var coachTitle: CoachTitle?

    /// Creates the request.
    public init(role: Role, coachTitle: CoachTitle? = nil) {
        self.role = role
        self.coachTitle = coachTitle
    }
}

/// Whether the server and its database answer.
public struct Health: Codable, Sendable, Equatable {
    /// `ok`.
    public var status: String
    /// `sqlite` or `postgres`.
    public var database: String

    /// Creates the value.
    public init(status: String, database: String) {
        self.status = status
        self.database = database
    }
}
