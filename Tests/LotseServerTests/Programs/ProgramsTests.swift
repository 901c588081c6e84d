import Fluent
import Foundation
import LotseAPI
import Testing
import Vapor

@testable import LotseServer

/// A test institution: its admin (signed in, two-factor on) and its ID.
struct TestInstitution {
    let id: UUID
    let admin: Participant
}

extension TestContext {
    /// A platform admin creates an institution for `adminEmail`, who signs up, accepts the mailed invitation and
    /// turns on two-factor sign-in, as the role demands.
    func institution(
        _ name: String = "Hochschule Rheinland", domains: [String] = ["hs-rheinland.de"],
        admin adminEmail: String = "ines@hs-rheinland.de"
    ) async throws -> TestInstitution {
        let platform = try await participant("root-\(UUID().uuidString.prefix(6).lowercased())@lotse.test")
        try await promote(platform, to: .platformAdmin)
        let admin = try await participant(adminEmail)
        let id = UUID()
        let created = try await send(
            .POST, "api/v1/admin/institutions",
            json: CreateInstitution(id: id, name: name, allowedDomains: domains, adminEmail: adminEmail),
            token: platform.token)
        #expect(created.status == .created, "\(created.text)")
        try await acceptStaffInvitation(as: admin)
        return TestInstitution(id: id, admin: admin)
    }

    /// The token of the latest staff invitation mailed to `email`.
    func staffInvitationToken(to email: String) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if let mail = smtp.messages.last(where: {
                $0.recipients.contains(email) && $0.body.contains("/staff-invitation#")
            }) {
                return try #require(mail.linkToken)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestSMTPServer.SMTPTestError.noMail(email)
    }

    /// Accepts the staff invitation mailed to `person` and turns on two-factor sign-in.
    func acceptStaffInvitation(as person: Participant) async throws {
        let token = try await staffInvitationToken(to: person.email)
        let accepted = try await send(
            .POST, "api/v1/staff-invitations/accept", json: AcceptStaffInvitation(token: token), token: person.token)
        #expect(accepted.status == .ok, "\(accepted.text)")
        _ = try await TwoFactorTests.enable(self, token: person.token)
    }

    /// Creates a program in draft and opens it for registration.
    func openProgram(in institution: TestInstitution, settings: ProgramSettings = ProgramsTests.settings)
        async throws -> Program
    {
        let id = UUID()
        let created = try await send(
            .PUT, "api/v1/institutions/\(institution.id)/programs/\(id)", json: settings,
            token: institution.admin.token)
        #expect(created.status == .created, "\(created.text)")
        let opened = try await send(
            .POST, "api/v1/programs/\(id)/status", json: ChangeProgramStatus(status: .open),
            token: institution.admin.token)
        #expect(opened.status == .ok, "\(opened.text)")
        return try opened.decode(Program.self)
    }
}

@Suite("Programs: institutions, staff, programs and joining")
struct ProgramsTests {
    static let settings = ProgramSettings(
        name: "Mentoring im ersten Studienjahr", description: "Erstsemester treffen Studierende höherer Semester.",
        cohort: .fixed, startsOn: "2027-03-01", endsOn: "2027-08-31")

    @Test("A platform admin creates an institution; its first admin accepts the mailed invitation and must use 2FA")
    func institutionAndFirstAdmin() async throws {
        try await withTestApp { t in
            let platform = try await t.participant("root@lotse.test")
            try await t.promote(platform, to: .platformAdmin)
            let ines = try await t.participant("ines@hs-rheinland.de")
            let request = CreateInstitution(
                id: UUID(), name: "Hochschule Rheinland", allowedDomains: ["@HS-Rheinland.de"],
                adminEmail: "ines@hs-rheinland.de")
            let created = try await t.send(.POST, "api/v1/admin/institutions", json: request, token: platform.token)
            #expect(created.status == .created)
            #expect(try created.decode(Institution.self).allowedDomains == ["hs-rheinland.de"])
            // A retry creates nothing new and sends no second invitation.
            let retried = try await t.send(.POST, "api/v1/admin/institutions", json: request, token: platform.token)
            #expect(retried.status == .ok)
            #expect(try await InstitutionRecord.query(on: t.app.db).count() == 1)
            #expect(try await StaffInvitationRecord.query(on: t.app.db).count() == 1)

            let mail = try await t.smtp.message(to: "ines@hs-rheinland.de", skipping: 1)
            #expect(mail.header("Subject")?.contains("Hochschule Rheinland") == true)
            let token = try await t.staffInvitationToken(to: "ines@hs-rheinland.de")
            // Only the account at the invited address can accept it.
            let stranger = try await t.participant("mallory@example.org")
            let wrong = try await t.send(
                .POST, "api/v1/staff-invitations/accept", json: AcceptStaffInvitation(token: token),
                token: stranger.token)
            #expect(wrong.status == .forbidden && wrong.errorCode == "programs.invitation_other_address")

            let accepted = try await t.send(
                .POST, "api/v1/staff-invitations/accept", json: AcceptStaffInvitation(token: token), token: ines.token)
            #expect(try accepted.decode(Institution.self).myRole == .admin)
            // Accepting again is the same answer.
            #expect(
                try await t.send(
                    .POST, "api/v1/staff-invitations/accept", json: AcceptStaffInvitation(token: token),
                    token: ines.token
                ).status == .ok)
            // She is now an institution admin, who must turn on two-factor sign-in before running programs.
            #expect(
                try await t.send(.GET, "api/v1/account", token: ines.token).decode(Account.self).role
                    == .institutionAdmin)
            let before = try await t.send(.GET, "api/v1/institutions", token: ines.token)
            #expect(before.status == .forbidden)
            _ = try await TwoFactorTests.enable(t, token: ines.token)
            let mine = try await t.send(.GET, "api/v1/institutions", token: ines.token).decode([Institution].self)
            #expect(mine.map(\.name) == ["Hochschule Rheinland"])

            // Nobody but platform admins creates institutions; a bad domain is refused with its name.
            let refused = try await t.send(
                .POST, "api/v1/admin/institutions",
                json: CreateInstitution(id: UUID(), name: "X", adminEmail: "x@example.org"), token: ines.token)
            #expect(refused.status == .forbidden)
            let badDomain = try await t.send(
                .POST, "api/v1/admin/institutions",
                json: CreateInstitution(id: UUID(), name: "X", allowedDomains: ["not a domain"], adminEmail: "x@x.de"),
                token: platform.token)
            #expect(badDomain.status == .badRequest && badDomain.field == "allowedDomains")
            #expect(badDomain.text.contains("not a domain"))
        }
    }

    @Test("Admins invite staff; staff run programs but invite nobody; outsiders see no institution or program")
    func staffRoles() async throws {
        try await withTestApp { t in
            let school = try await t.institution()
            let sven = try await t.participant("sven@hs-rheinland.de")
            let invited = try await t.send(
                .POST, "api/v1/institutions/\(school.id)/staff",
                json: InviteStaff(email: "sven@hs-rheinland.de", role: .staff), token: school.admin.token)
            #expect(invited.status == .ok, "\(invited.text)")
            let staffList = try await t.send(.GET, "api/v1/institutions/\(school.id)/staff", token: school.admin.token)
                .decode([StaffMember].self)
            #expect(staffList.map(\.hasJoined) == [true, false])
            try await t.acceptStaffInvitation(as: sven)
            // Joining the staff is in Sven's security events; the invitation in the audit log under the institution.
            let events = try await t.send(.GET, "api/v1/account/security-events", token: sven.token)
                .decode([SecurityEvent].self)
            #expect(events.contains { $0.kind == .staffChanged && $0.details["change"] == "joined" }, "\(events)")
            let recorded = try await AuditEntryRecord.query(on: t.app.db).filter(\.$scopeID == school.id)
                .filter(\.$kind == "staff_changed").sort(\.$sequence).all().map(\.details)
            // The first admin joining, Sven invited, Sven joining.
            #expect(
                recorded == [
                    #"{"change":"joined","staffRole":"admin"}"#, #"{"change":"invited","staffRole":"staff"}"#,
                    #"{"change":"joined","staffRole":"staff"}"#,
                ])
            let program = try await t.openProgram(in: TestInstitution(id: school.id, admin: sven))
            #expect(program.status == .open && program.institutionName == "Hochschule Rheinland")
            let noInvite = try await t.send(
                .POST, "api/v1/institutions/\(school.id)/staff",
                json: InviteStaff(email: "x@hs-rheinland.de", role: .admin), token: sven.token)
            #expect(noInvite.status == .forbidden && noInvite.errorCode == "programs.admin_only")

            let coach = try await t.coach("carla@example.org")
            for path in [
                "institutions/\(school.id)", "institutions/\(school.id)/programs", "programs/\(program.id)",
                "programs/\(program.id)/participants",
            ] {
                let response = try await t.send(.GET, "api/v1/" + path, token: coach.token)
                #expect(response.status == .notFound, "\(path)")
            }
        }
    }

    @Test("A program goes draft → open → matching → active → closing → closed, one step at a time; closed is read-only")
    func lifecycle() async throws {
        try await withTestApp { t in
            let school = try await t.institution()
            let id = UUID()
            let path = "api/v1/institutions/\(school.id)/programs/\(id)"
            #expect(try await t.send(.PUT, path, json: Self.settings, token: school.admin.token).status == .created)
            var changed = Self.settings
            changed.cadenceWeeks = 3
            let saved = try await t.send(.PUT, path, json: changed, token: school.admin.token)
            #expect(saved.status == .ok)
            #expect(try saved.decode(Program.self).settings.cadenceWeeks == 3)

            func move(_ status: ProgramStatus) async throws -> APIResponse {
                try await t.send(
                    .POST, "api/v1/programs/\(id)/status", json: ChangeProgramStatus(status: status),
                    token: school.admin.token)
            }
            let skipped = try await move(.active)
            #expect(skipped.status == .conflict && skipped.errorCode == "programs.wrong_status")
            for status in [ProgramStatus.open, .open, .matching, .active, .closing, .closed] {
                let moved = try await move(status)
                #expect(moved.status == .ok)
                #expect(try moved.decode(Program.self).status == status)
            }
            let readOnly = try await t.send(.PUT, path, json: Self.settings, token: school.admin.token)
            #expect(readOnly.status == .conflict && readOnly.errorCode == "programs.closed")
            #expect(try await move(.draft).status == .conflict)
        }
    }

    @Test("Program settings out of range are refused with the field named, in German too")
    func settingsChecked() async throws {
        try await withTestApp { t in
            let school = try await t.institution()
            let path = "api/v1/institutions/\(school.id)/programs/\(UUID())"
            var cases: [(ProgramSettings, String)] = []
            var settings = Self.settings
            settings.endsOn = "2027-02-01"
            cases.append((settings, "endsOn"))
            settings = Self.settings
            settings.startsOn = "2027-02-30"
            cases.append((settings, "startsOn"))
            settings = Self.settings
            settings.durationMonths = 0
            cases.append((settings, "durationMonths"))
            settings = Self.settings
            settings.cadenceWeeks = 13
            cases.append((settings, "cadenceWeeks"))
            settings = Self.settings
            settings.name = "  "
            cases.append((settings, "name"))
            for (settings, field) in cases {
                let response = try await t.send(
                    .PUT, path, json: settings, token: school.admin.token, headers: ["Accept-Language": "de"])
                #expect(response.status == .badRequest && response.field == field, "\(field): \(response.text)")
            }
            var evergreen = Self.settings
            evergreen.cohort = .evergreen
            evergreen.startsOn = nil
            evergreen.endsOn = nil
            #expect(try await t.send(.PUT, path, json: evergreen, token: school.admin.token).status == .created)
            #expect(try await ProgramRecord.query(on: t.app.db).count() == 1)
        }
    }

    @Test(
        "Through the invitation link: the program is shown before signing up, joining needs it open, and twice is once")
    func joinByLink() async throws {
        try await withTestApp { t in
            let school = try await t.institution()
            let id = UUID()
            _ = try await t.send(
                .PUT, "api/v1/institutions/\(school.id)/programs/\(id)", json: Self.settings,
                token: school.admin.token)
            let code = try await ProgramRecord.find(id, on: t.app.db)!.invitationCode
            let shown = try await t.send(.GET, "api/v1/program-invitations/\(code)").decode(ProgramInvitation.self)
            #expect(
                shown.name == Self.settings.name && shown.institutionName == "Hochschule Rheinland" && !shown.isOpen)
            #expect(try await t.send(.GET, "api/v1/program-invitations/nonsense").status == .notFound)

            let mia = try await t.participant("mia@example.org")
            let join = "api/v1/program-invitations/\(code)/join"
            let early = try await t.send(.POST, join, json: JoinProgram(role: .mentee), token: mia.token)
            #expect(early.status == .conflict && early.errorCode == "programs.not_open")
            _ = try await t.send(
                .POST, "api/v1/programs/\(id)/status", json: ChangeProgramStatus(status: .open),
                token: school.admin.token)
            // Ten tries at once, as a double-clicking browser on a bad network: one participation.
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        try await t.send(.POST, join, json: JoinProgram(role: .mentee), token: mia.token).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .ok })
            #expect(try await ProgramParticipantRecord.query(on: t.app.db).count() == 1)
            let program = try await t.send(.GET, "api/v1/programs/\(id)", token: school.admin.token)
                .decode(Program.self)
            #expect(program.headcount == ProgramHeadcount(mentees: 1, mentors: 0, invited: 0))
            let again = try await t.send(.GET, "api/v1/program-invitations/\(code)", token: mia.token)
                .decode(ProgramInvitation.self)
            #expect(again.hasJoined)
        }
    }

    @Test("By mail domain: an address at the institution's domain may join its open programs, others may not")
    func joinByDomain() async throws {
        try await withTestApp { t in
            let school = try await t.institution()
            let program = try await t.openProgram(in: school)
            let student = try await t.participant("lena@hs-rheinland.de")
            let listed = try await t.send(.GET, "api/v1/joinable-programs", token: student.token)
                .decode([JoinableProgram].self)
            #expect(listed.map(\.programId) == [program.id] && listed.first?.source == .domain)
            #expect(listed.first?.institutionName == "Hochschule Rheinland")
            // A domain that only contains the institution's is another one.
            let neighbour = try await t.participant("lisa@rheinland.de")
            #expect(
                try await t.send(.GET, "api/v1/joinable-programs", token: neighbour.token)
                    .decode([JoinableProgram].self).isEmpty)
            let joined = try await t.send(
                .POST, "api/v1/programs/\(program.id)/join", json: JoinProgram(role: .mentor), token: student.token)
            #expect(joined.status == .ok)
            #expect(try joined.decode(ProgramParticipant.self).role == .mentor)
            #expect(
                try await t.send(.GET, "api/v1/joinable-programs", token: student.token).decode([JoinableProgram].self)
                    .isEmpty)

            let outsider = try await t.participant("tom@example.org")
            #expect(
                try await t.send(.GET, "api/v1/joinable-programs", token: outsider.token).decode([JoinableProgram].self)
                    .isEmpty)
            let refused = try await t.send(
                .POST, "api/v1/programs/\(program.id)/join", json: JoinProgram(role: .mentee), token: outsider.token)
            #expect(refused.status == .forbidden && refused.errorCode == "programs.domain_not_allowed")
        }
    }

    @Test(
        "A participant list with bad rows imports nothing and names each bad line; a good one invites by mail and center"
    )
    func importList() async throws {
        try await withTestApp { t in
            let school = try await t.institution()
            let program = try await t.openProgram(in: school)
            let path = "api/v1/programs/\(program.id)/participants/import"
            let bad = """
                Name;E-Mail;Rolle
                Ada Lovelace;ada@example.org;Mentee
                Bob;not-an-address;Mentor

                Cem Yılmaz;cem@example.org;Coach
                Dora;ADA@example.org;Mentor
                Eve;eve@example.org
                """
            let rejected = try await t.send(.POST, path, json: ImportParticipants(csv: bad), token: school.admin.token)
            #expect(rejected.status == .badRequest && rejected.errorCode == "programs.list_rejected")
            #expect(
                try rejected.decode(APIError.self).error.message
                    == "Nothing was imported. Please correct the list and upload it again. "
                    + "Line 3: \"not-an-address\" is not an e-mail address. "
                    + "Line 5: the role \"Coach\" is neither mentee nor mentor. "
                    + "Line 6: the address is already in line 2. "
                    + "Line 7: it has 2 columns instead of three (name, e-mail, role).")
            // The same in German, for a German admin.
            let problems = ParticipantList(csv: bad).problems
            #expect(
                ProgramsError.listRejected(problems).arguments(in: .de)
                    == [
                        "Zeile 3: „not-an-address“ ist keine E-Mail-Adresse. "
                            + "Zeile 5: Die Rolle „Coach“ ist weder Mentee noch Mentor. "
                            + "Zeile 6: Die Adresse steht schon in Zeile 2. "
                            + "Zeile 7: Sie hat 2 Spalten statt drei (Name, E-Mail, Rolle)."
                    ])
            #expect(try await ProgramParticipantRecord.query(on: t.app.db).count() == 0)

            let good = """
                name,email,role
                "Lovelace, Ada",ada@example.org,mentee
                Bob Baker,bob@example.org,mentor
                """
            // Ada has an account already: besides the mail, the program waits for her in her notification center.
            let ada = try await t.participant("ada@example.org")
            let imported = try await t.send(.POST, path, json: ImportParticipants(csv: good), token: school.admin.token)
            #expect(try imported.decode(ImportedParticipants.self) == ImportedParticipants(added: 2, alreadyThere: 0))
            func waiting(_ person: Participant) async throws -> [String] {
                try await t.send(.GET, "api/v1/notifications", token: person.token).decode(NotificationList.self)
                    .items.filter { !$0.read && $0.engagementId == program.id }.map(\.kind.rawValue)
            }
            #expect(try await waiting(ada) == ["program_invited"])
            #expect(
                try await t.send(.GET, "api/v1/joinable-programs", token: ada.token).decode([JoinableProgram].self)
                    .map(\.programId) == [program.id])
            let adaJoined = try await t.send(
                .POST, "api/v1/programs/\(program.id)/join", json: JoinProgram(role: .mentor), token: ada.token)
            #expect(try adaJoined.decode(ProgramParticipant.self).role == .mentee, "\(adaJoined.text)")
            #expect(try await waiting(ada).isEmpty)
            let invitation = try await t.smtp.message(to: "bob@example.org")
            #expect(invitation.body.contains("https://lotse.test/join/\(program.invitationCode)"))
            #expect(invitation.body.contains("as a mentor"))
            // The same list again adds nobody and mails nobody.
            let again = try await t.send(.POST, path, json: ImportParticipants(csv: good), token: school.admin.token)
            #expect(try again.decode(ImportedParticipants.self) == ImportedParticipants(added: 0, alreadyThere: 2))

            // Bob signs up through the link and keeps the role staff gave him.
            let bob = try await t.participant("bob@example.org")
            let shown = try await t.send(
                .GET, "api/v1/program-invitations/\(program.invitationCode)", token: bob.token
            ).decode(ProgramInvitation.self)
            #expect(shown.role == .mentor && !shown.hasJoined)
            let joined = try await t.send(
                .POST, "api/v1/program-invitations/\(program.invitationCode)/join", json: JoinProgram(role: .mentee),
                token: bob.token
            ).decode(ProgramParticipant.self)
            #expect(joined.role == .mentor && joined.state == .registered && joined.source == .list)
            let people = try await t.send(.GET, "api/v1/programs/\(program.id)/participants", token: school.admin.token)
                .decode([ProgramParticipant].self)
            // Once registered, the name is the one Bob chose for his account.
            #expect(people.map(\.displayName) == ["Person ada@example.org", "Person bob@example.org"])
            #expect(people.map(\.state) == [.registered, .registered])
            #expect(try await waiting(bob).isEmpty)  // no account when the list came: the mail was all
        }
    }

    @Test("Two uploads of the same list at once add each person once")
    func racingImports() async throws {
        try await withTestApp { t in
            let school = try await t.institution()
            let program = try await t.openProgram(in: school)
            let csv = (1...40).map { "Person \($0),p\($0)@example.org,\($0 % 4 == 0 ? "mentor" : "mentee")" }
                .joined(separator: "\n")
            let results = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for _ in 0..<3 {
                    group.addTask {
                        try await t.send(
                            .POST, "api/v1/programs/\(program.id)/participants/import",
                            json: ImportParticipants(csv: csv), token: school.admin.token)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.allSatisfy { $0.status == .ok }, "\(results.map { $0.text.prefix(300) })")
            guard results.allSatisfy({ $0.status == .ok }) else { return }
            let added = try results.map { try $0.decode(ImportedParticipants.self).added }
            #expect(added.reduce(0, +) == 40)
            #expect(try await ProgramParticipantRecord.query(on: t.app.db).count() == 40)
        }
    }

    @Test("A cohort of 50 signs up and in from one campus address through the program's link; without it, 30 can")
    func cohortFromOneAddress() async throws {
        try await withTestApp { t in
            let school = try await t.institution()
            let program = try await t.openProgram(in: school)
            let credentials = TestCredentials()
            func register(_ email: String, code: String?) async throws -> APIResponse {
                try await t.send(
                    .POST, "api/v1/auth/register",
                    json: RegisterAccount(
                        email: email, displayName: "Student", role: .client, language: .de, kdf: credentials.kdf,
                        loginKey: credentials.loginKey, programCode: code))
            }
            for index in 1...50 {
                let response = try await register("student\(index)@hs-rheinland.de", code: program.invitationCode)
                #expect(response.status == .accepted, "sign-up \(index): \(response.text)")
            }
            for index in 1...50 {
                let token = try #require(try await t.smtp.message(to: "student\(index)@hs-rheinland.de").linkToken)
                #expect(
                    try await t.send(.POST, "api/v1/auth/verify-email", json: VerifyEmail(token: token)).status == .ok)
                _ = try await t.signIn("student\(index)@hs-rheinland.de", credentials: credentials)
            }
            // Without a program's link (or with a made-up code) the per-address limit holds.
            var statuses: [HTTPStatus] = []
            for index in 1...31 {
                statuses.append(
                    try await register("walkin\(index)@example.org", code: index % 2 == 0 ? "made-up" : nil).status)
            }
            // Two of the hour's 30 went to the platform admin and the institution admin signing up earlier.
            #expect(statuses.prefix(28).allSatisfy { $0 == .accepted })
            #expect(statuses.dropFirst(28).allSatisfy { $0 == .tooManyRequests })
        }
    }
}
