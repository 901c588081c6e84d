import Fluent
import Foundation
import LotseAPI
import LotseCrypto
import SQLKit
import Vapor

/// The rules of accounts: sign-up, verification, sign-in with a second factor, sessions, password reset.
///
/// No HTTP here; ``AccountsController`` translates. Answers never reveal whether an address has an account: unknown
/// addresses get decoy salts, the same "accepted" answers and the same bcrypt work as known ones.
struct AccountsService {
    let db: any Database
    let now: @Sendable () -> Date
    let secrets: ServerSecrets
    let mailer: Mailer
    let hasher: LoginKeyHasher
    /// Where sign-ins, failed sign-ins and changes to how one signs in are recorded.
    let audit: AuditLog
    /// Sessions looked up recently; told when sessions end in bulk.
    let sessionCache: SessionCache
    /// The per-address limits (`LOTSE_LOGIN_LIMIT_PER_ADDRESS`, `LOTSE_SIGNUP_LIMIT_PER_ADDRESS`).
    var limits = Limits()
    /// Whether a program invitation code vouches for a sign-up (programs answer; see `RegisterAccount.programCode`).
    var vouchesForSignUp: @Sendable (String) async throws -> Bool = { _ in false }

    struct Limits: Sendable {
        var loginsPerAddress = Throttle.Policy.loginPerAddress
        var mailsPerAddress = Throttle.Policy.mailPerAddress
    }

    /// The configured per-address limits of sign-in and mail-sending requests.
    static func limits(_ config: AppConfig) -> Limits {
        Limits(
            loginsPerAddress: Throttle.Policy.loginPerAddress.with(limit: config.loginLimitPerAddress),
            mailsPerAddress: Throttle.Policy.mailPerAddress.with(limit: config.signUpLimitPerAddress))
    }

    /// Who is asking, for rate limits and the session list.
    struct Client: Sendable {
        var ipAddress: String
        var userAgent: String
        /// The known-device token the browser holds from an earlier sign-in, if any (docs/accounts.md).
        var deviceToken: String? = nil
    }

    /// A session just created, with its secret token (shown once).
    struct IssuedSession {
        let token: String
        let record: AuthSessionRecord
        let user: UserRecord
    }

    /// The outcome of the first sign-in step.
    enum LoginOutcome {
        case signedIn(IssuedSession)
        case challenge(String)
    }

    static let sessionIdleLifetime: TimeInterval = 14 * 86_400
    static let sessionMaximumLifetime: TimeInterval = 90 * 86_400
    /// How often a session's `last_seen_at` is written at most.
    static let lastSeenInterval: TimeInterval = 60
    static let verificationLifetime: TimeInterval = 48 * 3_600
    static let resetLifetime: TimeInterval = 3_600
    static let challengeLifetime: TimeInterval = 5 * 60
    static let challengeAttempts = 5
    static let recoveryCodeCount = 10

    var keyStore: KeyStore { KeyStore(db: db, now: now) }
    var throttle: Throttle { Throttle(db: db, now: now) }

    // MARK: Sign-up and verification

    /// The parameters that derive the login key for an address; unknown addresses get a stable decoy.
    func preLogin(email raw: String) async throws -> KDFParameters {
        let email = try AccountInput.email(raw)
        if let user = try await UserRecord.query(on: db).filter(\.$email == email).first() {
            return user.kdf
        }
        return KDFParameters(salt: secrets.decoySalt(for: email))
    }

    /// Creates an unverified account and mails a verification link. For a verified address, the owner gets a mail
    /// instead and the caller gets the same answer, so sign-up does not reveal who has an account.
    ///
    /// While an address is unverified, a new sign-up replaces the pending one and voids its links: whoever proves
    /// the mailbox verifies their own password, never one an earlier stranger chose (account pre-hijacking).
    func register(_ input: RegisterAccount, from client: Client) async throws {
        let email = try AccountInput.email(input.email)
        let name = try AccountInput.displayName(input.displayName)
        let kdf = try AccountInput.kdf(input.kdf)
        let loginKey = try AccountInput.loginKey(input.loginKey)
        guard input.role == .client || input.role == .coach else { throw AccountsError.roleNotAllowed }

        var vouched = false
        if let code = input.programCode {
            guard code.unicodeScalars.count <= 100 else {
                throw RequestError.invalid(field: "programCode", reason: "at most 100 characters")
            }
            vouched = try await vouchesForSignUp(code)
        }
        if !vouched, let retry = try await throttle.hit(limits.mailsPerAddress, client.ipAddress) {
            throw RequestError.rateLimited(retryAfter: retry)
        }
        let hash = try await hasher.hash(loginKey)
        let coachTitle = input.role == .coach ? (input.coachTitle ?? .coach) : nil
        if let existing = try await UserRecord.query(on: db).filter(\.$email == email).first() {
            if existing.emailVerifiedAt != nil {
                try await remindOwner(existing)
                return
            }
            guard try await throttle.hit(.mailPerEmail, SecureToken.hash(email)) == nil else { return }
            existing.displayName = name
            existing.role = input.role
            existing.coachTitle = coachTitle
            existing.language = input.language
            existing.setLoginKey(kdf: kdf, hash: hash)
            try await db.transaction { db in
                try await existing.save(on: db)
                try await AccountTokenRecord.query(on: db).filter(\.$user.$id == existing.requireID())
                    .filter(\.$purpose == .verifyEmail).delete()
            }
            try await sendVerification(to: existing)
            return
        }
        guard try await throttle.hit(.mailPerEmail, SecureToken.hash(email)) == nil else { return }
        let user = UserRecord(
            email: email, displayName: name, role: input.role, coachTitle: coachTitle, language: input.language,
            kdf: kdf, loginKeyHash: hash)
        user.createdAt = now()
        do {
            try await user.create(on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // A concurrent sign-up with the same address won the race; answer as for a taken address.
            return
        }
        try await sendVerification(to: user)
    }

    /// Marks the address of the token's account as verified; using the link again changes nothing and succeeds.
    func verifyEmail(token: String) async throws {
        let record = try await useToken(token, purpose: .verifyEmail)
        let user = try await record.$user.get(on: db)
        if user.emailVerifiedAt == nil {
            user.emailVerifiedAt = now()
            try await user.save(on: db)
        }
    }

    private func remindOwner(_ user: UserRecord) async throws {
        guard try await throttle.hit(.mailPerEmail, SecureToken.hash(user.email)) == nil else { return }
        mailer.send(
            "exists", to: user.email, in: user.language, arguments: [Self.salutation(user), mailer.page("/login")],
            now: now())
    }

    /// " Sam" for "Hello{0}," in mails that may reach an address whose account was never verified: its name was
    /// typed by whoever signed up, perhaps a stranger, so such a mail says only "Hello,".
    static func salutation(_ user: UserRecord) -> String {
        user.emailVerifiedAt == nil ? "" : " " + user.displayName
    }

    private func sendVerification(to user: UserRecord) async throws {
        let token = try await issueToken(for: user, purpose: .verifyEmail, lifetime: Self.verificationLifetime)
        mailer.send(
            "verify", to: user.email, in: user.language,
            arguments: [mailer.link("/verify-email", token: token)], now: now())
    }

    // MARK: Sign-in

    /// Checks address and login key. Five failures for one address lock it for the rest of a 15-minute window,
    /// whether or not it has an account; failures from one network address are limited too (successes are not, so
    /// a class signing in from one campus network is never held up).
    func login(_ input: Login, from client: Client) async throws -> LoginOutcome {
        if let retry = try await throttle.blocked(limits.loginsPerAddress, client.ipAddress) {
            throw RequestError.rateLimited(retryAfter: retry)
        }
        let email = (try? AccountInput.email(input.email)) ?? input.email.lowercased()
        let emailKey = SecureToken.hash(email)
        let user = try await UserRecord.query(on: db).filter(\.$email == email).first()
        // A browser that signed in to this account before is let past the address's lockout (someone else's
        // guessing must not lock the owner out), with a limit of its own.
        let deviceKey = knownDeviceKey(client.deviceToken, of: user)
        if let retry = try await throttle.blocked(.loginPerEmail, deviceKey ?? emailKey) {
            throw AccountsError.tooManyAttempts(retryAfter: retry)
        }
        // Unknown addresses cost the same bcrypt work as known ones.
        let matches = try await hasher.verify(input.loginKey, against: user?.loginKeyHash ?? hasher.decoyHash)
        guard let user, matches else {
            try await throttle.hit(limits.loginsPerAddress, client.ipAddress)
            try await throttle.hit(.loginPerEmail, emailKey)
            if let deviceKey { try await throttle.hit(.loginPerEmail, deviceKey) }
            if let user { try await audit.record(.signInFailed, account: user.id, details: ["reason": "password"]) }
            throw AccountsError.invalidCredentials
        }
        try await throttle.clear(.loginPerEmail, emailKey)
        guard user.emailVerifiedAt != nil else { throw AccountsError.emailUnverified }
        let transport = input.transport ?? .bearer
        if user.isTwoFactorEnabled {
            let challenge = try await issueToken(
                for: user, purpose: .loginChallenge, lifetime: Self.challengeLifetime, detail: transport.rawValue)
            return .challenge(challenge)
        }
        return .signedIn(try await createSession(for: user, transport: transport, client: client))
    }

    /// The lockout counter's key for a browser holding a valid known-device token of `user`, else nil.
    private func knownDeviceKey(_ token: String?, of user: UserRecord?) -> String? {
        guard let token, let user, let id = user.id,
            secrets.isDeviceToken(token, of: id, loginKeyHash: user.loginKeyHash)
        else { return nil }
        return "device:" + SecureToken.hash(token)
    }

    /// Completes a sign-in with a TOTP code or a recovery code. A challenge takes five wrong answers, an account ten
    /// per 15 minutes.
    func completeSecondFactor(_ input: LoginSecondFactor, from client: Client) async throws -> IssuedSession {
        let hash = SecureToken.hash(input.challenge)
        guard
            let challenge = try await AccountTokenRecord.query(on: db)
                .filter(\.$tokenHash == hash).filter(\.$purpose == .loginChallenge).first(),
            challenge.expiresAt > now(), challenge.attempts < Self.challengeAttempts
        else { throw AccountsError.challengeInvalid }
        let user = try await challenge.$user.get(on: db)
        let userKey = try user.requireID().uuidString
        if let retry = try await throttle.blocked(.secondFactorPerUser, userKey) {
            throw AccountsError.tooManyAttempts(retryAfter: retry)
        }
        let accepted: Bool
        if let code = input.code {
            accepted = try await acceptTOTP(code, for: user)
        } else if let recovery = input.recoveryCode {
            accepted = try await acceptRecoveryCode(recovery, for: user)
        } else {
            throw RequestError.invalid(field: "code", reason: "missing")
        }
        guard accepted else {
            challenge.attempts += 1
            try await challenge.save(on: db)
            try await throttle.hit(.secondFactorPerUser, userKey)
            try await audit.record(.signInFailed, account: user.id, details: ["reason": "second_factor"])
            throw AccountsError.codeInvalid
        }
        // One challenge, one session: of two requests racing with the same challenge, only one deletes it.
        let consumed = try await (db as! any SQLDatabase).raw(
            "DELETE FROM account_tokens WHERE id = \(bind: try challenge.requireID()) RETURNING id"
        ).all()
        guard consumed.count == 1 else { throw AccountsError.challengeInvalid }
        try await throttle.clear(.secondFactorPerUser, userKey)
        let transport = challenge.detail.flatMap(SessionTransport.init(rawValue:)) ?? .bearer
        return try await createSession(for: user, transport: transport, client: client)
    }

    private func createSession(for user: UserRecord, transport: SessionTransport, client: Client) async throws
        -> IssuedSession
    {
        let token = SecureToken.make()
        let session = AuthSessionRecord()
        session.$user.id = try user.requireID()
        session.tokenHash = SecureToken.hash(token)
        session.csrfToken = SecureToken.make()
        session.transport = transport
        session.userAgent = String(client.userAgent.prefix(300))
        session.ipAddress = client.ipAddress
        session.createdAt = now()
        session.lastSeenAt = now()
        session.expiresAt = now().addingTimeInterval(Self.sessionIdleLifetime)
        try await session.create(on: db)
        try await audit.record(.signIn, account: user.id)
        return IssuedSession(token: token, record: session, user: user)
    }

    /// Finds the live session for a token's hash in the database, keeps it alive and the session cache filled; nil
    /// for unknown, expired or ended sessions. Requests ask the cache first (`Request.foundSession(token:)`).
    func authenticate(hash: String) async throws -> FoundSession? {
        let time = now()
        // One query for both: this runs on every authenticated request the cache cannot answer.
        let epoch = sessionCache.epoch
        guard let row = try await SessionCache.row(for: hash, on: db) else { return nil }
        let (session, user) = try SessionCache.records(from: row)
        guard session.expiresAt > time else {
            try await session.delete(on: db)
            return nil
        }
        // Write at most once a minute: reading a page must not mean a write per request.
        if time.timeIntervalSince(session.lastSeenAt) > Self.lastSeenInterval {
            session.lastSeenAt = time
            session.expiresAt = min(
                time.addingTimeInterval(Self.sessionIdleLifetime),
                session.createdAt.addingTimeInterval(Self.sessionMaximumLifetime))
            try await session.save(on: db)
            return try FoundSession(session: session, user: user)  // the next request reads the row as written
        }
        let found = try FoundSession(session: session, user: user)
        sessionCache.store(row, facts: found.facts, hash: hash, readSince: epoch, at: time)
        return found
    }

    // MARK: Sessions

    /// The account's sessions, newest first.
    func sessions(of userID: UUID, current: UUID) async throws -> [SessionSummary] {
        try await AuthSessionRecord.query(on: db)
            .filter(\.$user.$id == userID).filter(\.$expiresAt > now())
            .sort(\.$lastSeenAt, .descending).all()
            .map { session in
                SessionSummary(
                    id: try session.requireID(), isCurrent: session.id == current, userAgent: session.userAgent,
                    ipAddress: session.ipAddress, createdAt: session.createdAt, lastSeenAt: session.lastSeenAt,
                    expiresAt: session.expiresAt)
            }
    }

    /// Ends one of the account's sessions.
    func endSession(_ id: UUID, of userID: UUID) async throws {
        guard
            let session = try await AuthSessionRecord.query(on: db)
                .filter(\.$id == id).filter(\.$user.$id == userID).first()
        else { throw AccountsError.sessionNotFound }
        try await session.delete(on: db)
    }

    /// Ends every session of an account, except possibly one.
    func endSessions(of userID: UUID, except keep: UUID? = nil) async throws {
        var query = AuthSessionRecord.query(on: db).filter(\.$user.$id == userID)
        if let keep { query = query.filter(\.$id != keep) }
        try await query.delete()
        sessionCache.forget(user: userID)
    }

    // MARK: Passwords

    /// Mails a reset link if the address has an account; the answer is the same either way.
    func requestPasswordReset(email raw: String, from client: Client) async throws {
        let email = try AccountInput.email(raw)
        if let retry = try await throttle.hit(limits.mailsPerAddress, client.ipAddress) {
            throw RequestError.rateLimited(retryAfter: retry)
        }
        guard try await throttle.hit(.mailPerEmail, SecureToken.hash(email)) == nil,
            let user = try await UserRecord.query(on: db).filter(\.$email == email).first()
        else { return }
        let token = try await issueToken(for: user, purpose: .resetPassword, lifetime: Self.resetLifetime)
        mailer.send(
            "reset", to: user.email, in: user.language,
            arguments: [Self.salutation(user), mailer.link("/reset-password", token: token)], now: now())
    }

    /// Sets a new login key from a reset link; ends every session. Reading the link also proves the address.
    /// A retry with the same new key after the first one worked succeeds again without changing anything.
    func completePasswordReset(_ input: CompletePasswordReset) async throws {
        let kdf = try AccountInput.kdf(input.kdf)
        let loginKey = try AccountInput.loginKey(input.loginKey)
        let record = try await useToken(input.token, purpose: .resetPassword)
        let user = try await record.$user.get(on: db)
        if record.usedAt != nil {
            guard user.kdf == kdf, try await hasher.verify(loginKey, against: user.loginKeyHash) else {
                throw AccountsError.tokenInvalid
            }
            return
        }
        let hasKeys = try await keyStore.exist(for: user.requireID())
        if let wrapped = input.wrappedKeys {
            guard hasKeys else { throw KeysError.keysMissing }
            try Validate.sealed(wrapped, field: "wrappedKeys", plaintext: 64)
        }
        record.usedAt = now()
        try await record.save(on: db)
        let hash = try await hasher.hash(loginKey)
        let dropsKeys = input.wrappedKeys == nil && hasKeys
        try await db.transaction { db in
            if let wrapped = input.wrappedKeys {
                try await KeyStore(db: db, now: now).rewrap(wrapped, for: user.requireID())
            } else if hasKeys {
                // Without the recovery key the old keys cannot be opened again: drop them, so the next sign-in
                // makes new ones and the other members re-key the conversations (docs/crypto.md).
                try await KeyStore(db: db, now: now).drop(of: user.requireID())
            }
            user.setLoginKey(kdf: kdf, hash: hash)
            if user.emailVerifiedAt == nil { user.emailVerifiedAt = now() }
            try await user.save(on: db)
            try await AuthSessionRecord.query(on: db).filter(\.$user.$id == user.requireID()).delete()
            // Other reset links mailed earlier stop working.
            try await AccountTokenRecord.query(on: db).filter(\.$user.$id == user.requireID())
                .filter(\.$purpose == .resetPassword).filter(\.$id != record.requireID()).delete()
        }
        sessionCache.forget(user: try user.requireID())  // committed: no lookup reads the ended sessions again
        try await throttle.clear(.loginPerEmail, SecureToken.hash(user.email))
        try await audit.record(.passwordReset, account: user.id)
        if dropsKeys { try await audit.record(.keysReset, account: user.id) }
        sendPasswordChanged(to: user)
    }

    /// Changes the login key of a signed-in account after checking the current one; other sessions end.
    /// A retry after the change went through (the new key already works) succeeds without changing anything.
    func changePassword(_ input: ChangePassword, for user: UserRecord, keeping session: UUID) async throws {
        let kdf = try AccountInput.kdf(input.kdf)
        let loginKey = try AccountInput.loginKey(input.loginKey)
        guard try await hasher.verify(input.currentLoginKey, against: user.loginKeyHash) else {
            if user.kdf == kdf, try await hasher.verify(loginKey, against: user.loginKeyHash) { return }
            throw AccountsError.invalidCredentials
        }
        let hasKeys = try await keyStore.exist(for: user.requireID())
        if hasKeys, input.wrappedKeys == nil { throw KeysError.malformed(field: "wrappedKeys") }
        user.setLoginKey(kdf: kdf, hash: try await hasher.hash(loginKey))
        try await db.transaction { db in
            if hasKeys, let wrapped = input.wrappedKeys {
                try await KeyStore(db: db, now: now).rewrap(wrapped, for: user.requireID())
            }
            try await user.save(on: db)
            try await AuthSessionRecord.query(on: db).filter(\.$user.$id == user.requireID())
                .filter(\.$id != session).delete()
        }
        sessionCache.forget(user: try user.requireID())  // committed: no lookup reads the ended sessions again
        try await audit.record(.passwordChanged, account: user.id)
        sendPasswordChanged(to: user)
    }

    /// The keys sealed under the recovery key, for a browser holding a live reset link: it opens them with the
    /// recovery key and seals them again under the new password, so history stays readable.
    func recoveryKeys(token: String) async throws -> RecoveryKeys {
        let record = try await useToken(token, purpose: .resetPassword)
        guard record.usedAt == nil else { throw AccountsError.tokenInvalid }
        guard let keys = try await AccountKeysRecord.find(record.$user.id, on: db) else {
            throw KeysError.keysMissing
        }
        return RecoveryKeys(
            userId: record.$user.id, agreementKey: keys.agreementKey, signingKey: keys.signingKey,
            recoveryWrappedKeys: keys.recoveryWrapped)
    }

    private func sendPasswordChanged(to user: UserRecord) {
        mailer.send(
            "password_changed", to: user.email, in: user.language,
            arguments: [user.displayName, mailer.page("/forgot-password")], now: now())
    }

    // MARK: Tokens

    private func issueToken(
        for user: UserRecord, purpose: AccountTokenRecord.Purpose, lifetime: TimeInterval,
        detail: String? = nil
    ) async throws -> String {
        let token = SecureToken.make()
        let record = AccountTokenRecord()
        record.$user.id = try user.requireID()
        record.purpose = purpose
        record.tokenHash = SecureToken.hash(token)
        record.detail = detail
        record.attempts = 0
        record.createdAt = now()
        record.expiresAt = now().addingTimeInterval(lifetime)
        try await record.create(on: db)
        return token
    }

    /// Finds a live token. Verification links may be opened twice; reset links are marked used by the caller and
    /// come back here only so a retry can be recognized.
    private func useToken(_ token: String, purpose: AccountTokenRecord.Purpose) async throws -> AccountTokenRecord {
        guard
            let record = try await AccountTokenRecord.query(on: db)
                .filter(\.$tokenHash == SecureToken.hash(token)).filter(\.$purpose == purpose).first(),
            record.expiresAt > now()
        else { throw AccountsError.tokenInvalid }
        return record
    }
}
