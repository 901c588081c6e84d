import Fluent
import FluentPostgresDriver
import Foundation
import Logging
import NIOCore
import NIOEmbedded
import SQLKit
import SQLiteKit
import Testing

@testable import LotseServer

/// `BoundRows` (#21): a batch's VALUES and IN lists written in one string, as SQLKit writes the same values bound one
/// by one.
struct BoundRowsTests {
    /// Only serializes: a database of a dialect that never runs anything.
    struct Serializing: SQLDatabase {
        let dialect: any SQLDialect
        let logger = Logger(label: "serializing")
        let eventLoop: any EventLoop = EmbeddedEventLoop()

        func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void)
            -> EventLoopFuture<Void>
        {
            eventLoop.makeFailedFuture(SQLiteStatementError(code: 1, message: "only serializes"))
        }
    }

    /// The same statement written both ways, with a bound value before the rows, so the rows' placeholders do not
    /// start at 1.
    static func bothWays(_ db: any SQLDatabase, rows: Int, columns: Int) -> (
        ours: SQLQueryString, sqlKit: SQLQueryString
    ) {
        func value(_ row: Int, _ column: Int) -> any Encodable & Sendable {
            guard column % 2 == 0 else { return "v\(row)-\(column)" }
            return row * columns + column
        }
        let values = (0..<rows).map { row in (0..<columns).map { value(row, $0) } }
        var sqlKit: SQLQueryString = "SELECT \(bind: "erst") FROM (VALUES "
        for (index, row) in values.enumerated() {
            if index > 0 { sqlKit += ", " }
            sqlKit += "(\(binds: row))"
        }
        sqlKit += ") AS v"
        let ours: SQLQueryString =
            "SELECT \(bind: "erst") FROM (VALUES \(BoundRows(columns: columns, values.flatMap { $0 }))) AS v"
        return (ours, sqlKit)
    }

    @Test(
        "Rows and lists read as SQLKit writes them, on SQLite and PostgreSQL, past the first placeholders made",
        arguments: [(1, 1), (1, 5), (3, 2), (31, 9), (300, 4)])
    func sameText(rows: Int, columns: Int) throws {
        for dialect in [SQLiteDialect() as any SQLDialect, PostgresDialect()] {
            let db = Serializing(dialect: dialect)
            let (ours, sqlKit) = Self.bothWays(db, rows: rows, columns: columns)
            let (ourText, ourBinds) = db.serialize(ours)
            let (text, binds) = db.serialize(sqlKit)
            #expect(ourText == text, "\(dialect.name)")
            #expect(ourBinds.map { "\($0)" } == binds.map { "\($0)" })
            #expect(ourBinds.count == rows * columns + 1)
        }
    }

    @Test("The database reads the rows back as they were bound")
    func runs() async throws {
        try await withTestApp { t in
            let sql = t.app.db as! any SQLDatabase
            let values: [any Encodable & Sendable] = [1, "eins", 2, "zwei", 3, "drei"]
            let rows = try await sql.raw(
                "SELECT column1 AS n, column2 AS name FROM (VALUES \(BoundRows(columns: 2, values))) AS v ORDER BY n"
            ).all()
            #expect(try rows.map { try $0.decode(column: "name", as: String.self) } == ["eins", "zwei", "drei"])
            let found = try await sql.raw(
                "SELECT count(*) AS n FROM (VALUES (1), (2), (5)) AS v WHERE column1 IN \(BoundRows(columns: 2, [2, 5]))"
            ).first()
            #expect(try found?.decode(column: "n", as: Int.self) == 2)
        }
    }
}
