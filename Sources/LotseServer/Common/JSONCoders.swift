import Foundation

extension JSONEncoder {
    /// How the API writes JSON: ISO 8601 dates, sorted keys for stable output. One instance for every use (encoding
    /// is safe from many threads at once; nobody changes its settings): the sockets encode each message with it.
    static let api: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}

extension JSONDecoder {
    /// How the API reads JSON: RFC 3339 dates, as browsers write them (`toISOString()` has milliseconds). One
    /// instance, as the encoder: the sockets decode every frame with it.
    static let api: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = RFC3339.date(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 date-time")
            }
            return date
        }
        return decoder
    }()
}
