import Foundation
import LotseAPI
import Vapor

/// Everything the programs feature says no with.
enum ProgramsError: AppError {
    /// No such institution, or the requester is not on its staff (the same answer, so nothing leaks).
    case institutionNotFound
    /// Only the institution's admins may do this.
    case adminOnly
    /// No such program, or not one the requester may see.
    case programNotFound
    /// No program has this invitation link.
    case invitationNotFound
    /// The staff invitation is unknown, expired or voided by a newer one.
    case staffInvitationInvalid
    /// The staff invitation went to another address than the signed-in account's.
    case invitationForOtherAddress
    /// The ID is already used for something else.
    case idConflict
    /// Not possible while the program is in this status.
    case wrongStatus(current: ProgramStatus)
    /// The program takes no registrations now.
    case notOpen
    /// The account's mail domain is not one of the institution's.
    case domainNotAllowed
    /// A closed program is read-only.
    case programClosed
    /// A setting is out of range or inconsistent; the argument says which.
    case invalidSetting(field: String)
    /// An institution's name is empty, too long or has control characters.
    case invalidName
    /// A domain is not a host name.
    case invalidDomain(String)
    /// Rows of a participant list that are not right; nothing was imported.
    case listRejected([ParticipantList.Problem])
    /// A participant list longer than ``ParticipantList/maximumRows``.
    case listTooLong
    /// A registration question that does not fit its kind; `problem` says how.
    case invalidQuestion(field: String, problem: String)
    /// A required registration question has no answer.
    case answerMissing(questionID: UUID, label: String)
    /// An answer the question does not allow.
    case answerInvalid(questionID: UUID, label: String)
    /// A pinned pair that is not in the pool, fails a must criterion, or exceeds the mentor's capacity.
    case pinNotPossible
    /// The mentor has no place left.
    case mentorFull(name: String)
    /// The mentee is matched already.
    case menteeMatched(name: String)
    /// No such match, or not one of the account's.
    case matchNotFound
    /// Not possible while the match is in this state.
    case wrongMatchState(current: MatchState)
    /// A mentee has as many open requests as allowed.
    case tooManyRequests
    /// A guardian's link that is unknown or was replaced.
    case guardianLinkInvalid
    /// The guardian's address is the participant's own.
    case guardianIsParticipant
    /// Answers without the participant's consent that staff see them (none on record, none given with the save).
    case consentRequired
    /// The partner has no end-to-end keys yet (they never signed in in a browser).
    case partnerNotReady(name: String)
    /// The partner is starting the pair's engagement at this very moment.
    case pairStarting
    /// No session of the pair that is over has this ID.
    case meetingNotFound
    /// Free text was sealed for a staff that has changed since.
    case staffChanged

    var status: HTTPStatus {
        switch self {
        case .institutionNotFound, .programNotFound, .invitationNotFound, .matchNotFound, .meetingNotFound: .notFound
        case .adminOnly, .invitationForOtherAddress, .domainNotAllowed: .forbidden
        case .staffInvitationInvalid, .guardianLinkInvalid: .gone
        case .idConflict, .wrongStatus, .notOpen, .programClosed, .pinNotPossible, .mentorFull, .menteeMatched,
            .wrongMatchState, .tooManyRequests, .partnerNotReady, .pairStarting, .staffChanged:
            .conflict
        case .invalidSetting, .invalidName, .invalidDomain, .listRejected, .listTooLong, .invalidQuestion,
            .answerMissing,
            .answerInvalid, .guardianIsParticipant, .consentRequired:
            .badRequest
        }
    }

    var code: String {
        switch self {
        case .institutionNotFound: "programs.institution_not_found"
        case .adminOnly: "programs.admin_only"
        case .programNotFound: "programs.not_found"
        case .invitationNotFound: "programs.invitation_not_found"
        case .staffInvitationInvalid: "programs.staff_invitation_invalid"
        case .invitationForOtherAddress: "programs.invitation_other_address"
        case .idConflict: "programs.id_conflict"
        case .wrongStatus: "programs.wrong_status"
        case .notOpen: "programs.not_open"
        case .domainNotAllowed: "programs.domain_not_allowed"
        case .programClosed: "programs.closed"
        case .invalidSetting(let field): "programs.invalid_" + field
        case .invalidName: "programs.invalid_name"
        case .invalidDomain: "programs.invalid_domain"
        case .listRejected: "programs.list_rejected"
        case .listTooLong: "programs.list_too_long"
        case .invalidQuestion(_, let problem): "programs.question_" + problem
        case .answerMissing: "programs.answer_missing"
        case .answerInvalid: "programs.answer_invalid"
        case .pinNotPossible: "programs.pin_not_possible"
        case .mentorFull: "programs.mentor_full"
        case .menteeMatched: "programs.mentee_matched"
        case .matchNotFound: "programs.match_not_found"
        case .wrongMatchState: "programs.wrong_match_state"
        case .tooManyRequests: "programs.too_many_requests"
        case .guardianLinkInvalid: "programs.guardian_link_invalid"
        case .guardianIsParticipant: "programs.guardian_is_participant"
        case .consentRequired: "programs.consent_required"
        case .partnerNotReady: "programs.partner_not_ready"
        case .pairStarting: "programs.pair_starting"
        case .meetingNotFound: "programs.meeting_not_found"
        case .staffChanged: "programs.staff_changed"
        }
    }

    var field: String? {
        switch self {
        case .invalidSetting(let field): field
        case .invalidName: "name"
        case .invalidDomain: "allowedDomains"
        case .listRejected, .listTooLong: "csv"
        case .invalidQuestion(let field, _): field
        case .guardianIsParticipant: "guardianEmail"
        case .consentRequired: "consent"
        case .staffChanged: "sealedAnswers"
        case .answerMissing(let id, _), .answerInvalid(let id, _): id.uuidString
        default: nil
        }
    }

    var arguments: [String] {
        switch self {
        case .wrongStatus(let current): [current.rawValue]
        case .invalidDomain(let domain): [domain]
        case .answerMissing(_, let label), .answerInvalid(_, let label): [label]
        case .mentorFull(let name), .menteeMatched(let name), .partnerNotReady(let name): [name]
        case .wrongMatchState(let current): [current.rawValue]
        default: []
        }
    }

    /// A rejected list names each bad row with its line number, in the reader's language (at most 20).
    func arguments(in language: Language) -> [String] {
        guard case .listRejected(let problems) = self else { return arguments }
        var lines = problems.prefix(20).map { problem in
            Texts.programs.message(
                "programs.list_line", language, [String(problem.line), problem.describe(in: language)])
        }
        if problems.count > 20 {
            lines.append(Texts.programs.message("programs.list_more", language, [String(problems.count - 20)]))
        }
        return [lines.joined(separator: " ")]
    }
}
