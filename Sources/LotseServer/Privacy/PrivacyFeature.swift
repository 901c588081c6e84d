import Fluent
import LotseAPI
import Vapor

/// Privacy rights (docs/privacy.md): so far, what the server knows about an account, as its own download.
struct PrivacyFeature: Feature {
    var migrations: [ShippedMigration] { [] }

    var texts: Texts { Texts(english: [:], german: [:]) }

    func routes(_ routes: FeatureRoutes) throws {
        try routes.api.register(collection: PrivacyNoticeController())
        try routes.ready.register(collection: PrivacyController())
    }
}

extension Request {
    /// Privacy rights, bound to this request's database.
    var privacy: PrivacyService { application.make(on: db) }
}

extension ServerKnowledge: Content {}
extension PrivacyNotice: Content {}
extension DataExport: Content {}
