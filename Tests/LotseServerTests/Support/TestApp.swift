import Fluent
import FluentPostgresDriver
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import LotseServer

/// The repository folder (for `Public/` and `openapi/`).
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .path

/// A clock the test moves by hand.
final class TestClock: Sendable {
    private let value = NIOLockedValueBox(Date(timeIntervalSince1970: 1_795_000_000))  // 2026-11-18

    var now: Date { value.withLockedValue { $0 } }

    func advance(by seconds: TimeInterval) {
        value.withLockedValue { $0 = $0.addingTimeInterval(seconds) }
    }
}

/// What a test gets: the app, its clock and the SMTP receiver its mails go to.
struct TestContext: Sendable {
    let app: Application
    let clock: TestClock
    let smtp: TestSMTPServer
    let isServing = NIOLockedValueBox(false)

    /// Starts the app on a free loopback port, for tests that need a real socket (WebSockets, curl); returns the
    /// port. `withTestApp` stops it again.
    func serve() async throws -> Int {
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        isServing.withLockedValue { $0 = true }
        return try #require(app.http.server.shared.localAddress?.port)
    }

    func stopServing() async {
        guard isServing.withLockedValue({ $0 }) else { return }
        await app.lotse.events.closeAll()
        await app.server.shutdown()
    }
}

/// Runs `test` against the real app on a fresh database: in-memory SQLite, or a new PostgreSQL database when
/// `LOTSE_TEST_POSTGRES_URL` is set. Mail goes over SMTP to a receiver on loopback; the clock is fixed.
func withTestApp(
    environment extra: [String: String] = [:],
    _ test: (TestContext) async throws -> Void
) async throws {
    BlockingThreads.sizeProcessPool()
    let app = try await Application.make(.testing)
    app.logger.logLevel = ProcessInfo.processInfo.environment["LOTSE_TEST_LOG"] == nil ? .warning : .debug
    let smtp = try await TestSMTPServer(group: app.eventLoopGroup)
    let clock = TestClock()
    var database: TemporaryPostgresDatabase?
    var context: TestContext?
    let dataDirectory = NSTemporaryDirectory() + "lotse-test-" + UUID().uuidString
    do {
        var environment = [
            // A file, as in production: WAL lets readers and the message writer work side by side, where a shared
            // in-memory database would answer "locked" instead of waiting.
            "LOTSE_SQLITE": dataDirectory + "/lotse.sqlite",
            "LOTSE_RESOURCES_DIR": repositoryRoot,
            "LOTSE_PUBLIC_URL": "https://lotse.test",
            "LOTSE_BCRYPT_COST": "4",
            "LOTSE_SMTP_HOST": "127.0.0.1",
            "LOTSE_SMTP_PORT": String(smtp.port),
            "LOTSE_SMTP_SECURITY": "none",
            "LOTSE_MAIL_FROM": "Lotse <no-reply@lotse.test>",
            "LOTSE_DATA_DIR": dataDirectory,
        ]
        if let adminURL = ProcessInfo.processInfo.environment["LOTSE_TEST_POSTGRES_URL"] {
            let temporary = try await TemporaryPostgresDatabase.create(adminURL: adminURL)
            database = temporary
            environment["DATABASE_URL"] = temporary.url
            environment["LOTSE_SECRET"] = Data(repeating: 7, count: 32).base64EncodedString()
        }
        environment.merge(extra) { $1 }
        try await configure(app, AppConfig(environment: environment), clock: { clock.now })
        context = TestContext(app: app, clock: clock, smtp: smtp)
        try await test(context!)
    } catch {
        await context?.stopServing()
        try? await app.asyncShutdown()
        try? await smtp.shutdown()
        try? await database?.drop()
        try? FileManager.default.removeItem(atPath: dataDirectory)
        throw error
    }
    await context?.stopServing()
    try await app.asyncShutdown()
    try await smtp.shutdown()
    try await database?.drop()
    try? FileManager.default.removeItem(atPath: dataDirectory)
}

/// A PostgreSQL database made for one test and dropped after it, so tests run in parallel without sharing rows.
struct TemporaryPostgresDatabase {
    let adminURL: String
    let name: String
    let url: String

    static func create(adminURL: String) async throws -> TemporaryPostgresDatabase {
        let name = "lotse_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await run("CREATE DATABASE \(name)", adminURL: adminURL)
        var components = URLComponents(string: adminURL)
        components?.path = "/" + name
        return TemporaryPostgresDatabase(adminURL: adminURL, name: name, url: components?.string ?? adminURL)
    }

    func drop() async throws {
        try await Self.run("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", adminURL: adminURL)
    }

    private static func run(_ statement: String, adminURL: String) async throws {
        let admin = try await Application.make(.testing)
        do {
            admin.databases.use(try .postgres(url: adminURL), as: .psql)
            try await (admin.db as! any SQLDatabase).raw(SQLQueryString(statement)).run()
        } catch {
            try? await admin.asyncShutdown()
            throw error
        }
        try await admin.asyncShutdown()
    }
}
