import Fluent
import Vapor

/// Notifications: what waits for each person, in their notification center, live over the socket and in one
/// private mail while they are away (docs/notifications.md). Engagements, scheduling, video and programs post them.
struct NotificationsFeature: Feature {
    var migrations: [ShippedMigration] {
        [
            ShippedMigration(15, CreateNotifications()),  // #18 the notification center and its mail settings
            ShippedMigration(19, LoosenNotificationSubject()),  // #19 lines about a match, before its engagement
        ]
    }

    var texts: Texts { .notifications }

    func routes(_ routes: FeatureRoutes) throws {
        try routes.ready.register(collection: NotificationsController())
    }
}

extension Request {
    /// The notification center, bound to this request's database.
    var notifications: NotificationsService { application.make(on: db) }
}
