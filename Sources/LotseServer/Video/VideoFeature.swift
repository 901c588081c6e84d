import Fluent
import Vapor

/// Video: engagements' calls (waiting room, sealed signaling) and each person's tech check (docs/video.md).
struct VideoFeature: Feature {
    var migrations: [ShippedMigration] {
        [
            ShippedMigration(11, CreateCalls()),  // #6 who is in an engagement's call and who waits
            ShippedMigration(12, CreateTechChecks()),  // #6 each person's latest tech check
        ]
    }

    var texts: Texts { .video }

    func routes(_ routes: FeatureRoutes) throws {
        try routes.ready.register(collection: VideoController())
    }

    var periodicWork: [PeriodicWork] {
        [
            PeriodicWork("Forgetting dropped call peers", every: .seconds(30)) { app in
                let calls: CallsService = app.make(on: app.db)
                try await calls.forgetGone()
            }
        ]
    }
}
