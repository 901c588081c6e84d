import Fluent
import Foundation
import LotseAPI
import SQLKit

/// Tells people what waits for them (docs/notifications.md): a line in their notification center, pushed live to
/// their open tabs, and — while no tab is open — one private mail per stretch that says only that something waits.
struct NotificationsService {
    let db: any Database
    let now: @Sendable () -> Date
    let events: EventHub
    let mailer: Mailer

    /// How many lines the center shows.
    static let listLimit = 50

    /// Records that `kind` happened in `engagement` for each of `people` (never for the actor) and tells them.
    /// `mail: false` where the step sends its own mail already (bookings carry their calendar file).
    func post(
        _ kind: NotificationKind, in engagement: UUID, by actor: UUID?, to people: [UUID], mail: Bool = true
    ) async throws {
        let recipients = Array(Set(people).subtracting(actor.map { [$0] } ?? []))
        guard !recipients.isEmpty else { return }
        var actorName: String?
        if let actor { actorName = try await UserRecord.find(actor, on: db)?.displayName }
        var offline: [UUID] = []
        for user in recipients {
            let record = try await upsert(kind, engagement: engagement, actor: actor, for: user)
            let item = record.wire(actorName: actorName)
            events.send(.notifications(unread: try await unreadCount(of: user), latest: item), to: [user])
            if mail, !events.isOnline(user) { offline.append(user) }
        }
        try await mailOnce(kind.topic, to: offline)
    }

    /// The line for this person, kind and engagement, new or moved up and unread again.
    private func upsert(_ kind: NotificationKind, engagement: UUID, actor: UUID?, for user: UUID) async throws
        -> NotificationRecord
    {
        let time = now()
        func existing() async throws -> NotificationRecord? {
            try await NotificationRecord.query(on: db).filter(\.$userID == user).filter(\.$kind == kind)
                .filter(\.$engagementID == engagement).first()
        }
        if let record = try await existing() {
            record.actorID = actor
            record.createdAt = time
            record.readAt = nil
            try await record.save(on: db)
            return record
        }
        let record = NotificationRecord(user: user, kind: kind, engagement: engagement, actor: actor, at: time)
        do {
            try await record.create(on: db)
            return record
        } catch {
            // The same step for the same person raced itself: the other one's line stands.
            guard (error as? any DatabaseError)?.isConstraintFailure == true, let raced = try await existing() else {
                throw error
            }
            return raced
        }
    }

    /// Mails those of `people` who have not muted `topic` and were not mailed since they last looked. The flag is
    /// set in one conditional statement per person, so of notifications racing each other only one mails.
    func mailOnce(_ topic: NotificationTopic, to people: [UUID]) async throws {
        guard !people.isEmpty else { return }
        let sql = db as! any SQLDatabase  // both drivers are SQL databases
        var mailed: [UUID] = []
        for user in people {
            try await sql.raw(
                """
                INSERT INTO notification_settings (user_id, muted, mailed) VALUES (\(bind: user), '', \(bind: false))
                ON CONFLICT (user_id) DO NOTHING
                """
            ).run()
            let flagged = try await sql.raw(
                """
                UPDATE notification_settings SET mailed = \(bind: true)
                WHERE user_id = \(bind: user) AND mailed = \(bind: false)
                AND (',' || muted || ',') NOT LIKE \(bind: "%," + topic.rawValue + ",%")
                RETURNING user_id
                """
            ).all()
            if !flagged.isEmpty { mailed.append(user) }
        }
        guard !mailed.isEmpty else { return }
        for user in try await UserRecord.query(on: db).filter(\.$id ~~ mailed).all() {
            mailer.send(
                "waiting", to: user.email, in: user.language,
                arguments: [user.displayName, mailer.page("/home"), mailer.page("/settings#notifications")],
                now: now())
        }
    }

    // MARK: The center

    /// The latest notifications. Looking at them ends the stretch: the next one may mail again.
    func list(for user: UUID) async throws -> NotificationList {
        try await NotificationSettingsRecord.query(on: db).filter(\.$id == user).set(\.$mailed, to: false).update()
        let records = try await NotificationRecord.query(on: db).filter(\.$userID == user)
            .sort(\.$createdAt, .descending).limit(Self.listLimit).all()
        let actors = Set(records.compactMap(\.actorID))
        let names = try await UserRecord.displayNames(of: Array(actors), on: db)
        return NotificationList(
            unread: try await unreadCount(of: user),
            items: records.map { $0.wire(actorName: $0.actorID.flatMap { names[$0] }) })
    }

    /// Marks notifications read (marking read ones again changes nothing) and tells the person's other tabs.
    func markRead(_ input: MarkNotificationsRead, for user: UUID) async throws -> NotificationList {
        var query = NotificationRecord.query(on: db).filter(\.$userID == user).filter(\.$readAt == nil)
        if let ids = input.ids {
            guard ids.count <= Self.listLimit else {
                throw RequestError.invalid(field: "ids", reason: "more than \(Self.listLimit)")
            }
            query = query.filter(\.$id ~~ ids)
        }
        if let engagement = input.engagementId { query = query.filter(\.$engagementID == engagement) }
        if let kinds = input.kinds { query = query.filter(\.$kind ~~ kinds) }
        try await query.set(\.$readAt, to: now()).update()
        let list = try await list(for: user)
        events.send(.notifications(unread: list.unread, latest: nil), to: [user])
        return list
    }

    /// Marks read what `people` have about `kinds` in `engagement`, when the step no longer waits (the coach let
    /// the client in).
    func settle(_ kinds: [NotificationKind], in engagement: UUID, for people: [UUID]) async throws {
        for user in people {
            let open = try await NotificationRecord.query(on: db).filter(\.$userID == user)
                .filter(\.$engagementID == engagement).filter(\.$kind ~~ kinds).filter(\.$readAt == nil).count()
            guard open > 0 else { continue }
            _ = try await markRead(MarkNotificationsRead(engagementId: engagement, kinds: kinds), for: user)
        }
    }

    private func unreadCount(of user: UUID) async throws -> Int {
        try await NotificationRecord.query(on: db).filter(\.$userID == user).filter(\.$readAt == nil).count()
    }

    // MARK: Settings

    func settings(of user: UUID) async throws -> NotificationSettings {
        NotificationSettings(mutedTopics: try await NotificationSettingsRecord.find(user, on: db)?.mutedTopics ?? [])
    }

    /// Replaces the muted topics; saving the same again changes nothing.
    func saveSettings(_ input: NotificationSettings, for user: UUID) async throws -> NotificationSettings {
        let muted = NotificationTopic.allCases.filter(input.mutedTopics.contains).map(\.rawValue)
            .joined(separator: ",")
        let sql = db as! any SQLDatabase
        try await sql.raw(
            """
            INSERT INTO notification_settings (user_id, muted, mailed) VALUES (\(bind: user), \(bind: muted), \(bind: false))
            ON CONFLICT (user_id) DO UPDATE SET muted = \(bind: muted)
            """
        ).run()
        return try await settings(of: user)
    }
}

extension NotificationRecord {
    func wire(actorName: String?) -> NotificationItem {
        NotificationItem(
            id: id ?? UUID(), kind: kind, engagementId: engagementID, actorName: actorName, createdAt: createdAt,
            read: readAt != nil)
    }
}
