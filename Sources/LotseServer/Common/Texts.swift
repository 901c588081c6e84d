import Foundation
import LotseAPI

/// A table of the server's own sentences in German and English: error messages and mails. Each feature keeps its
/// table in its folder (`Texts.accounts`); `App/L10n.swift` joins them into the catalogue the server answers from.
/// The web client has its own catalogues in `Public/i18n/`.
struct Texts: Sendable {
    let english: [String: String]
    let german: [String: String]

    /// The message for `key` in `language`, with `{0}`, `{1}`… replaced by `arguments`; the English one if the
    /// language has none, the key itself if neither has.
    func message(_ key: String, _ language: Language, _ arguments: [String] = []) -> String {
        let table = language == .de ? german : english
        var text = table[key] ?? english[key] ?? key
        for (index, argument) in arguments.enumerated() {
            text = text.replacingOccurrences(of: "{\(index)}", with: argument)
        }
        return text
    }

    /// Several tables as one; a key in two of them is a mistake the catalogue test catches.
    static func joining(_ tables: [Texts]) -> Texts {
        Texts(
            english: tables.reduce(into: [:]) { $0.merge($1.english) { first, _ in first } },
            german: tables.reduce(into: [:]) { $0.merge($1.german) { first, _ in first } })
    }
}
