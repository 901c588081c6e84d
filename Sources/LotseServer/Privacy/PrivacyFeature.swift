import Fluent
import LotseAPI
import Vapor

/// Privacy rights (docs/privacy.md): what the server knows about an account, exports, and retention.
struct PrivacyFeature: Feature {
    var migrations: [ShippedMigration] {
        [
            ShippedMigration(22, CreateRetention()),  // #20 retention: the day's pass and the notices sent
            ShippedMigration(24, CreateRetentionSettings()),  // #20 how long coaches keep ended engagements
            ShippedMigration(25, CreateErasure()),  // #20 deleting accounts, and restricting what must be kept
            ShippedMigration(26, CreateProgramRetention()),  // #20 how long institutions keep their ended pairs
        ]
    }

    var texts: Texts { .privacy }

    var periodicWork: [PeriodicWork] {
        [
            // Hourly, so a pass missed while the server was down comes soon after; each day's runs once.
            PeriodicWork("Deleting what expired", every: .seconds(3_600)) { app in
                let retention: Retention = app.make(on: app.db)
                try await retention.runToday()
            },
            // Hourly too: an account is erased within the hour its 30 days end; each is claimed by one instance.
            PeriodicWork("Erasing accounts whose grace period ended", every: .seconds(3_600)) { app in
                let erasure: Erasure = app.make(on: app.db)
                _ = try await erasure.runDue()
            },
        ]
    }

    func routes(_ routes: FeatureRoutes) throws {
        try routes.api.register(collection: PrivacyNoticeController())
        try routes.ready.register(collection: PrivacyController())
        try routes.api.register(collection: ErasureLinkController())
    }
}

extension Request {
    /// Privacy rights, bound to this request's database.
    var privacy: PrivacyService { application.make(on: db) }
    /// Account deletion, bound to this request's database.
    var erasure: Erasure { application.make(on: db) }
}

extension ServerKnowledge: APIContent {}
extension PrivacyNotice: APIContent {}
extension DataExport: APIContent {}
extension Consent: APIContent {}
extension RetentionSettings: APIContent {}
extension ChangeRetentionSettings: APIContent {}
extension ErasureStatus: APIContent {}
extension RequestErasure: APIContent {}
extension CancelErasure: APIContent {}
