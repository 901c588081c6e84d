import Foundation
import SQLiteNIO

/// Transactions that read and then write can meet another writer: SQLite answers "database is locked" when two of
/// them upgrade to writing at once (waiting would deadlock, so it does not wait). Such work is simply done again.
enum WriteConflict {
    /// Whether the database refused the work for a concurrent writer, so that trying again will do.
    static func isTransient(_ error: any Error) -> Bool {
        guard let sqlite = error as? SQLiteError else { return false }
        switch sqlite.reason {
        case .busy, .locked: return true
        default: return false
        }
    }

    /// Runs `work`, and again (up to eight times, after a random pause that grows with each try, under two seconds in
    /// all) while it meets a concurrent writer.
    static func retrying<T>(_ work: () async throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await work()
            } catch  where attempt < 8 && isTransient(error) {
                attempt += 1
                try await Task.sleep(for: .milliseconds(Int.random(in: 10...(50 * attempt))))
            }
        }
    }
}
