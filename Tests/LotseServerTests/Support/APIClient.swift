import Crypto
import Fluent
import Foundation
import LotseAPI
import LotseCrypto
import NIOConcurrencyHelpers
import NIOCore
import Testing
import Vapor
import VaporTesting

/// A decoded API response.
struct APIResponse: Sendable {
    let status: HTTPStatus
    let headers: HTTPHeaders
    let body: Data

    func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(T.self, from: body)
    }

    /// The error body's code, when the response is an error.
    var errorCode: String? { (try? decode(APIError.self))?.error.code }
    /// The error body's field, when the response is an error about one.
    var field: String? { (try? decode(APIError.self))?.error.field }
    var text: String { String(decoding: body, as: UTF8.self) }
}

extension TestContext {
    /// Sends a request with an optional JSON body through the in-memory tester.
    @discardableResult
    func send(
        _ method: HTTPMethod, _ path: String, json: (any Encodable)? = nil, token: String? = nil,
        headers extra: HTTPHeaders = [:]
    ) async throws -> APIResponse {
        var headers = extra
        if let token { headers.bearerAuthorization = BearerAuthorization(token: token) }
        var body: ByteBuffer?
        if let json {
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            body = ByteBuffer(bytes: try encoder.encode(json))
            headers.contentType = .json
        }
        let response = try await app.testing().sendRequest(method, path, headers: headers, body: body)
        return APIResponse(
            status: response.status, headers: response.headers, body: Data(response.body.readableBytesView))
    }

    /// Registers, verifies through the mailed link, and signs in with a bearer token; returns the token.
    func signUp(
        _ email: String, password: String = "correct horse battery staple", role: Role = .client,
        language: Language = .en
    ) async throws -> String {
        let credentials = TestCredentials(password: password)
        let registered = try await send(
            .POST, "api/v1/auth/register",
            json: RegisterAccount(
                email: email, displayName: "Person " + email, role: role,
                language: language, kdf: credentials.kdf, loginKey: credentials.loginKey))
        #expect(registered.status == .accepted)
        let mail = try await smtp.linkMessage(to: email)
        let token = try #require(mail.linkToken)
        #expect(try await send(.POST, "api/v1/auth/verify-email", json: VerifyEmail(token: token)).status == .ok)
        return try await signIn(email, credentials: credentials)
    }

    /// Signs in (no second factor) and returns the bearer token.
    func signIn(_ email: String, credentials: TestCredentials = TestCredentials()) async throws -> String {
        let response = try await send(
            .POST, "api/v1/auth/login", json: Login(email: email, loginKey: credentials.loginKey))
        #expect(response.status == .ok, "\(response.text)")
        let result = try response.decode(LoginResult.self)
        return try #require(result.session?.token)
    }
}

/// A login key derived as the browser derives it, with a per-test salt. Derivation at 600,000 iterations is real
/// and takes a moment, so tests reuse one cached pair per password.
struct TestCredentials: Sendable {
    let kdf: KDFParameters
    let loginKey: String

    init(password: String = "correct horse battery staple") {
        let salt = Data(SHA256.hash(data: Data(password.utf8)).prefix(16))
        kdf = KDFParameters(salt: salt.base64EncodedString())
        loginKey = TestCredentials.cache.withLockedValue { cache in
            if let cached = cache[password] { return cached }
            let key =
                (try? PasswordKeys(password: password, salt: salt, iterations: KDFParameters.minimumIterations))?
                .loginKeyBase64 ?? ""
            cache[password] = key
            return key
        }
    }

    private static let cache = NIOLockedValueBox<[String: String]>([:])
}
