import Fluent
import Foundation
import SQLKit

/// Every table of the test database, searched for identifiers in any column and in any form (a UUID column, or
/// text that holds it, e.g. JSON): what each table still holds of them. For tests that something is gone from
/// everywhere, including tables added after the test was written.
func rowsMentioning(_ ids: [UUID], on db: any Database) async throws -> [String: Int] {
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
            )
            .map(\.name)
            for id in ids {
                let hex = id.uuidString.replacingOccurrences(of: "-", with: "")
                let conditions = columns.map {
                    "instr(upper(hex(\"\($0)\")), '\(hex)') > 0 OR instr(upper(CAST(\"\($0)\" AS TEXT)), '\(id.uuidString)') > 0"
                }
                guard !conditions.isEmpty else { continue }
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
            for id in ids {
                let count =
                    try await sql.raw(
                        "SELECT count(*) AS n FROM \"\(unsafeRaw: table)\" AS row WHERE lower(row::text) LIKE \(bind: "%" + id.uuidString.lowercased() + "%")"
                    ).first(decoding: Count.self)?.n ?? 0
                if count > 0 { found[table, default: 0] += count }
            }
        }
    }
    return found
}

private struct Count: Decodable { let n: Int }

/// Every table of the test database, searched for texts (an address, a name) in any column, case-insensitively:
/// how many rows of each table hold one of them.
func rowsContaining(_ texts: [String], on db: any Database) async throws -> [String: Int] {
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
            for text in texts where !columns.isEmpty {
                let needle = text.lowercased().replacingOccurrences(of: "'", with: "''")
                let conditions = columns.map { "instr(lower(CAST(\"\($0)\" AS TEXT)), '\(needle)') > 0" }
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
            for text in texts {
                let count =
                    try await sql.raw(
                        "SELECT count(*) AS n FROM \"\(unsafeRaw: table)\" AS row WHERE strpos(lower(row::text), \(bind: text.lowercased())) > 0"
                    ).first(decoding: Count.self)?.n ?? 0
                if count > 0 { found[table, default: 0] += count }
            }
        }
    }
    return found
}
