/// How a browser turns a password into its login key (see docs/accounts.md).
///
/// The password never leaves the browser: it runs PBKDF2-SHA256 with these parameters and sends only the login key,
/// a separate HKDF output; the wrap key derived beside it stays in the browser.
public struct KDFParameters: Codable, Sendable, Equatable {
    /// The only algorithm so far: `pbkdf2-sha256`.
    public var algorithm: String
    /// PBKDF2 iterations; at least ``minimumIterations``.
    public var iterations: Int
    /// The per-account salt, base64 (16 to 64 bytes).
    public var salt: String

    /// The algorithm name every account uses today.
    public static let pbkdf2SHA256 = "pbkdf2-sha256"
    /// OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256.
    public static let minimumIterations = 600_000

    /// Creates parameters.
    public init(
        algorithm: String = KDFParameters.pbkdf2SHA256, iterations: Int = KDFParameters.minimumIterations, salt: String
    ) {
        self.algorithm = algorithm
        self.iterations = iterations
        self.salt = salt
    }
}
