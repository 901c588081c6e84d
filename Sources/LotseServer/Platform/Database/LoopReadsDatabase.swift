import FluentKit
import FluentSQL
import FluentSQLiteDriver
import Foundation
import NIOCore
import SQLKit
import SQLiteKit
import SQLiteNIO

/// The SQLite database as Fluent and SQLKit see it: reads run on the event loop (``LoopReads``), everything else —
/// writes, schema changes, transactions and what runs inside them — goes to FluentSQLiteDriver's connection on the
/// thread pool, as before.
///
/// A read outside a transaction sees every commit that finished before it began (WAL: each statement is its own
/// read transaction), so a request reads what it has just written. Inside `transaction { }` the closure is given
/// the driver's own database, whose reads see the transaction's uncommitted writes.
struct LoopReadsDatabase: Database, SQLDatabase {
    let driver: LoopReadsDriver
    let context: DatabaseContext

    /// FluentSQLiteDriver's database for the same context, made only when a statement goes there.
    private var pooled: any Database { driver.pooled.makeDatabase(with: context) }

    // MARK: Database

    var inTransaction: Bool { false }

    func execute(
        query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void
    ) -> EventLoopFuture<Void> {
        switch query.action {
        case .read, .aggregate:
            return read(SQLiteStatement.sql(for: query)) { onOutput(LoopRowOutput(row: $0, schema: nil)) }
        default:
            return pooled.execute(query: query, onOutput: onOutput)
        }
    }

    func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> { pooled.execute(schema: schema) }

    func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> { pooled.execute(enum: `enum`) }

    func transaction<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        pooled.transaction(closure)
    }

    func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        pooled.withConnection(closure)
    }

    // MARK: SQLDatabase

    var logger: Logger { context.logger }
    var eventLoop: any EventLoop { context.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { (pooled as! any SQLDatabase).version }
    var dialect: any SQLDialect { SQLiteDialect() }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<
        Void
    > {
        read(query, onRow)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await (pooled as! any SQLDatabase).withSession(closure)
    }

    // MARK: Reading

    /// Runs `query` on this event loop's read connection if it only reads, else on the driver's connection.
    private func read(
        _ query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void
    ) -> EventLoopFuture<Void> {
        let statement = SQLiteStatement(query, on: self)
        // Serialized once: what is no read goes to the driver as this text and these values.
        guard DirectConnection.mayRead(statement.sql) else {
            return (pooled as! any SQLDatabase).execute(sql: statement, onRow)
        }
        logger.debug("Executing query on the event loop", metadata: ["sql": .string(statement.sql)])
        let binds: [BindValue]
        do {
            binds = try statement.binds(driver.encoder)
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
        let rows = LoopRow.handing(to: onRow, decoder: driver.decoder)
        @Sendable func run(_ connection: DirectConnection) throws -> Bool {
            try connection.read(statement.sql, binds, rows)
        }
        let ran: EventLoopFuture<Bool>
        do {
            if let done = try driver.reads.withConnectionHere(preferring: eventLoop, run) {
                ran = eventLoop.makeSucceededFuture(done)
            } else {
                ran = driver.reads.withConnection(on: eventLoop, run)
            }
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
        return ran.flatMap { done in
            done
                ? self.eventLoop.makeSucceededVoidFuture()
                : (self.pooled as! any SQLDatabase).execute(sql: statement, onRow)
        }
    }
}

/// FluentSQLiteDriver with ``LoopReads`` beside it: its databases are ``LoopReadsDatabase``s.
struct LoopReadsDriver: DatabaseDriver {
    let pooled: any DatabaseDriver
    let reads: LoopReads
    let encoder = SQLiteDataEncoder()
    let decoder = SQLiteDataDecoder()

    func makeDatabase(with context: DatabaseContext) -> any Database {
        LoopReadsDatabase(driver: self, context: context)
    }

    func shutdown() {
        pooled.shutdown()
    }

    func shutdownAsync() async {
        await reads.close()
        await pooled.shutdownAsync()
    }
}

/// The configuration that makes a ``LoopReadsDriver`` for the SQLite file at `path`.
struct LoopReadsConfiguration: DatabaseConfiguration {
    let path: String
    var pooled: any DatabaseConfiguration

    /// FluentSQLiteDriver's configuration for the same file.
    init(path: String) {
        self.path = path
        self.pooled = DatabaseConfigurationFactory.sqlite(.file(path)).make()
    }

    var middleware: [any AnyModelMiddleware] {
        get { pooled.middleware }
        set { pooled.middleware = newValue }
    }

    func makeDriver(for databases: Databases) -> any DatabaseDriver {
        LoopReadsDriver(
            pooled: pooled.makeDriver(for: databases),
            reads: LoopReads(path: path, loops: databases.eventLoopGroup.makeIterator()))
    }
}

/// A statement serialized once for SQLite — SQLKit's text and the values it binds — for the event loops' reads and
/// the writer alike; given to the driver, it writes the same text and values again.
struct SQLiteStatement: SQLExpression {
    let sql: String
    let values: [any Encodable & Sendable]

    init(_ query: any SQLExpression, on db: any SQLDatabase) {
        (sql, values) = db.serialize(query)
    }

    /// The values as SQLiteKit binds them.
    func binds(_ encoder: SQLiteDataEncoder) throws -> [BindValue] {
        try values.map { try encoder.bindValue($0) }
    }

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write(sql)
        serializer.binds += values
    }

    /// Fluent's query as FluentSQLiteDriver writes it for SQLite: none of its data types, and a create answers the
    /// ID it stored.
    static func sql(for query: DatabaseQuery) -> any SQLExpression {
        let sql = SQLQueryConverter(delegate: ConverterDelegate()).convert(query)
        guard case .create = query.action, query.customIDKey != .some(.string("")) else { return sql }
        return SQLKit.SQLList(
            [sql, SQLReturning(SQLColumn((query.customIDKey ?? .id).description))], separator: SQLRaw(" "))
    }

    private struct ConverterDelegate: SQLConverterDelegate {
        func customDataType(_ dataType: DatabaseSchema.DataType) -> (any SQLExpression)? { nil }
    }
}

/// A row read on the event loop, decoded by SQLiteKit's decoder as FluentSQLiteDriver's rows are.
struct LoopRow: SQLRow, CustomStringConvertible {
    let columns: LoopColumns
    let values: [SQLiteData]
    let decoder: SQLiteDataDecoder

    var description: String { "\(zip(columns.names, values).map { "\($0): \($1)" })" }

    /// What a ``DirectConnection`` calls per row, handing `onRow` the row as SQLKit reads it.
    static func handing(
        to onRow: @escaping @Sendable (any SQLRow) -> Void, decoder: SQLiteDataDecoder
    ) -> @Sendable (LoopColumns, [SQLiteData]) -> Void {
        { onRow(LoopRow(columns: $0, values: $1, decoder: decoder)) }
    }

    var allColumns: [String] { columns.names }

    func contains(column: String) -> Bool { columns.index[column] != nil }

    func decodeNil(column: String) throws -> Bool {
        guard let index = columns.index[column] else { return true }
        return values[index] == .null
    }

    func decode<D: Decodable>(column: String, as: D.Type) throws -> D {
        guard let index = columns.index[column] else {
            throw DecodingError.keyNotFound(
                SQLRowColumn(column), .init(codingPath: [], debugDescription: "No column \"\(column)\" in the row"))
        }
        // IDs, the most frequent column, read without Foundation's `sscanf`; anything unusual goes to the decoder.
        if D.self == UUID.self, case .text(let text) = values[index], let id = UUID(text: text) {
            return id as! D
        }
        return try decoder.decode(D.self, from: values[index])
    }
}

/// A row as Fluent reads a model from it: a field's column is `schema_field` once a schema is set.
struct LoopRowOutput: DatabaseOutput {
    let row: any SQLRow
    let schema: String?

    var description: String { String(describing: row) }

    private func column(_ key: FieldKey) -> String {
        schema.map { FieldKey.prefix(.prefix(.string($0), "_"), key).description } ?? key.description
    }

    func schema(_ schema: String) -> any DatabaseOutput { LoopRowOutput(row: row, schema: schema) }
    func contains(_ key: FieldKey) -> Bool { row.contains(column: column(key)) }
    func decodeNil(_ key: FieldKey) throws -> Bool { try row.decodeNil(column: column(key)) }
    func decode<T: Decodable>(_ key: FieldKey, as: T.Type) throws -> T {
        try row.decode(column: column(key), as: T.self)
    }
}

/// A column's name as a coding key, for the error of a missing column.
private struct SQLRowColumn: CodingKey {
    let stringValue: String
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { nil }
}
