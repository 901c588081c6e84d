import Vapor

/// Errors that belong to no feature: malformed requests, missing authentication, unknown routes.
enum RequestError: AppError {
    /// The body or a parameter is malformed; `field` names it and `reason` says how.
    case invalid(field: String?, reason: String)
    /// The request needs a signed-in session.
    case unauthenticated
    /// The signed-in account may not do this.
    case forbidden
    /// Nothing lives at this address.
    case notFound
    /// A cookie session sent an unsafe request without the right `X-CSRF-Token`, or from another origin.
    case csrfRejected
    /// Too many requests from one address.
    case rateLimited(retryAfter: Int)
    /// The body is larger than the server accepts.
    case tooLarge
    /// The address exists, but not for this method; `allowed` lists the ones it takes.
    case methodNotAllowed(allowed: [String])

    var status: HTTPStatus {
        switch self {
        case .invalid: .badRequest
        case .unauthenticated: .unauthorized
        case .forbidden, .csrfRejected: .forbidden
        case .notFound: .notFound
        case .rateLimited: .tooManyRequests
        case .tooLarge: .payloadTooLarge
        case .methodNotAllowed: .methodNotAllowed
        }
    }

    var code: String {
        switch self {
        case .invalid: "request.invalid"
        case .unauthenticated: "auth.required"
        case .forbidden: "auth.forbidden"
        case .notFound: "request.not_found"
        case .csrfRejected: "auth.csrf_rejected"
        case .rateLimited: "request.rate_limited"
        case .tooLarge: "request.too_large"
        case .methodNotAllowed: "request.method_not_allowed"
        }
    }

    var field: String? {
        if case .invalid(let field, _) = self { return field }
        return nil
    }

    var arguments: [String] {
        switch self {
        case .invalid(let field, let reason): [field ?? "body", reason]
        case .rateLimited(let seconds): [String(seconds)]
        default: []
        }
    }

    var headers: HTTPHeaders {
        switch self {
        case .rateLimited(let seconds): ["Retry-After": String(seconds)]
        case .methodNotAllowed(let allowed): ["Allow": allowed.joined(separator: ", ")]
        default: [:]
        }
    }
}
