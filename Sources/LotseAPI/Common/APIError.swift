/// The body of every error the API answers with: `{"error":{"code":"accounts.email_unverified","message":"…"}}`.
///
/// `code` is stable and meant for programs; `message` is a sentence in the requester's language, meant for people.
public struct APIError: Codable, Sendable, Equatable, Error {
    /// The error itself.
    public struct Body: Codable, Sendable, Equatable {
        /// A stable, dotted identifier such as `accounts.invalid_credentials`.
        public var code: String
        /// A sentence a person understands, in German or English.
        public var message: String
        /// The request field that was wrong, when one was.
        public var field: String?

        /// Creates an error body.
        public init(code: String, message: String, field: String? = nil) {
            self.code = code
            self.message = message
            self.field = field
        }
    }

    /// The error itself.
    public var error: Body

    /// Creates an error with a code, a message and optionally the offending field.
    public init(code: String, message: String, field: String? = nil) {
        self.error = Body(code: code, message: message, field: field)
    }
}
