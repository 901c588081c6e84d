import LotseAPI
import Vapor

// The wire types live in LotseAPI (Foundation only, shared with a future Swift SDK); here the server's become HTTP
// content.
extension APIError: APIContent {}
extension Accepted: APIContent {}

/// A wire type the API answers with, as JSON (#21). Vapor answers any `Content` by making an empty response, finding
/// the encoder in the content configuration, setting the content type on headers it keeps behind a lock (a copy of
/// them all) and copying the encoder's bytes into a buffer that grows; an `APIContent` answer is made at once from
/// the API's encoder, with the same status, headers and bytes.
protocol APIContent: Content {}

extension APIContent {
    public func encodeResponse(for request: Request) async throws -> Response {
        try JSONAnswer.response(self)
    }

    public func encodeResponse(for request: Request) -> EventLoopFuture<Response> {
        request.eventLoop.makeCompletedFuture { try JSONAnswer.response(self) }
    }
}

/// How the API's JSON answers are made.
enum JSONAnswer {
    static let headers: HTTPHeaders = ["Content-Type": "application/json; charset=utf-8"]

    /// `200 OK` with the value as the API's encoder writes it.
    static func response(_ value: some Encodable) throws -> Response {
        response(encoded: try encoded(value))
    }

    /// `200 OK` with JSON encoded before, for answers that never change.
    static func response(encoded body: ByteBuffer) -> Response {
        Response(status: .ok, headers: headers, body: .init(buffer: body))
    }

    /// The value as the API's encoder writes it.
    static func encoded(_ value: some Encodable) throws -> ByteBuffer {
        ByteBuffer(bytes: try JSONEncoder.api.encode(value))
    }
}
