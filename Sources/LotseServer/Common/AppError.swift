import LotseAPI
import Vapor

/// An error a feature answers with on purpose: a status, a stable code, and a message looked up in ``L10n``.
///
/// Each feature has one enum of these (`AccountsError`); ``LotseErrorMiddleware`` turns them into ``APIError`` bodies.
protocol AppError: Error {
    /// The HTTP status.
    var status: HTTPStatus { get }
    /// The stable code, e.g. `accounts.invalid_credentials`; also the key of its message in ``L10n``.
    var code: String { get }
    /// The request field at fault, if any.
    var field: String? { get }
    /// Extra headers such as `Retry-After`.
    var headers: HTTPHeaders { get }
    /// Values the localized message interpolates, in order.
    var arguments: [String] { get }
    /// The same, for errors whose values are themselves sentences in the reader's language (an import's bad rows).
    func arguments(in language: Language) -> [String]
}

extension AppError {
    var field: String? { nil }
    var headers: HTTPHeaders { [:] }
    var arguments: [String] { [] }
    func arguments(in language: Language) -> [String] { arguments }
}
