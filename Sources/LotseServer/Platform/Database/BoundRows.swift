import SQLKit
import Synchronization

/// The rows of a `VALUES` list or an `IN` list, `(?1, ?2), (?3, ?4)`, every value bound, for any dialect.
///
/// SQLKit's interpolation makes every bound value a fragment of its own and asks the dialect for its placeholder
/// anew (an expression, then string interpolation); for a batch of thirty messages, a few hundred values, that was
/// a tenth of the SQLite writer's time (#21, bench/README.md). Here each placeholder's text is made once per dialect
/// and the row's text is written in one string.
struct BoundRows: SQLExpression {
    let columns: Int
    let values: [any Encodable & Sendable]

    /// `values` in rows of `columns` each; an `IN` list is one row of all of them.
    init(columns: Int, _ values: [any Encodable & Sendable]) {
        precondition(columns > 0 && values.count % columns == 0, "rows of \(columns) values")
        self.columns = columns
        self.values = values
    }

    func serialize(to serializer: inout SQLSerializer) {
        guard !values.isEmpty else { return }
        let first = serializer.binds.count + 1
        let placeholders = Self.placeholders(of: serializer.database, upTo: first + values.count - 1)
        var text = ""
        text.reserveCapacity(values.count * (placeholders[first + values.count - 1].utf8.count + 2) + 4)
        for index in values.indices {
            text += index == 0 ? "(" : index % columns == 0 ? "), (" : ", "
            text += placeholders[first + index]
        }
        text += ")"
        serializer.write(text)
        serializer.binds += values
    }

    /// Each dialect's placeholders by position, as its `bindPlaceholder(at:)` writes them (index 0 unused).
    private static let made = Mutex<[String: [String]]>([:])

    private static func placeholders(of database: any SQLDatabase, upTo last: Int) -> [String] {
        let dialect = database.dialect
        return made.withLock { made in
            var known = made[dialect.name] ?? [""]
            guard known.count <= last else { return known }
            for position in known.count...max(last, 2 * known.count) {
                var serializer = SQLSerializer(database: database)
                dialect.bindPlaceholder(at: position).serialize(to: &serializer)
                known.append(serializer.sql)
            }
            made[dialect.name] = known
            return known
        }
    }
}
