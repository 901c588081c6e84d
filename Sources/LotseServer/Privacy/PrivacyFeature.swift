import Fluent
import LotseAPI
import Vapor

/// Privacy rights (docs/privacy.md): what the server knows about an account, exports, and retention.
struct PrivacyFeature: Feature {
    var migrations: [ShippedMigration] {
        [
            ShippedMigration(22, CreateRetention()),  // #20 retention: the day's pass and the notices sent
            ShippedMigration(24, CreateRetentionSettings()),  // #20 how long coaches keep ended engagements
        ]
    }

    var texts: Texts { .privacy }

    var periodicWork: [PeriodicWork] {
        [
            // Hourly, so a pass missed while the server was down comes soon after; each day's runs once.
            PeriodicWork("Deleting what expired", every: .seconds(3_600)) { app in
                let retention: Retention = app.make(on: app.db)
                try await retention.runToday()
            }
        ]
    }

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
extension Consent: Content {}
extension RetentionSettings: Content {}
extension ChangeRetentionSettings: Content {}
