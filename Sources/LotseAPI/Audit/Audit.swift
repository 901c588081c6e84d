import Foundation

/// What the audit log records (docs/privacy.md, "Audit log"): security-relevant events, never anything anyone wrote.
public enum SecurityEventKind: String, Codable, Sendable, CaseIterable {
    /// Signed in (with the second factor where the account has one).
    case signIn = "sign_in"
    /// A sign-in with this address failed: wrong password, or a wrong second-factor code.
    case signInFailed = "sign_in_failed"
    /// The second factor was turned on.
    case twoFactorEnabled = "two_factor_enabled"
    /// The second factor was turned off.
    case twoFactorDisabled = "two_factor_disabled"
    /// New recovery codes replaced the old ones.
    case recoveryCodesRenewed = "recovery_codes_renewed"
    /// The password was changed while signed in.
    case passwordChanged = "password_changed"
    /// The password was reset through a mailed link.
    case passwordReset = "password_reset"
    /// The account's end-to-end keys were replaced without the recovery key: older messages became unreadable.
    case keysReset = "keys_reset"
    /// A platform administrator changed the account's role.
    case roleChanged = "role_changed"
    /// Someone was invited to, or joined, an institution's staff.
    case staffChanged = "staff_changed"
    /// An institution's staff created a program, moved its status, imported participants or published pairs.
    case institutionAction = "institution_action"
    /// An administrator read the audit log (of the platform, or of an institution).
    case auditRead = "audit_read"
    /// The account exported its data on a device (all of it, or one engagement).
    case dataExported = "data_exported"
    /// The account gave a consent (`purpose`, `version`, and what it is about).
    case consentGiven = "consent_given"
    /// The account withdrew a consent.
    case consentWithdrawn = "consent_withdrawn"
    /// The account asked to be deleted (`deletesAt`).
    case erasureRequested = "erasure_requested"
    /// The account's scheduled deletion was cancelled (`by`: `link` or `settings`).
    case erasureCancelled = "erasure_cancelled"
    /// The account was deleted; what the law requires to be kept was restricted (`restricted`: how many records).
    case accountErased = "account_erased"
}

/// An entry of the audit log as administrators read it, within their scope: whom it is about and who did it, by name.
public struct AuditEntry: Codable, Sendable, Equatable {
    public var sequence: Int
    public var kind: SecurityEventKind
    public var at: Date
    /// Whom it is about, by display name (nil: nobody, or an account that no longer exists).
    public var accountName: String?
    public var actorName: String?
    public var details: [String: String]

    /// Creates the value.
    public init(
        sequence: Int, kind: SecurityEventKind, at: Date, accountName: String?, actorName: String?,
        details: [String: String]
    ) {
        self.sequence = sequence
        self.kind = kind
        self.at = at
        self.accountName = accountName
        self.actorName = actorName
        self.details = details
    }
}

/// One entry of the audit log about an account, for the account itself: what happened, when, and who did it when
/// that was someone else (an administrator).
public struct SecurityEvent: Codable, Sendable, Equatable {
    /// The entry's place in the log.
    public var sequence: Int
    public var kind: SecurityEventKind
    public var at: Date
    /// Who did it, when not the account itself; by display name.
    public var actorName: String?
    /// Facts without content, by kind: `reason` of a failed sign-in (`password`, `second_factor`), `role` given,
    /// `change` of an institution's staff (`invited`, `joined`, `role`) and `staffRole`.
    public var details: [String: String]

    /// Creates the value.
    public init(sequence: Int, kind: SecurityEventKind, at: Date, actorName: String?, details: [String: String]) {
        self.sequence = sequence
        self.kind = kind
        self.at = at
        self.actorName = actorName
        self.details = details
    }
}
