import Fluent
import Foundation
import Vapor

/// What a feature adds to the server, declared in its own folder (`Messaging/MessagingFeature.swift`). `App/`
/// only lists the features (`App/Features.swift`); see docs/architecture.md, "Adding a feature".
protocol Feature: Sendable {
    /// Its migrations, each with its place in the order all migrations shipped.
    var migrations: [ShippedMigration] { get }
    /// Its error messages and mails, German and English.
    var texts: Texts { get }
    /// Mounts its routes.
    func routes(_ routes: FeatureRoutes) throws
    /// Work it does every so often while the server runs (reminders, forgetting dropped peers).
    var periodicWork: [PeriodicWork] { get }
    /// Deletes what it no longer needs (docs/accounts.md); housekeeping calls it every hour.
    func purgeExpired(on db: any Database, now: Date) async throws
}

extension Feature {
    var migrations: [ShippedMigration] { [] }
    var periodicWork: [PeriodicWork] { [] }
    func routes(_ routes: FeatureRoutes) throws {}
    func purgeExpired(on db: any Database, now: Date) async throws {}
}

/// A migration and its place in the order migrations shipped: a fresh database runs them in that order, whichever
/// feature declares them. A shipped migration is never edited; changes come as new ones with the next number.
struct ShippedMigration: Sendable {
    let order: Int
    let migration: any Migration

    init(_ order: Int, _ migration: any Migration) {
        self.order = order
        self.migration = migration
    }
}

/// Where a feature mounts its routes.
struct FeatureRoutes {
    let app: Application
    /// The site's root, for pages and feeds outside the API.
    let root: any RoutesBuilder
    /// `/api/v1`, with the session (if any) read and cross-site requests refused.
    let api: any RoutesBuilder
    /// `/api/v1` for signed-in accounts, before their second factor is set up.
    let signedIn: any RoutesBuilder
    /// `/api/v1` for signed-in accounts whose second factor is set up where their role demands it.
    let ready: any RoutesBuilder
}
