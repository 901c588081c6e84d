import Foundation
import LotseAPI

extension Language {
    /// The best supported language for an `Accept-Language` header, honoring q-values; English when nothing matches.
    static func preferred(by header: String?) -> Language {
        guard let header else { return .en }
        var best: (Language, Double)?
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first?.lowercased() else { continue }
            let quality = pieces.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            let primary = tag.split(separator: "-").first.map(String.init) ?? tag
            guard let language = Language(rawValue: primary), quality > 0 else { continue }
            if quality > (best?.1 ?? -1) { best = (language, quality) }
        }
        return best?.0 ?? .en
    }
}
