import Fluent
import Foundation

/// Deletes what is no longer needed, so personal data does not outlive its purpose (DSGVO Art. 5(1)(e)): each
/// feature says what it purges (``Feature/purgeExpired(on:now:)``). Runs every hour; every instance may run it, the
/// deletes do not conflict.
struct Housekeeping {
    let db: any Database
    let now: @Sendable () -> Date

    func purgeExpired() async throws {
        let time = now()
        for feature in Features.all {
            try await feature.purgeExpired(on: db, now: time)
        }
    }
}
