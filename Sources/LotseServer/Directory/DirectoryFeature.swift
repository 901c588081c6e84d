import Vapor

/// The public directory of coaches: profiles, photos, search, and its HTML pages (docs/directory.md).
struct DirectoryFeature: Feature {
    var migrations: [ShippedMigration] {
        [ShippedMigration(8, CreateDirectory())]  // #4 coaches' public profiles, photos and search terms
    }

    var texts: Texts { .directory }

    func routes(_ routes: FeatureRoutes) throws {
        try routes.api.register(collection: DirectoryController())
        try routes.root.register(collection: DirectoryPages())
    }
}
