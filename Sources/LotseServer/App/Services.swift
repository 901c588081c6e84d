import Fluent
import Foundation
import Vapor

/// Builds every service, here and nowhere else (as hummingbird-examples' `App+build.swift`): each feature's
/// service on a database, with the collaborators it shares with the others. Features reach theirs through a
/// request accessor in their own folder (`req.messaging`), which asks ``Application/make(on:)``. Stores that only
/// wrap a database (`KeyStore`, `EngagementMembership`, `Throttle`) are made where they are used, on the database at
/// hand — a transaction's, often — not here.
enum Services {
    static func provide(
        on app: Application, context: LotseContext, messageTransactions: any BatchTransactions
    ) throws {
        let now = context.now
        let events = context.events
        let mailer = context.mailer
        let hasher = try LoginKeyHasher(
            cost: context.config.bcryptCost, threadPool: BlockingThreads.forHashing(on: app))
        let log = MessageLog(transactions: messageTransactions)
        let callSockets = CallSockets()
        let limits = AccountsService.limits(context.config)
        let attachmentLimit = context.config.attachmentLimit
        let sessionCache = app.sessionCache

        let audit = { @Sendable (db: any Database) in AuditLog(db: db, now: now, signer: context.auditSigner) }
        let accounts = { @Sendable (db: any Database) in
            AccountsService(
                db: db, now: now, secrets: context.secrets, mailer: mailer, hasher: hasher, audit: audit(db),
                sessionCache: sessionCache, limits: limits,
                vouchesForSignUp: { code in try await ProgramRecord.vouchesForSignUp(code: code, on: db) })
        }
        let notifications = { @Sendable (db: any Database) in
            NotificationsService(db: db, now: now, events: events, mailer: mailer)
        }
        let messaging = { @Sendable (db: any Database) in
            MessagingService(
                db: db, now: now, events: events, log: log, mailer: mailer, attachmentLimit: attachmentLimit)
        }
        let directoryIndex = app.directoryIndex
        let directory = { @Sendable (db: any Database) in DirectoryService(db: db, now: now, index: directoryIndex) }
        let engagements = { @Sendable (db: any Database) in
            EngagementsService(
                db: db, now: now, events: events, messaging: messaging(db), directory: directory(db),
                notifications: notifications(db))
        }
        let scheduling = { @Sendable (db: any Database) in
            SchedulingService(
                db: db, now: now, events: events, mailer: mailer, notifications: notifications(db))
        }
        app.provide(audit)
        app.provide { db in PrivacyService(db: db, now: now, accounts: accounts(db), audit: audit(db)) }
        app.provide { db in Retention(db: db, now: now, mailer: mailer) }
        let restrictedKinds = app.restrictedKinds
        app.provide { db in
            Erasure(
                db: db, now: now, mailer: mailer, audit: audit(db), hasher: hasher, events: events,
                sessionCache: sessionCache, notifications: notifications(db), kinds: restrictedKinds.all)
        }
        app.provide(accounts)
        app.provide(notifications)
        app.provide(messaging)
        app.provide(directory)
        app.provide(engagements)
        app.provide { db in CoachLibrary(db: db, now: now) }
        app.provide(scheduling)
        app.nextFreeTimes = NextFreeTimes { coaches, db in try await scheduling(db).nextFreeStarts(of: coaches) }
        app.provide { db in Reminders(scheduling: scheduling(db)) }
        app.provide { db in
            CallsService(
                db: db, now: now, events: events, membership: EngagementMembership(db: db), sockets: callSockets,
                notifications: notifications(db))
        }
        app.provide { db in TechChecks(db: db, now: now, membership: EngagementMembership(db: db)) }
        app.provide { db in
            ProgramsService(
                db: db, now: now, mailer: mailer, engagements: engagements(db), scheduling: scheduling(db),
                notifications: notifications(db), audit: audit(db))
        }
    }
}
