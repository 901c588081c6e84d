/// What a person does on the platform; it decides what they may do and whether two-factor sign-in is mandatory.
public enum Role: String, Codable, Sendable, CaseIterable {
    /// Someone who is coached, counselled or mentored.
    case client
    /// A coach, mentor, trainer or counselor (see ``CoachTitle``).
    case coach
    /// Runs an institution's mentoring programs.
    case institutionAdmin = "institution_admin"
    /// Runs the platform.
    case platformAdmin = "platform_admin"

    /// Whether this role must sign in with a second factor: everyone who sees other people's confidences does.
    public var requiresTwoFactor: Bool { self != .client }
}

/// How a coach calls their work; it is shown on their profile.
public enum CoachTitle: String, Codable, Sendable, CaseIterable {
    /// A coach.
    case coach
    /// A mentor.
    case mentor
    /// A trainer.
    case trainer
    /// A counselor.
    case counselor
}

/// A language the interface speaks.
public enum Language: String, Codable, Sendable, CaseIterable {
    /// German.
    case de
    /// English.
    case en
}
