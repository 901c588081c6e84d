import Fluent
import Foundation
import LotseAPI
import Vapor

/// The directory's public pages, rendered on the server so search engines and people without the app read them:
/// `/coaches` (search with filters) and `/coaches/{slug}` (one profile, with the way to send an inquiry). Each
/// handler loads a ``DirectoryPageModel``; ``DirectoryPageRender`` draws it.
struct DirectoryPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("coaches", use: list)
        routes.get("coaches", ":slug", use: profile)
    }

    /// The search page.
    @Sendable func list(req: Request) async throws -> Response {
        // A page is lenient where the API is strict: a bad filter or page number falls back to its default.
        var search = (try? req.directorySearch()) ?? DirectoryService.Search()
        search.limit = 20
        search.page = min(max(search.page, 1), 10_000)
        let page = try await req.directory.search(search)
        let nextFree = try await req.application.nextFreeTimes.find(page.profiles.map(\.id), req.db)
        return Self.response(.search(search, page, nextFree: nextFree), req)
    }

    /// One coach's page.
    @Sendable func profile(req: Request) async throws -> Response {
        do {
            let profile = try await req.directory.published(slug: req.parameters.get("slug") ?? "")
            return Self.response(.profile(profile), req)
        } catch DirectoryError.profileNotFound {
            return Self.response(.notFound, req)
        }
    }

    private static func response(_ model: DirectoryPageModel, _ req: Request) -> Response {
        let language = req.pageLanguage
        let page = DirectoryPageRender.render(model, in: language, signedIn: req.auth.has(CurrentUser.self))
        var headers = HTTPHeaders()
        headers.contentType = .html
        headers.replaceOrAdd(name: .contentLanguage, value: language.rawValue)
        return Response(status: page.status, headers: headers, body: .init(string: page.html))
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
