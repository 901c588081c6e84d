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
    static func writer(_ app: Application) async throws -> SQLiteWriter {
        guard case .sqliteFile(let path) = app.lotse.config.database else { throw Abort(.internalServerError) }
        return try await SQLiteWriter(
            path: path, synchronous: "full", configuration: try #require(app.databases.configuration(for: .sqlite)),
            logger: app.logger)
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

    typealias Checkpoint = SQLiteWriter.CheckpointState

    /// Five transactions of 50 rows of 2,000 bytes each (a few hundred pages in the log).
    static func fiveBatches(_ writer: SQLiteWriter, from first: Int) async throws {
        for batch in 0..<5 {
            try await writer.transaction { db in
                for id in 0..<50 {
                    try await (db as! any SQLDatabase).raw(
                        "INSERT INTO scratch (id, name) VALUES (\(literal: first + batch * 50 + id), \(bind: String(repeating: "x", count: 2_000)))"
                    ).run()
                }
            }
        }
    }

    @Test("The writer's commits leave the log to the periodic checkpoint, which copies all of it into the file")
    func checkpoints() async throws {
        try await withTestApp { t in
            let sql = t.app.db as! any SQLDatabase
            try await sql.raw("CREATE TABLE scratch (id INTEGER PRIMARY KEY, name TEXT)").run()
            let writer = try await Self.writer(t.app)
            try await writer.checkpoint(on: t.app.db)
            try await Self.fiveBatches(writer, from: 0)
            // Without a checkpoint of its own the writer left its pages in the log…
            let pending = try #require(
                try await sql.raw("PRAGMA wal_checkpoint(NOOP)").first(decoding: Checkpoint.self))
            #expect(pending.log > pending.checkpointed)
            // …which the periodic work copies into the database file.
            try await writer.checkpoint(on: t.app.db)
            let done = try #require(try await sql.raw("PRAGMA wal_checkpoint(NOOP)").first(decoding: Checkpoint.self))
            #expect(done.busy == 0 && done.log == done.checkpointed)
            await writer.close()
        }
    }

    @Test(
        "When the writer commits while the periodic checkpoint runs, it copies the rest itself before its next transaction, and the log starts over instead of growing"
    )
    func logStartsOver() async throws {
        try await withTestApp { t in
            guard case .sqliteFile(let path) = t.app.lotse.config.database else { throw Abort(.internalServerError) }
            let sql = t.app.db as! any SQLDatabase
            try await sql.raw("CREATE TABLE scratch (id INTEGER PRIMARY KEY, name TEXT)").run()
            let writer = try await Self.writer(t.app)
            try await Self.fiveBatches(writer, from: 0)
            // A reader in the middle holds the checkpoint back: it leaves pages behind, as under load it does whatever
            // the writer commits while it runs.
            let reader = try DirectConnection(path: path)
            try reader.execute("BEGIN", [], { _, _ in })
            try reader.execute("SELECT count(*) FROM scratch", [], { _, _ in })
            try await Self.fiveBatches(writer, from: 250)
            try await writer.checkpoint(on: t.app.db)
            let behind = try #require(
                try await sql.raw("PRAGMA wal_checkpoint(NOOP)").first(decoding: Checkpoint.self))
            #expect(behind.log > 200 && behind.checkpointed < behind.log, "\(behind)")
            try reader.execute("COMMIT", [], { _, _ in })
            reader.close()

            try await writer.transaction { db in
                try await (db as! any SQLDatabase).raw("INSERT INTO scratch (id, name) VALUES (1000, 'danach')").run()
            }
            // The log holds that one small transaction now, from its start; without the writer's copy it would
            // have grown past everything before.
            let after = try #require(try await sql.raw("PRAGMA wal_checkpoint(NOOP)").first(decoding: Checkpoint.self))
            #expect(after.log < 10, "\(after)")
            #expect(try await Self.count(sql) == 501)
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
