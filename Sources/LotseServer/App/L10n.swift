import LotseAPI

/// The catalogue the server answers from: every feature's ``Texts``, as the features list them.
enum L10n {
    static let catalog = Texts.joining(Features.texts)
    static var english: [String: String] { catalog.english }
    static var german: [String: String] { catalog.german }

    /// The message for `key` in `language`, with `{0}`, `{1}`… replaced by `arguments`.
    static func message(_ key: String, _ language: Language, _ arguments: [String] = []) -> String {
        catalog.message(key, language, arguments)
    }
}
