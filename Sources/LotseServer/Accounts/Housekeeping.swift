import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// Deletes what is no longer needed, so personal data does not outlive its purpose (DSGVO Art. 5(1)(e)): ended
/// sessions with their IP addresses, spent or expired links and challenges, old rate-limit counters, and sign-ups
/// never confirmed within a week, and attachments uploaded a day ago that no message ever referred to. Every instance
/// may run it; the deletes do not conflict.
struct Housekeeping {
    let db: any Database
    let now: @Sendable () -> Date

    /// How long an unconfirmed sign-up is kept: the 48-hour link, then time to ask for a new one.
    static let unverifiedLifetime: TimeInterval = 7 * 86_400
    /// The longest window of any ``Throttle/Policy``.
    static let throttleHorizon: TimeInterval = 60 * 60
    /// How long an uploaded attachment waits for the message that refers to it (an abandoned upload).
    static let unclaimedAttachmentLifetime: TimeInterval = 86_400

    func purgeExpired() async throws {
        let time = now()
        try await AuthSessionRecord.query(on: db).filter(\.$expiresAt <= time).delete()
        try await AccountTokenRecord.query(on: db).filter(\.$expiresAt <= time).delete()
        try await UserRecord.query(on: db).filter(\.$emailVerifiedAt == nil)
            .filter(\.$createdAt <= time.addingTimeInterval(-Self.unverifiedLifetime)).delete()
        try await AttachmentRecord.query(on: db).filter(\.$messageID == nil)
            .filter(\.$createdAt <= time.addingTimeInterval(-Self.unclaimedAttachmentLifetime)).delete()
        let horizon = time.timeIntervalSince1970 - Self.throttleHorizon
        try await (db as! any SQLDatabase)
            .raw("DELETE FROM throttles WHERE window_started_at <= \(bind: horizon)").run()
    }
}

/// Runs a piece of work at start-up and then every `interval` while the server serves (housekeeping, reminders);
/// a failure is logged and the next round tries again.
struct PeriodicWork: LifecycleHandler {
    let name: String
    let interval: Duration
    let work: @Sendable (Application) async throws -> Void
    let task = NIOLockedValueBox<Task<Void, Never>?>(nil)

    init(_ name: String, every interval: Duration, _ work: @escaping @Sendable (Application) async throws -> Void) {
        self.name = name
        self.interval = interval
        self.work = work
    }

    func didBootAsync(_ application: Application) async throws {
        let logger = application.logger
        task.withLockedValue { task in
            task = Task { [application, name, interval, work] in
                while !Task.isCancelled {
                    do {
                        try await work(application)
                    } catch {
                        logger.error("\(name) failed: \(String(describing: error))")
                    }
                    try? await Task.sleep(for: interval)
                }
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        task.withLockedValue { $0?.cancel() }
    }
}
