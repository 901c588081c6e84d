import NIOConcurrencyHelpers
import Vapor

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
