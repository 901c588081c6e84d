import Foundation
import LotseAPI

/// The sentences of the server-rendered pages, German and English, for one reader.
struct PageText {
    let language: LotseAPI.Language
    /// The reader has a session: the header leads into the app instead of to signing in.
    var signedIn = false

    subscript(key: String, arguments: String...) -> String {
        var text = (language == .de ? Self.german : Self.english)[key] ?? Self.english[key] ?? key
        for (index, argument) in arguments.enumerated() {
            text = text.replacingOccurrences(of: "{\(index)}", with: argument)
        }
        return text
    }

    func languageName(_ code: String) -> String {
        Locale(identifier: language.rawValue).localizedString(forLanguageCode: code) ?? code
    }

    func price(_ price: Price) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .currency
        formatter.currencyCode = price.currency
        formatter.locale = Locale(identifier: language == .de ? "de_DE" : "en_GB")
        let amount = formatter.string(from: NSNumber(value: Double(price.amount) / 100)) ?? "\(price.amount)"
        return self["price.per_" + price.per.rawValue, amount]
    }

    /// "Tue 8 Dec, 10:00 (Europe/Berlin)": a moment in the coach's zone, as the reader's language writes it.
    func moment(_ date: Date, in zone: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: language == .de ? "de_DE" : "en_GB")
        formatter.timeZone = TimeZone(identifier: zone) ?? .gmt
        formatter.setLocalizedDateFormatFromTemplate("EEEdMMMHHmm")
        return "\(formatter.string(from: date)) (\(zone.replacingOccurrences(of: "_", with: " ")))"
    }

    static let english: [String: String] = [
        "nav.main": "Main",
        "nav.login": "Sign in",
        "nav.open_app": "Open Lotse",
        "directory.title": "Find a coach or mentor",
        "directory.lead":
            "Coaches, counselors and mentors who work online or in person. Everything you write to them is end-to-end encrypted.",
        "directory.query": "Search",
        "directory.topic": "Topic",
        "directory.language": "Language",
        "directory.format": "Format",
        "directory.any": "Any",
        "directory.search": "Search",
        "directory.count": "{0} found",
        "directory.none": "No one matches this search yet. Try fewer or other words.",
        "directory.pages": "Pages",
        "directory.page": "Page {0} of {1}",
        "directory.previous": "Previous",
        "directory.next": "Next",
        "directory.topics": "Topics",
        "directory.languages": "Languages",
        "directory.formats": "Formats",
        "directory.location": "Location",
        "directory.rate": "Rate",
        "directory.time_zone": "Time zone",
        "directory.photo_of": "Photo of {0}",
        "directory.next_free": "Next free time: {0}",
        "directory.speaks": "Speaks {0}",
        "directory.inquire": "Send an inquiry",
        "directory.inquire_hint":
            "Your inquiry is encrypted in your browser; only you and this coach can read it. You may use a pseudonym.",
        "directory.back": "Back to the directory",
        "directory.not_found": "This profile does not exist or is no longer public.",
        "format.online": "Online",
        "format.in_person": "In person",
        "price.per_session": "{0} per session",
        "price.per_hour": "{0} per hour",
        "price.per_engagement": "{0} in all",
    ]

    static let german: [String: String] = [
        "nav.main": "Hauptmenü",
        "nav.login": "Anmelden",
        "nav.open_app": "Zu Lotse",
        "directory.title": "Coach, Mentorin oder Mentor finden",
        "directory.lead":
            "Coaches, Beraterinnen und Berater, Mentorinnen und Mentoren, online oder vor Ort. Alles, was Sie ihnen schreiben, ist Ende-zu-Ende-verschlüsselt.",
        "directory.query": "Suche",
        "directory.topic": "Thema",
        "directory.language": "Sprache",
        "directory.format": "Format",
        "directory.any": "Beliebig",
        "directory.search": "Suchen",
        "directory.count": "{0} gefunden",
        "directory.none": "Zu dieser Suche gibt es noch niemanden. Versuchen Sie weniger oder andere Wörter.",
        "directory.pages": "Seiten",
        "directory.page": "Seite {0} von {1}",
        "directory.previous": "Zurück",
        "directory.next": "Weiter",
        "directory.topics": "Themen",
        "directory.languages": "Sprachen",
        "directory.formats": "Formate",
        "directory.location": "Ort",
        "directory.rate": "Honorar",
        "directory.time_zone": "Zeitzone",
        "directory.photo_of": "Foto von {0}",
        "directory.next_free": "Nächster freier Termin: {0}",
        "directory.speaks": "Spricht {0}",
        "directory.inquire": "Anfrage senden",
        "directory.inquire_hint":
            "Ihre Anfrage wird in Ihrem Browser verschlüsselt; nur Sie und dieser Coach können sie lesen. Ein Pseudonym ist möglich.",
        "directory.back": "Zurück zum Verzeichnis",
        "directory.not_found": "Dieses Profil gibt es nicht oder es ist nicht mehr öffentlich.",
        "format.online": "Online",
        "format.in_person": "Vor Ort",
        "price.per_session": "{0} pro Sitzung",
        "price.per_hour": "{0} pro Stunde",
        "price.per_engagement": "{0} insgesamt",
    ]
}
