import Foundation
import LotseAPI

/// Checks and trims a profile before it is stored; each refusal names the field.
enum DirectoryInput {
    nonisolated(unsafe) static let slugPattern = #/[a-z0-9](?:[a-z0-9-]{1,58})[a-z0-9]/#
    nonisolated(unsafe) static let languagePattern = #/[a-z]{2}/#
    nonisolated(unsafe) static let currencyPattern = #/[A-Z]{3}/#

    static func profile(_ input: SaveDirectoryProfile) throws -> SaveDirectoryProfile {
        var clean = input
        guard (try? slugPattern.wholeMatch(in: input.slug)) != nil else {
            throw RequestError.invalid(
                field: "slug", reason: "not 3 to 60 lower-case letters, digits and dashes, starting and ending with one"
            )
        }
        clean.headline = try text(input.headline, field: "headline", maximum: 140, allowEmpty: false)
        clean.bio = try text(input.bio, field: "bio", maximum: 5_000, allowEmpty: true, multiline: true)
        guard input.topics.count <= 12 else { throw RequestError.invalid(field: "topics", reason: "more than 12") }
        var seenTopics = Set<String>()
        clean.topics = try input.topics.map { try text($0, field: "topics", maximum: 60, allowEmpty: false) }
            .filter { seenTopics.insert($0.lowercased()).inserted }
        guard (1...10).contains(input.languages.count),
            input.languages.allSatisfy({ (try? languagePattern.wholeMatch(in: $0)) != nil })
        else {
            throw RequestError.invalid(field: "languages", reason: "not 1 to 10 two-letter ISO 639-1 codes")
        }
        var seenLanguages = Set<String>()
        clean.languages = input.languages.filter { seenLanguages.insert($0).inserted }
        guard (1...2).contains(input.formats.count) else {
            throw RequestError.invalid(field: "formats", reason: "not one or two formats")
        }
        clean.formats = SessionFormat.allCases.filter(input.formats.contains)
        clean.location = try input.location.map { try text($0, field: "location", maximum: 100, allowEmpty: true) }
        if clean.location?.isEmpty == true { clean.location = nil }
        if clean.formats.contains(.inPerson), clean.location == nil {
            throw RequestError.invalid(field: "location", reason: "missing for in-person sessions")
        }
        if let rate = input.rate { try price(rate, field: "rate") }
        try timeZone(input.timeZone, field: "timeZone")
        return clean
    }

    /// Trims text; refuses control characters (but newlines and tabs where text may have paragraphs). The length
    /// counts Unicode code points as sent, as JSON Schema's `maxLength` in openapi/lotse.yaml does.
    static func text(_ raw: String, field: String, maximum: Int, allowEmpty: Bool, multiline: Bool = false) throws
        -> String
    {
        guard raw.unicodeScalars.count <= maximum else {
            throw RequestError.invalid(field: field, reason: "longer than \(maximum) characters")
        }
        let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard allowEmpty || !value.isEmpty else { throw RequestError.invalid(field: field, reason: "empty") }
        let allowed: Set<Unicode.Scalar> = multiline ? ["\n", "\r", "\t"] : []
        guard !value.unicodeScalars.contains(where: { AccountInput.isControl($0) && !allowed.contains($0) }) else {
            throw RequestError.invalid(field: field, reason: "containing control characters")
        }
        guard !value.unicodeScalars.contains(where: AccountInput.isDeceptiveFormatting) else {
            throw RequestError.invalid(field: field, reason: "containing direction overrides or line separators")
        }
        return value
    }

    static func price(_ price: Price, field: String) throws {
        guard (0...100_000_000).contains(price.amount) else {
            throw RequestError.invalid(field: field, reason: "an amount outside 0 to 100,000,000 minor units")
        }
        guard (try? currencyPattern.wholeMatch(in: price.currency)) != nil else {
            throw RequestError.invalid(field: field, reason: "not in a three-letter ISO 4217 currency")
        }
    }

    static func timeZone(_ identifier: String, field: String) throws {
        guard identifier.count <= 64, identifier.contains("/") || identifier == "UTC",
            TimeZone(identifier: identifier) != nil
        else {
            throw RequestError.invalid(field: field, reason: "not an IANA time zone such as Europe/Berlin")
        }
    }
}
