import Crypto
import Fluent
import Foundation
import LotseAPI
import LotseCrypto
import SQLKit

/// TOTP (RFC 6238) enrollment and checks, and single-use recovery codes.
extension AccountsService {
    /// Starts enrollment: a new secret, kept pending until a code from it is confirmed.
    func beginTwoFactorSetup(for user: UserRecord) async throws -> TwoFactorSetup {
        guard !user.isTwoFactorEnabled else { throw AccountsError.twoFactorAlreadyEnabled }
        let secret = TOTP.makeSecret()
        user.totpPendingSecret = try secrets.seal(secret, context: try sealContext(user))
        try await user.save(on: db)
        return TwoFactorSetup(
            secret: Base32.encode(secret), otpauthURI: TOTP(secret: secret).uri(issuer: "Lotse", account: user.email))
    }

    /// Turns two-factor sign-in on once a code from the pending secret proves the app has it; returns recovery codes.
    func confirmTwoFactor(code: String, for user: UserRecord) async throws -> RecoveryCodes {
        guard !user.isTwoFactorEnabled else { throw AccountsError.twoFactorAlreadyEnabled }
        guard let pending = user.totpPendingSecret, let secret = secrets.open(pending, context: try sealContext(user))
        else { throw AccountsError.twoFactorSetupMissing }
        guard let step = TOTP(secret: secret).matchingStep(for: code, at: now()) else {
            throw AccountsError.codeInvalid
        }
        user.totpSecret = pending
        user.totpPendingSecret = nil
        user.totpLastStep = step
        let codes = try await db.transaction { db in
            try await user.save(on: db)
            return try await replaceRecoveryCodes(for: user, on: db)
        }
        try await audit.record(.twoFactorEnabled, account: user.id)
        return codes
    }

    /// New recovery codes, invalidating the old ones; a current TOTP code authorizes it.
    func regenerateRecoveryCodes(code: String, for user: UserRecord) async throws -> RecoveryCodes {
        guard user.isTwoFactorEnabled else { throw AccountsError.twoFactorNotEnabled }
        guard try await acceptTOTP(code, for: user) else { throw AccountsError.codeInvalid }
        let codes = try await db.transaction { db in try await replaceRecoveryCodes(for: user, on: db) }
        try await audit.record(.recoveryCodesRenewed, account: user.id)
        return codes
    }

    /// Turns two-factor sign-in off; only where the role does not demand it.
    func disableTwoFactor(code: String, for user: UserRecord) async throws {
        guard user.isTwoFactorEnabled else { throw AccountsError.twoFactorNotEnabled }
        guard !user.role.requiresTwoFactor else { throw AccountsError.twoFactorMandatory }
        guard try await acceptTOTP(code, for: user) else { throw AccountsError.codeInvalid }
        user.totpSecret = nil
        user.totpLastStep = nil
        try await db.transaction { db in
            try await user.save(on: db)
            try await RecoveryCodeRecord.query(on: db).filter(\.$user.$id == user.requireID()).delete()
        }
        try await audit.record(.twoFactorDisabled, account: user.id)
    }

    /// How many recovery codes are still unused.
    func recoveryCodesLeft(for userID: UUID) async throws -> Int {
        try await RecoveryCodeRecord.query(on: db).filter(\.$user.$id == userID).filter(\.$usedAt == nil).count()
    }

    /// Accepts a TOTP code once: a code of a step already used is refused, so an overheard code cannot be replayed.
    /// The step moves forward in one conditional update, so of two sign-ins racing with the same code only one wins.
    func acceptTOTP(_ code: String, for user: UserRecord) async throws -> Bool {
        guard let sealed = user.totpSecret, let secret = secrets.open(sealed, context: try sealContext(user)),
            let step = TOTP(secret: secret).matchingStep(for: code, at: now())
        else { return false }
        let moved = try await (db as! any SQLDatabase).raw(  // both drivers are SQL databases
            """
            UPDATE users SET totp_last_step = \(bind: step)
            WHERE id = \(bind: try user.requireID()) AND (totp_last_step IS NULL OR totp_last_step < \(bind: step))
            RETURNING id
            """
        ).all()
        guard moved.count == 1 else { return false }
        user.totpLastStep = step
        return true
    }

    /// Accepts an unused recovery code and marks it used, in one conditional update: a code works once even when
    /// two sign-ins race with it.
    func acceptRecoveryCode(_ code: String, for user: UserRecord) async throws -> Bool {
        let used = try await (db as! any SQLDatabase).raw(
            """
            UPDATE recovery_codes SET used_at = \(bind: now())
            WHERE user_id = \(bind: try user.requireID()) AND code_hash = \(bind: Self.recoveryHash(code))
                AND used_at IS NULL
            RETURNING id
            """
        ).all()
        return used.count == 1
    }

    private func replaceRecoveryCodes(for user: UserRecord, on db: any Database) async throws -> RecoveryCodes {
        let userID = try user.requireID()
        try await RecoveryCodeRecord.query(on: db).filter(\.$user.$id == userID).delete()
        let codes = (0..<Self.recoveryCodeCount).map { _ in Self.makeRecoveryCode() }
        for code in codes {
            let record = RecoveryCodeRecord()
            record.$user.id = userID
            record.codeHash = Self.recoveryHash(code)
            try await record.create(on: db)
        }
        return RecoveryCodes(codes: codes)
    }

    private func sealContext(_ user: UserRecord) throws -> String {
        "totp:" + (try user.requireID().uuidString)
    }

    /// Twelve characters from an alphabet without look-alikes (no 0/o, 1/l/i): about 59 random bits.
    static func makeRecoveryCode() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        let characters = (0..<12).map { _ in alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))] }
        return [0, 4, 8].map { String(characters[$0..<$0 + 4]) }.joined(separator: "-")
    }

    /// Recovery codes are compared without case, spaces or dashes.
    static func recoveryHash(_ code: String) -> String {
        SecureToken.hash(code.lowercased().filter { $0.isLetter || $0.isNumber })
    }
}
