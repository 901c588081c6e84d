import Foundation

/// Full-text search over German and English profiles, the same on SQLite and PostgreSQL: both sides of a match —
/// a profile's text when it is saved, a query when it is asked — become the same terms. See docs/directory.md.
///
/// A term is a word folded to lower case without diacritics (`Führung`, `Fuehrung` and `fuhrung` are one word),
/// then stripped of the commonest German and English inflections (`Führungskräfte` → `fuhrungskraft`,
/// `coaching` → `coach`). A query term matches every indexed term it is a prefix of, so `führ` finds
/// `Führungskräfte` and German compounds are found by their first part: a profile's index holds every prefix.
enum DirectorySearch {
    /// The terms of a text: each word once.
    static func terms(_ text: String) -> Set<String> {
        Set(words(text).map(stem))
    }

    /// A query's terms in the order typed, each once.
    static func queryTerms(_ text: String) -> [String] {
        var seen = Set<String>()
        return words(text).map(stem).filter { seen.insert($0).inserted }.prefix(8).map { $0 }
    }

    /// Every prefix of two or more characters of each term: what makes `führ` find `fuhrungskraft` with an exact,
    /// indexed lookup instead of `LIKE 'fuhr%'`, which neither SQLite (case-insensitive `LIKE`) nor PostgreSQL (outside
    /// the C collation) answers from an index.
    static func prefixes(_ terms: Set<String>) -> Set<String> {
        var prefixes = Set<String>()
        for term in terms {
            var prefix = ""
            for character in term {
                prefix.append(character)
                if prefix.count >= 2 { prefixes.insert(prefix) }
            }
        }
        return prefixes
    }

    /// Exact-match terms for the filters: `t:` topic, `l:` language, `f:` format.
    static func tag(_ prefix: String, _ value: String) -> String {
        prefix + ":" + fold(value).filter { $0.isLetter || $0.isNumber || $0 == " " }
    }

    static func words(_ text: String) -> [String] {
        fold(text).split { !($0.isLetter || $0.isNumber) }.map(String.init).filter { $0.count >= 2 }
    }

    /// Lower case, German umlauts and ß spelled out the same way whether typed or transliterated, other diacritics
    /// removed.
    static func fold(_ text: String) -> String {
        var folded = text.lowercased()
            .replacingOccurrences(of: "ß", with: "ss")
            .folding(options: [.diacriticInsensitive, .widthInsensitive], locale: Locale(identifier: "en"))
        for (spelled, plain) in [("ae", "a"), ("oe", "o"), ("ue", "u")] {
            folded = folded.replacingOccurrences(of: spelled, with: plain)
        }
        return folded
    }

    /// A profile's terms with the German and English words for the same coaching topics, so "Karriere" finds
    /// "Career change" and "leadership" finds "Führungskräfte": a term that starts with one word of a group brings
    /// every word of it. Added where profiles are indexed; queries stay as typed.
    static func withSynonyms(_ terms: Set<String>) -> Set<String> {
        var expanded = terms
        // Short stems ("job") must match a whole term; longer ones also begin one ("fuhrung" in "fuhrungskraft").
        func matches(_ term: String, _ stem: String) -> Bool {
            term == stem || (stem.count >= 5 && term.hasPrefix(stem))
        }
        for group in synonymStems where terms.contains(where: { term in group.contains { matches(term, $0) } }) {
            expanded.formUnion(group)
        }
        return expanded
    }

    /// Coaching topics in German and English, a group each (docs/directory.md, "Synonyms").
    static let synonyms: [[String]] = [
        ["career", "karriere", "laufbahn", "beruf", "job"],
        ["leadership", "führung", "führungskraft", "leitung", "management"],
        ["stress", "burnout", "belastung", "erschöpfung", "resilience", "resilienz"],
        ["change", "wandel", "veränderung", "transition", "neuorientierung", "umbruch"],
        ["communication", "kommunikation", "gesprächsführung"],
        ["conflict", "konflikt", "mediation"],
        ["team", "teamentwicklung", "zusammenarbeit", "collaboration"],
        ["health", "gesundheit", "wellbeing", "wohlbefinden"],
        ["relationship", "beziehung", "partnerschaft", "couple", "paar"],
        ["parenting", "eltern", "erziehung", "family", "familie"],
        ["onboarding", "einarbeitung", "berufseinstieg"],
        ["confidence", "selbstvertrauen", "selbstbewusstsein", "self-esteem", "selbstwert"],
        ["zeitmanagement", "productivity", "produktivität", "selbstorganisation"],
        ["negotiation", "verhandlung"],
        ["study", "studium", "university", "hochschule", "student"],
        ["founding", "gründung", "startup", "entrepreneur", "unternehmer", "selbstständigkeit"],
        ["grief", "trauer", "loss", "verlust"],
        ["anxiety", "angst", "ängste", "fear"],
        ["mindfulness", "achtsamkeit", "meditation"],
        ["vereinbarkeit", "balance"],
        ["presentation", "präsentation", "rhetorik", "auftreten"],
        ["application", "bewerbung", "interview", "vorstellungsgespräch"],
        ["retirement", "ruhestand", "rente"],
        ["sales", "vertrieb", "verkauf"],
    ]

    /// Each group as the stems its words index as.
    static let synonymStems: [Set<String>] = synonyms.map { group in Set(group.map { stem(fold($0)) }) }

    /// Suffixes stripped from words long enough to keep a stem of four letters, longest first.
    private static let suffixes = [
        "ungen", "heiten", "keiten", "ung", "heit", "keit", "isch", "lich", "ing", "ness", "ment", "ern", "en",
        "er", "es", "ed", "em", "e", "s", "n",
    ]

    static func stem(_ word: String) -> String {
        guard word.allSatisfy(\.isLetter) else { return word }
        for suffix in suffixes where word.count - suffix.count >= 4 && word.hasSuffix(suffix) {
            return String(word.dropLast(suffix.count))
        }
        return word
    }
}
