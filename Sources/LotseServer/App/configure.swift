import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import NIOConcurrencyHelpers
import NIOSSL
import SQLKit
import Vapor

/// Configures the application: database and migrations, HTTP(S), middleware, mail, routes.
///
/// - Parameter clock: the time source; tests pass a fixed one.
public func configure(
    _ app: Application, _ config: AppConfig, clock: @escaping @Sendable () -> Date = { Date() }
) async throws {
    switch config.database {
    case .sqliteFile(let path):
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        // Reads run on the event loop that asks, writes on the driver's thread pool (LoopReads, #21).
        app.databases.use(LoopReadsConfiguration(path: path), as: .sqlite)
        // Write-ahead logging: readers do not wait for writers, and a commit is one append to the log.
        try await (app.db(.sqlite) as! any SQLDatabase).raw("PRAGMA journal_mode=WAL").run()
        // `full` (the default) fsyncs every commit, so an acknowledged message survives even a power cut; `normal`
        // leaves that to checkpoints: still safe when the process dies (kill -9), faster, but a power cut may lose
        // the last commits. Set per connection: one per event loop.
        for eventLoop in app.eventLoopGroup.makeIterator() {
            let connection = app.databases.database(.sqlite, logger: app.logger, on: eventLoop)
            try await (connection as! any SQLDatabase)
                .raw("PRAGMA synchronous=\(unsafeRaw: config.sqliteSynchronous.rawValue)").run()
            // A writer finding another one at work waits for it (up to five seconds) instead of failing at once.
            try await (connection as! any SQLDatabase).raw("PRAGMA busy_timeout=5000").run()
        }
    case .sqliteMemory:
        app.databases.use(.sqlite(.memory), as: .sqlite)
    case .postgres(let url):
        app.databases.use(try .postgres(url: url), as: .psql)
    }
    app.migrations.add(Features.migrations)
    try await app.autoMigrate()
    app.asyncCommands.use(AuditCommand(), as: "audit")

    app.http.server.configuration.hostname = config.hostname
    app.http.server.configuration.port = config.port
    if let tls = config.tls {
        app.http.server.configuration.tlsConfiguration = .makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(tls.certificatePath).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: tls.keyPath, format: .pem)))
    }
    app.routes.defaultMaxBodySize = ByteCount(integerLiteral: config.maxBodySize)

    let secrets: ServerSecrets
    if config.database == .sqliteMemory, config.secret == nil {
        secrets = .ephemeral()
    } else {
        secrets = try ServerSecrets.load(configured: config.secret, dataDirectory: config.dataDirectory)
    }
    let auditSigner: AuditSigner
    if config.database == .sqliteMemory, config.auditKey == nil {
        auditSigner = .ephemeral()
    } else {
        auditSigner = try AuditSigner.load(configured: config.auditKey, dataDirectory: config.dataDirectory)
    }
    let logger = app.logger
    let transport: any MailTransport =
        switch config.mail {
        case .outbox(let directory): OutboxTransport(directory: directory, log: { logger.notice("\($0)") })
        case .smtp(let settings):
            SMTPTransport(settings: settings, group: app.eventLoopGroup, heloName: config.publicURL.host ?? "localhost")
        }
    let socketLimits = config.socketLimits
    let mailer = Mailer(
        transport: transport, from: config.mailFrom, publicURL: config.publicURL, logger: app.logger,
        texts: L10n.catalog)
    app.lotse = LotseContext(
        config: config, secrets: secrets, auditSigner: auditSigner, mailer: mailer, events: EventHub(),
        texts: L10n.catalog,
        socketLimits: socketLimits, socketBudget: SocketBudget(limit: socketLimits.serverBytes), now: clock,
        setupToken: NIOLockedValueBox(nil))
    // On PostgreSQL the session cache waits for the relay to listen for changes made through other instances.
    let sessionCache = SessionCache(isEnabled: !config.database.isPostgres)
    app.sessionCache = sessionCache
    app.databases.middleware.use(SessionCacheInvalidation(cache: sessionCache))
    app.databases.middleware.use(SessionCacheSessionInvalidation(cache: sessionCache))
    app.lifecycle.use(
        PeriodicWork("Session cache sweep", every: .seconds(SessionCache.lifetime)) { app in
            // A sweep that dropped a burst's sessions gives their memory back too.
            if app.sessionCache.sweep(at: app.lotse.now()) >= 1_000 { FreedMemory.release() }
        })
    app.directoryIndex = DirectoryIndex()
    app.lifecycle.use(DirectoryIndexLoading())
    // The message log's group commits: on an SQLite file, a writer thread of their own (#21); else the driver's.
    var messageTransactions: any BatchTransactions = DriverTransactions(
        db: app.db, takesWriteLockFirst: !config.database.isPostgres)
    if case .sqliteFile(let path) = config.database, let configuration = app.databases.configuration(for: .sqlite) {
        let writer = try await SQLiteWriter(
            path: path, synchronous: config.sqliteSynchronous.rawValue, configuration: configuration,
            logger: app.logger)
        app.lifecycle.use(SQLiteWriterShutdown(writer: writer))
        messageTransactions = writer
    }
    try Services.provide(on: app, context: app.lotse, messageTransactions: messageTransactions)
    app.lifecycle.use(MailerShutdown(mailer: mailer, events: app.lotse.events))
    app.lifecycle.use(
        PeriodicWork("Housekeeping", every: .seconds(3_600)) { app in
            try await Housekeeping(db: app.db, now: app.lotse.now).purgeExpired()
        })
    for feature in Features.all {
        for work in feature.periodicWork { app.lifecycle.use(work) }
    }
    if case .postgres(let url) = config.database {
        // Several instances share PostgreSQL: live events reach sockets on every instance.
        let relay = try PostgresEventRelay(url: url, db: app.db, logger: app.logger)
        app.lotse.events.relay { event, json, users in relay.publish(event, json: json, to: users) }
        app.lifecycle.use(EventRelayLifecycle(relay: relay))
    }

    // Bodies are JSON only: Vapor also decodes form-encoded and multipart bodies into the same types by default,
    // which lets a plain HTML form on another site post to the API. Query strings keep their decoder.
    var content = ContentConfiguration()
    content.use(encoder: JSONEncoder.api, for: .json)
    content.use(decoder: JSONDecoder.api, for: .json)
    content.use(urlEncoder: URLEncodedFormEncoder())
    content.use(urlDecoder: URLEncodedFormDecoder())
    ContentConfiguration.global = content
    app.middleware = Middlewares()
    app.middleware.use(SecurityHeaders(isSecure: config.isSecure))
    app.middleware.use(LotseErrorMiddleware())
    app.middleware.use(
        WebClientFiles(
            files: FileMiddleware(publicDirectory: config.resourcesDirectory + "/Public/", defaultFile: "index.html")))
    try routes(app)

    let accounts: AccountsService = app.make(on: app.db)
    if try await !accounts.hasPlatformAdmin() {
        let token = SecureToken.make()
        app.lotse.setupToken.withLockedValue { $0 = token }
        app.logger.notice(
            "Lotse has no administrator yet. To create one, open \(mailer.link("/setup", token: token))")
    }
}

/// Closes the message log's SQLite writer with the server.
private struct SQLiteWriterShutdown: LifecycleHandler {
    let writer: SQLiteWriter

    func shutdownAsync(_ application: Application) async {
        await writer.close()
    }
}

/// Closes WebSockets and lets mails still on their way go out before the server stops.
private struct MailerShutdown: LifecycleHandler {
    let mailer: Mailer
    let events: EventHub

    func shutdownAsync(_ application: Application) async {
        await events.closeAll()
        await mailer.drain()
    }
}

/// Starts and stops the relay with the server.
struct EventRelayLifecycle: LifecycleHandler {
    let relay: PostgresEventRelay

    func didBootAsync(_ application: Application) async throws {
        let db = application.db
        let sessionCache = application.sessionCache
        relay.start(
            hub: application.lotse.events,
            message: { id in try await MessageRecord.find(id, on: db)?.wire },
            forget: { [sessionCache] user in sessionCache.forget(user: user) },
            listening: { [sessionCache] in sessionCache.isEnabled = $0 },
            eventLoop: application.eventLoopGroup.any(),
            logger: application.logger)
    }

    func shutdownAsync(_ application: Application) async {
        await relay.stop()
    }
}
