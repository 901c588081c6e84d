import Foundation

/// Whether the account is to be deleted, and when (docs/privacy.md, "Erasure"). A request waits
/// ``gracePeriodDays`` days, during which the account works as before and the person can cancel it, signed in or
/// from the link in the mail that confirmed the request.
public struct ErasureStatus: Codable, Sendable, Equatable {
    /// Whether a deletion is scheduled.
    public var scheduled: Bool
    /// When it was asked for.
    public var requestedAt: Date?
    /// When the account will be deleted (the daily pass after this moment does it).
    public var deletesAt: Date?

    /// Thirty days to change one's mind.
    public static let gracePeriodDays = 30

    /// Creates the value.
    public init(scheduled: Bool, requestedAt: Date? = nil, deletesAt: Date? = nil) {
        self.scheduled = scheduled
        self.requestedAt = requestedAt
        self.deletesAt = deletesAt
    }
}

/// Asks for the account to be deleted; the password proves it is the person, not someone at an unlocked screen.
public struct RequestErasure: Codable, Sendable, Equatable {
    /// The login key derived from the current password.
    public var loginKey: String

    /// Creates the request.
    public init(loginKey: String) {
        self.loginKey = loginKey
    }
}

/// Cancels a scheduled deletion with the token from the mailed link, without signing in.
public struct CancelErasure: Codable, Sendable, Equatable {
    /// The token from the link.
    public var token: String

    /// Creates the request.
    public init(token: String) {
        self.token = token
    }
}
