import Fluent
import Foundation
import Vapor

/// When each coach can next be booked, for the directory's cards. Scheduling knows (it sits above the directory), so
/// the App layer hands its answer in here (`Services.swift`), and the directory only asks.
struct NextFreeTimes: Sendable {
    /// The earliest free start of each coach who has one, by coach.
    let find: @Sendable (_ coaches: [UUID], _ db: any Database) async throws -> [UUID: Date]

    /// No times: the cards then leave the line out.
    static let none = NextFreeTimes { _, _ in [:] }
}

extension Application {
    private struct NextFreeTimesKey: StorageKey {
        typealias Value = NextFreeTimes
    }

    /// The coaches' next free times, as Scheduling finds them.
    var nextFreeTimes: NextFreeTimes {
        get { storage[NextFreeTimesKey.self] ?? .none }
        set { storage[NextFreeTimesKey.self] = newValue }
    }
}
