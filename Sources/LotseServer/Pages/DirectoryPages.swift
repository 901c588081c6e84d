import Foundation
import LotseAPI
import Plot
import Vapor

/// The directory's public pages, rendered on the server so search engines and people without the app read them:
/// `/coaches` (search with filters) and `/coaches/{slug}` (one profile, with the way to send an inquiry).
struct DirectoryPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("coaches", use: list)
        routes.get("coaches", ":slug", use: profile)
    }

    /// The search page.
    @Sendable func list(req: Request) async throws -> Response {
        let language = req.pageLanguage
        // A page is lenient where the API is strict: a bad filter or page number falls back to its default.
        var search = (try? req.directorySearch()) ?? DirectoryService.Search()
        search.limit = 20
        search.page = min(max(search.page, 1), 10_000)
        let page = try await req.directory.search(search)
        let text = PageText(language: language)
        let results: Node<HTML.BodyContext> =
            page.profiles.isEmpty
            ? .p(.class("empty"), .text(text["directory.none"]))
            : .ul(.class("directory-results"), .forEach(page.profiles) { .li(Self.card($0, text)) })
        let body: Node<HTML.BodyContext> = .group(
            .h1(.text(text["directory.title"])),
            .p(.class("lead"), .text(text["directory.lead"])),
            Self.searchForm(search, text),
            .p(.id("result-count"), .text(text["directory.count", String(page.total)])),
            results,
            Self.pager(search, total: page.total, text: text))
        return Self.render(
            title: text["directory.title"], description: text["directory.lead"], body, text,
            otherLanguage: Self.link(search, page: search.page, language: text.language == .de ? .en : .de))
    }

    /// One coach's page.
    @Sendable func profile(req: Request) async throws -> Response {
        let text = PageText(language: req.pageLanguage)
        let profile: DirectoryProfile
        do {
            profile = try await req.directory.published(slug: req.parameters.get("slug") ?? "")
        } catch DirectoryError.profileNotFound {
            let body: Node<HTML.BodyContext> = .group(
                .h1(.text(text["directory.not_found"])), .p(.a(.href("/coaches"), .text(text["directory.back"]))))
            return Self.render(title: text["directory.not_found"], description: "", body, text, status: .notFound)
        }
        let facts: [(String, String)] = [
            (text["directory.topics"], profile.topics.joined(separator: ", ")),
            (text["directory.languages"], profile.languages.map { text.languageName($0) }.joined(separator: ", ")),
            (text["directory.formats"], profile.formats.map { text["format." + $0.rawValue] }.joined(separator: ", ")),
            (text["directory.location"], profile.location ?? ""),
            (text["directory.rate"], profile.rate.map(text.price) ?? ""),
            (text["directory.time_zone"], profile.timeZone),
        ].filter { !$0.1.isEmpty }
        let body: Node<HTML.BodyContext> = .group(
            .article(
                .class("card profile"),
                .if(
                    profile.hasPhoto,
                    .img(
                        .class("profile-photo"), .src("/api/v1/directory/coaches/\(profile.id.uuidString)/photo"),
                        .alt(text["directory.photo_of", profile.displayName]))),
                .h1(.text(profile.displayName)),
                .p(.class("lead"), .text(profile.headline)),
                .dl(.forEach(facts) { fact in .group(.dt(.text(fact.0)), .dd(.text(fact.1))) }),
                .forEach(profile.bio.components(separatedBy: "\n\n").filter { !$0.isEmpty }) { .p(.text($0)) },
                .p(
                    .a(
                        .class("button"), .id("inquire"), .href("/inquire/\(profile.id.uuidString)"),
                        .text(text["directory.inquire"]))),
                .p(.class("hint"), .text(text["directory.inquire_hint"]))),
            .p(.a(.href("/coaches?lang=\(text.language.rawValue)"), .text(text["directory.back"]))))
        return Self.render(
            title: profile.displayName, description: profile.headline, body, text,
            otherLanguage: "/coaches/\(profile.slug)?lang=\(text.language == .de ? "en" : "de")")
    }

    private static func card(_ profile: DirectoryProfile, _ text: PageText) -> Node<HTML.BodyContext> {
        .article(
            .class("card directory-card"),
            .h2(.a(.href("/coaches/\(profile.slug)?lang=\(text.language.rawValue)"), .text(profile.displayName))),
            .p(.text(profile.headline)),
            .p(
                .class("meta"),
                .text(
                    [
                        profile.topics.joined(separator: " · "),
                        profile.formats.map { text["format." + $0.rawValue] }.joined(separator: ", "),
                        profile.location ?? "",
                    ].filter { !$0.isEmpty }.joined(separator: " — "))))
    }

    private static func searchForm(_ search: DirectoryService.Search, _ text: PageText) -> Node<HTML.BodyContext> {
        .form(
            .class("directory-search"), .action("/coaches"), .method(.get),
            .input(.type(.hidden), .name("lang"), .value(text.language.rawValue)),
            .label(.for("q"), .text(text["directory.query"])),
            .input(.type(.search), .id("q"), .name("q"), .value(search.text)),
            .label(.for("topic"), .text(text["directory.topic"])),
            .input(.type(.text), .id("topic"), .name("topic"), .value(search.topic ?? "")),
            .label(.for("language"), .text(text["directory.language"])),
            .select(
                .id("language"), .attribute(named: "name", value: "language"),
                .option(.value(""), .label(text["directory.any"]), .isSelected(search.language == nil)),
                .forEach(["de", "en", "fr", "es", "it", "tr"]) { code in
                    .option(.value(code), .label(text.languageName(code)), .isSelected(search.language == code))
                }),
            .label(.for("format"), .text(text["directory.format"])),
            .select(
                .id("format"), .attribute(named: "name", value: "format"),
                .option(.value(""), .label(text["directory.any"]), .isSelected(search.format == nil)),
                .forEach(SessionFormat.allCases) { format in
                    .option(
                        .value(format.rawValue), .label(text["format." + format.rawValue]),
                        .isSelected(search.format == format))
                }),
            .button(.type(.submit), .text(text["directory.search"])))
    }

    private static func pager(_ search: DirectoryService.Search, total: Int, text: PageText) -> Node<HTML.BodyContext> {
        let pages = max(1, (total + search.limit - 1) / search.limit)
        guard pages > 1 else { return .empty }
        return .nav(
            .class("pager"), .ariaLabel(text["directory.pages"]),
            .if(
                search.page > 1,
                .a(
                    .rel(.prev), .href(link(search, page: search.page - 1, language: text.language)),
                    .text(text["directory.previous"]))),
            .span(.text(text["directory.page", String(search.page), String(pages)])),
            .if(
                search.page < pages,
                .a(
                    .rel(.next), .href(link(search, page: search.page + 1, language: text.language)),
                    .text(text["directory.next"]))))
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

    private static func render(
        title: String, description: String, _ content: Node<HTML.BodyContext>, _ text: PageText,
        status: HTTPStatus = .ok, otherLanguage: String = "/coaches"
    ) -> Response {
        let html = HTML(
            .lang(text.language == .de ? .german : .english),
            .head(
                .meta(.charset(.utf8)),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                .meta(.name("description"), .content(description)),
                .title(title + " · Lotse"),
                .stylesheet("/css/app.css")),
            .body(
                .header(
                    .class("topbar"),
                    .a(.class("brand"), .href("/"), .text("Lotse")),
                    .nav(
                        .ariaLabel(text["nav.main"]),
                        .a(.href("/coaches?lang=\(text.language.rawValue)"), .text(text["directory.title"])),
                        .a(.href("/login"), .text(text["nav.login"])),
                        .a(
                            .href(otherLanguage),
                            .attribute(named: "lang", value: text.language == .de ? "en" : "de"),
                            .text(text.language == .de ? "English" : "Deutsch")))),
                .main(.id("main"), content)))
        var headers = HTTPHeaders()
        headers.contentType = .html
        headers.replaceOrAdd(name: .contentLanguage, value: text.language.rawValue)
        return Response(status: status, headers: headers, body: .init(string: "<!doctype html>" + html.render()))
    }
}

extension Request {
    /// German or English: `?lang=` first, then the browser's `Accept-Language` (as every answer reads it).
    var pageLanguage: LotseAPI.Language {
        if let chosen = try? query.get(String.self, at: "lang"), let language = LotseAPI.Language(rawValue: chosen) {
            return language
        }
        return LotseAPI.Language.preferred(by: headers.first(name: .acceptLanguage))
    }
}
