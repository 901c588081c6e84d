import Fluent
import Vapor

/// Scheduling: availability, session types, bookings and series, calendar feeds and reminders (docs/scheduling.md).
struct SchedulingFeature: Feature {
    var migrations: [ShippedMigration] {
        // #5 availability, session types, bookings, claims, series, reminders
        [ShippedMigration(10, CreateScheduling())]
    }

    var texts: Texts { .scheduling }

    func routes(_ routes: FeatureRoutes) throws {
        try routes.ready.register(collection: SchedulingController())
        try routes.root.register(collection: CalendarFeedController())
    }

    var periodicWork: [PeriodicWork] {
        [
            PeriodicWork("Sending reminders", every: .seconds(60)) { app in
                let reminders: Reminders = app.make(on: app.db)
                try await reminders.sendDue()
            }
        ]
    }
}
