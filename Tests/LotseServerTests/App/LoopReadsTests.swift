import Fluent
import FluentSQLiteDriver
import Foundation
import NIOCore
import SQLKit
import SQLiteKit
import SQLiteNIO
import Testing
import Vapor

@testable import LotseServer

/// The SQLite file's reads run on the event loop (`LoopReads`, #21); every other test reads through it too, since
/// the test app uses a database file. These check what the rest do not: where a statement runs, and that the read
/// connection never holds on to an old snapshot.
@Suite(
    "Reads on the event loop",
    .enabled(if: ProcessInfo.processInfo.environment["LOTSE_TEST_POSTGRES_URL"] == nil, "SQLite only"))
struct LoopReadsTests {
    static func scratch(_ app: Application) async throws -> any SQLDatabase {
        let sql = app.db as! any SQLDatabase
        try await sql.raw("CREATE TABLE scratch (id INTEGER PRIMARY KEY, name TEXT, data BLOB, score REAL, note TEXT)")
            .run()
        return sql
    }

    static func count(_ sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("SELECT count(*) AS n FROM scratch").first(decoding: Count.self)?.n ?? -1
    }

    struct Count: Decodable { var n: Int }
    struct Row: Codable, Equatable { var id: Int, name: String, data: Data, score: Double, note: String? }

    @Test("A row reads back as it was written: text with umlauts and a NUL inside, bytes, a double, a null")
    func readsWhatWasWritten() async throws {
        try await withTestApp { t in
            let sql = try await Self.scratch(t.app)
            let row = Row(id: 1, name: "Grüße\u{0}und 😀", data: Data([0, 1, 255]), score: 2.5, note: nil)
            try await sql.insert(into: "scratch").model(row).run()
            #expect(try await sql.select().columns("*").from("scratch").first(decoding: Row.self) == row)
            // Bound values, too, reach SQLite whole.
            let found = try await sql.select().columns("id").from("scratch").where("name", .equal, row.name)
                .where("data", .equal, row.data).all(decoding: [String: Int].self)
            #expect(found == [["id": 1]])
        }
    }

    @Test("An ID is bound as the same upper-case text as SQLiteKit's encoder makes of it, optional or not")
    func idsBindAsTheEncoderDoes() throws {
        let encoder = SQLiteDataEncoder()
        var ids = (0..<1_000).map { _ in UUID() }
        ids += [UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))]
        ids += [UUID(uuid: (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255))]
        for id in ids {
            #expect(id.upperCaseText == id.uuidString)
            #expect(try encoder.bind(id) == encoder.encode(id))
            #expect(try encoder.bind(UUID?.some(id)) == encoder.encode(UUID?.some(id)))
        }
        #expect(try encoder.bind(UUID?.none) == .null)
        #expect(try encoder.bind("text") == .text("text") && encoder.bind(7) == .integer(7))
    }

    @Test("Numbers, text, bytes, dates and flags are bound as the same values as SQLiteKit's encoder makes of them")
    func valuesBindAsTheEncoderDoes() throws {
        let encoder = SQLiteDataEncoder()
        let values: [any Encodable] = [
            0, -1, 42, Int.min, Int.max, "", "Grüße, 😀", String(repeating: "x", count: 5_000),
            Data(), Data([0, 1, 255]), Data(repeating: 7, count: 4_096),
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 1_796_000_000.25), Date.distantPast,
            Date.distantFuture, true, false, 1.5, Int?.some(3), Int?.none, Data?.some(Data([9])),
            Date?.some(Date(timeIntervalSince1970: 86_400)), Bool?.some(true), [1, 2],
        ]
        for value in values {
            #expect(try encoder.bind(value) == encoder.encode(value), "\(value)")
        }
        // IDs and bytes are kept as they are until bound: SQLite gets the same value and type either way.
        let connection = try DirectConnection(path: ":memory:")
        defer { connection.close() }
        func selected(_ bound: BindValue) throws -> [SQLiteData] {
            var row: [SQLiteData] = []
            _ = try connection.read("SELECT ?1, typeof(?1)", [bound]) { _, values in row = values }
            return row
        }
        let id = UUID()
        for value in values + [id, UUID?.some(id), UUID?.none, Data?.none] as [any Encodable] {
            #expect(try selected(encoder.bindValue(value)) == selected(.value(encoder.encode(value))), "\(value)")
        }
        guard case .id = try encoder.bindValue(id), case .bytes = try encoder.bindValue(Data([1])) else {
            Issue.record("IDs and bytes are bound as they are")
            return
        }
        #expect(try selected(.id(id)) == [.text(id.uuidString), .text("text")])
    }

    @Test("Asked on an event loop, a read has finished when the call returns; a write is still on its way to the pool")
    func readsRunWhereTheyAreAsked() async throws {
        try await withTestApp { t in
            _ = try await Self.scratch(t.app)
            let loop = t.app.eventLoopGroup.next()
            let (readDone, writeDone) = try await loop.flatSubmit {
                let db = t.app.databases.database(.sqlite, logger: t.app.logger, on: loop) as! any SQLDatabase
                let read = db.execute(sql: SQLRaw("SELECT count(*) FROM scratch")) { _ in }
                let write = db.execute(sql: SQLRaw("INSERT INTO scratch (id) VALUES (1)")) { _ in }
                let readDone = NIOLoopBoundBox(false, eventLoop: loop)
                let writeDone = NIOLoopBoundBox(false, eventLoop: loop)
                read.whenSuccess { readDone.value = true }
                write.whenSuccess { writeDone.value = true }
                let answer = (readDone.value, writeDone.value)
                return write.map { answer }
            }.get()
            #expect(readDone && !writeDone)
        }
    }

    @Test("A statement that begins like a query but writes (WITH … INSERT) is run by the driver, and writes")
    func disguisedWritesGoToTheDriver() async throws {
        try await withTestApp { t in
            let sql = try await Self.scratch(t.app)
            try await sql.raw("WITH v(x) AS (VALUES (7)) INSERT INTO scratch (id) SELECT x FROM v").run()
            #expect(try await Self.count(sql) == 1)
        }
    }

    @Test("Inside a transaction reads see its own writes; outside it they see only what is committed")
    func transactionsKeepTheirReads() async throws {
        try await withTestApp { t in
            let sql = try await Self.scratch(t.app)
            try await t.app.db.transaction { tx in
                try await (tx as! any SQLDatabase).raw("INSERT INTO scratch (id) VALUES (1)").run()
                #expect(try await Self.count(tx as! any SQLDatabase) == 1)
                #expect(try await Self.count(sql) == 0)
            }
            #expect(try await Self.count(sql) == 1)
        }
    }

    @Test("A read that stops half-way lets go of its snapshot: the next read sees later commits")
    func snapshotsEnd() async throws {
        try await withTestApp { t in
            let sql = try await Self.scratch(t.app)
            for id in 1...3 { try await sql.raw("INSERT INTO scratch (id) VALUES (\(literal: id))").run() }
            guard case .sqliteFile(let path) = t.app.lotse.config.database else { throw Abort(.internalServerError) }
            let loop = t.app.eventLoopGroup.next()
            let reads = LoopReads(path: path, loops: [loop])
            struct Stop: Error {}
            let counts: @Sendable () throws -> Int = {
                try #require(
                    reads.withConnectionHere(preferring: loop) { connection in
                        var count = 0
                        _ = try connection.read("SELECT count(*) FROM scratch", []) { _, values in
                            if case .integer(let n) = values[0] { count = n }
                        }
                        return count
                    })
            }
            #expect(try await loop.submit(counts).get() == 3)
            let stopped = try await loop.submit {
                try reads.withConnectionHere(preferring: loop) { connection in
                    do {
                        _ = try connection.read("SELECT id FROM scratch", []) { _, _ in throw Stop() }
                        return false
                    } catch is Stop { return true }
                }
            }.get()
            #expect(stopped == true)
            try await sql.raw("INSERT INTO scratch (id) VALUES (4)").run()
            #expect(try await loop.submit(counts).get() == 4)
            // Past the limit of prepared statements it starts again, still answering right.
            let sums = try await loop.submit {
                try (0..<(LoopReads.statementLimit + 20)).map { n in
                    try reads.withConnectionHere(preferring: loop) { connection in
                        var sum = -1
                        _ = try connection.read("SELECT ? + \(n)", [.value(.integer(1))]) { _, values in
                            if case .integer(let value) = values[0] { sum = value }
                        }
                        return sum
                    }
                }
            }.get()
            #expect(sums == (0..<(LoopReads.statementLimit + 20)).map { $0 + 1 })
            // The read connection refuses to write even when asked directly.
            let wrote = try await loop.submit {
                try reads.withConnectionHere(preferring: loop) { try $0.read("DELETE FROM scratch", []) { _, _ in } }
            }.get()
            let left = try await Self.count(sql)
            #expect(wrote == false && left == 4)
            await reads.close()
        }
    }

    @Test("A kept statement is prepared once, though its plan looked at a value: each run finds its own rows")
    func statementsStayPrepared() async throws {
        try await withTestApp { t in
            let sql = t.app.db as! any SQLDatabase
            try await sql.raw("CREATE TABLE people (id INTEGER PRIMARY KEY, role TEXT NOT NULL)").run()
            try await sql.raw(
                "CREATE TABLE tokens (id INTEGER PRIMARY KEY, person INTEGER NOT NULL, hash TEXT NOT NULL UNIQUE)"
            ).run()
            try await sql.raw("INSERT INTO people VALUES (1, 'coach'), (2, 'client')").run()
            try await sql.raw("INSERT INTO tokens VALUES (1, 1, 'a'), (2, 2, 'b')").run()
            guard case .sqliteFile(let path) = t.app.lotse.config.database else { throw Abort(.internalServerError) }
            let connection = try DirectConnection(path: path)
            defer { connection.close() }
            // As Fluent asks for a session with its user: an equality on a column the join does not search by.
            func role(_ hash: String) throws -> String? {
                var found: String?
                _ = try connection.read(
                    "SELECT people.role FROM tokens JOIN people ON tokens.person = people.id WHERE tokens.hash = ?1",
                    [.value(.text(hash))]
                ) { _, values in
                    if case .text(let role) = values[0] { found = role }
                }
                return found
            }
            #expect(try ["a", "b", "c", "a", "b"].map(role) == ["coach", "client", nil, "coach", "client"])
            #expect(connection.reprepared == 0)
            // A large value is let go after its run; that costs the statement one preparation.
            #expect(try role(String(repeating: "x", count: 100_000)) == nil)
            #expect(try role("b") == "client")
            #expect(connection.reprepared == 1)
        }
    }
}
