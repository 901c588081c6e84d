import Fluent
import Foundation
import SQLKit

/// Every table of the test database, searched for identifiers in any column and in any form (a UUID column, or
/// text that holds it, e.g. JSON): what each table still holds of them. For tests that something is gone from
/// everywhere, including tables added after the test was written.
func rowsMentioning(_ ids: [UUID], on db: any Database) async throws -> [String: Int] {
    try await scanTables(on: db) { column in
        ids.map { id in
            let hex = id.uuidString.replacingOccurrences(of: "-", with: "")
            return
                "instr(upper(hex(\"\(column)\")), '\(hex)') > 0 OR instr(upper(CAST(\"\(column)\" AS TEXT)), '\(id.uuidString)') > 0"
        }
    } postgres: {
        ids.map { "%" + $0.uuidString.lowercased() + "%" }
    }
}

/// Every table of the test database, searched for texts (an address, a name) in any column, case-insensitively:
/// how many rows of each table hold one of them.
func rowsContaining(_ texts: [String], on db: any Database) async throws -> [String: Int] {
    try await scanTables(on: db) { column in
        texts.map { text in
            let needle = text.lowercased().replacingOccurrences(of: "'", with: "''")
            return "instr(lower(CAST(\"\(column)\" AS TEXT)), '\(needle)') > 0"
        }
    } postgres: {
        texts.map { "%" + $0.lowercased().replacingOccurrences(of: "%", with: "\\%") + "%" }
    }
}

/// Counts, per table, the rows that meet any of the conditions: on SQLite one condition per needle and column (from
/// `sqlite`), on PostgreSQL a `LIKE` pattern per needle over the whole row as text.
private func scanTables(
    on db: any Database, sqlite: (String) -> [String], postgres: () -> [String]
) async throws -> [String: Int] {
    let sql = db as! any SQLDatabase
    struct Name: Decodable { let name: String }
    var found: [String: Int] = [:]
    if sql.dialect.name == "sqlite" {
        let tables = try await sql.raw(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).all(decoding: Name.self).map(\.name)
        for table in tables {
            let columns = try await sql.raw("SELECT name FROM pragma_table_info(\(bind: table))").all(
                decoding: Name.self
            ).map(\.name)
            // One needle at a time, so a row holding two of them counts once per needle, as on PostgreSQL.
            let perNeedle = columns.map(sqlite)
            for index in perNeedle.first?.indices ?? 0..<0 {
                let conditions = perNeedle.map { $0[index] }
                let count =
                    try await sql.raw(
                        "SELECT count(*) AS n FROM \"\(unsafeRaw: table)\" WHERE \(unsafeRaw: conditions.joined(separator: " OR "))"
                    ).first(decoding: Count.self)?.n ?? 0
                if count > 0 { found[table, default: 0] += count }
            }
        }
    } else {
        let tables = try await sql.raw(
            "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()"
        ).all(decoding: Name.self).map(\.name)
        for table in tables {
            for pattern in postgres() {
                let count =
                    try await sql.raw(
                        "SELECT count(*) AS n FROM \"\(unsafeRaw: table)\" AS row WHERE lower(row::text) LIKE \(bind: pattern)"
                    ).first(decoding: Count.self)?.n ?? 0
                if count > 0 { found[table, default: 0] += count }
            }
        }
    }
    return found
}

private struct Count: Decodable { let n: Int }
