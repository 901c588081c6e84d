import Vapor

/// Everything the engagements feature says no with.
enum EngagementsError: AppError {
    /// No such engagement, or the requester is not in it (the same answer, so nothing leaks).
    case notFound
    /// No such item, or not one the requester may see.
    case itemNotFound
    /// That person is not a client of this engagement.
    case clientNotFound
    /// Only the engagement's coach may do this.
    case coachOnly
    /// Only the engagement's clients may do this.
    case clientOnly
    /// Not possible while the engagement is in this status.
    case wrongStatus(current: String)
    /// The agreement changed since the client read it.
    case agreementChanged(current: Int)
    /// Someone changed the item since the requester read it.
    case revisionConflict(current: Int)
    /// The ID is already used for something else.
    case idConflict
    /// A sealed value does not fit where it is sent (wrong author, ID, or key).
    case sealedMismatch(field: String)
    /// The conversation's members are not the engagement's coach and clients.
    case membersMismatch
    /// Only group engagements take more clients.
    case notGroup
    /// No such template of the coach's.
    case templateNotFound
    /// No such questionnaire of the coach's.
    case questionnaireNotFound
    /// A different program was already applied.
    case programApplied
    /// The coach has not sent an intake questionnaire.
    case intakeNotSent
    /// Only the author may change or delete this item.
    case authorOnly

    var status: HTTPStatus {
        switch self {
        case .notFound, .itemNotFound, .clientNotFound, .templateNotFound, .questionnaireNotFound: .notFound
        case .coachOnly, .clientOnly, .authorOnly: .forbidden
        case .wrongStatus, .agreementChanged, .revisionConflict, .idConflict, .notGroup, .programApplied,
            .intakeNotSent:
            .conflict
        case .sealedMismatch, .membersMismatch: .badRequest
        }
    }

    var code: String {
        switch self {
        case .notFound: "engagements.not_found"
        case .itemNotFound: "engagements.item_not_found"
        case .clientNotFound: "engagements.client_not_found"
        case .coachOnly: "engagements.coach_only"
        case .clientOnly: "engagements.client_only"
        case .wrongStatus: "engagements.wrong_status"
        case .agreementChanged: "engagements.agreement_changed"
        case .revisionConflict: "engagements.revision_conflict"
        case .idConflict: "engagements.id_conflict"
        case .sealedMismatch: "engagements.sealed_mismatch"
        case .membersMismatch: "engagements.members_mismatch"
        case .notGroup: "engagements.not_group"
        case .templateNotFound: "engagements.template_not_found"
        case .questionnaireNotFound: "engagements.questionnaire_not_found"
        case .programApplied: "engagements.program_applied"
        case .intakeNotSent: "engagements.intake_not_sent"
        case .authorOnly: "engagements.author_only"
        }
    }

    var field: String? {
        if case .sealedMismatch(let field) = self { return field }
        return nil
    }

    var arguments: [String] {
        switch self {
        case .wrongStatus(let current): [current]
        case .agreementChanged(let current), .revisionConflict(let current): [String(current)]
        case .sealedMismatch(let field): [field]
        default: []
        }
    }
}
