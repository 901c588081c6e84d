import Vapor

/// The public directory of coaches: profiles, photos, search, and its HTML pages (docs/directory.md).
struct DirectoryFeature: Feature {
    var migrations: [ShippedMigration] {
        [
            ShippedMigration(8, CreateDirectory()),  // #4 coaches' public profiles, photos and search terms
            ShippedMigration(16, ReindexDirectory()),  // #18 search terms with German and English synonyms
            ShippedMigration(28, CreateDirectoryChanges()),  // #21 the log that keeps every search index current
        ]
    }

    var texts: Texts { .directory }

    func routes(_ routes: FeatureRoutes) throws {
        try routes.api.register(collection: DirectoryController())
        // Pages read the session (if any) only to offer a signed-in reader the way into the app.
        try routes.root.grouped(SessionAuthenticator()).register(collection: DirectoryPages())
    }
}
