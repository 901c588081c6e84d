import Foundation

/// The signed-in person's own account.
public struct Account: Codable, Sendable, Equatable {
    /// The account's identifier.
    public var id: UUID
    /// The verified email address, lower-cased.
    public var email: String
    /// The name others see.
    public var displayName: String
    /// What the person does on the platform.
    public var role: Role
    /// For coaches: how they call their work.
    public var coachTitle: CoachTitle?
    /// The language for mail and messages.
    public var language: Language
    /// Whether sign-in asks for a one-time code.
    public var isTwoFactorEnabled: Bool
    /// Whether the role demands two-factor sign-in and it is not set up yet; until it is, only the account itself is reachable.
    public var mustEnableTwoFactor: Bool
    /// How many unused recovery codes are left.
    public var recoveryCodesLeft: Int
    /// When the account was created.
    public var createdAt: Date

    /// Creates an account value.
    public init(
        id: UUID, email: String, displayName: String, role: Role, coachTitle: CoachTitle?, language: Language,
        isTwoFactorEnabled: Bool, mustEnableTwoFactor: Bool, recoveryCodesLeft: Int, createdAt: Date
    ) {
        self.id = id
        self.email = email
        self.displayName = displayName
        self.role = role
        self.coachTitle = coachTitle
        self.language = language
        self.isTwoFactorEnabled = isTwoFactorEnabled
        self.mustEnableTwoFactor = mustEnableTwoFactor
        self.recoveryCodesLeft = recoveryCodesLeft
        self.createdAt = createdAt
    }
}

/// Changes to one's own account; absent fields stay as they are.
public struct UpdateAccount: Codable, Sendable, Equatable {
    /// A new display name.
    public var displayName: String?
    /// A new language.
    public var language: Language?

    /// Creates a change.
    public init(displayName: String? = nil, language: Language? = nil) {
        self.displayName = displayName
        self.language = language
    }
}
