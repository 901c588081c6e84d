import Foundation
import LotseAPI

/// A participant list as staff upload it: `name,email,role` per line (comma or semicolon, as spreadsheets in German
/// save it), fields in double quotes where they hold the separator, an optional header line, blank lines skipped.
/// Every row is checked before anything is imported; a bad row is reported with its line number.
struct ParticipantList {
    struct Row: Equatable {
        let line: Int
        let name: String
        let email: String
        let role: ParticipantRole
    }

    /// What is wrong with one line.
    struct Problem: Equatable, Sendable {
        enum Kind: String, Sendable {
            case columns, name, email, role, duplicate
        }
        let line: Int
        let kind: Kind
        /// The offending value, or for a duplicate the line it repeats.
        let value: String

        func describe(in language: Language) -> String {
            Texts.programs.message("programs.list_problem_" + kind.rawValue, language, [value])
        }
    }

    let rows: [Row]
    let problems: [Problem]

    /// At most this many rows in one list.
    static let maximumRows = 5_000

    init(csv: String) {
        var rows: [Row] = []
        var problems: [Problem] = []
        var firstLine: [String: Int] = [:]
        let lines = csv.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (index, raw) in lines.enumerated() {
            let number = index + 1
            let text = raw.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\u{FEFF}", with: "")
            if text.isEmpty { continue }
            let fields = Self.fields(of: text)
            if rows.isEmpty && problems.isEmpty && Self.isHeader(fields) { continue }
            guard fields.count == 3 else {
                problems.append(Problem(line: number, kind: .columns, value: String(fields.count)))
                continue
            }
            guard let name = try? AccountInput.displayName(fields[0]) else {
                problems.append(Problem(line: number, kind: .name, value: fields[0]))
                continue
            }
            guard let email = try? AccountInput.email(fields[1]) else {
                problems.append(Problem(line: number, kind: .email, value: fields[1]))
                continue
            }
            guard let role = Self.role(fields[2]) else {
                problems.append(Problem(line: number, kind: .role, value: fields[2]))
                continue
            }
            if let earlier = firstLine[email] {
                problems.append(Problem(line: number, kind: .duplicate, value: String(earlier)))
                continue
            }
            firstLine[email] = number
            rows.append(Row(line: number, name: name, email: email, role: role))
        }
        self.rows = rows
        self.problems = problems
    }

    static func role(_ raw: String) -> ParticipantRole? {
        switch raw.trimmingCharacters(in: .whitespaces).lowercased() {
        case "mentee", "mentees", "mentoree": .mentee
        case "mentor", "mentorin", "mentoren", "mentor*in": .mentor
        default: nil
        }
    }

    static func isHeader(_ fields: [String]) -> Bool {
        let words = fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        return words.contains { ["email", "e-mail", "mail", "e-mail-adresse"].contains($0) }
            && words.contains { ["role", "rolle"].contains($0) }
    }

    /// The fields of one line: separated by `;` if the line has one outside quotes, else by `,`.
    static func fields(of line: String) -> [String] {
        let separator: Character = Self.split(line, by: ";").count > 1 ? ";" : ","
        return split(line, by: separator).map { $0.trimmingCharacters(in: .whitespaces) }
    }

    private static func split(_ line: String, by separator: Character) -> [String] {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var characters = line.makeIterator()
        while let character = characters.next() {
            if character == "\"" {
                if quoted, let next = characters.next() {
                    if next == "\"" {
                        field.append("\"")
                    } else {
                        quoted = false
                        if next == separator {
                            fields.append(field)
                            field = ""
                        } else {
                            field.append(next)
                        }
                    }
                } else {
                    quoted.toggle()
                }
            } else if character == separator && !quoted {
                fields.append(field)
                field = ""
            } else {
                field.append(character)
            }
        }
        fields.append(field)
        return fields
    }
}
