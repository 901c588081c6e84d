import LotseAPI
import Vapor

/// Turns every error into an ``APIError`` body in the requester's language.
///
/// Our own ``AppError``s and malformed input keep their meaning; anything else is logged with the request id and
/// answered `server.internal` with no details, so nothing internal leaks.
struct LotseErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            return Self.response(for: error, on: request)
        }
    }

    static func response(for error: any Error, on request: Request) -> Response {
        let appError = classify(error, on: request)
        let language = request.language
        let body = APIError(
            code: appError.code,
            message: L10n.message(appError.code, language, appError.arguments(in: language)),
            field: appError.field
        )
        var headers = appError.headers
        headers.contentType = .json
        let response = Response(status: appError.status, headers: headers)
        do {
            try response.content.encode(body, using: JSONEncoder.api)
        } catch {
            response.body = .init(string: #"{"error":{"code":"server.internal","message":"Internal error"}}"#)
        }
        return response
    }

    private static func classify(_ error: any Error, on request: Request) -> any AppError {
        switch error {
        case let appError as any AppError:
            return appError
        case let decoding as DecodingError:
            return RequestError.invalid(field: decoding.fieldPath, reason: decoding.reason)
        case let abort as any AbortError:
            switch abort.status {
            case .notFound:
                let allowed = request.application.routes.methods(matching: request.url.path)
                return allowed.isEmpty ? RequestError.notFound : RequestError.methodNotAllowed(allowed: allowed)
            case .unauthorized: return RequestError.unauthenticated
            case .forbidden: return RequestError.forbidden
            case .payloadTooLarge: return RequestError.tooLarge
            case .unsupportedMediaType: return RequestError.invalid(field: nil, reason: "unsupported content type")
            case let status where (400..<500).contains(status.code):
                return RequestError.invalid(field: nil, reason: abort.reason)
            default: break
            }
        default:
            break
        }
        request.logger.report(error: error)
        return ServerError(status: .internalServerError, code: "server.internal")
    }
}

/// An error with nothing but a status and a code.
struct ServerError: AppError {
    let status: HTTPStatus
    let code: String
}

extension Routes {
    /// The methods that some route takes at this path, for `405 Method Not Allowed` and its `Allow` header.
    func methods(matching path: String) -> [String] {
        let parts = path.split(separator: "/").map(String.init)
        let methods = all.filter { route in
            guard route.path.count == parts.count || route.path.last == .catchall else { return false }
            return zip(route.path, parts).allSatisfy { component, part in
                switch component {
                case .constant(let text): text == part
                case .parameter, .anything, .catchall: true
                }
            }
        }.map(\.method.rawValue)
        return Array(Set(methods)).sorted()
    }
}

extension DecodingError {
    /// The dotted path of the field that failed, e.g. `kdf.salt`.
    var fieldPath: String? {
        let path: [any CodingKey]
        switch self {
        case .keyNotFound(let key, let context): path = context.codingPath + [key]
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            path = context.codingPath
        @unknown default: return nil
        }
        let names = path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
        return names.isEmpty ? nil : names.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
    }

    /// A short, non-technical reason.
    var reason: String {
        switch self {
        case .keyNotFound: "missing"
        case .typeMismatch(let type, _): "not a valid \(String(describing: type).lowercased())"
        case .valueNotFound: "must not be null"
        case .dataCorrupted(let context):
            context.codingPath.isEmpty ? "not valid JSON" : "not an allowed value"
        @unknown default: "invalid"
        }
    }
}
