import LotseAPI
import Vapor

/// The notification center: `/notifications` (the latest, and marking them read) and its mail `/settings`.
struct NotificationsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let notifications = routes.grouped("notifications")
        notifications.get(use: list)
        notifications.post("read", use: markRead)
        notifications.get("settings", use: settings)
        notifications.put("settings", use: saveSettings)
    }

    /// The latest notifications, newest first, with the unread count.
    @Sendable func list(req: Request) async throws -> NotificationList {
        try await req.notifications.list(for: req.userID())
    }

    /// Marks the listed notifications, an engagement's, or all of them read.
    @Sendable func markRead(req: Request) async throws -> NotificationList {
        try await req.notifications.markRead(req.content.decode(MarkNotificationsRead.self), for: req.userID())
    }

    /// The topics the account gets no mail about.
    @Sendable func settings(req: Request) async throws -> NotificationSettings {
        try await req.notifications.settings(of: req.userID())
    }

    /// Replaces the topics the account gets no mail about.
    @Sendable func saveSettings(req: Request) async throws -> NotificationSettings {
        try await req.notifications.saveSettings(req.content.decode(NotificationSettings.self), for: req.userID())
    }
}
