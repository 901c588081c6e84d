import Fluent
import Foundation
import LotseAPI
import SQLKit

/// Institutions, their staff and their programs, and who joins them (docs/programs.md).
struct ProgramsService {
    let db: any Database
    let now: @Sendable () -> Date
    let mailer: Mailer
    let engagements: EngagementsService
    let scheduling: SchedulingService
    let notifications: NotificationsService
    /// Where changes to an institution's staff are recorded.
    let audit: AuditLog

    /// How long a staff invitation stays valid.
    static let staffInvitationLifetime: TimeInterval = 14 * 86_400

    // MARK: Institutions and staff

    /// A platform admin creates an institution and invites its first admin; a retry with the same ID answers the
    /// institution as it is.
    func createInstitution(_ input: CreateInstitution, language: Language) async throws -> (Institution, Bool) {
        let name = try Self.name(input.name)
        let domains = try input.allowedDomains.map { try Self.domain($0) }
        let adminEmail = try AccountInput.email(input.adminEmail)
        if let existing = try await InstitutionRecord.find(input.id, on: db) {
            guard existing.name == name else { throw ProgramsError.idConflict }
            return (wire(existing, role: nil), false)
        }
        let institution = InstitutionRecord(id: input.id, name: name, allowedDomains: domains, at: now())
        let token = SecureToken.make()
        do {
            try await db.transaction { db in
                try await institution.create(on: db)
                try await invitation(to: adminEmail, as: .admin, in: input.id, token: token).create(on: db)
            }
        } catch  where (error as? any DatabaseError)?.isConstraintFailure == true {
            // The same request raced itself; answer what the winner stored.
            guard let existing = try await InstitutionRecord.find(input.id, on: db) else { throw error }
            return (wire(existing, role: nil), false)
        }
        sendStaffInvitation(to: adminEmail, token: token, institution: name, language: language)
        return (wire(institution, role: nil), true)
    }

    /// Every institution, for platform admins.
    func allInstitutions() async throws -> [Institution] {
        try await InstitutionRecord.query(on: db).sort(\.$name).all().map { wire($0, role: nil) }
    }

    /// The institutions whose staff the account is on.
    func institutions(of user: UUID) async throws -> [Institution] {
        let memberships = try await InstitutionMemberRecord.query(on: db).filter(\.$userID == user).all()
        let roles = Dictionary(memberships.map { ($0.institutionID, $0.role) }) { first, _ in first }
        guard !roles.isEmpty else { return [] }
        return try await InstitutionRecord.query(on: db).filter(\.$id ~~ Array(roles.keys)).sort(\.$name).all()
            .map { wire($0, role: roles[$0.id!]) }
    }

    /// One institution, for its staff.
    func institution(_ id: UUID, for user: UUID) async throws -> Institution {
        let (institution, role) = try await staffAccess(to: id, for: user)
        return wire(institution, role: role)
    }

    /// The institution's staff and open invitations, for its staff.
    func staff(of id: UUID, for user: UUID) async throws -> [StaffMember] {
        _ = try await staffAccess(to: id, for: user)
        let members = try await InstitutionMemberRecord.query(on: db).filter(\.$institutionID == id).all()
        let accounts = try await UserRecord.query(on: db).filter(\.$id ~~ members.map(\.userID)).all()
        let byID = Dictionary(uniqueKeysWithValues: accounts.map { ($0.id!, $0) })
        var staff = members.compactMap { member in
            byID[member.userID].map {
                StaffMember(email: $0.email, displayName: $0.displayName, role: member.role, hasJoined: true)
            }
        }
        let joined = Set(staff.map(\.email))
        let open = try await StaffInvitationRecord.query(on: db).filter(\.$institutionID == id)
            .filter(\.$acceptedAt == nil).filter(\.$expiresAt > now()).all()
        staff += open.filter { !joined.contains($0.email) }.map {
            StaffMember(email: $0.email, displayName: nil, role: $0.role, hasJoined: false)
        }
        return staff.sorted { ($0.hasJoined ? 0 : 1, $0.email) < ($1.hasJoined ? 0 : 1, $1.email) }
    }

    /// An institution admin invites someone to the staff; again for the same address, a fresh link voids the old.
    func inviteStaff(_ input: InviteStaff, to id: UUID, by user: UUID, language: Language) async throws -> StaffMember {
        let (institution, role) = try await staffAccess(to: id, for: user)
        guard role == .admin else { throw ProgramsError.adminOnly }
        let email = try AccountInput.email(input.email)
        let token = SecureToken.make()
        if let account = try await UserRecord.query(on: db).filter(\.$email == email).first(),
            let member = try await InstitutionMemberRecord.query(on: db).filter(\.$institutionID == id)
                .filter(\.$userID == account.requireID()).first()
        {
            member.role = input.role
            try await member.save(on: db)
            try await audit.record(
                .staffChanged, account: account.id, by: user, scope: id,
                details: ["change": "role", "staffRole": input.role.rawValue])
            return StaffMember(email: email, displayName: account.displayName, role: input.role, hasJoined: true)
        }
        try await db.transaction { db in
            try await StaffInvitationRecord.query(on: db).filter(\.$institutionID == id).filter(\.$email == email)
                .delete()
            try await invitation(to: email, as: input.role, in: id, token: token).create(on: db)
        }
        sendStaffInvitation(to: email, token: token, institution: institution.name, language: language)
        try await audit.record(
            .staffChanged, account: nil, by: user, scope: id,
            details: ["change": "invited", "staffRole": input.role.rawValue])
        return StaffMember(email: email, displayName: nil, role: input.role, hasJoined: false)
    }

    /// Accepts a staff invitation for the signed-in account, whose address it must have been sent to. Accepting it
    /// again answers the institution; a client account becomes an institution admin's (with two-factor sign-in).
    func acceptStaffInvitation(_ token: String, by user: UserRecord) async throws -> Institution {
        guard token.unicodeScalars.count <= 200 else {
            throw RequestError.invalid(field: "token", reason: "longer than any token")
        }
        guard
            let invitation = try await StaffInvitationRecord.query(on: db)
                .filter(\.$tokenHash == SecureToken.hash(token)).first()
        else { throw ProgramsError.staffInvitationInvalid }
        guard invitation.email == user.email else { throw ProgramsError.invitationForOtherAddress }
        let userID = try user.requireID()
        let existing = try await InstitutionMemberRecord.query(on: db)
            .filter(\.$institutionID == invitation.institutionID).filter(\.$userID == userID).first()
        if existing == nil {
            guard invitation.acceptedAt == nil, invitation.expiresAt > now() else {
                throw ProgramsError.staffInvitationInvalid
            }
            let time = now()
            do {
                try await db.transaction { db in
                    try await InstitutionMemberRecord(
                        institution: invitation.institutionID, user: userID, role: invitation.role, at: time
                    ).create(on: db)
                    invitation.acceptedAt = time
                    try await invitation.save(on: db)
                    if user.role == .client {
                        user.role = .institutionAdmin
                        try await user.save(on: db)
                    }
                }
                try await audit.record(
                    .staffChanged, account: userID, scope: invitation.institutionID,
                    details: ["change": "joined", "staffRole": invitation.role.rawValue])
            } catch let error as any DatabaseError where error.isConstraintFailure {
                // The same person accepted twice at once: the first one counts.
            }
        }
        return try await institution(invitation.institutionID, for: userID)
    }

    // MARK: Programs

    /// Creates a program (201) or changes its settings; a closed program is read-only.
    func saveProgram(_ settings: ProgramSettings, id: UUID, in institutionID: UUID, by user: UUID) async throws
        -> (Program, Bool)
    {
        _ = try await staffAccess(to: institutionID, for: user)
        let settings = try Self.checked(settings)
        if let program = try await ProgramRecord.find(id, on: db) {
            guard program.institutionID == institutionID else { throw ProgramsError.idConflict }
            guard program.status != .closed else { throw ProgramsError.programClosed }
            program.settings = settings
            program.updatedAt = now()
            try await program.save(on: db)
            return (try await wire(program), false)
        }
        let program = ProgramRecord()
        program.id = id
        program.institutionID = institutionID
        program.status = .draft
        program.settings = settings
        program.invitationCode = Self.invitationCode()
        program.questionnaire = RegistrationQuestions(questions: [])
        program.createdAt = now()
        program.updatedAt = program.createdAt
        do {
            try await program.create(on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            guard let winner = try await ProgramRecord.find(id, on: db), winner.institutionID == institutionID else {
                throw ProgramsError.idConflict
            }
            return (try await wire(winner), false)
        }
        try await recordAction("program_created", in: program, by: user)
        return (try await wire(program), true)
    }

    /// An institution's staff did something to one of its programs: an entry of the institution's audit log.
    func recordAction(
        _ action: String, in program: ProgramRecord, by user: UUID, details: [String: String] = [:]
    ) async throws {
        try await audit.record(
            .institutionAction, account: nil, by: user, scope: program.institutionID,
            details: details.merging(["action": action, "program": program.name]) { first, _ in first })
    }

    /// The institution's programs, newest first.
    func programs(in institutionID: UUID, for user: UUID) async throws -> [Program] {
        _ = try await staffAccess(to: institutionID, for: user)
        let programs = try await ProgramRecord.query(on: db).filter(\.$institutionID == institutionID)
            .sort(\.$createdAt, .descending).all()
        return try await wire(programs)
    }

    /// One program, for its institution's staff.
    func program(_ id: UUID, for user: UUID) async throws -> Program {
        try await wire(try await staffProgram(id, for: user))
    }

    /// Moves a program to its next status; asking for the status it has changes nothing.
    func changeStatus(of id: UUID, to status: ProgramStatus, by user: UUID) async throws -> Program {
        let program = try await staffProgram(id, for: user)
        if program.status == status { return try await wire(program) }
        guard program.status.next == status else { throw ProgramsError.wrongStatus(current: program.status) }
        // Conditional on the status read, so two staff moving it at once cannot skip a step.
        try await ProgramRecord.query(on: db).filter(\.$id == id).filter(\.$status == program.status)
            .set(\.$status, to: status).set(\.$updatedAt, to: now()).update()
        guard let updated = try await ProgramRecord.find(id, on: db), updated.status == status else {
            throw ProgramsError.wrongStatus(current: try await ProgramRecord.find(id, on: db)?.status ?? program.status)
        }
        try await recordAction("program_status", in: updated, by: user, details: ["status": status.rawValue])
        // An automatic program is matched the moment registration closes (and then every minute for newcomers).
        if status == .matching { try await matchAutomatically(updated) }
        return try await wire(updated)
    }

    // MARK: Participants

    /// What the invitation link shows before joining: the program, and for someone on the staff's list their role.
    func invitation(code: String, for user: UserRecord?) async throws -> ProgramInvitation {
        guard let program = try await ProgramRecord.query(on: db).filter(\.$invitationCode == code).first() else {
            throw ProgramsError.invitationNotFound
        }
        let institution = try await InstitutionRecord.find(program.institutionID, on: db)
        let listed = try await user.asyncMap { try await participation(in: program.requireID(), email: $0.email) }
        return ProgramInvitation(
            programId: try program.requireID(), name: program.name, description: program.description,
            institutionName: institution?.name ?? "", isOpen: program.takesRegistrations,
            role: listed.flatMap { $0?.role }, hasJoined: listed??.state == .registered)
    }

    /// Joins through the invitation link. Someone on the staff's list keeps the role they were given; joining
    /// again answers the participation as it is.
    func join(code: String, as role: ParticipantRole, user: UserRecord) async throws -> ProgramParticipant {
        guard let program = try await ProgramRecord.query(on: db).filter(\.$invitationCode == code).first() else {
            throw ProgramsError.invitationNotFound
        }
        return try await join(program, as: role, user: user, source: .link)
    }

    /// Joins an open program of an institution whose mail domain the account's address is at.
    func join(programID: UUID, as role: ParticipantRole, user: UserRecord) async throws -> ProgramParticipant {
        guard let program = try await ProgramRecord.find(programID, on: db) else {
            throw ProgramsError.programNotFound
        }
        let institution = try await InstitutionRecord.find(program.institutionID, on: db)
        let listed = try await participation(in: programID, email: user.email)
        guard listed != nil || (institution?.domains ?? []).contains(Self.mailDomain(of: user.email)) else {
            throw ProgramsError.domainNotAllowed
        }
        return try await join(program, as: role, user: user, source: .domain)
    }

    private func join(_ program: ProgramRecord, as role: ParticipantRole, user: UserRecord, source: ParticipantSource)
        async throws -> ProgramParticipant
    {
        let programID = try program.requireID()
        let userID = try user.requireID()
        if let existing = try await participation(in: programID, email: user.email) {
            if existing.state == .registered { return existing.wire }
            guard program.takesRegistrations else { throw ProgramsError.notOpen }
            existing.userID = userID
            existing.displayName = user.displayName
            existing.state = .registered
            existing.joinedAt = now()
            try await existing.save(on: db)
            try await notifications.settle([.programInvited], in: programID, for: [userID])
            return existing.wire
        }
        guard program.takesRegistrations else { throw ProgramsError.notOpen }
        let participant = ProgramParticipantRecord(
            program: programID, email: user.email, name: user.displayName, user: userID, role: role, source: source,
            at: now())
        do {
            try await participant.create(on: db)
        } catch  where (error as? any DatabaseError)?.isConstraintFailure == true {
            // The same person joined twice at once.
            guard let winner = try await participation(in: programID, email: user.email) else { throw error }
            return winner.wire
        }
        return participant.wire
    }

    /// Open programs the account may join: those whose staff listed its address, and those of institutions at its
    /// mail domain.
    func joinable(by user: UserRecord) async throws -> [JoinableProgram] {
        let listed = try await ProgramParticipantRecord.query(on: db).filter(\.$email == user.email)
            .filter(\.$state == .invited).all()
        let domain = Self.mailDomain(of: user.email)
        // The database narrows by text (a domain is letters, digits, dots and hyphens: nothing LIKE treats
        // specially); the exact list decides.
        let atDomain = try await InstitutionRecord.query(on: db).filter(\.$allowedDomains ~~ domain).all()
            .filter { $0.domains.contains(domain) }.compactMap(\.id)
        let joined = Set(
            try await ProgramParticipantRecord.query(on: db).filter(\.$email == user.email)
                .filter(\.$state == .registered).all().map(\.programID))
        var candidates = try await ProgramRecord.query(on: db).filter(\.$id ~~ listed.map(\.programID)).all()
        if !atDomain.isEmpty {
            candidates += try await ProgramRecord.query(on: db).filter(\.$institutionID ~~ atDomain).all()
        }
        let names = Dictionary(
            try await InstitutionRecord.query(on: db).filter(\.$id ~~ Set(candidates.map(\.institutionID))).all()
                .map { ($0.id!, $0.name) }, uniquingKeysWith: { first, _ in first })
        var seen = Set<UUID>()
        return candidates.filter { $0.takesRegistrations && !joined.contains($0.id!) && seen.insert($0.id!).inserted }
            .map { program in
                let entry = listed.first { $0.programID == program.id }
                return JoinableProgram(
                    programId: program.id!, name: program.name, institutionName: names[program.institutionID] ?? "",
                    source: entry == nil ? .domain : .list, role: entry?.role)
            }
    }

    /// The program's participants, for its staff: names, addresses, roles and states, and their free-text answers
    /// sealed for the reader (which only the reader's browser opens).
    func participants(of programID: UUID, for user: UUID) async throws -> [ProgramParticipant] {
        _ = try await staffProgram(programID, for: user)
        let records = try await ProgramParticipantRecord.query(on: db).filter(\.$programID == programID)
            .sort(\.$displayName).all()
        let signingKeys = try await signingKeys(of: records.filter { $0.sealedAnswersJSON != nil })
        return records.map { record in
            var participant = record.wire
            participant.freeText = Self.readable(
                record.sealedAnswersJSON, for: user, authorSigningKey: record.userID.flatMap { signingKeys[$0] })
            return participant
        }
    }

    /// Imports a staff list: every row is checked first, and nothing is imported unless all are good. People
    /// already in the program stay as they are; everyone added gets an invitation mail. Uploading the same list
    /// again adds nobody.
    func importParticipants(_ csv: String, into programID: UUID, by user: UUID, language: Language) async throws
        -> ImportedParticipants
    {
        let program = try await staffProgram(programID, for: user)
        guard program.status != .closed else { throw ProgramsError.programClosed }
        let list = ParticipantList(csv: csv)
        guard list.rows.count + list.problems.count <= ParticipantList.maximumRows else {
            throw ProgramsError.listTooLong
        }
        guard list.problems.isEmpty else { throw ProgramsError.listRejected(list.problems) }
        let institution = try await InstitutionRecord.find(program.institutionID, on: db)
        let time = now()
        let added: [ParticipantList.Row]
        do {
            added = try await WriteConflict.retrying { try await addNew(list.rows, to: programID, at: time) }
        } catch  where (error as? any DatabaseError)?.isConstraintFailure == true {
            // The same list uploaded twice at once: the other upload added them.
            added = try await WriteConflict.retrying { try await addNew(list.rows, to: programID, at: time) }
        }
        for row in added {
            mailer.send(
                "program_invitation", to: row.email, in: language,
                arguments: [
                    program.name, row.name, institution?.name ?? "",
                    Texts.programs.message("role." + row.role.rawValue, language),
                    mailer.page("/join/" + program.invitationCode),
                ], now: time)
        }
        // Whoever has an account already also finds it among what waits for them (the start page offers to join).
        let accounts = try await UserRecord.query(on: db).filter(\.$email ~~ added.map(\.email)).all(\.$id)
        try await notifications.post(.programInvited, in: program.requireID(), by: user, to: accounts, mail: false)
        try await recordAction("participants_imported", in: program, by: user, details: ["added": String(added.count)])
        return ImportedParticipants(added: added.count, alreadyThere: list.rows.count - added.count)
    }

    /// Adds the rows whose addresses are not in the program yet, in one transaction; answers those it added. Each
    /// row is an insert that leaves an address already there alone (the unique index decides, not an earlier read),
    /// so two uploads of one list at once add each person once.
    private func addNew(_ rows: [ParticipantList.Row], to programID: UUID, at time: Date) async throws
        -> [ParticipantList.Row]
    {
        try await db.transaction { db in
            var added: [ParticipantList.Row] = []
            for row in rows {
                let inserted = try await (db as! any SQLDatabase).raw(
                    """
                    INSERT INTO program_participants
                        (id, program_id, email, display_name, role, state, source, created_at, capacity, taken_places)
                    VALUES (\(bind: UUID()), \(bind: programID), \(bind: row.email), \(bind: row.name),
                        \(bind: row.role.rawValue), \(bind: ParticipantState.invited.rawValue),
                        \(bind: ParticipantSource.list.rawValue), \(bind: time), 1, 0)
                    ON CONFLICT (program_id, email) DO NOTHING RETURNING email
                    """
                ).all()
                if !inserted.isEmpty { added.append(row) }
            }
            return added
        }
    }

    // MARK: Access and wire forms

    /// The institution and the account's role in it; not on its staff is the same answer as no such institution.
    /// The institution's ID if the account is one of its admins; staff get 403, others 404.
    func adminInstitution(_ id: UUID, for user: UUID) async throws -> UUID {
        let (institution, role) = try await staffAccess(to: id, for: user)
        guard role == .admin else { throw ProgramsError.adminOnly }
        return try institution.requireID()
    }

    private func staffAccess(to id: UUID, for user: UUID) async throws -> (InstitutionRecord, InstitutionRole) {
        guard
            let member = try await InstitutionMemberRecord.query(on: db).filter(\.$institutionID == id)
                .filter(\.$userID == user).first(),
            let institution = try await InstitutionRecord.find(id, on: db)
        else { throw ProgramsError.institutionNotFound }
        return (institution, member.role)
    }

    func staffProgram(_ id: UUID, for user: UUID) async throws -> ProgramRecord {
        try await ProgramRecord.staffed(id, by: user, on: db).program
    }

    private func participation(in programID: UUID, email: String) async throws -> ProgramParticipantRecord? {
        try await ProgramParticipantRecord.query(on: db).filter(\.$programID == programID)
            .filter(\.$email == email).first()
    }

    private func invitation(to email: String, as role: InstitutionRole, in institution: UUID, token: String)
        -> StaffInvitationRecord
    {
        let invitation = StaffInvitationRecord()
        invitation.id = UUID()
        invitation.institutionID = institution
        invitation.email = email
        invitation.role = role
        invitation.tokenHash = SecureToken.hash(token)
        invitation.expiresAt = now().addingTimeInterval(Self.staffInvitationLifetime)
        return invitation
    }

    private func sendStaffInvitation(to email: String, token: String, institution: String, language: Language) {
        mailer.send(
            "staff_invitation", to: email, in: language,
            arguments: [institution, mailer.link("/staff-invitation", token: token)], now: now())
    }

    private func wire(_ institution: InstitutionRecord, role: InstitutionRole?) -> Institution {
        Institution(
            id: institution.id!, name: institution.name, allowedDomains: institution.domains, myRole: role,
            createdAt: institution.createdAt)
    }

    private func wire(_ program: ProgramRecord) async throws -> Program { try await wire([program])[0] }

    /// Programs with their institution's name and headcount: three queries however many programs.
    private func wire(_ programs: [ProgramRecord]) async throws -> [Program] {
        guard !programs.isEmpty else { return [] }
        let ids = try programs.map { try $0.requireID() }
        let names = Dictionary(
            try await InstitutionRecord.query(on: db).filter(\.$id ~~ Set(programs.map(\.institutionID))).all()
                .map { ($0.id!, $0.name) }, uniquingKeysWith: { first, _ in first })
        let people = Dictionary(
            grouping: try await ProgramParticipantRecord.query(on: db).filter(\.$programID ~~ ids)
                .field(\.$programID).field(\.$role).field(\.$state).all(),
            by: \.programID)
        return programs.map { program in
            let everyone = people[program.id!] ?? []
            let registered = everyone.filter { $0.state == .registered }
            return Program(
                id: program.id!, institutionId: program.institutionID,
                institutionName: names[program.institutionID] ?? "",
                status: program.status, settings: program.settings, invitationCode: program.invitationCode,
                headcount: ProgramHeadcount(
                    mentees: registered.count { $0.role == .mentee }, mentors: registered.count { $0.role == .mentor },
                    invited: everyone.count - registered.count),
                createdAt: program.createdAt)
        }
    }

    // MARK: Input

    static func name(_ raw: String) throws -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.unicodeScalars.count <= 200,
            !name.unicodeScalars.contains(where: {
                AccountInput.isControl($0) || AccountInput.isDeceptiveFormatting($0)
            })
        else { throw ProgramsError.invalidName }
        return name
    }

    /// A mail domain, lower case, with or without a leading `@`.
    static func domain(_ raw: String) throws -> String {
        var domain = raw.trimmingCharacters(in: .whitespaces).lowercased()
        if domain.hasPrefix("@") { domain.removeFirst() }
        guard (try? AccountInput.email("x@" + domain)) != nil else { throw ProgramsError.invalidDomain(raw) }
        return domain
    }

    static func mailDomain(of email: String) -> String {
        email.split(separator: "@").last.map(String.init) ?? ""
    }

    /// Checks and trims a program's settings.
    static func checked(_ input: ProgramSettings) throws -> ProgramSettings {
        var settings = input
        settings.name = try name(input.name)
        settings.steps = try CoachLibrary.checked(input.steps, minimum: 0)
        settings.description = input.description.trimmingCharacters(in: .whitespacesAndNewlines)
        guard settings.description.unicodeScalars.count <= 5_000 else {
            throw ProgramsError.invalidSetting(field: "description")
        }
        guard (1...36).contains(settings.durationMonths) else {
            throw ProgramsError.invalidSetting(field: "durationMonths")
        }
        guard (1...12).contains(settings.cadenceWeeks) else {
            throw ProgramsError.invalidSetting(field: "cadenceWeeks")
        }
        guard (1...60).contains(settings.requestExpiryDays) else {
            throw ProgramsError.invalidSetting(field: "requestExpiryDays")
        }
        let start = try settings.startsOn.map { try day($0, field: "startsOn") }
        let end = try settings.endsOn.map { try day($0, field: "endsOn") }
        if settings.cohort == .fixed {
            guard start != nil else { throw ProgramsError.invalidSetting(field: "startsOn") }
            guard let end, end >= start! else { throw ProgramsError.invalidSetting(field: "endsOn") }
        }
        return settings
    }

    /// A calendar day `yyyy-mm-dd`, as the number it sorts by.
    private static func day(_ text: String, field: String) throws -> Int {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard text.count == 10, parts.count == 3, (2000...2200).contains(parts[0]), (1...12).contains(parts[1]),
            (1...31).contains(parts[2])
        else { throw ProgramsError.invalidSetting(field: field) }
        var components = DateComponents(year: parts[0], month: parts[1], day: parts[2])
        components.timeZone = TimeZone(identifier: "UTC")
        guard let date = Calendar(identifier: .gregorian).date(from: components),
            Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date).day
                == parts[2]
        else { throw ProgramsError.invalidSetting(field: field) }
        return parts[0] * 10_000 + parts[1] * 100 + parts[2]
    }

    /// Ten letters and digits without look-alikes (no 0/O, 1/l/I): easy to read aloud in a lecture hall.
    static func invitationCode() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<10).map { _ in alphabet.randomElement(using: &generator)! })
    }
}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}

extension ProgramRecord {
    /// The program and the account's role on its institution's staff; for anyone not on it, the same 404 as no such
    /// program.
    static func staffed(_ id: UUID, by user: UUID, on db: any Database) async throws
        -> (program: ProgramRecord, role: InstitutionRole)
    {
        guard let program = try await find(id, on: db),
            let member = try await InstitutionMemberRecord.query(on: db)
                .filter(\.$institutionID == program.institutionID).filter(\.$userID == user).first()
        else { throw ProgramsError.programNotFound }
        return (program, member.role)
    }
}
