import Fluent
import Vapor

/// The tamper-evident audit log (docs/privacy.md, "Audit log"): accounts, programs and, later, privacy requests
/// record security-relevant events in it; every ten minutes the chain's end is signed.
struct AuditFeature: Feature {
    var migrations: [ShippedMigration] {
        [
            ShippedMigration(20, CreateAuditLog()),  // #20 the audit log and its signed checkpoints
            ShippedMigration(21, AddAuditOnceKey()),  // #20 exports recorded once however often they are retried
        ]
    }

    var texts: Texts { .audit }

    func routes(_ routes: FeatureRoutes) throws {}

    var periodicWork: [PeriodicWork] {
        [
            PeriodicWork("Signing the audit log's end", every: .seconds(600)) { app in
                let audit: AuditLog = app.make(on: app.db)
                try await audit.checkpoint()
            }
        ]
    }
}

extension Request {
    /// The audit log, bound to this request's database.
    var audit: AuditLog { application.make(on: db) }
}
