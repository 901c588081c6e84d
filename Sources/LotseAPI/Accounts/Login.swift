import Foundation

/// Asks which parameters derive the login key for an address. Unknown addresses get stable, plausible parameters.
public struct PreLogin: Codable, Sendable, Equatable {
    /// The email address.
    public var email: String

    /// Creates the request.
    public init(email: String) { self.email = email }
}

/// Signs in with an email address and the login key derived from the password.
public struct Login: Codable, Sendable, Equatable {
    /// The email address.
    public var email: String
    /// Base64 of the 32-byte login key.
    public var loginKey: String
    /// `cookie` for the web client (HttpOnly cookie plus CSRF token), `bearer` for programs (token in the body).
    public var transport: SessionTransport?

    /// Creates the request.
    public init(email: String, loginKey: String, transport: SessionTransport? = nil) {
        self.email = email
        self.loginKey = loginKey
        self.transport = transport
    }
}

/// How a session's secret travels.
public enum SessionTransport: String, Codable, Sendable {
    /// An HttpOnly cookie; unsafe requests must repeat the CSRF token in `X-CSRF-Token`.
    case cookie
    /// `Authorization: Bearer <token>`.
    case bearer
}

/// Completes a sign-in that needs a second factor.
public struct LoginSecondFactor: Codable, Sendable, Equatable {
    /// The challenge from ``LoginResult/challenge``.
    public var challenge: String
    /// A six-digit code from the authenticator app.
    public var code: String?
    /// Or one of the recovery codes, each usable once.
    public var recoveryCode: String?

    /// Creates the request.
    public init(challenge: String, code: String? = nil, recoveryCode: String? = nil) {
        self.challenge = challenge
        self.code = code
        self.recoveryCode = recoveryCode
    }
}

/// The answer to a sign-in: either a session or the request for a second factor.
public struct LoginResult: Codable, Sendable, Equatable {
    /// `signed_in` or `two_factor_required`.
    public var status: Status
    /// With `two_factor_required`: the challenge to answer within five minutes.
    public var challenge: String?
    /// With `signed_in`: the session.
    public var session: SignedInSession?

    /// What happened.
    public enum Status: String, Codable, Sendable {
        /// A session exists now.
        case signedIn = "signed_in"
        /// Answer ``challenge`` with a code.
        case twoFactorRequired = "two_factor_required"
    }

    /// Creates a result.
    public init(status: Status, challenge: String? = nil, session: SignedInSession? = nil) {
        self.status = status
        self.challenge = challenge
        self.session = session
    }
}

/// A fresh session.
public struct SignedInSession: Codable, Sendable, Equatable {
    /// The bearer token (bearer transport only; cookies never put it in a body).
    public var token: String?
    /// The CSRF token to send as `X-CSRF-Token` with cookie sessions.
    public var csrfToken: String
    /// When the session ends unless used.
    public var expiresAt: Date
    /// The account.
    public var account: Account

    /// Creates a session value.
    public init(token: String?, csrfToken: String, expiresAt: Date, account: Account) {
        self.token = token
        self.csrfToken = csrfToken
        self.expiresAt = expiresAt
        self.account = account
    }
}

/// One signed-in device, as listed in the account settings.
public struct SessionSummary: Codable, Sendable, Equatable {
    /// The session's identifier.
    public var id: UUID
    /// Whether this is the session making the request.
    public var isCurrent: Bool
    /// The browser or program, as it named itself.
    public var userAgent: String
    /// The address it signed in from.
    public var ipAddress: String
    /// When it signed in.
    public var createdAt: Date
    /// When it was last used (to the minute).
    public var lastSeenAt: Date
    /// When it ends unless used.
    public var expiresAt: Date

    /// Creates a summary.
    public init(
        id: UUID, isCurrent: Bool, userAgent: String, ipAddress: String, createdAt: Date, lastSeenAt: Date,
        expiresAt: Date
    ) {
        self.id = id
        self.isCurrent = isCurrent
        self.userAgent = userAgent
        self.ipAddress = ipAddress
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.expiresAt = expiresAt
    }
}
