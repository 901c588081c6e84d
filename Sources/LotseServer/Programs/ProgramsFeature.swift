import Fluent
import Vapor

/// Programs: institutions run mentoring programs — staff, registration, matching, pairs that work as engagements,
/// and reports that never show what anyone wrote (docs/programs.md).
struct ProgramsFeature: Feature {
    var migrations: [ShippedMigration] {
        [
            ShippedMigration(17, CreatePrograms()),  // #19 institutions, staff, programs, participants
            ShippedMigration(18, AddPairWork()),  // #19 the pairs' template, check-in reminders
        ]
    }

    var texts: Texts { .programs }

    func routes(_ routes: FeatureRoutes) throws {
        try routes.api.register(collection: ProgramsController.Public())
        try routes.signedIn.register(collection: ProgramsController.SignedIn())
        try routes.ready.register(collection: ProgramsController())
    }

    var periodicWork: [PeriodicWork] {
        [
            PeriodicWork(
                "Expiring unanswered match requests, matching automatic programs, reminding quiet pairs, completing "
                    + "pairs whose time is over", every: .seconds(60)
            ) { app in
                let programs: ProgramsService = app.make(on: app.db)
                try await programs.expireUnanswered()
                try await programs.warnExpiringRequests()
                try await programs.matchAutomatically()
                try await programs.remindQuietPairs()
                try await programs.completeEndedPairs()
            }
        ]
    }

    /// Staff invitations past their expiry, accepted or not.
    func purgeExpired(on db: any Database, now time: Date) async throws {
        try await StaffInvitationRecord.query(on: db).filter(\.$expiresAt <= time).delete()
    }
}

extension Request {
    /// Institutions and programs, bound to this request's database.
    var programs: ProgramsService { application.make(on: db) }
}
