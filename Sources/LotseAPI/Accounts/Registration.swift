/// Asks for a new account. The answer is always the same, whether or not the address is taken (see docs/accounts.md).
public struct RegisterAccount: Codable, Sendable, Equatable {
    /// The email address; a link to verify it is sent there.
    public var email: String
    /// The name others see.
    public var displayName: String
    /// `client` or `coach`; admins are made by admins.
    public var role: Role
    /// For coaches: how they call their work.
    public var coachTitle: CoachTitle?
    /// The language for mail and messages.
    public var language: Language
    /// How the browser derived ``loginKey`` from the password.
    public var kdf: KDFParameters
    /// The derived login key, base64 of 32 bytes; never the password.
    public var loginKey: String
    /// The code of the program invitation link the person came through, if any: a program that takes
    /// registrations vouches for the sign-up, so a cohort on one campus network is not held to the per-address
    /// limit (the per-mailbox one still applies).
    public var programCode: String?

    /// Creates a registration.
    public init(
        email: String, displayName: String, role: Role, coachTitle: CoachTitle? = nil, language: Language,
        kdf: KDFParameters, loginKey: String, programCode: String? = nil
    ) {
        self.programCode = programCode
        self.email = email
        self.displayName = displayName
        self.role = role
        self.coachTitle = coachTitle
        self.language = language
        self.kdf = kdf
        self.loginKey = loginKey
    }
}

/// The answer to requests whose outcome must not reveal whether an account exists.
public struct Accepted: Codable, Sendable, Equatable {
    /// What happens next, e.g. `verification_sent`.
    public var status: String

    /// Creates the answer.
    public init(status: String) { self.status = status }
}

/// Proves ownership of an email address with the token from the verification mail.
public struct VerifyEmail: Codable, Sendable, Equatable {
    /// The token from the link.
    public var token: String

    /// Creates the request.
    public init(token: String) { self.token = token }
}

/// Asks for a password-reset mail.
public struct RequestPasswordReset: Codable, Sendable, Equatable {
    /// The account's email address.
    public var email: String

    /// Creates the request.
    public init(email: String) { self.email = email }
}

/// Sets a new password with the token from the reset mail; every session of the account ends.
public struct CompletePasswordReset: Codable, Sendable, Equatable {
    /// The token from the link.
    public var token: String
    /// How the new login key was derived (a fresh salt).
    public var kdf: KDFParameters
    /// The new login key.
    public var loginKey: String
    /// The account's private keys sealed under the new password's wrap key, after opening them with the recovery
    /// key. Without it, an account's end-to-end keys are discarded and earlier messages become unreadable to it.
    public var wrappedKeys: String?

    /// Creates the request.
    public init(token: String, kdf: KDFParameters, loginKey: String, wrappedKeys: String? = nil) {
        self.token = token
        self.kdf = kdf
        self.loginKey = loginKey
        self.wrappedKeys = wrappedKeys
    }
}

/// Changes the password while signed in; the current login key proves it is really the owner.
public struct ChangePassword: Codable, Sendable, Equatable {
    /// The login key derived from the current password.
    public var currentLoginKey: String
    /// How the new login key was derived.
    public var kdf: KDFParameters
    /// The new login key.
    public var loginKey: String
    /// The account's private keys sealed under the new password's wrap key; required once the account has keys.
    public var wrappedKeys: String?

    /// Creates the request.
    public init(currentLoginKey: String, kdf: KDFParameters, loginKey: String, wrappedKeys: String? = nil) {
        self.currentLoginKey = currentLoginKey
        self.kdf = kdf
        self.loginKey = loginKey
        self.wrappedKeys = wrappedKeys
    }
}
