import Fluent
import FluentSQLiteDriver
import Foundation
import NIOCore
import SQLKit
import Testing
import Vapor

@testable import LotseServer

/// The message log's writer thread (`SQLiteWriter`, #21): every send of the other tests goes through it on SQLite;
/// these check the transaction itself and that its statements run on the writer's own thread.
@Suite(
    "The SQLite writer",
    .enabled(if: ProcessInfo.processInfo.environment["LOTSE_TEST_POSTGRES_URL"] == nil, "SQLite only"))
struct SQLiteWriterTests {
    static func writer(_ app: Application, checkpointPages: Int = 1_000) async throws -> SQLiteWriter {
        guard case .sqliteFile(let path) = app.lotse.config.database else { throw Abort(.internalServerError) }
        return try await SQLiteWriter(
            path: path, synchronous: "full", configuration: try #require(app.databases.configuration(for: .sqlite)),
            logger: app.logger, checkpointPages: checkpointPages)
    }

    /// The rows of the scratch table, read as any request reads (on the event loop).
    static func count(_ sql: any SQLDatabase) async throws -> Int { try await LoopReadsTests.count(sql) }

    @Test("A transaction's statements run on the writer's thread; once it returns, every read sees them")
    func commits() async throws {
        try await withTestApp { t in
            let sql = t.app.db as! any SQLDatabase
            try await sql.raw("CREATE TABLE scratch (id INTEGER PRIMARY KEY, name TEXT)").run()
            let writer = try await Self.writer(t.app)
            let onWriterThread = try await writer.transaction { db in
                let sql = db as! any SQLDatabase
                try await sql.raw("INSERT INTO scratch (id, name) VALUES (1, 'eins'), (2, 'zwei')").run()
                let first = writer.loop.inEventLoop
                let seen = try await Self.count(sql)
                return first && writer.loop.inEventLoop && seen == 2
            }
            #expect(onWriterThread)
            #expect(try await Self.count(sql) == 2)
            await writer.close()
        }
    }

    @Test("A transaction that throws leaves nothing behind, and the next one works")
    func rollsBack() async throws {
        try await withTestApp { t in
            let sql = t.app.db as! any SQLDatabase
            try await sql.raw("CREATE TABLE scratch (id INTEGER PRIMARY KEY, name TEXT)").run()
            let writer = try await Self.writer(t.app)
            struct Refused: Error {}
            await #expect(throws: Refused.self) {
                try await writer.transaction { db in
                    try await (db as! any SQLDatabase).raw("INSERT INTO scratch (id) VALUES (1)").run()
                    throw Refused()
                }
            }
            #expect(try await Self.count(sql) == 0)
            // A statement SQLite refuses (the same key twice) rolls back the statements before it as well.
            await #expect(throws: (any Error).self) {
                try await writer.transaction { db in
                    try await (db as! any SQLDatabase).raw("INSERT INTO scratch (id) VALUES (1)").run()
                    try await (db as! any SQLDatabase).raw("INSERT INTO scratch (id) VALUES (1)").run()
                }
            }
            #expect(try await Self.count(sql) == 0)
            try await writer.transaction { db in
                try await (db as! any SQLDatabase).raw("INSERT INTO scratch (id) VALUES (3)").run()
            }
            #expect(try await Self.count(sql) == 1)
            await writer.close()
        }
    }

    /// What `PRAGMA wal_checkpoint` answers: pages in the log, and how many of them are in the database file.
    struct Checkpoint: Decodable {
        var busy: Int
        var log: Int
        var checkpointed: Int
    }

    /// One transaction of 50 rows of 2,000 bytes each (~27 pages in the log).
    static func oneBatch(_ writer: SQLiteWriter, from first: Int) async throws {
        try await writer.transaction { db in
            for id in 0..<50 {
                try await (db as! any SQLDatabase).raw(
                    "INSERT INTO scratch (id, name) VALUES (\(literal: first + id), \(bind: String(repeating: "x", count: 2_000)))"
                ).run()
            }
        }
    }

    /// What the log holds now, and how much of it is in the database file.
    static func log(_ sql: any SQLDatabase) async throws -> Checkpoint {
        try #require(try await sql.raw("PRAGMA wal_checkpoint(NOOP)").first(decoding: Checkpoint.self))
    }

    @Test(
        "Once its log grew by the set number of pages, the writer copies it into the database file before its next transaction, and the log starts over"
    )
    func checkpointsBySize() async throws {
        try await withTestApp { t in
            let sql = t.app.db as! any SQLDatabase
            try await sql.raw("CREATE TABLE scratch (id INTEGER PRIMARY KEY, name TEXT)").run()
            let writer = try await Self.writer(t.app, checkpointPages: 100)
            try await sql.raw("PRAGMA wal_checkpoint(TRUNCATE)").run()  // the app's migrations, out of the way
            // A transaction of 50 rows of 2,000 bytes is ~27 pages: below the limit the log keeps them all…
            var batches = 0
            var full = try await Self.log(sql)
            while full.log < 100 && batches < 10 {
                try await Self.oneBatch(writer, from: batches * 50)
                batches += 1
                full = try await Self.log(sql)
                #expect(full.checkpointed == 0, "\(full) after \(batches)")
            }
            #expect(batches == 4 && full.log >= 100, "\(full) after \(batches)")
            // …and the first transaction after it passed the limit first copies them, then writes the log anew.
            try await Self.oneBatch(writer, from: batches * 50)
            let after = try await Self.log(sql)
            #expect(after.log < 40, "\(after)")  // that transaction alone
            #expect(try await Self.count(sql) == (batches + 1) * 50)
            await writer.close()
        }
    }

    @Test(
        "A reader that holds its snapshot keeps the writer's checkpoint from copying past it; a later one copies the rest, and the log starts over"
    )
    func checkpointWaitsForReaders() async throws {
        try await withTestApp { t in
            guard case .sqliteFile(let path) = t.app.lotse.config.database else { throw Abort(.internalServerError) }
            let sql = t.app.db as! any SQLDatabase
            try await sql.raw("CREATE TABLE scratch (id INTEGER PRIMARY KEY, name TEXT)").run()
            let writer = try await Self.writer(t.app, checkpointPages: 100)
            try await sql.raw("PRAGMA wal_checkpoint(TRUNCATE)").run()  // the app's migrations, out of the way
            try await Self.oneBatch(writer, from: 0)
            let reader = try DirectConnection(path: path)
            try reader.execute("BEGIN", [], { _, _ in })
            try reader.execute("SELECT count(*) FROM scratch", [], { _, _ in })
            for batch in 1..<8 { try await Self.oneBatch(writer, from: batch * 50) }
            // Checkpoints ran (the log passed 100 pages twice) but could copy only what the reader's snapshot holds.
            let held = try await Self.log(sql)
            #expect(held.log > 150 && held.checkpointed < held.log, "\(held)")
            try reader.execute("COMMIT", [], { _, _ in })
            reader.close()
            for batch in 8..<13 { try await Self.oneBatch(writer, from: batch * 50) }
            let after = try await Self.log(sql)
            #expect(after.log < 100, "\(after) after \(held)")
            #expect(try await Self.count(sql) == 650)
            await writer.close()
        }
    }

    @Test("The message log's statements are prepared once: a batch's new values never make SQLite prepare them anew")
    func keepsStatements() async throws {
        try await withTestApp { t in
            let alice = try await t.participant("alice@example.org")
            let bob = try await t.participant("bob@example.org")
            let (conversation, _) = try await t.startConversation(alice, with: [bob])
            let writer = try await Self.writer(t.app)
            let log = MessageLog(transactions: writer)
            // One message per batch: every batch after the first runs the statements the first kept.
            for _ in 0..<3 {
                let record = SealedMessage(
                    id: UUID(), conversationID: conversation, senderID: alice.id, epoch: 1,
                    ciphertext: Data(repeating: 1, count: 64), signature: Data(repeating: 2, count: 64),
                    attachmentIDs: "", sentAt: t.clock.now)
                guard case .stored = try await log.append(record, attachments: []) else {
                    Issue.record("the message was not stored")
                    return
                }
            }
            #expect(try await writer.reprepared() == 0)
            await writer.close()
        }
    }
}
