import Fluent
import Foundation
import LotseAPI
import SQLKit

/// The rights of people over their data (docs/privacy.md). So far: what the server knows about an account, as the
/// account downloads it. It reads every feature's records, so it sits above them all.
struct PrivacyService {
    let db: any Database
    let now: @Sendable () -> Date
    let accounts: AccountsService
    let audit: AuditLog

    /// Records an export the account's device is about to make (an entry of the audit log); a retry of the same
    /// export records nothing new. Only its members export an engagement.
    func recordExport(_ export: DataExport, by userID: UUID) async throws {
        var details = ["scope": export.scope.rawValue, "export": export.id.uuidString]
        if export.scope == .engagement {
            guard let engagementID = export.engagementId else {
                throw RequestError.invalid(field: "engagementId", reason: "missing for the export of an engagement")
            }
            _ = try await EngagementMembership(db: db).require(engagementID, userID)
            details["engagement"] = engagementID.uuidString
        }
        try await audit.record(.dataExported, account: userID, details: details, once: "export " + export.id.uuidString)
    }

    /// How long the coach's ended engagements are kept.
    func retentionSettings(of user: UserRecord) async throws -> RetentionSettings {
        guard user.role == .coach else { throw PrivacyError.coachOnly }
        let record = try await RetentionSettingRecord.find(user.requireID(), on: db)
        return RetentionSettings(endedEngagementDays: record?.endedEngagementDays ?? RetentionSettings.defaultDays)
    }

    /// Changes it; applies from the next daily pass to every ended engagement of the coach's (whose people are told
    /// a week before any deletion, as always).
    func changeRetention(_ input: ChangeRetentionSettings, of user: UserRecord) async throws -> RetentionSettings {
        guard user.role == .coach else { throw PrivacyError.coachOnly }
        guard RetentionSettings.allowedDays.contains(input.endedEngagementDays) else {
            throw PrivacyError.retentionOutOfRange
        }
        let id = try user.requireID()
        let record = try await RetentionSettingRecord.find(id, on: db) ?? RetentionSettingRecord()
        record.id = id
        record.endedEngagementDays = input.endedEngagementDays
        record.updatedAt = now()
        do {
            try await WriteConflict.retrying { try await record.save(on: db) }
        } catch  where (error as? any DatabaseError)?.isConstraintFailure == true {
            // Two first saves at once: the other made the row; this one's value goes on it.
            try await RetentionSettingRecord.query(on: db).filter(\.$id == id)
                .set(\.$endedEngagementDays, to: input.endedEngagementDays).set(\.$updatedAt, to: now()).update()
        }
        return try await retentionSettings(of: user)
    }

    /// How long the program's ended pairs are kept; its institution's staff read it.
    func programRetention(_ programID: UUID, for userID: UUID) async throws -> RetentionSettings {
        _ = try await ProgramRecord.staffed(programID, by: userID, on: db)
        return try await retention(ofProgram: programID)
    }

    private func retention(ofProgram programID: UUID) async throws -> RetentionSettings {
        let record = try await ProgramRetentionRecord.find(programID, on: db)
        return RetentionSettings(endedEngagementDays: record?.endedPairDays ?? RetentionSettings.defaultDays)
    }

    /// Its institution's admins change it; applies from the next daily pass to the program's ended pairs, whose
    /// people are told a week before any deletion. An entry of the institution's audit log.
    func changeProgramRetention(_ input: ChangeRetentionSettings, of programID: UUID, by userID: UUID) async throws
        -> RetentionSettings
    {
        let (program, role) = try await ProgramRecord.staffed(programID, by: userID, on: db)
        guard role == .admin else { throw ProgramsError.adminOnly }
        guard RetentionSettings.allowedDays.contains(input.endedEngagementDays) else {
            throw PrivacyError.retentionOutOfRange
        }
        let days = input.endedEngagementDays
        // Only the request that changes the value records it: the first row goes in once (the key decides), and a
        // change of an existing row is conditional on the value being another.
        var changed = false
        if try await ProgramRetentionRecord.find(programID, on: db) == nil {
            let record = ProgramRetentionRecord()
            record.id = programID
            record.endedPairDays = days
            record.updatedAt = now()
            do {
                try await WriteConflict.retrying { try await record.create(on: db) }
                changed = true
            } catch  where (error as? any DatabaseError)?.isConstraintFailure == true {}
        }
        if !changed {
            changed = try await !(db as! any SQLDatabase).raw(
                """
                UPDATE program_retention SET ended_pair_days = \(bind: days), updated_at = \(bind: now())
                WHERE id = \(bind: programID) AND ended_pair_days <> \(bind: days) RETURNING id
                """
            ).all().isEmpty
        }
        if changed {
            try await audit.record(
                .institutionAction, account: nil, by: userID, scope: program.institutionID,
                details: ["action": "retention_set", "program": program.name, "days": String(days)])
        }
        return try await retention(ofProgram: programID)
    }

    /// The account's consents, newest first.
    func consents(of userID: UUID) async throws -> [Consent] {
        try await wire(try await Consents(db: db).all(of: userID))
    }

    /// Consents as the account reads them, with what each is about by name.
    private func wire(_ records: [ConsentRecord]) async throws -> [Consent] {
        let programs = try await ProgramRecord.query(on: db).filter(\.$id ~~ records.map(\.subjectID)).all()
        let names = Dictionary(programs.map { ($0.id!, $0.name) }) { first, _ in first }
        return records.compactMap { record in
            guard let purpose = Consent.Purpose(rawValue: record.purpose) else { return nil }
            return Consent(
                id: record.id!, purpose: purpose, subjectId: record.subjectID,
                subjectName: names[record.subjectID] ?? "", textVersion: record.textVersion, givenAt: record.givenAt,
                withdrawnAt: record.withdrawnAt)
        }
    }

    /// Withdraws one of the account's consents, with effect from now on (Art. 7(3)): what was given under it goes —
    /// for a program, the registration answers its staff saw, so the account is no longer matched until it answers
    /// and agrees again. Withdrawing again changes nothing.
    func withdrawConsent(_ id: UUID, by userID: UUID) async throws -> Consent {
        guard let (record, changed) = try await Consents(db: db).withdraw(id, of: userID, at: now()) else {
            throw PrivacyError.consentNotFound
        }
        if changed, record.purpose == Consent.Purpose.programAnswers.rawValue {
            let program = try await ProgramRecord.find(record.subjectID, on: db)
            if let participant = try await ProgramParticipantRecord.query(on: db)
                .filter(\.$programID == record.subjectID).filter(\.$userID == userID).first()
            {
                participant.answersJSON = nil
                participant.sealedAnswersJSON = nil
                try await participant.save(on: db)
            }
            try await audit.record(
                .consentWithdrawn, account: userID, scope: program?.institutionID,
                details: ["purpose": record.purpose, "program": program?.name ?? ""])
        }
        guard let consent = try await wire([record]).first else { throw PrivacyError.consentNotFound }
        return consent
    }

    /// Everything the server keeps about the account that is not encrypted for its members: metadata, and the few
    /// plain texts. The session asking is marked as the current one.
    func serverKnowledge(of user: UserRecord, session: UUID) async throws -> ServerKnowledge {
        let userID = try user.requireID()
        let conversations = try await conversations(of: userID)
        let (engagements, engagementIDs) = try await engagements(of: userID)
        return ServerKnowledge(
            generatedAt: now(),
            account: KnownAccount(
                id: userID, email: user.email, displayName: user.displayName, role: user.role,
                language: user.language, createdAt: user.createdAt ?? Date(timeIntervalSince1970: 0),
                emailVerifiedAt: user.emailVerifiedAt, isTwoFactorEnabled: user.isTwoFactorEnabled),
            sessions: try await accounts.sessions(of: userID, current: session),
            securityEvents: try await audit.events(of: userID, limit: 10_000) {
                try await UserRecord.displayNames(of: $0, on: db)
            },
            conversations: conversations, engagements: engagements,
            bookings: try await bookings(in: engagementIDs), programs: try await programs(of: userID),
            keyVersions: try await AccountKeyVersionRecord.query(on: db).filter(\.$userID == userID).sort(\.$version)
                .all().map(\.wire),
            notifications: try await NotificationRecord.query(on: db).filter(\.$userID == userID)
                .sort(\.$createdAt, .descending).all().map {
                    KnownNotification(kind: $0.kind, about: $0.engagementID, createdAt: $0.createdAt, readAt: $0.readAt)
                },
            techCheck: try await TechCheckRecord.find(userID, on: db)?.wire)
    }

    /// The conversations with their members and, per conversation, counts, sizes and times, in three queries.
    private func conversations(of userID: UUID) async throws -> [KnownConversation] {
        let memberships = try await ConversationMemberRecord.query(on: db).filter(\.$userID == userID).all()
        guard !memberships.isEmpty else { return [] }
        let ids = memberships.map(\.conversationID)
        let everyone = try await ConversationMemberRecord.query(on: db).filter(\.$conversationID ~~ ids).all()
        let people = try await UserRecord.displayNames(of: Array(Set(everyone.map(\.userID))), on: db)
        let sql = db as! any SQLDatabase
        struct Traffic: Decodable {
            var conversation_id: UUID
            var messages: Int
            var sent: Int
            var bytes: Int?
            var first: Date?
            var last: Date?
        }
        let traffic = try await sql.raw(
            """
            SELECT conversation_id, COUNT(*) AS messages,
                SUM(CASE WHEN sender_id = \(bind: userID) THEN 1 ELSE 0 END) AS sent,
                SUM(LENGTH(ciphertext)) AS bytes, MIN(sent_at) AS first, MAX(sent_at) AS last
            FROM messages WHERE conversation_id IN (\(binds: ids)) GROUP BY conversation_id
            """
        ).all(decoding: Traffic.self)
        struct Files: Decodable {
            var conversation_id: UUID
            var files: Int
            var bytes: Int?
        }
        let files = try await sql.raw(
            """
            SELECT conversation_id, COUNT(*) AS files, SUM(size) AS bytes FROM attachments
            WHERE conversation_id IN (\(binds: ids)) GROUP BY conversation_id
            """
        ).all(decoding: Files.self)
        let byTraffic = Dictionary(uniqueKeysWithValues: traffic.map { ($0.conversation_id, $0) })
        let byFiles = Dictionary(uniqueKeysWithValues: files.map { ($0.conversation_id, $0) })
        return memberships.sorted { $0.joinedAt < $1.joinedAt }.map { membership in
            let id = membership.conversationID
            let others = everyone.filter { $0.conversationID == id && $0.userID != userID }
                .compactMap { people[$0.userID] }.sorted()
            let said = byTraffic[id]
            return KnownConversation(
                id: id, members: others, joinedAt: membership.joinedAt, messages: said?.messages ?? 0,
                messagesSent: said?.sent ?? 0, bytes: said?.bytes ?? 0, attachments: byFiles[id]?.files ?? 0,
                attachmentBytes: byFiles[id]?.bytes ?? 0, firstMessageAt: said?.first, lastMessageAt: said?.last)
        }
    }

    /// The engagements the account coaches or is a client in, and their IDs.
    private func engagements(of userID: UUID) async throws -> ([KnownEngagement], [UUID]) {
        let asClient = try await EngagementClientRecord.query(on: db).filter(\.$userID == userID).all()
            .map(\.engagementID)
        let records = try await EngagementRecord.query(on: db).group(.or) { group in
            group.filter(\.$coachID == userID)
            if !asClient.isEmpty { group.filter(\.$id ~~ asClient) }
        }.sort(\.$createdAt).all()
        let ids = records.compactMap(\.id)
        guard !ids.isEmpty else { return ([], []) }
        let clients = try await EngagementClientRecord.query(on: db).filter(\.$engagementID ~~ ids).all()
        let people = try await UserRecord.displayNames(
            of: Array(Set(clients.map(\.userID) + records.map(\.coachID))), on: db)
        let known = records.map { record in
            KnownEngagement(
                id: record.id!, coachName: people[record.coachID] ?? "",
                clientNames: clients.filter { $0.engagementID == record.id }.compactMap { people[$0.userID] }.sorted(),
                status: record.status, createdAt: record.createdAt)
        }
        return (known, ids)
    }

    private func bookings(in engagements: [UUID]) async throws -> [KnownBooking] {
        guard !engagements.isEmpty else { return [] }
        return try await BookingRecord.query(on: db).filter(\.$engagementID ~~ engagements).sort(\.$createdAt).all()
            .map { booking in
                KnownBooking(
                    id: booking.id!, engagementId: booking.engagementID, title: booking.title,
                    startsAt: booking.startsAt, durationMinutes: booking.durationMinutes,
                    status: booking.status.rawValue, format: booking.format.rawValue, location: booking.location)
            }
    }

    private func programs(of userID: UUID) async throws -> [KnownParticipation] {
        let participations = try await ProgramParticipantRecord.query(on: db).filter(\.$userID == userID).all()
        guard !participations.isEmpty else { return [] }
        let programs = try await ProgramRecord.query(on: db).filter(\.$id ~~ participations.map(\.programID)).all()
        let institutions = try await InstitutionRecord.query(on: db)
            .filter(\.$id ~~ Array(Set(programs.map(\.institutionID)))).all()
        return participations.compactMap { participation in
            guard let program = programs.first(where: { $0.id == participation.programID }) else { return nil }
            return KnownParticipation(
                programName: program.name,
                institutionName: institutions.first { $0.id == program.institutionID }?.name ?? "",
                role: participation.role, state: participation.state, joinedAt: participation.joinedAt,
                answers: participation.answers)
        }
    }
}
