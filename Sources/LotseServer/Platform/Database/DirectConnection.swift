import CLotseSQLite
import FluentKit
import Foundation
import NIOCore
import SQLiteKit
import SQLiteNIO

/// A statement that failed in SQLite, with SQLite's own message.
struct SQLiteStatementError: Error, CustomStringConvertible, DatabaseError {
    /// SQLite's extended result code.
    let code: Int32
    let message: String

    var description: String { "SQLite error \(code): \(message)" }
    var isSyntaxError: Bool { code & 0xff == 1 }  // SQLITE_ERROR: "no such table", syntax
    var isConstraintFailure: Bool { code & 0xff == 19 }  // SQLITE_CONSTRAINT
    var isConnectionClosed: Bool { false }
}

/// A value to bind to a statement: SQLiteKit's, or an ID or bytes bound straight from Swift's own. SQLiteKit's
/// would be a string made for each ID's text and a buffer for each blob's copy before SQLite copies them again: of a
/// chat message's ~78 heap allocations server-wide, 7 were these (#21, `bench/allocations.sh chat`).
enum BindValue: Sendable {
    case value(SQLiteData)
    /// Bound as the upper-case text SQLiteKit's encoder makes of it.
    case id(UUID)
    /// Bound as a blob, as SQLiteKit's encoder binds `Data`.
    case bytes(Data)
}

extension SQLiteDataEncoder {
    /// A statement's bound value as SQLiteKit's encoder makes it, with a short way for the types a statement binds
    /// most. A `UUID` is not one of SQLiteNIO's own value types, so the encoder goes through `Codable` (an encoder
    /// object, a container, then `uuidString`, which formats through `snprintf`) to the same upper-case text; for
    /// the others it asks whether the value conforms to `SQLiteDataConvertible`, a lookup in the runtime's table of
    /// conformances that cost the SQLite writer 6 % of its time (#21). Comparing the value's type with a few
    /// concrete ones is cheaper; the values are SQLiteNIO's own conversions (`SQLiteDataConvertible.swift`). IDs
    /// and bytes are kept as they are until they are bound.
    func bindValue(_ value: any Encodable) throws -> BindValue {
        switch value {
        case let id as UUID: .id(id)
        case let integer as Int: .value(.integer(integer))
        case let data as Data: .bytes(data)
        case let date as Date: .value(.float(date.timeIntervalSince1970))
        case let text as String: .value(.text(text))
        case let bool as Bool: .value(.integer(bool ? 1 : 0))
        default: .value(try encode(value))
        }
    }

    /// ``bindValue(_:)`` as the `SQLiteData` it binds.
    func bind(_ value: any Encodable) throws -> SQLiteData {
        switch try bindValue(value) {
        case .value(let data): data
        case .id(let id): .text(id.upperCaseText)
        case .bytes(let bytes): .blob(ByteBuffer(bytes: bytes))
        }
    }
}

/// The names of a statement's result columns, looked up by name as Fluent and SQLKit do (the first of equal names
/// wins, as in sqlite-nio).
final class LoopColumns: Sendable {
    let names: [String]
    let index: [String: Int]

    init(names: [String]) {
        self.names = names
        self.index = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }
}

/// One SQLite connection of ours, never shared between threads (so opened without SQLite's mutex): an event loop's
/// read connection (``LoopReads``), or the message log's writer (``SQLiteWriter``).
final class DirectConnection {
    private var handle: OpaquePointer?
    private var statements: [String: (statement: OpaquePointer, columns: LoopColumns)] = [:]
    /// The log's length in pages after this connection's last commit, once ``countingLogPages()`` asked SQLite for it.
    private let logLength = UnsafeMutablePointer<Int32>.allocate(capacity: 1)

    /// Opens the file; `pragmas` are run first. A connection opened for reads refuses to write
    /// (`PRAGMA query_only`), whatever it is given.
    init(path: String, writable: Bool = false, pragmas: [String] = []) throws {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI | SQLITE_OPEN_EXRESCODE
        let opened = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard opened == SQLITE_OK, let handle else {
            let error = SQLiteStatementError(
                code: opened, message: handle.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "cannot open")
            sqlite_nio_sqlite3_close_v2(handle)
            throw error
        }
        self.handle = handle
        logLength.initialize(to: 0)
        // A reader waits at most a second for SQLite's own locks (only a WAL recovery or a truncating checkpoint
        // takes them from readers); a writer as long as the driver's connections do for one another.
        sqlite_nio_sqlite3_busy_timeout(handle, writable ? 5000 : 1000)
        for pragma in pragmas + (writable ? [] : ["PRAGMA query_only=1"])
        where sqlite_nio_sqlite3_exec(handle, pragma, nil, nil, nil) != SQLITE_OK {
            let error = self.error()
            close()
            throw error
        }
    }

    func close() {
        for (statement, _) in statements.values {
            sqlite_nio_sqlite3_finalize(statement)
        }
        statements = [:]
        sqlite_nio_sqlite3_close_v2(handle)
        handle = nil
    }

    deinit {
        close()
        logLength.deallocate()
    }

    /// Has SQLite report the log's length after each of this connection's commits (``logPages``). Replaces SQLite's
    /// own automatic checkpoint, which uses the same hook.
    func countingLogPages() -> DirectConnection {
        sqlite_nio_sqlite3_wal_hook(
            handle,
            { length, _, _, pages in
                length?.assumingMemoryBound(to: Int32.self).pointee = pages
                return SQLITE_OK
            }, logLength)
        return self
    }

    /// Pages in the log after this connection's last commit (frames, counting a page written twice twice); 0 until
    /// it committed once after ``countingLogPages()``.
    var logPages: Int { Int(logLength.pointee) }

    /// Whether `sql` is a statement a read connection runs: one that begins as a query does. Whether it really only
    /// reads, SQLite says once it is prepared (`WITH … UPDATE` begins like a query).
    static func mayRead(_ sql: String) -> Bool {
        var utf8 = sql.utf8[...]
        while let first = utf8.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\n") {
            utf8 = utf8.dropFirst()
        }
        func begins(_ word: StaticString) -> Bool {
            guard utf8.count >= word.utf8CodeUnitCount else { return false }
            return zip(utf8, UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount))
                .allSatisfy { $0 | 0x20 == $1 | 0x20 }
        }
        return begins("SELECT") || begins("WITH")
    }

    /// Runs `sql` with `binds`, handing each row to `onRow`, if it only reads; returns false without running it
    /// when it would write.
    func read(_ sql: String, _ binds: [BindValue], _ onRow: (LoopColumns, [SQLiteData]) throws -> Void) throws -> Bool {
        guard Self.mayRead(sql), let (statement, columns) = try prepared(sql, readOnly: true) else { return false }
        try run(statement, columns, sql, binds, onRow)
        return true
    }

    /// Runs any statement (on a connection opened `writable`).
    func execute(_ sql: String, _ binds: [BindValue], _ onRow: (LoopColumns, [SQLiteData]) throws -> Void) throws {
        guard let (statement, columns) = try prepared(sql, readOnly: false) else { return }
        try run(statement, columns, sql, binds, onRow)
    }

    /// How often SQLite prepared the kept statements anew before running them (`SQLITE_STMTSTATUS_REPREPARE`):
    /// after a schema change, or whenever a value is bound that its query plan depends on.
    var reprepared: Int {
        statements.values.reduce(0) {
            $0 + Int(sqlite_nio_sqlite3_stmt_status($1.statement, SQLITE_STMTSTATUS_REPREPARE, 0))
        }
    }

    /// The statement for `sql`, prepared once and kept; nil if `readOnly` and it would write.
    private func prepared(_ sql: String, readOnly: Bool) throws -> (OpaquePointer, LoopColumns)? {
        guard let handle else { throw SQLiteStatementError(code: 21, message: "the connection is closed") }
        if let prepared = statements[sql] { return prepared }
        var made: OpaquePointer?
        guard
            sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &made, nil)
                == SQLITE_OK
        else { throw error() }
        guard let made else { return nil }  // only a comment or white space: nothing to run
        guard !readOnly || sqlite_nio_sqlite3_stmt_readonly(made) != 0 else {
            sqlite_nio_sqlite3_finalize(made)
            return nil
        }
        if statements.count >= LoopReads.statementLimit {
            for (old, _) in statements.values {
                sqlite_nio_sqlite3_finalize(old)
            }
            statements = [:]
        }
        let columns = Self.columns(of: made)
        statements[sql] = (made, columns)
        return (made, columns)
    }

    private func run(
        _ statement: OpaquePointer, _ columns: LoopColumns, _ sql: String, _ binds: [BindValue],
        _ onRow: (LoopColumns, [SQLiteData]) throws -> Void
    ) throws {
        // Ends the statement's read transaction whatever happens: a statement left open would hold its snapshot,
        // so later reads would not see newer commits and checkpoints could not pass it.
        //
        // The values stay bound until the next run binds its own: clearing them made SQLite prepare anew, at every
        // run, each statement whose plan looked at a value (an equality on a column it does not search by, whose
        // value SQLite checks for 0 and 1 — the session lookup, many of Fluent's reads with two conditions; #21).
        // Only large values are let go at once, so a kept statement never holds on to a batch's ciphertexts.
        var bytes = 0
        defer {
            sqlite_nio_sqlite3_reset(statement)
            if bytes > Self.keptBytes { sqlite_nio_sqlite3_clear_bindings(statement) }
        }
        bytes = try bind(binds, to: statement)
        var columns = columns
        let count = Int(sqlite_nio_sqlite3_column_count(statement))
        if count != columns.names.count {  // the schema changed under a `SELECT *` and SQLite prepared it anew
            columns = Self.columns(of: statement)
            statements[sql] = (statement, columns)
        }
        while true {
            switch sqlite_nio_sqlite3_step(statement) {
            case SQLITE_ROW:
                var values: [SQLiteData] = []
                values.reserveCapacity(count)
                for column in 0..<Int32(count) {
                    values.append(Self.value(of: statement, at: column))
                }
                try onRow(columns, values)
            case SQLITE_DONE:
                return
            default:
                throw error()
            }
        }
    }

    /// How many bytes of text and blobs a kept statement may go on holding after its run (``run``).
    static let keptBytes = 8 * 1024

    /// Binds `binds` to `statement`; answers how many bytes of text and blobs that copied into it.
    private func bind(_ binds: [BindValue], to statement: OpaquePointer) throws -> Int {
        // SQLITE_TRANSIENT: SQLite copies the value before the call returns.
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        func text(_ index: Int32, _ utf8: UnsafeBufferPointer<UInt8>) -> Int32 {
            sqlite_nio_sqlite3_bind_text(
                statement, index,
                UnsafeRawPointer(utf8.baseAddress ?? UnsafePointer(bitPattern: 1)!).assumingMemoryBound(to: CChar.self),
                Int32(utf8.count), transient)
        }
        func blob(_ index: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
            sqlite_nio_sqlite3_bind_blob(
                statement, index, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, Int32(bytes.count), transient)
        }
        var bytes = 0
        for (offset, value) in binds.enumerated() {
            let index = Int32(offset + 1)
            let result: Int32
            switch value {
            case .value(.integer(let integer)):
                result = sqlite_nio_sqlite3_bind_int64(statement, index, Int64(integer))
            case .value(.float(let double)): result = sqlite_nio_sqlite3_bind_double(statement, index, double)
            case .value(.null): result = sqlite_nio_sqlite3_bind_null(statement, index)
            case .value(.text(var value)):
                bytes += value.utf8.count
                result = value.withUTF8 { text(index, $0) }
            case .value(.blob(let buffer)):
                bytes += buffer.readableBytes
                result = buffer.withUnsafeReadableBytes { blob(index, $0) }
            case .id(let id):
                // With its terminating NUL (length -1): SQLite then marks its copy as terminated. Our UUID columns
                // have numeric affinity (Fluent declares them `UUID`), so SQLite tries every ID it stores or compares
                // as a number first, and an unterminated text it first copies once more to terminate it: five of a
                // chat message's heap allocations (#21).
                bytes += 36
                result = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 37) { buffer in
                    id.writeUpperCaseText(into: buffer)
                    buffer[36] = 0
                    return sqlite_nio_sqlite3_bind_text(
                        statement, index, UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self), -1,
                        transient)
                }
            case .bytes(let data):
                bytes += data.count
                result = data.withUnsafeBytes { blob(index, $0) }
            }
            guard result == SQLITE_OK else { throw error() }
        }
        return bytes
    }

    private static func columns(of statement: OpaquePointer) -> LoopColumns {
        let count = sqlite_nio_sqlite3_column_count(statement)
        return LoopColumns(names: (0..<count).map { String(cString: sqlite_nio_sqlite3_column_name(statement, $0)) })
    }

    /// A column's value as sqlite-nio gives it, so that SQLiteKit's decoder reads it the same.
    private static func value(of statement: OpaquePointer, at column: Int32) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER:
            return .integer(Int(sqlite_nio_sqlite3_column_int64(statement, column)))
        case SQLITE_FLOAT:
            return .float(sqlite_nio_sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            let bytes = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            guard let text = sqlite_nio_sqlite3_column_text(statement, column) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: bytes), as: UTF8.self))
        case SQLITE_BLOB:
            let bytes = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            var buffer = ByteBufferAllocator().buffer(capacity: bytes)
            if let blob = sqlite_nio_sqlite3_column_blob(statement, column) {
                buffer.writeBytes(UnsafeRawBufferPointer(start: blob, count: bytes))
            }
            return .blob(buffer)
        default:
            return .null
        }
    }

    private func error() -> SQLiteStatementError {
        SQLiteStatementError(
            code: sqlite_nio_sqlite3_extended_errcode(handle),
            message: handle.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "the connection is closed")
    }
}
