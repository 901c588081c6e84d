import Fluent
import Foundation
import LotseAPI
import SQLKit

/// The public directory of coaches: profiles they publish, and search over them. See docs/directory.md.
struct DirectoryService {
    let db: any Database
    let now: @Sendable () -> Date
    /// The search index in memory; without it (migrations, and tests of the database's way) searches ask the database.
    var index: DirectoryIndex?
    /// Whether writing terms logs the profile for the instances' indexes: not in migrations older than the log.
    var logsChanges = true

    static let pageLimit = 50
    static let photoLimit = 2 * 1_048_576

    /// The coach's own profile, published or not.
    func ownProfile(of user: UserRecord) async throws -> DirectoryProfile {
        guard let record = try await DirectoryProfileRecord.find(user.requireID(), on: db) else {
            throw DirectoryError.profileNotFound
        }
        return try record.wire(displayName: user.displayName)
    }

    /// Creates or replaces the coach's profile and its search terms.
    func save(_ input: SaveDirectoryProfile, for user: UserRecord) async throws -> (DirectoryProfile, isNew: Bool) {
        guard user.role == .coach else { throw DirectoryError.coachesOnly }
        let clean = try DirectoryInput.profile(input)
        let id = try user.requireID()
        if let taken = try await DirectoryProfileRecord.query(on: db).filter(\.$slug == clean.slug).first(),
            taken.id != id
        {
            throw DirectoryError.slugTaken
        }
        let existing = try await DirectoryProfileRecord.find(id, on: db)
        let record = existing ?? DirectoryProfileRecord()
        record.id = id
        record.slug = clean.slug
        record.headline = clean.headline
        record.bio = clean.bio
        record.topics = JSONText.encode(clean.topics)
        record.languages = JSONText.encode(clean.languages)
        record.formats = JSONText.encode(clean.formats)
        record.location = clean.location
        record.rate = clean.rate.map(JSONText.encode)
        record.timeZone = clean.timeZone
        record.isPublished = clean.isPublished
        record.updatedAt = now()
        let terms = Self.terms(of: clean, displayName: user.displayName)
        do {
            try await db.transaction { db in
                try await record.save(on: db)
                try await replaceTerms(of: id, with: terms, on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw DirectoryError.slugTaken  // another coach took the slug at the same moment
        }
        return (try record.wire(displayName: user.displayName), existing == nil)
    }

    /// Keeps the search terms in step when the coach renames the account.
    func reindex(_ user: UserRecord) async throws {
        try await reindex(user.requireID(), displayName: user.displayName)
    }

    func reindex(_ id: UUID, displayName: String) async throws {
        guard let record = try await DirectoryProfileRecord.find(id, on: db) else { return }
        let profile = try record.wire(displayName: displayName)
        let terms = Self.terms(
            of: SaveDirectoryProfile(
                slug: profile.slug, headline: profile.headline, bio: profile.bio, topics: profile.topics,
                languages: profile.languages, formats: profile.formats, location: profile.location, rate: profile.rate,
                timeZone: profile.timeZone, isPublished: profile.isPublished), displayName: displayName)
        try await db.transaction { db in try await replaceTerms(of: id, with: terms, on: db) }
    }

    private func replaceTerms(of id: UUID, with terms: [String: Bool], on db: any Database) async throws {
        try await DirectoryTermRecord.query(on: db).filter(\.$profileID == id).delete()
        try await terms.sorted { $0.key < $1.key }
            .map { DirectoryTermRecord(profile: id, term: $0.key, isProminent: $0.value) }.create(on: db)
        guard logsChanges else { return }
        // The profile's row may not change (a new name only changes terms): the log hears of it here too, and keeps
        // its last entries only (an index further behind loads everything again).
        let sql = db as! any SQLDatabase
        try await sql.raw("INSERT INTO directory_changes (profile_id) VALUES (\(bind: id))").run()
        try await sql.raw(
            """
            DELETE FROM directory_changes
            WHERE seq <= (SELECT MAX(seq) FROM directory_changes) - \(bind: DirectoryIndex.logLength)
            """
        ).run()
    }

    /// Stores the profile photo (PNG, JPEG or WebP, at most 2 MiB).
    func setPhoto(_ data: Data, for user: UserRecord) async throws {
        guard let record = try await DirectoryProfileRecord.find(user.requireID(), on: db) else {
            throw DirectoryError.profileNotFound
        }
        guard data.count <= Self.photoLimit else { throw DirectoryError.photoTooLarge }
        guard let type = ImageType(sniffing: data) else { throw DirectoryError.photoType }
        let photo = try await DirectoryPhotoRecord.find(record.requireID(), on: db) ?? DirectoryPhotoRecord()
        photo.id = try record.requireID()
        photo.data = data
        record.photoType = type.rawValue
        record.updatedAt = now()
        try await db.transaction { db in
            try await photo.save(on: db)
            try await record.save(on: db)
        }
    }

    /// Removes the photo.
    func deletePhoto(for user: UserRecord) async throws {
        guard let record = try await DirectoryProfileRecord.find(user.requireID(), on: db) else {
            throw DirectoryError.profileNotFound
        }
        record.photoType = nil
        record.updatedAt = now()
        try await db.transaction { db in
            try await DirectoryPhotoRecord.query(on: db).filter(\.$id == record.requireID()).delete()
            try await record.save(on: db)
        }
    }

    /// A published profile's photo and its media type.
    func photo(of id: UUID) async throws -> (Data, String) {
        guard let record = try await DirectoryProfileRecord.find(id, on: db), record.isPublished,
            let type = record.photoType, let photo = try await DirectoryPhotoRecord.find(id, on: db)
        else { throw DirectoryError.profileNotFound }
        return (photo.data, type)
    }

    /// A published profile by ID or slug.
    func published(id: UUID? = nil, slug: String? = nil) async throws -> DirectoryProfile {
        let query = DirectoryProfileRecord.query(on: db).filter(\.$isPublished == true)
        if let id { query.filter(\.$id == id) }
        if let slug { query.filter(\.$slug == slug) }
        guard id != nil || slug != nil, let record = try await query.first() else {
            throw DirectoryError.profileNotFound
        }
        let names = try await UserRecord.displayNames(of: [record.requireID()], on: db)
        return try record.wire(displayName: names[record.requireID()] ?? "")
    }

    /// What a search asks for; every part is optional.
    struct Search {
        var text = ""
        var topic: String?
        var language: String?
        var format: SessionFormat?
        var page = 1
        var limit = 20
    }

    /// Published profiles that match every query word (by prefix) and every filter; the ones whose name, headline or
    /// topics carry more of the query's words first, then the most recently updated. The index in memory ranks and
    /// pages (``DirectoryIndex``), or the database while the index loads; whole profiles are loaded only for the page
    /// answered. bench/directory.sh measures it.
    func search(_ search: Search) async throws -> DirectoryPage {
        guard (1...Self.pageLimit).contains(search.limit) else {
            throw RequestError.invalid(field: "limit", reason: "not between 1 and \(Self.pageLimit)")
        }
        guard (1...10_000).contains(search.page) else {
            throw RequestError.invalid(field: "page", reason: "not between 1 and 10000")
        }
        let terms = DirectorySearch.queryTerms(search.text)
        let tags = [
            search.topic.map { DirectorySearch.tag("t", $0) },
            search.language.map { DirectorySearch.tag("l", $0) },
            search.format.map { DirectorySearch.tag("f", $0.rawValue) },
        ].compactMap { $0 }
        let offset = (search.page - 1) * search.limit
        if let index, try await index.prepare(on: db) {
            let (profiles, total) = index.search(terms: terms, tags: tags, offset: offset, limit: search.limit)
            return DirectoryPage(profiles: profiles, total: total)
        }
        let (page, total) = try await searchDatabase(terms: terms, tags: tags, offset: offset, limit: search.limit)
        guard !page.isEmpty else { return DirectoryPage(profiles: [], total: total) }
        let records = Dictionary(
            uniqueKeysWithValues: try await DirectoryProfileRecord.query(on: db).filter(\.$id ~~ page).all()
                .map { (try $0.requireID(), $0) })
        let names = try await UserRecord.displayNames(of: page, on: db)
        let profiles = try page.compactMap { id in try records[id]?.wire(displayName: names[id] ?? "") }
        return DirectoryPage(profiles: profiles, total: total)
    }

    /// The search the database answers, the same as the index's: one statement for the page, one for the count, each
    /// an index lookup per profile and condition.
    private func searchDatabase(terms: [String], tags: [String], offset: Int, limit: Int) async throws -> (
        page: [UUID], total: Int
    ) {
        func hasTerm(_ comparison: SQLQueryString, prominent: Bool = false) -> SQLQueryString {
            let only: SQLQueryString = prominent ? " AND t.is_prominent = \(true)" : ""
            return "EXISTS (SELECT 1 FROM directory_terms t WHERE t.profile_id = p.user_id" + only + " AND "
                + comparison
                + ")"
        }
        var conditions: [SQLQueryString] = ["p.is_published = \(true)"]
        for tag in tags {
            conditions.append(hasTerm("t.term = \(bind: tag)"))
        }
        var score: [SQLQueryString] = []
        for term in terms {
            // Every prefix of every word is indexed, so a prefix match is an exact lookup on both databases.
            let prefix: SQLQueryString = "t.term = \(bind: term)"
            conditions.append(hasTerm(prefix))
            score.append("CASE WHEN " + hasTerm(prefix, prominent: true) + " THEN 1 ELSE 0 END")
        }
        let matching = "FROM directory_profiles p WHERE " + conditions.joined(separator: " AND ")
        let sql = db as! any SQLDatabase
        let total = try await sql.raw("SELECT COUNT(*) AS total " + matching).first()?.decode(
            column: "total", as: Int.self)
        let ranking: SQLQueryString = score.isEmpty ? "0" : score.joined(separator: " + ")
        let page = try await sql.raw(
            "SELECT p.user_id AS id, " + ranking + " AS score " + matching
                + " ORDER BY score DESC, p.updated_at DESC, p.user_id"
                + " LIMIT \(literal: limit) OFFSET \(literal: offset)"
        ).all().map { try $0.decode(column: "id", as: UUID.self) }
        return (page, total ?? 0)
    }

    /// What a profile is found by: every prefix of its words' terms, and whether it is prominent (in the name,
    /// headline or topics rather than only in the about text or place); the filters' tags.
    private static func terms(of profile: SaveDirectoryProfile, displayName: String) -> [String: Bool] {
        let prominent = DirectorySearch.prefixes(
            DirectorySearch.withSynonyms(
                DirectorySearch.terms(([displayName, profile.headline] + profile.topics).joined(separator: " "))))
        var terms = Dictionary(
            uniqueKeysWithValues: DirectorySearch.prefixes(
                DirectorySearch.terms([profile.bio, profile.location ?? ""].joined(separator: " "))
            ).map { ($0, false) })
        for term in prominent { terms[term] = true }
        for tag in profile.topics.map({ DirectorySearch.tag("t", $0) })
            + profile.languages.map({ DirectorySearch.tag("l", $0) })
            + profile.formats.map({ DirectorySearch.tag("f", $0.rawValue) })
        {
            terms[tag] = false
        }
        return terms
    }
}

/// The image formats a profile photo may have, told by their first bytes rather than by what the upload claims.
enum ImageType: String {
    case png = "image/png"
    case jpeg = "image/jpeg"
    case webp = "image/webp"

    init?(sniffing data: Data) {
        let bytes = [UInt8](data.prefix(12))
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = .png
        } else if bytes.starts(with: [0xFF, 0xD8, 0xFF]) {
            self = .jpeg
        } else if bytes.count == 12, bytes.starts(with: Array("RIFF".utf8)), bytes[8...].elementsEqual("WEBP".utf8) {
            self = .webp
        } else {
            return nil
        }
    }
}

extension DirectoryProfileRecord {
    func wire(displayName: String) throws -> DirectoryProfile {
        DirectoryProfile(
            id: try requireID(), slug: slug, displayName: displayName, headline: headline, bio: bio,
            topics: try JSONText.decode([String].self, topics),
            languages: try JSONText.decode([String].self, languages),
            formats: try JSONText.decode([SessionFormat].self, formats), location: location,
            rate: try rate.map { try JSONText.decode(Price.self, $0) }, timeZone: timeZone, hasPhoto: photoType != nil,
            isPublished: isPublished, updatedAt: updatedAt)
    }
}
