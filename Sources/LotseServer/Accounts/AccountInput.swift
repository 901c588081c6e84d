import Foundation
import LotseAPI

/// Checks and normalizes what people type, before anything touches the database.
enum AccountInput {
    /// Trims and lower-cases an email address; throws unless it looks deliverable.
    static func email(_ raw: String) throws -> String {
        let email = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.count <= 254, parts.count == 2, (1...64).contains(parts[0].count),
            parts[1].count >= 3, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
            !email.contains(where: { $0.isWhitespace || $0.isNewline || $0 == "<" || $0 == ">" || $0 == "," || $0 == "\"" }),
            email.unicodeScalars.allSatisfy({ !CharacterSet.controlCharacters.contains($0) })
        else { throw AccountsError.invalidEmail }
        return email
    }

    /// Trims a display name; 1 to 100 characters, no control characters.
    static func displayName(_ raw: String) throws -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(name.count),
            name.unicodeScalars.allSatisfy({ !CharacterSet.controlCharacters.contains($0) })
        else { throw AccountsError.invalidDisplayName }
        return name
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
