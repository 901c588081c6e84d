import Fluent
import LotseAPI
import Vapor

/// Institutions, their staff and programs (`/institutions`, `/programs`), the platform admins' `/admin/institutions`,
/// and joining: `/program-invitations/{code}` and `/joinable-programs`.
struct ProgramsController: RouteCollection {
    /// Routes for signed-in accounts that passed their second factor where the role needs one.
    func boot(routes: any RoutesBuilder) throws {
        let admin = routes.grouped("admin", "institutions").grouped(RequireRole(roles: [.platformAdmin]))
        admin.get(use: allInstitutions)
        admin.post(use: createInstitution)

        let institutions = routes.grouped("institutions")
        institutions.get(use: myInstitutions)
        let institution = institutions.grouped(":institutionID")
        institution.get(use: showInstitution)
        institution.get("staff", use: staff)
        institution.post("staff", use: inviteStaff)
        institution.get("audit", use: audit)
        institution.get("programs", use: programs)
        institution.put("programs", ":programID", use: saveProgram)

        let program = routes.grouped("programs", ":programID")
        program.get(use: showProgram)
        program.post("status", use: changeStatus)
        program.get("participants", use: participants)
        program.post("participants", "import", use: importParticipants)
        program.post("join", use: joinByDomain)
        program.get("questionnaire", use: questionnaire)
        program.put("questionnaire", use: saveQuestionnaire)
        program.get("registration", use: registration)
        program.put("registration", use: saveRegistration)
        program.post("matching", "proposal", use: proposeMatching)
        program.post("matches", use: publish)
        program.get("matches", use: programMatches)
        program.get("suggestions", use: suggestions)
        program.get("report", use: report)
        program.get("report.csv", use: reportCSV)
        program.post("requests", use: requestMentor)

        let matches = routes.grouped("matches")
        matches.get(use: myMatches)
        matches.post(":matchID", "accept", use: acceptMatch)
        matches.post(":matchID", "decline", use: declineMatch)
        matches.get(":matchID", "partner-keys", use: partnerKeys)
        matches.post(":matchID", "engagement", use: startWork)
        matches.get(":matchID", "meetings", use: meetings)
        matches.post(":matchID", "pause", use: pauseMatch)
        matches.post(":matchID", "resume", use: resumeMatch)
        matches.post(":matchID", "end", use: endMatch)
        matches.put(":matchID", "meetings", ":bookingID", use: answerMeeting)

        routes.post("program-invitations", ":code", "join", use: joinByLink)
        routes.get("joinable-programs", use: joinable)
        routes.get("my-programs", use: myPrograms)
    }

    /// Routes for any signed-in account, before a second factor is set up: accepting a staff invitation makes a
    /// client account one that needs it.
    struct SignedIn: RouteCollection {
        func boot(routes: any RoutesBuilder) throws {
            routes.post("staff-invitations", "accept", use: acceptStaffInvitation)
        }

        @Sendable func acceptStaffInvitation(req: Request) async throws -> Institution {
            try await req.programs.acceptStaffInvitation(
                req.content.decode(AcceptStaffInvitation.self).token, by: req.currentUser().user)
        }
    }

    /// Routes anyone may call: what an invitation link shows before signing up.
    struct Public: RouteCollection {
        func boot(routes: any RoutesBuilder) throws {
            routes.get("program-invitations", ":code", use: invitation)
            routes.post("guardian-consents", "lookup", use: guardianConsent)
            routes.post("guardian-consents", "confirm", use: confirmGuardian)
        }

        /// What a guardian's link shows (the token travels in the body: it never reaches logs).
        @Sendable func guardianConsent(req: Request) async throws -> GuardianConsent {
            try await req.programs.guardianConsent(token: req.content.decode(GuardianToken.self).token)
        }

        @Sendable func confirmGuardian(req: Request) async throws -> GuardianConsent {
            try await req.programs.confirmGuardian(token: req.content.decode(GuardianToken.self).token)
        }

        @Sendable func invitation(req: Request) async throws -> ProgramInvitation {
            try await req.programs.invitation(
                code: req.parameters.require("code"), for: req.auth.get(CurrentUser.self)?.user)
        }
    }

    @Sendable func allInstitutions(req: Request) async throws -> [Institution] {
        try await req.programs.allInstitutions()
    }

    /// Creates an institution and mails its first admin an invitation (201); a retry with the same ID answers 200.
    @Sendable func createInstitution(req: Request) async throws -> Response {
        let (institution, isNew) = try await req.programs.createInstitution(
            req.content.decode(CreateInstitution.self), language: req.language)
        return try await institution.encodeResponse(status: isNew ? .created : .ok, for: req)
    }

    @Sendable func myInstitutions(req: Request) async throws -> [Institution] {
        try await req.programs.institutions(of: req.userID())
    }

    @Sendable func showInstitution(req: Request) async throws -> Institution {
        try await req.programs.institution(req.uuid("institutionID"), for: req.userID())
    }

    @Sendable func staff(req: Request) async throws -> [StaffMember] {
        try await req.programs.staff(of: req.uuid("institutionID"), for: req.userID())
    }

    /// The institution's entries in the audit log, for its admins; reading them is an entry too.
    @Sendable func audit(req: Request) async throws -> [AuditEntry] {
        let user = try req.currentUser().id
        let institution = try await req.programs.adminInstitution(req.uuid("institutionID"), for: user)
        return try await req.audit.entries(in: institution, readBy: user) { ids in
            try await UserRecord.displayNames(of: ids, on: req.db)
        }
    }

    @Sendable func inviteStaff(req: Request) async throws -> StaffMember {
        try await req.programs.inviteStaff(
            req.content.decode(InviteStaff.self), to: req.uuid("institutionID"), by: req.userID(),
            language: req.language)
    }

    @Sendable func programs(req: Request) async throws -> [Program] {
        try await req.programs.programs(in: req.uuid("institutionID"), for: req.userID())
    }

    /// Creates a program (201) or changes its settings (200).
    @Sendable func saveProgram(req: Request) async throws -> Response {
        let (program, isNew) = try await req.programs.saveProgram(
            req.content.decode(ProgramSettings.self), id: req.uuid("programID"), in: req.uuid("institutionID"),
            by: req.userID())
        return try await program.encodeResponse(status: isNew ? .created : .ok, for: req)
    }

    @Sendable func showProgram(req: Request) async throws -> Program {
        try await req.programs.program(req.uuid("programID"), for: req.userID())
    }

    @Sendable func changeStatus(req: Request) async throws -> Program {
        try await req.programs.changeStatus(
            of: req.uuid("programID"), to: req.content.decode(ChangeProgramStatus.self).status, by: req.userID())
    }

    @Sendable func participants(req: Request) async throws -> [ProgramParticipant] {
        try await req.programs.participants(of: req.uuid("programID"), for: req.userID())
    }

    @Sendable func importParticipants(req: Request) async throws -> ImportedParticipants {
        try await req.programs.importParticipants(
            req.content.decode(ImportParticipants.self).csv, into: req.uuid("programID"), by: req.userID(),
            language: req.language)
    }

    @Sendable func joinByDomain(req: Request) async throws -> ProgramParticipant {
        try await req.programs.join(
            programID: req.uuid("programID"), as: req.content.decode(JoinProgram.self).role,
            user: req.currentUser().user)
    }

    @Sendable func joinByLink(req: Request) async throws -> ProgramParticipant {
        try await req.programs.join(
            code: req.parameters.require("code"), as: req.content.decode(JoinProgram.self).role,
            user: req.currentUser().user)
    }

    @Sendable func questionnaire(req: Request) async throws -> RegistrationQuestions {
        try await req.programs.questionnaire(of: req.uuid("programID"), for: req.userID())
    }

    @Sendable func saveQuestionnaire(req: Request) async throws -> RegistrationQuestions {
        try await req.programs.saveQuestionnaire(
            req.content.decode(RegistrationQuestions.self), of: req.uuid("programID"), by: req.userID())
    }

    @Sendable func registration(req: Request) async throws -> RegistrationForm {
        try await req.programs.registrationForm(in: req.uuid("programID"), for: req.currentUser().user)
    }

    @Sendable func saveRegistration(req: Request) async throws -> RegistrationForm {
        try await req.programs.saveRegistration(
            req.content.decode(Registration.self), in: req.uuid("programID"), by: req.currentUser().user)
    }

    @Sendable func proposeMatching(req: Request) async throws -> MatchingProposal {
        try await req.programs.proposeMatching(
            req.content.decode(ProposeMatching.self), in: req.uuid("programID"), by: req.userID())
    }

    @Sendable func publish(req: Request) async throws -> PublishedMatches {
        try await req.programs.publish(
            req.content.decode(PublishMatches.self), in: req.uuid("programID"), by: req.userID())
    }

    @Sendable func programMatches(req: Request) async throws -> [ProgramMatch] {
        try await req.programs.matches(in: req.uuid("programID"), for: req.userID())
    }

    @Sendable func suggestions(req: Request) async throws -> [MentorSuggestion] {
        try await req.programs.suggestions(in: req.uuid("programID"), for: req.currentUser().user)
    }

    @Sendable func requestMentor(req: Request) async throws -> ProgramMatch {
        try await req.programs.request(
            req.content.decode(RequestMentor.self), in: req.uuid("programID"), by: req.currentUser().user)
    }

    @Sendable func myMatches(req: Request) async throws -> [ProgramMatch] {
        try await req.programs.myMatches(req.currentUser().user)
    }

    @Sendable func acceptMatch(req: Request) async throws -> ProgramMatch {
        try await req.programs.accept(req.uuid("matchID"), by: req.currentUser().user)
    }

    @Sendable func declineMatch(req: Request) async throws -> ProgramMatch {
        try await req.programs.decline(req.uuid("matchID"), by: req.currentUser().user)
    }

    @Sendable func partnerKeys(req: Request) async throws -> PublicKeys {
        try await req.programs.partnerKeys(in: req.uuid("matchID"), for: req.currentUser().user)
    }

    /// Starts the pair's engagement (201), or answers it as it is (200).
    @Sendable func startWork(req: Request) async throws -> Response {
        let (engagement, isNew) = try await req.programs.startWork(
            req.content.decode(StartPairWork.self), in: req.uuid("matchID"), by: req.currentUser().user)
        return try await engagement.encodeResponse(status: isNew ? .created : .ok, for: req)
    }

    @Sendable func pauseMatch(req: Request) async throws -> ProgramMatch {
        try await req.programs.move(req.uuid("matchID"), to: .paused, by: req.currentUser().user)
    }

    @Sendable func resumeMatch(req: Request) async throws -> ProgramMatch {
        try await req.programs.move(req.uuid("matchID"), to: .active, by: req.currentUser().user)
    }

    @Sendable func endMatch(req: Request) async throws -> ProgramMatch {
        try await req.programs.move(req.uuid("matchID"), to: .endedEarly, by: req.currentUser().user)
    }

    @Sendable func meetings(req: Request) async throws -> [PairMeeting] {
        try await req.programs.meetings(of: req.uuid("matchID"), for: req.currentUser().user)
    }

    @Sendable func answerMeeting(req: Request) async throws -> PairMeeting {
        try await req.programs.answerMeeting(
            req.content.decode(AnswerMeeting.self), booking: req.uuid("bookingID"), in: req.uuid("matchID"),
            by: req.currentUser().user)
    }

    @Sendable func myPrograms(req: Request) async throws -> [MyProgram] {
        try await req.programs.myPrograms(req.currentUser().user)
    }

    @Sendable func report(req: Request) async throws -> ProgramReport {
        try await req.programs.report(of: req.uuid("programID"), for: req.userID())
    }

    /// The report as a CSV download.
    @Sendable func reportCSV(req: Request) async throws -> Response {
        let csv = try await req.programs.reportCSV(of: req.uuid("programID"), for: req.userID())
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"program-report.csv\"")
        return Response(status: .ok, headers: headers, body: .init(string: csv))
    }

    @Sendable func joinable(req: Request) async throws -> [JoinableProgram] {
        try await req.programs.joinable(by: req.currentUser().user)
    }
}
