import Foundation
import LotseAPI

/// Checks and normalizes what people type, before anything touches the database.
enum AccountInput {
    /// Trims and lower-cases an email address; throws unless it is a dot-atom at a host name with a dot in it
    /// (what mail servers deliver to; quoted local parts and address literals are refused). The same rule is the
    /// `Email` pattern in openapi/lotse.yaml.
    static func email(_ raw: String) throws -> String {
        let email = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard email.utf8.count <= 254, (email.split(separator: "@").first?.utf8.count ?? 0) <= 64,
            (try? emailPattern.wholeMatch(in: email)) != nil
        else {
            throw AccountsError.invalidEmail
        }
        return email
    }

    nonisolated(unsafe) static let emailPattern =
        #/[a-z0-9!#$%&'*+\/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+\/=?^_`{|}~-]+)*@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+/#

    /// Trims a display name; 1 to 100 characters, no control characters, no bidi overrides or line separators.
    static func displayName(_ raw: String) throws -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(name.count),
            !name.unicodeScalars.contains(where: { isControl($0) || isDeceptiveFormatting($0) })
        else {
            throw AccountsError.invalidDisplayName
        }
        return name
    }

    /// C0 and C1 control characters (Unicode category Cc); invisible formatting marks are allowed in names.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// Marks that make text read differently from what it is: bidi embeddings, overrides and isolates (U+202A–202E,
    /// U+2066–2069; "‮gpj.exe" shows as "exe.jpg") and the line and paragraph separators (U+2028, U+2029), which
    /// break one line of a name into two. Letters that write right to left need none of them.
    static func isDeceptiveFormatting(_ scalar: Unicode.Scalar) -> Bool {
        (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
            || scalar.value == 0x2028 || scalar.value == 0x2029
    }

    /// A login key is base64 of exactly 32 bytes.
    static func loginKey(_ raw: String, field: String = "loginKey") throws -> String {
        guard raw.count == 44, let bytes = Data(base64Encoded: raw), bytes.count == 32 else {
            throw AccountsError.invalidLoginKey(field: field)
        }
        return raw
    }

    /// PBKDF2-SHA256, 600,000 to 10,000,000 iterations, a 16 to 64 byte salt.
    static func kdf(_ kdf: KDFParameters) throws -> KDFParameters {
        guard kdf.algorithm == KDFParameters.pbkdf2SHA256,
            (KDFParameters.minimumIterations...10_000_000).contains(kdf.iterations),
            let salt = Data(base64Encoded: kdf.salt), (16...64).contains(salt.count)
        else { throw AccountsError.invalidKDF }
        return kdf
    }
}
