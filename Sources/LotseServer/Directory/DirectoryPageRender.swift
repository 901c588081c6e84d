import Foundation
import LotseAPI
import Vapor

/// What a directory page shows, loaded before it is drawn (``DirectoryPages``): the page is a pure function of it.
enum DirectoryPageModel {
    /// The search page: what was asked, one page of the answer, and when each coach is next free.
    case search(DirectoryService.Search, DirectoryPage, nextFree: [UUID: Date] = [:])
    /// One published coach.
    case profile(DirectoryProfile)
    /// No published coach at this address.
    case notFound
}

/// Draws the directory's pages from their model, in German or English: no database, no request, the same model
/// always gives the same bytes (Tests/Snapshots/directory/ holds what people get).
enum DirectoryPageRender {
    /// A drawn page: its status and its HTML.
    struct Rendered: Equatable {
        let status: HTTPStatus
        let html: String
    }

    /// `signedIn`: the reader has a session here, so the header leads into the app instead of to signing in.
    static func render(_ model: DirectoryPageModel, in language: LotseAPI.Language, signedIn: Bool = false) -> Rendered
    {
        let text = PageText(language: language, signedIn: signedIn)
        switch model {
        case .search(let search, let results, let nextFree): return searchPage(search, results, nextFree, text)
        case .profile(let profile): return profilePage(profile, text)
        case .notFound: return notFoundPage(text)
        }
    }

    private static func searchPage(
        _ search: DirectoryService.Search, _ page: DirectoryPage, _ nextFree: [UUID: Date], _ text: PageText
    ) -> Rendered {
        let results: HTMLNode =
            page.profiles.isEmpty
            ? .element("p", ["class": "empty"], .text(text["directory.none"]))
            : .element(
                "ul", ["class": "directory-results"],
                children: page.profiles.map { .element("li", [:], card($0, nextFree: nextFree[$0.id], text)) })
        let body: HTMLNode = .group([
            .element("h1", [:], .text(text["directory.title"])),
            .element("p", ["class": "lead"], .text(text["directory.lead"])),
            searchForm(search, text),
            .element("p", ["id": "result-count"], .text(text["directory.count", String(page.total)])),
            results,
            pager(search, total: page.total, text: text),
        ])
        return document(
            title: text["directory.title"], description: text["directory.lead"], body, text,
            otherLanguage: link(search, page: search.page, language: text.language == .de ? .en : .de))
    }

    private static func notFoundPage(_ text: PageText) -> Rendered {
        let body: HTMLNode = .group([
            .element("h1", [:], .text(text["directory.not_found"])),
            .element("p", [:], .element("a", ["href": "/coaches"], .text(text["directory.back"]))),
        ])
        return document(title: text["directory.not_found"], description: "", body, text, status: .notFound)
    }

    private static func profilePage(_ profile: DirectoryProfile, _ text: PageText) -> Rendered {
        let facts: [(String, String)] = [
            (text["directory.topics"], profile.topics.joined(separator: ", ")),
            (text["directory.languages"], profile.languages.map { text.languageName($0) }.joined(separator: ", ")),
            (text["directory.formats"], profile.formats.map { text["format." + $0.rawValue] }.joined(separator: ", ")),
            (text["directory.location"], profile.location ?? ""),
            (text["directory.rate"], profile.rate.map(text.price) ?? ""),
            (text["directory.time_zone"], profile.timeZone),
        ].filter { !$0.1.isEmpty }
        let photo: HTMLNode =
            profile.hasPhoto
            ? .element(
                "img",
                [
                    "class": "profile-photo", "src": "/api/v1/directory/coaches/\(profile.id.uuidString)/photo",
                    "alt": text["directory.photo_of", profile.displayName],
                ])
            : .empty
        let body: HTMLNode = .group([
            .element(
                "article", ["class": "card profile"],
                children: [
                    photo,
                    .element("h1", [:], .text(profile.displayName)),
                    .element("p", ["class": "lead"], .text(profile.headline)),
                    .element(
                        "dl",
                        children: facts.map {
                            .group([.element("dt", [:], .text($0.0)), .element("dd", [:], .text($0.1))])
                        }
                    ),
                ]
                    + profile.bio.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map {
                        .element("p", [:], .text($0))
                    }
                    + [
                        .element(
                            "p", [:],
                            .element(
                                "a",
                                ["class": "button", "id": "inquire", "href": "/inquire/\(profile.id.uuidString)"],
                                .text(text["directory.inquire"]))),
                        .element("p", ["class": "hint"], .text(text["directory.inquire_hint"])),
                    ]),
            .element(
                "p", [:],
                .element("a", ["href": "/coaches?lang=\(text.language.rawValue)"], .text(text["directory.back"]))),
        ])
        return document(
            title: profile.displayName, description: profile.headline, body, text,
            otherLanguage: "/coaches/\(profile.slug)?lang=\(text.language == .de ? "en" : "de")")
    }

    /// A result: photo, name, headline, topics and formats, then languages, rate and the next free time.
    private static func card(_ profile: DirectoryProfile, nextFree: Date?, _ text: PageText) -> HTMLNode {
        let facts: [HTMLNode] = [
            .element(
                "li", [:],
                .text(text["directory.speaks", profile.languages.map { text.languageName($0) }.joined(separator: ", ")])
            ),
            profile.rate.map { .element("li", [:], .text(text.price($0))) },
            nextFree.map { date in
                .element(
                    "li", ["class": "next-free"],
                    .element(
                        "time", ["datetime": ISO8601DateFormatter().string(from: date)],
                        .text(text["directory.next_free", text.moment(date, in: profile.timeZone)])))
            },
        ].compactMap { $0 }
        // The name beside it says whose face it is: the picture is decoration to a screen reader.
        let photo: HTMLNode =
            profile.hasPhoto
            ? .element(
                "img",
                [
                    "class": "card-photo", "alt": "", "loading": "lazy", "width": "72", "height": "72",
                    "src": "/api/v1/directory/coaches/\(profile.id.uuidString)/photo",
                ])
            : .element("span", ["class": "card-photo initials", "aria-hidden": "true"], .text(initials(profile)))
        return .element(
            "article", ["class": "card directory-card"],
            photo,
            .element(
                "div", ["class": "card-body"],
                .element(
                    "h2", [:],
                    .element(
                        "a", ["href": "/coaches/\(profile.slug)?lang=\(text.language.rawValue)"],
                        .text(profile.displayName))),
                .element("p", [:], .text(profile.headline)),
                .element(
                    "p", ["class": "meta"],
                    .text(
                        [
                            profile.topics.joined(separator: " · "),
                            profile.formats.map { text["format." + $0.rawValue] }.joined(separator: ", "),
                            profile.location ?? "",
                        ].filter { !$0.isEmpty }.joined(separator: " — "))),
                .element("ul", ["class": "card-facts"], children: facts)))
    }

    /// "AB" for Anna Becker, for a card without a photo.
    private static func initials(_ profile: DirectoryProfile) -> String {
        let words = profile.displayName.split(separator: " ").filter {
            $0.first?.isLetter == true && !$0.hasSuffix(".")
        }
        return String((words.first?.prefix(1) ?? "") + (words.count > 1 ? words.last!.prefix(1) : "")).uppercased()
    }

    private static func searchForm(_ search: DirectoryService.Search, _ text: PageText) -> HTMLNode {
        func option(_ value: String, _ label: String, selected: Bool) -> HTMLNode {
            .element("option", ["value": value, "selected": selected ? "" : nil], .text(label))
        }
        return .element(
            "form", ["class": "directory-search", "action": "/coaches", "method": "get"],
            .element("input", ["type": "hidden", "name": "lang", "value": text.language.rawValue]),
            // Each label sits above its own control, so the row of fields lines up at any width.
            field(
                "q", text["directory.query"],
                .element("input", ["type": "search", "id": "q", "name": "q", "value": search.text])),
            field(
                "topic", text["directory.topic"],
                .element("input", ["type": "text", "id": "topic", "name": "topic", "value": search.topic ?? ""])),
            field(
                "language", text["directory.language"],
                .element(
                    "select", ["id": "language", "name": "language"],
                    children: [option("", text["directory.any"], selected: search.language == nil)]
                        + ["de", "en", "fr", "es", "it", "tr"].map {
                            option($0, text.languageName($0), selected: search.language == $0)
                        })),
            field(
                "format", text["directory.format"],
                .element(
                    "select", ["id": "format", "name": "format"],
                    children: [option("", text["directory.any"], selected: search.format == nil)]
                        + SessionFormat.allCases.map {
                            option($0.rawValue, text["format." + $0.rawValue], selected: search.format == $0)
                        })),
            .element("button", ["type": "submit", "class": "primary"], .text(text["directory.search"])))
    }

    private static func field(_ id: String, _ label: String, _ control: HTMLNode) -> HTMLNode {
        .element("div", ["class": "field"], .element("label", ["for": id], .text(label)), control)
    }

    private static func pager(_ search: DirectoryService.Search, total: Int, text: PageText) -> HTMLNode {
        let pages = max(1, (total + search.limit - 1) / search.limit)
        guard pages > 1 else { return .empty }
        return .element(
            "nav", ["class": "pager", "aria-label": text["directory.pages"]],
            search.page > 1
                ? .element(
                    "a", ["rel": "prev", "href": link(search, page: search.page - 1, language: text.language)],
                    .text(text["directory.previous"])) : .empty,
            .element("span", [:], .text(text["directory.page", String(search.page), String(pages)])),
            search.page < pages
                ? .element(
                    "a", ["rel": "next", "href": link(search, page: search.page + 1, language: text.language)],
                    .text(text["directory.next"])) : .empty)
    }

    /// The search page's address for the same search on another page or in another language.
    private static func link(_ search: DirectoryService.Search, page: Int, language: LotseAPI.Language) -> String {
        var components = URLComponents()
        components.path = "/coaches"
        components.queryItems = [
            URLQueryItem(name: "lang", value: language.rawValue),
            URLQueryItem(name: "q", value: search.text),
            URLQueryItem(name: "topic", value: search.topic ?? ""),
            URLQueryItem(name: "language", value: search.language ?? ""),
            URLQueryItem(name: "format", value: search.format?.rawValue ?? ""),
            URLQueryItem(name: "page", value: String(page)),
        ]
        return components.string ?? "/coaches"
    }

    private static func document(
        title: String, description: String, _ content: HTMLNode, _ text: PageText,
        status: HTTPStatus = .ok, otherLanguage: String = "/coaches"
    ) -> Rendered {
        let other = text.language == .de ? "en" : "de"
        let html: HTMLNode = .element(
            "html", ["lang": text.language.rawValue],
            .element(
                "head", [:],
                .element("meta", ["charset": "utf-8"]),
                .element("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"]),
                .element("meta", ["name": "description", "content": description]),
                .element("title", [:], .text(title + " · Lotse")),
                .element("link", ["rel": "stylesheet", "href": "/css/app.css", "type": "text/css"])),
            .element(
                "body", [:],
                .element(
                    "header", ["class": "topbar"],
                    .element("a", ["class": "brand", "href": "/"], .text("Lotse")),
                    .element(
                        "nav", ["aria-label": text["nav.main"]],
                        .element(
                            "a", ["href": "/coaches?lang=\(text.language.rawValue)"], .text(text["directory.title"])),
                        text.signedIn
                            ? .element("a", ["href": "/home"], .text(text["nav.open_app"]))
                            : .element("a", ["href": "/login"], .text(text["nav.login"])),
                        .element(
                            "a", ["href": otherLanguage, "lang": other],
                            .text(text.language == .de ? "English" : "Deutsch")))),
                .element("main", ["id": "main"], content)))
        return Rendered(status: status, html: HTMLNode.document(html))
    }
}
