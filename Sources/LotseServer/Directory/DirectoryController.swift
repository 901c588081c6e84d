import Fluent
import LotseAPI
import Vapor

/// The public directory: `/api/v1/directory/coaches` for everyone, `/api/v1/directory/profile` for the coach.
struct DirectoryController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let coaches = routes.grouped("directory", "coaches")
        coaches.get(use: search)
        coaches.get(":profileID", use: show)
        coaches.get(":profileID", "photo", use: photo)
        coaches.grouped(RequireUser(), RequireTwoFactorReady()).get(":profileID", "keys", use: keys)
        let own = routes.grouped("directory", "profile").grouped(RequireUser(), RequireTwoFactorReady())
        own.get(use: ownProfile)
        own.put(use: save)
        own.on(.PUT, "photo", body: .collect(maxSize: .init(value: DirectoryService.photoLimit + 1)), use: setPhoto)
        own.delete("photo", use: deletePhoto)
    }

    /// Published profiles matching `q` (German or English words) and the filters.
    @Sendable func search(req: Request) async throws -> DirectoryPage {
        try await req.directory.search(req.directorySearch())
    }

    /// One published profile.
    @Sendable func show(req: Request) async throws -> DirectoryProfile {
        try await req.directory.published(id: req.uuid("profileID"))
    }

    /// A published profile's photo.
    @Sendable func photo(req: Request) async throws -> Response {
        let (data, type) = try await req.directory.photo(of: req.uuid("profileID"))
        return Response(
            status: .ok, headers: ["Content-Type": type, "Cache-Control": "public, max-age=300"],
            body: .init(data: data))
    }

    /// The coach's public keys, to seal an inquiry for them.
    @Sendable func keys(req: Request) async throws -> PublicKeys {
        let profile = try await req.directory.published(id: req.uuid("profileID"))
        guard let keys = try await AccountKeysRecord.find(profile.id, on: req.db) else {
            throw KeysError.personNotFound
        }
        return PublicKeys(
            userId: profile.id, displayName: profile.displayName, agreementKey: keys.agreementKey,
            signingKey: keys.signingKey)
    }

    /// The coach's own profile, published or not.
    @Sendable func ownProfile(req: Request) async throws -> DirectoryProfile {
        try await req.directory.ownProfile(of: req.currentUser().user)
    }

    /// Creates (201) or replaces (200) the coach's profile.
    @Sendable func save(req: Request) async throws -> Response {
        let (profile, isNew) = try await req.directory.save(
            req.content.decode(SaveDirectoryProfile.self), for: req.currentUser().user)
        return try await profile.encodeResponse(status: isNew ? .created : .ok, for: req)
    }

    /// Sets the photo (PNG, JPEG or WebP, at most 2 MiB).
    @Sendable func setPhoto(req: Request) async throws -> HTTPStatus {
        let data = Data(req.body.data?.readableBytesView ?? ByteBuffer().readableBytesView)
        try await req.directory.setPhoto(data, for: req.currentUser().user)
        return .noContent
    }

    /// Removes the photo.
    @Sendable func deletePhoto(req: Request) async throws -> HTTPStatus {
        try await req.directory.deletePhoto(for: req.currentUser().user)
        return .noContent
    }
}

extension Request {
    /// The directory rules, bound to this request's database.
    var directory: DirectoryService { application.make(on: db) }

    /// The search the query string asks for; a bad value is `request.invalid` naming it.
    func directorySearch() throws -> DirectoryService.Search {
        var search = DirectoryService.Search()
        search.text = String((try query.get(String?.self, at: "q") ?? "").prefix(200))
        search.topic = try query.get(String?.self, at: "topic").flatMap { $0.isEmpty ? nil : $0 }
        search.language = try query.get(String?.self, at: "language").flatMap { $0.isEmpty ? nil : $0 }
        if let format = try query.get(String?.self, at: "format"), !format.isEmpty {
            guard let value = SessionFormat(rawValue: format) else {
                throw RequestError.invalid(field: "format", reason: "not online or in_person")
            }
            search.format = value
        }
        search.page = try query.get(Int?.self, at: "page") ?? 1
        search.limit = try query.get(Int?.self, at: "limit") ?? 20
        return search
    }
}
