import Fluent
import LotseAPI
import Vapor

/// `/api/v1/privacy-notice`: what the public privacy notice fills in from the configuration (docs/privacy.md).
struct PrivacyNoticeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("privacy-notice", use: notice)
    }

    @Sendable func notice(req: Request) async throws -> PrivacyNotice {
        let config = req.application.lotse.config
        let day = 86_400.0
        return PrivacyNotice(
            operatorName: config.operatorName, operatorContact: config.operatorContact,
            dataProtectionContact: config.dataProtectionContact,
            retention: PrivacyNotice.Retention(
                unconfirmedSignUp: Int(AccountsFeature.unverifiedLifetime / day),
                idleSession: Int(AccountsService.sessionIdleLifetime / day),
                longestSession: Int(AccountsService.sessionMaximumLifetime / day),
                abandonedInquiry: Int(Retention.abandonedInquiry / day),
                inquiryNotice: Int(Retention.inquiryNotice / day), endedEngagement: RetentionSettings.defaultDays))
    }
}

/// `/api/v1/erasure/cancel`: the mailed link's way to keep an account, without signing in.
struct ErasureLinkController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("erasure", "cancel", use: cancel)
    }

    @Sendable func cancel(req: Request) async throws -> ErasureStatus {
        let input = try req.content.decode(CancelErasure.self)
        return try await req.erasure.cancel(token: input.token)
    }
}

/// `/api/v1/account/data`: what the server knows about the signed-in account, and exports made on its devices
/// (docs/privacy.md).
struct PrivacyController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let data = routes.grouped("account", "data")
        data.get("server-knowledge", use: serverKnowledge)
        data.post("exports", use: recordExport)
        let retention = routes.grouped("account", "retention")
        retention.get(use: retentionSettings)
        retention.put(use: changeRetention)
        let programRetention = routes.grouped("programs", ":programID", "retention")
        programRetention.get(use: programRetentionSettings)
        programRetention.put(use: changeProgramRetention)
        let consents = routes.grouped("account", "consents")
        consents.get(use: listConsents)
        consents.delete(":consentID", use: withdrawConsent)
        let erasure = routes.grouped("account", "erasure")
        erasure.get(use: erasureStatus)
        erasure.post(use: requestErasure)
        erasure.delete(use: cancelErasure)
    }

    /// Whether the account's deletion is scheduled, and when.
    @Sendable func erasureStatus(req: Request) async throws -> ErasureStatus {
        try await req.erasure.status(of: req.currentUser().id)
    }

    /// Schedules the account's deletion (after the password); asking again changes nothing.
    @Sendable func requestErasure(req: Request) async throws -> ErasureStatus {
        let input = try req.content.decode(RequestErasure.self)
        return try await req.erasure.request(input, by: req.currentUser().user)
    }

    /// Cancels the scheduled deletion.
    @Sendable func cancelErasure(req: Request) async throws -> ErasureStatus {
        try await req.erasure.cancel(by: req.currentUser().user)
    }

    /// How long the coach's ended engagements are kept.
    @Sendable func retentionSettings(req: Request) async throws -> RetentionSettings {
        try await req.privacy.retentionSettings(of: req.currentUser().user)
    }

    /// The coach chooses how long ended engagements are kept.
    @Sendable func changeRetention(req: Request) async throws -> RetentionSettings {
        let input = try req.content.decode(ChangeRetentionSettings.self)
        return try await req.privacy.changeRetention(input, of: req.currentUser().user)
    }

    /// How long the program's ended pairs are kept.
    @Sendable func programRetentionSettings(req: Request) async throws -> RetentionSettings {
        try await req.privacy.programRetention(req.uuid("programID"), for: req.currentUser().id)
    }

    /// Its institution's admins choose how long the program's ended pairs are kept.
    @Sendable func changeProgramRetention(req: Request) async throws -> RetentionSettings {
        let input = try req.content.decode(ChangeRetentionSettings.self)
        return try await req.privacy.changeProgramRetention(
            input, of: req.uuid("programID"), by: req.currentUser().id)
    }

    /// The account's consents, in force and withdrawn.
    @Sendable func listConsents(req: Request) async throws -> [Consent] {
        try await req.privacy.consents(of: req.currentUser().id)
    }

    /// Withdraws a consent; answers it as it is now.
    @Sendable func withdrawConsent(req: Request) async throws -> Consent {
        try await req.privacy.withdrawConsent(req.uuid("consentID"), by: req.currentUser().id)
    }

    /// An export this device is about to make, for the audit log.
    @Sendable func recordExport(req: Request) async throws -> HTTPStatus {
        let export = try req.content.decode(DataExport.self)
        try await req.privacy.recordExport(export, by: try req.currentUser().id)
        return .noContent
    }

    /// The metadata and plain texts the server keeps about the account, as a JSON file to keep.
    @Sendable func serverKnowledge(req: Request) async throws -> Response {
        let current = try req.currentUser()
        let knowledge = try await req.privacy.serverKnowledge(of: current.user, session: current.sessionID)
        let response = try await knowledge.encodeResponse(for: req)
        response.headers.replaceOrAdd(
            name: .contentDisposition, value: "attachment; filename=\"lotse-what-the-server-knows.json\"")
        return response
    }
}
