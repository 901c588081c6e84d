import Fluent
import LotseAPI
import Vapor

/// Coaching relationships: `/api/v1/engagements`, `/inquiries` from the directory, and the coach's
/// `/questionnaires` and `/templates`.
struct EngagementsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let engagements = routes.grouped("engagements")
        engagements.get(use: list)
        engagements.post(use: invite)
        engagements.get("agenda", use: agenda)
        let one = engagements.grouped(":engagementID")
        one.get(use: show)
        one.get("timeline", use: timeline)
        one.get("items", use: items)
        one.put("items", ":itemID", use: saveItem)
        one.delete("items", ":itemID", use: deleteItem)
        one.put("agreement", use: proposeAgreement)
        one.post("agreement", "confirm", use: confirmAgreement)
        one.post("decline", use: decline)
        one.post("close", use: close)
        one.post("intake", use: sendIntake)
        one.post("program", use: applyProgram)
        one.post("clients", use: addClients)
        one.delete("clients", ":userID", use: removeClient)

        routes.post("inquiries", use: inquire)
        let questionnaires = routes.grouped("questionnaires")
        questionnaires.get(use: listQuestionnaires)
        questionnaires.put(":questionnaireID", use: saveQuestionnaire)
        questionnaires.delete(":questionnaireID", use: deleteQuestionnaire)
        let templates = routes.grouped("templates")
        templates.get(use: listTemplates)
        templates.put(":templateID", use: saveTemplate)
        templates.delete(":templateID", use: deleteTemplate)
    }

    /// The account's engagements, most recently changed first.
    @Sendable func list(req: Request) async throws -> [Engagement] {
        try await req.engagements.engagements(of: req.userID())
    }

    /// A coach invites clients (201); a retry with the same ID answers 200.
    @Sendable func invite(req: Request) async throws -> Response {
        let (engagement, isNew) = try await req.engagements.invite(
            req.content.decode(CreateEngagement.self), by: req.currentUser().user)
        return try await engagement.encodeResponse(status: isNew ? .created : .ok, for: req)
    }

    /// A prospective client's inquiry (201); a retry with the same ID answers 200.
    @Sendable func inquire(req: Request) async throws -> Response {
        let (engagement, isNew) = try await req.engagements.inquire(
            req.content.decode(CreateInquiry.self), by: req.userID())
        return try await engagement.encodeResponse(status: isNew ? .created : .ok, for: req)
    }

    /// Open tasks and milestones with due dates across the account's active engagements.
    @Sendable func agenda(req: Request) async throws -> [EngagementItem] {
        try await req.engagements.agenda(for: req.userID())
    }

    /// One engagement.
    @Sendable func show(req: Request) async throws -> Engagement {
        try await req.engagements.engagement(req.uuid("engagementID"), for: req.userID())
    }

    /// What happened, oldest first.
    @Sendable func timeline(req: Request) async throws -> [EngagementEvent] {
        try await req.engagements.timeline(of: req.uuid("engagementID"), for: req.userID())
    }

    /// The items the account may see.
    @Sendable func items(req: Request) async throws -> [EngagementItem] {
        try await req.engagements.items(of: req.uuid("engagementID"), for: req.userID())
    }

    /// Creates (201) or updates (200) an item; the same body again changes nothing.
    @Sendable func saveItem(req: Request) async throws -> Response {
        let (item, isNew) = try await req.engagements.saveItem(
            req.content.decode(SaveEngagementItem.self), id: req.uuid("itemID"), in: req.uuid("engagementID"),
            by: req.userID())
        return try await item.encodeResponse(status: isNew ? .created : .ok, for: req)
    }

    /// Deletes an item.
    @Sendable func deleteItem(req: Request) async throws -> HTTPStatus {
        try await req.engagements.deleteItem(req.uuid("itemID"), in: req.uuid("engagementID"), by: req.userID())
        return .noContent
    }

    /// The coach proposes the agreement or a new version of it.
    @Sendable func proposeAgreement(req: Request) async throws -> Engagement {
        try await req.engagements.proposeAgreement(
            req.uuid("engagementID"), req.content.decode(ProposeAgreement.self), by: req.userID())
    }

    /// A client confirms the agreement version they read.
    @Sendable func confirmAgreement(req: Request) async throws -> Engagement {
        try await req.engagements.confirmAgreement(
            req.uuid("engagementID"), req.content.decode(ConfirmAgreement.self), by: req.userID())
    }

    /// The coach declines, or the client withdraws.
    @Sendable func decline(req: Request) async throws -> Engagement {
        try await req.engagements.decline(
            req.uuid("engagementID"), req.content.decode(DeclineEngagement.self), by: req.userID())
    }

    /// The coach closes the engagement.
    @Sendable func close(req: Request) async throws -> Engagement {
        try await req.engagements.close(req.uuid("engagementID"), by: req.userID())
    }

    /// The coach sends an intake questionnaire.
    @Sendable func sendIntake(req: Request) async throws -> Engagement {
        try await req.engagements.sendIntake(
            req.uuid("engagementID"), req.content.decode(SendIntake.self), by: req.userID())
    }

    /// The coach applies a program template.
    @Sendable func applyProgram(req: Request) async throws -> Engagement {
        try await req.engagements.applyProgram(
            req.uuid("engagementID"), req.content.decode(ApplyProgram.self), by: req.userID())
    }

    /// The coach adds clients to a group.
    @Sendable func addClients(req: Request) async throws -> Engagement {
        try await req.engagements.addClients(
            req.uuid("engagementID"), req.content.decode(AddEngagementClients.self), by: req.userID())
    }

    /// The coach removes a client from a group, or a client leaves it.
    @Sendable func removeClient(req: Request) async throws -> HTTPStatus {
        let engagement = try req.uuid("engagementID")
        let client = try req.uuid("userID")
        try await req.engagements.removeClient(engagement, client: client, by: req.userID())
        try await req.calls.remove(client, from: engagement)
        return .noContent
    }

    /// The coach's questionnaires.
    @Sendable func listQuestionnaires(req: Request) async throws -> [Questionnaire] {
        try await req.coachLibrary.questionnaires(of: req.userID())
    }

    /// Creates (201) or replaces (200) a questionnaire.
    @Sendable func saveQuestionnaire(req: Request) async throws -> Response {
        let (questionnaire, isNew) = try await req.coachLibrary.save(
            req.content.decode(SaveQuestionnaire.self), id: req.uuid("questionnaireID"), by: req.currentUser().user)
        return try await questionnaire.encodeResponse(status: isNew ? .created : .ok, for: req)
    }

    /// Deletes a questionnaire (engagements keep the copy they were sent).
    @Sendable func deleteQuestionnaire(req: Request) async throws -> HTTPStatus {
        try await req.coachLibrary.deleteQuestionnaire(req.uuid("questionnaireID"), by: req.userID())
        return .noContent
    }

    /// The coach's program templates.
    @Sendable func listTemplates(req: Request) async throws -> [ProgramTemplate] {
        try await req.coachLibrary.templates(of: req.userID())
    }

    /// Creates (201) or replaces (200) a template.
    @Sendable func saveTemplate(req: Request) async throws -> Response {
        let (template, isNew) = try await req.coachLibrary.save(
            req.content.decode(SaveProgramTemplate.self), id: req.uuid("templateID"), by: req.currentUser().user)
        return try await template.encodeResponse(status: isNew ? .created : .ok, for: req)
    }

    /// Deletes a template (engagements keep the copy they applied).
    @Sendable func deleteTemplate(req: Request) async throws -> HTTPStatus {
        try await req.coachLibrary.deleteTemplate(req.uuid("templateID"), by: req.userID())
        return .noContent
    }
}

extension Request {
    /// The engagement rules, bound to this request's database.
    var engagements: EngagementsService { application.make(on: db) }

    /// A coach's questionnaires and templates, bound to this request's database.
    var coachLibrary: CoachLibrary { application.make(on: db) }
}
