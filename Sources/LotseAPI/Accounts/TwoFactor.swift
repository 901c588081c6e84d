/// A new TOTP secret, not active until confirmed with a code.
public struct TwoFactorSetup: Codable, Sendable, Equatable {
    /// The secret in base32, for typing into an authenticator app.
    public var secret: String
    /// The `otpauth://totp/…` URI for apps that open links or read QR codes.
    public var otpauthURI: String

    /// Creates the value.
    public init(secret: String, otpauthURI: String) {
        self.secret = secret
        self.otpauthURI = otpauthURI
    }
}

/// A code from the authenticator app, proving the person holds the second factor.
public struct TwoFactorCode: Codable, Sendable, Equatable {
    /// Six digits.
    public var code: String

    /// Creates the value.
    public init(code: String) { self.code = code }
}

/// Fresh recovery codes, shown once; each signs in once when the authenticator is lost.
public struct RecoveryCodes: Codable, Sendable, Equatable {
    /// The codes, formatted `xxxx-xxxx-xxxx`.
    public var codes: [String]

    /// Creates the value.
    public init(codes: [String]) { self.codes = codes }
}
