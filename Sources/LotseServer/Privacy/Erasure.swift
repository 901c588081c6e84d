import Fluent
import Foundation
import LotseAPI
import SQLKit

/// The right to erasure (Art. 17; docs/privacy.md, "Erasure"). A person asks, with their password, for their account
/// to be deleted; it is, ``gracePeriod`` later, unless they cancel first (signed in, or from the mailed link). Then
/// every row about them goes and their private keys with it (crypto-shredding: what backups hold of their messages can
/// no longer be opened with anything the server ever had). What others received stays with them — messages, shared
/// engagement items, keys they handed out — under the account's ID, whose row is scrubbed to a tombstone (no address,
/// no name, no password) that the clients show as "a deleted account". The public keys stay too, so those messages
/// still verify. Records the law requires to be kept are restricted instead (``Restrictions``), and the audit log
/// keeps its entries, which hold no content.
struct Erasure {
    let db: any Database
    let now: @Sendable () -> Date
    let mailer: Mailer
    let audit: AuditLog
    let hasher: LoginKeyHasher
    let events: EventHub
    /// Told after the commit, so the erased account's sessions are refused at once.
    let sessionCache: SessionCache
    let notifications: NotificationsService
    let kinds: [any RestrictedKind]

    static let gracePeriod = TimeInterval(ErasureStatus.gracePeriodDays) * 86_400

    // MARK: Asking and changing one's mind

    /// Whether the account's deletion is scheduled.
    func status(of userID: UUID) async throws -> ErasureStatus {
        try await pending(of: userID)?.status ?? ErasureStatus(scheduled: false)
    }

    /// Schedules the account's deletion after checking the password, and mails the person a link to cancel it. Asking
    /// again while one is scheduled changes nothing (also when two requests race: a partial unique index keeps one).
    func request(_ input: RequestErasure, by user: UserRecord) async throws -> ErasureStatus {
        let userID = try user.requireID()
        guard try await hasher.verify(input.loginKey, against: user.loginKeyHash) else {
            throw AccountsError.invalidCredentials
        }
        if let pending = try await pending(of: userID) { return pending.status }
        if user.role == .platformAdmin,
            try await UserRecord.query(on: db).filter(\.$role == .platformAdmin).filter(\.$erasedAt == nil).count()
                <= 1
        {
            throw PrivacyError.lastPlatformAdmin
        }
        for membership in try await InstitutionMemberRecord.query(on: db).filter(\.$userID == userID)
            .filter(\.$role == .admin).all()
        {
            let admins = try await InstitutionMemberRecord.query(on: db)
                .filter(\.$institutionID == membership.institutionID).filter(\.$role == .admin).count()
            if admins <= 1 {
                let name = try await InstitutionRecord.find(membership.institutionID, on: db)?.name ?? ""
                throw PrivacyError.lastInstitutionAdmin(institution: name)
            }
        }
        let token = SecureToken.make()
        let request = ErasureRequestRecord()
        request.userID = userID
        request.tokenHash = SecureToken.hash(token)
        request.requestedAt = now()
        request.deletesAt = now().addingTimeInterval(Self.gracePeriod)
        do {
            try await WriteConflict.retrying { try await request.create(on: db) }
        } catch  where (error as? any DatabaseError)?.isConstraintFailure == true {
            return try await status(of: userID)  // a request racing this one was first
        }
        try await audit.record(
            .erasureRequested, account: userID, details: ["deletesOn": CivilDate.format(dayOf: request.deletesAt)])
        mailer.send(
            "erasure_requested", to: user.email, in: user.language,
            arguments: [
                Retention.day(request.deletesAt, user.language), mailer.link("/keep-account", token: token),
                mailer.page("/export"),
            ], now: now())
        return request.status
    }

    /// Cancels the account's scheduled deletion, signed in. Nothing scheduled: nothing changes.
    func cancel(by user: UserRecord) async throws -> ErasureStatus {
        let userID = try user.requireID()
        if let pending = try await pending(of: userID) { try await cancel(pending, of: user, by: "settings") }
        return try await status(of: userID)
    }

    /// Cancels a scheduled deletion with the mailed link's token, without signing in. A retry after it worked
    /// succeeds again; a link whose deletion was carried out (or that never was) is refused.
    func cancel(token: String) async throws -> ErasureStatus {
        guard
            let request = try await ErasureRequestRecord.query(on: db)
                .filter(\.$tokenHash == SecureToken.hash(token)).first(),
            let user = try await UserRecord.find(request.userID, on: db), user.erasedAt == nil
        else { throw PrivacyError.erasureLinkInvalid }
        if request.cancelledAt == nil { try await cancel(request, of: user, by: "link") }
        return ErasureStatus(scheduled: false)
    }

    private func cancel(_ request: ErasureRequestRecord, of user: UserRecord, by way: String) async throws {
        // Only the call that moves it from scheduled to cancelled records and mails it.
        let cancelled = try await (db as! any SQLDatabase).raw(
            """
            UPDATE erasure_requests SET cancelled_at = \(bind: now())
            WHERE id = \(bind: try request.requireID()) AND cancelled_at IS NULL RETURNING id
            """
        ).all()
        guard !cancelled.isEmpty else { return }
        try await audit.record(.erasureCancelled, account: user.id, details: ["by": way])
        mailer.send(
            "erasure_cancelled", to: user.email, in: user.language, arguments: [mailer.page("/settings")], now: now())
    }

    private func pending(of userID: UUID) async throws -> ErasureRequestRecord? {
        try await ErasureRequestRecord.query(on: db).filter(\.$userID == userID).filter(\.$cancelledAt == nil)
            .first()
    }

    // MARK: Carrying it out

    /// Erases the accounts whose grace period ended, forgets cancelled requests once their date passed, and deletes
    /// restricted records whose period ended. Safe to run at any time and from any instance: each account is claimed
    /// by deleting its request, which one call does.
    func runDue() async throws -> (erased: Int, expiredRestrictions: Int) {
        let due = try await ErasureRequestRecord.query(on: db).filter(\.$cancelledAt == nil)
            .filter(\.$deletesAt <= now()).all()
        var erased = 0
        for request in due where try await erase(request) { erased += 1 }
        try await ErasureRequestRecord.query(on: db).filter(\.$cancelledAt != nil).filter(\.$deletesAt <= now())
            .delete()
        let expired = try await Restrictions(db: db, now: now, kinds: kinds).deleteExpired()
        return (erased, expired)
    }

    /// Erases one account whose request is due; answers false if another call did, or the request was cancelled
    /// meanwhile.
    private func erase(_ request: ErasureRequestRecord) async throws -> Bool {
        guard let user = try await UserRecord.find(request.userID, on: db), user.erasedAt == nil else { return false }
        let userID = try user.requireID()
        let (address, language) = (user.email, user.language)
        let sessions = try await AuthSessionRecord.query(on: db).filter(\.$user.$id == userID).all(\.$id)
        let erasure = try await WriteConflict.retrying {
            try await db.transaction { db in
                try await Shredder(db: db, now: now, kinds: kinds).erase(user, claiming: request.requireID())
            }
        }
        guard let erasure else { return false }
        sessionCache.forget(user: userID)
        try await audit.record(.accountErased, account: userID, details: ["restricted": String(erasure.restricted)])
        mailer.send("account_erased", to: address, in: language, arguments: [], now: now())
        await events.close(sessions: Set(sessions))
        for (conversation, members) in erasure.conversations {
            events.send(.conversation(id: conversation), to: members)
        }
        for (engagement, people) in erasure.engagements {
            try await notifications.post(.accountDeleted, in: engagement, by: nil, to: people)
        }
        return true
    }
}

/// The deletion itself, inside one transaction.
private struct Shredder {
    let db: any Database
    let now: @Sendable () -> Date
    let kinds: [any RestrictedKind]

    var sql: any SQLDatabase { db as! any SQLDatabase }

    /// What an erasure changed that others should hear about.
    struct Outcome {
        var restricted = 0
        /// Conversations the person left, with who is still in them.
        var conversations: [UUID: [UUID]] = [:]
        /// Engagements the person was in, with who is still in them.
        var engagements: [UUID: [UUID]] = [:]
    }

    /// Rows that are only the person's, by table and the column that names them.
    static let ownRows: [(table: String, column: String)] = [
        ("auth_sessions", "user_id"), ("account_tokens", "user_id"), ("recovery_codes", "user_id"),
        // Crypto-shredding: the private keys, sealed under the password and under the recovery key, and every
        // conversation key sealed for the account. Without them nothing the account could read opens again.
        ("account_keys", "user_id"), ("conversation_keys", "member_id"), ("drafts", "user_id"),
        ("lookup_grants", "requester_id"), ("lookup_grants", "target_id"), ("consents", "user_id"),
        ("retention_settings", "id"), ("notifications", "user_id"), ("notification_settings", "user_id"),
        ("tech_checks", "id"), ("call_peers", "user_id"), ("directory_profiles", "user_id"),
        ("availabilities", "coach_id"), ("calendar_settings", "user_id"), ("reminders", "user_id"),
        ("questionnaires", "coach_id"), ("program_templates", "coach_id"), ("institution_members", "user_id"),
        ("erasure_requests", "user_id"),
    ]

    /// Answers nil when the request is no longer there to claim (another call erased the account, or it was
    /// cancelled).
    func erase(_ user: UserRecord, claiming request: UUID) async throws -> Outcome? {
        let id = try user.requireID()
        let claimed = try await sql.raw(
            "DELETE FROM erasure_requests WHERE id = \(bind: request) AND cancelled_at IS NULL RETURNING id"
        ).all()
        guard !claimed.isEmpty else { return nil }
        var outcome = Outcome()
        outcome.restricted = try await Restrictions(db: db, now: now, kinds: kinds).restrict(recordsOf: id)
        outcome.conversations = try await leaveConversations(id)
        outcome.engagements = try await endEngagements(id)
        try await sql.raw(
            "DELETE FROM attachments WHERE uploader_id = \(bind: id) AND message_id IS NULL"
        ).run()
        try await sql.raw("UPDATE notifications SET actor_id = NULL WHERE actor_id = \(bind: id)").run()
        let address = user.email.lowercased()
        try await sql.raw(
            "DELETE FROM program_participants WHERE user_id = \(bind: id) OR lower(email) = \(bind: address)"
        ).run()
        try await sql.raw("DELETE FROM staff_invitations WHERE lower(email) = \(bind: address)").run()
        for (table, column) in Self.ownRows {
            try await sql.raw("DELETE FROM \(ident: table) WHERE \(ident: column) = \(bind: id)").run()
        }
        try await scrub(user)
        return outcome
    }

    /// Leaves every conversation as someone who left does (their signing key kept so their messages verify, the
    /// conversation's key to change before the next message); a conversation nobody is left in goes entirely.
    private func leaveConversations(_ id: UUID) async throws -> [UUID: [UUID]] {
        let conversations = try await ConversationMemberRecord.query(on: db).filter(\.$userID == id)
            .all(\.$conversationID)
        let signingKey = try await AccountKeysRecord.find(id, on: db)?.signingKey
        var remaining: [UUID: [UUID]] = [:]
        for conversation in conversations {
            let others = try await ConversationMemberRecord.query(on: db).filter(\.$conversationID == conversation)
                .filter(\.$userID != id).all(\.$userID)
            if others.isEmpty {
                try await Retention.deleteConversation(conversation, on: db)
            } else {
                try await ConversationMemberRecord.leave(
                    conversation, member: id, signingKey: signingKey, at: now(), on: db)
                remaining[conversation] = others
            }
        }
        return remaining
    }

    /// Engagements the person led or was the only client of end (closed, so their coach's retention period runs from
    /// today); from a group, the person simply leaves. Their private notes go; future and unconfirmed sessions with
    /// them are cancelled by deletion, and a coach's whole calendar goes with the coach. Answers who is still in each
    /// engagement, to tell them.
    private func endEngagements(_ id: UUID) async throws -> [UUID: [UUID]] {
        let asClient = try await EngagementClientRecord.query(on: db).filter(\.$userID == id).all()
        let led = try await EngagementRecord.query(on: db).filter(\.$coachID == id).all()
        var ending = led.compactMap(\.id)
        var remaining: [UUID: [UUID]] = [:]
        for engagement in led {
            remaining[try engagement.requireID()] = try await EngagementClientRecord.query(on: db)
                .filter(\.$engagementID == engagement.requireID()).all(\.$userID)
        }
        for membership in asClient {
            let others = try await EngagementClientRecord.query(on: db)
                .filter(\.$engagementID == membership.engagementID).filter(\.$userID != id).all(\.$userID)
            guard let engagement = try await EngagementRecord.find(membership.engagementID, on: db) else { continue }
            remaining[membership.engagementID] = others + [engagement.coachID]
            if others.isEmpty {
                ending.append(membership.engagementID)
            } else {
                try await membership.delete(on: db)
            }
        }
        try await EngagementRecord.query(on: db).filter(\.$id ~~ ending).filter(\.$status ~~ EngagementStatus.ongoing)
            .set(\.$status, to: .closed).set(\.$updatedAt, to: now()).update()
        try await sql.raw("DELETE FROM engagement_items WHERE author_id = \(bind: id) AND kind = 'note'").run()
        try await sql.raw("DELETE FROM bookings WHERE coach_id = \(bind: id)").run()
        if !ending.isEmpty {
            try await sql.raw(
                """
                DELETE FROM bookings WHERE engagement_id IN (\(binds: ending))
                AND (starts_at IS NULL OR starts_at > \(bind: now()) OR status <> 'confirmed')
                """
            ).run()
        }
        try await sql.raw("DELETE FROM session_types WHERE coach_id = \(bind: id)").run()
        return remaining
    }

    /// What is left of the account: its ID, which others' messages and the audit log name, and nothing that says who
    /// it was. No address (nobody can sign in or be found by it), no name, no password, no second factor.
    private func scrub(_ user: UserRecord) async throws {
        let time = now()
        user.email = "erased:" + (try user.requireID()).uuidString
        user.displayName = ""
        user.role = .client
        user.coachTitle = nil
        user.language = .en
        user.setLoginKey(kdf: KDFParameters(algorithm: "erased", iterations: 0, salt: ""), hash: "")
        user.emailVerifiedAt = time  // never swept as an unconfirmed sign-up, which would take the messages along
        user.totpSecret = nil
        user.totpPendingSecret = nil
        user.totpLastStep = nil
        user.createdAt = time
        user.erasedAt = time
        try await user.save(on: db)
    }
}

/// A person's request to have their account deleted. One is scheduled at a time (a partial unique index); a
/// cancelled one is kept until its date, so a retried cancel from the mailed link is recognized, then forgotten.
final class ErasureRequestRecord: Model, @unchecked Sendable {
    static let schema = "erasure_requests"

    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    /// SHA-256 of the token in the mailed cancel link.
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "requested_at") var requestedAt: Date
    @Field(key: "deletes_at") var deletesAt: Date
    @OptionalField(key: "cancelled_at") var cancelledAt: Date?

    init() {}

    /// What the account reads of a scheduled request.
    var status: ErasureStatus { ErasureStatus(scheduled: true, requestedAt: requestedAt, deletesAt: deletesAt) }
}

struct CreateErasure: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(UserRecord.schema).field("erased_at", .datetime).update()
        try await database.schema(ErasureRequestRecord.schema)
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("requested_at", .datetime, .required)
            .field("deletes_at", .datetime, .required)
            .field("cancelled_at", .datetime)
            .unique(on: "token_hash")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.raw(
            "CREATE UNIQUE INDEX erasure_requests_scheduled ON erasure_requests (user_id) WHERE cancelled_at IS NULL"
        ).run()
        try await database.schema(RestrictedRecord.schema)
            .id()
            .field("kind", .string, .required)
            .field("record_id", .string, .required)
            .field("subject_id", .uuid, .required)
            .field("legal_basis", .string, .required)
            .field("restricted_at", .datetime, .required)
            .field("delete_after", .datetime, .required)
            .unique(on: "kind", "record_id")
            .create()
        try await sql.raw("CREATE INDEX restricted_records_due ON restricted_records (delete_after)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RestrictedRecord.schema).delete()
        try await database.schema(ErasureRequestRecord.schema).delete()
        try await database.schema(UserRecord.schema).deleteField("erased_at").update()
    }
}
