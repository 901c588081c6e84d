import Fluent
import Foundation
import LotseAPI

/// A program's registration questions (set by staff) and participants' answers to them: structured answers only,
/// which staff read and matching uses (docs/programs.md).
extension ProgramsService {
    static let maximumQuestions = 40

    /// The program's questions, for its staff.
    func questionnaire(of programID: UUID, for user: UUID) async throws -> RegistrationQuestions {
        try await staffProgram(programID, for: user).questionnaire
    }

    /// Replaces the questions; possible until matching starts (all year in an evergreen program).
    func saveQuestionnaire(_ input: RegistrationQuestions, of programID: UUID, by user: UUID) async throws
        -> RegistrationQuestions
    {
        let program = try await staffProgram(programID, for: user)
        guard program.takesAnswers else { throw ProgramsError.wrongStatus(current: program.status) }
        let questionnaire = try Self.checked(input)
        program.questionnaire = questionnaire
        program.updatedAt = now()
        try await program.save(on: db)
        return questionnaire
    }

    /// The registration form of the signed-in participant: their role's questions and their answers.
    func registrationForm(in programID: UUID, for user: UserRecord) async throws -> RegistrationForm {
        let (program, participant) = try await participation(in: programID, of: user)
        return try await form(program, participant)
    }

    /// Saves a participant's answers, all required ones included; saving again replaces them.
    func saveRegistration(_ input: Registration, in programID: UUID, by user: UserRecord) async throws
        -> RegistrationForm
    {
        let (program, participant) = try await participation(in: programID, of: user)
        guard program.takesAnswers else { throw ProgramsError.wrongStatus(current: program.status) }
        let questions = program.questionnaire.questions.filter { $0.askedOf.contains(participant.role) }
        let answers = try Self.checked(input.answers, against: questions)
        let guardian = try input.guardianEmail.map { try AccountInput.email($0) }
        guard guardian == nil || guardian != participant.email else { throw ProgramsError.guardianIsParticipant }
        if let sealed = input.sealedAnswers {
            guard questions.contains(where: { $0.kind == .text }) else {
                throw RequestError.invalid(field: "sealedAnswers", reason: "no free-text question is asked of you")
            }
            participant.sealedAnswersJSON = JSONText.encode(
                try await checked(sealed, from: participant, by: user.requireID(), in: program))
        } else {
            participant.sealedAnswersJSON = nil
        }
        participant.answersJSON = String(
            decoding: try JSONEncoder().encode(Registration(answers: answers)), as: UTF8.self)
        var guardianToken: String?
        if guardian != participant.guardianEmail {
            participant.guardianEmail = guardian
            participant.guardianConfirmedAt = nil
            guardianToken = guardian.map { _ in SecureToken.make() }
            participant.guardianTokenHash = guardianToken.map(SecureToken.hash)
        }
        if participant.role == .mentor {
            let capacity = questions.first { $0.kind == .capacity }.flatMap { question in
                answers.first { $0.questionId == question.id }?.number
            }
            participant.capacity = capacity ?? 1
        }
        try await requireConsent(input.consent, of: user, to: program)
        try await participant.save(on: db)
        if let guardianToken, let guardian {
            let institution = try await InstitutionRecord.find(program.institutionID, on: db)
            mailer.send(
                "guardian_consent", to: guardian, in: user.language,
                arguments: [
                    participant.displayName, program.name, institution?.name ?? "",
                    mailer.link("/guardian-consent", token: guardianToken),
                ], now: now())
        }
        return try await form(program, participant)
    }

    /// The participant's consent that the program's staff see the answers: on record, or given with this save (then
    /// recorded, once however often the save is retried, and written to the audit log).
    private func requireConsent(_ version: String?, of user: UserRecord, to program: ProgramRecord) async throws {
        guard version == nil || version == Registration.consentVersion else {
            throw RequestError.invalid(field: "consent", reason: "not the version of the consent text")
        }
        let consents = Consents(db: db)
        let (userID, programID) = (try user.requireID(), try program.requireID())
        guard try await consents.active(of: userID, for: .programAnswers, about: programID) == nil else { return }
        guard version == Registration.consentVersion else { throw ProgramsError.consentRequired }
        if try await consents.give(
            by: userID, for: .programAnswers, about: programID, version: Registration.consentVersion,
            language: user.language, at: now())
        {
            try await audit.record(
                .consentGiven, account: userID, scope: program.institutionID,
                details: [
                    "purpose": Consent.Purpose.programAnswers.rawValue, "program": program.name,
                    "version": Registration.consentVersion,
                ])
        }
    }

    /// What a guardian's link shows: who, for which program.
    func guardianConsent(token: String) async throws -> GuardianConsent {
        let (participant, program) = try await guardianParticipation(token)
        let institution = try await InstitutionRecord.find(program.institutionID, on: db)
        return GuardianConsent(
            participantName: participant.displayName, programName: program.name,
            programDescription: program.description, institutionName: institution?.name ?? "",
            isConfirmed: participant.guardianConfirmedAt != nil)
    }

    /// The guardian confirms; confirming again changes nothing.
    func confirmGuardian(token: String) async throws -> GuardianConsent {
        let (participant, _) = try await guardianParticipation(token)
        if participant.guardianConfirmedAt == nil {
            participant.guardianConfirmedAt = now()
            try await participant.save(on: db)
        }
        return try await guardianConsent(token: token)
    }

    private func guardianParticipation(_ token: String) async throws -> (ProgramParticipantRecord, ProgramRecord) {
        guard token.unicodeScalars.count <= 200 else {
            throw RequestError.invalid(field: "token", reason: "longer than any token")
        }
        guard
            let participant = try await ProgramParticipantRecord.query(on: db)
                .filter(\.$guardianTokenHash == SecureToken.hash(token)).first(),
            let program = try await ProgramRecord.find(participant.programID, on: db)
        else { throw ProgramsError.guardianLinkInvalid }
        return (participant, program)
    }

    private func participation(in programID: UUID, of user: UserRecord) async throws
        -> (ProgramRecord, ProgramParticipantRecord)
    {
        guard let program = try await ProgramRecord.find(programID, on: db),
            let participant = try await ProgramParticipantRecord.query(on: db).filter(\.$programID == programID)
                .filter(\.$userID == user.requireID()).first()
        else { throw ProgramsError.programNotFound }
        return (program, participant)
    }

    private func form(_ program: ProgramRecord, _ participant: ProgramParticipantRecord) async throws
        -> RegistrationForm
    {
        let questions = program.questionnaire.questions.filter { $0.askedOf.contains(participant.role) }
        var sealed: SealedAnswers?
        if let author = participant.userID, participant.sealedAnswersJSON != nil {
            sealed = Self.readable(
                participant.sealedAnswersJSON, for: author,
                authorSigningKey: try await signingKeys(of: [participant])[author])
        }
        var consentGivenAt: Date?
        if let userID = participant.userID {
            consentGivenAt = try await Consents(db: db).active(
                of: userID, for: .programAnswers, about: program.requireID())?.givenAt
        }
        return RegistrationForm(
            programId: program.id!, programName: program.name, participantId: participant.id!,
            role: participant.role, questions: questions, answers: participant.answers,
            isComplete: Self.isComplete(participant, in: program),
            isEditable: program.takesAnswers, matchingMode: program.matchingMode,
            guardianEmail: participant.guardianEmail, guardianConsent: participant.guardianConsent,
            staffKeys: questions.contains { $0.kind == .text } ? try await staffKeys(of: program.institutionID) : [],
            sealedAnswers: sealed, consentGivenAt: consentGivenAt)
    }

    /// Whether every required question of the participant's role is answered (with none required, nothing is
    /// missing even before a first save). Matching's pool and the forms ask this same question.
    static func isComplete(_ participant: ProgramParticipantRecord, in program: ProgramRecord) -> Bool {
        let answered = Set(participant.answers.map(\.questionId))
        let required = program.questionnaire.questions.filter { $0.isRequired && $0.askedOf.contains(participant.role) }
        return (participant.answersJSON != nil || required.isEmpty) && required.allSatisfy { answered.contains($0.id) }
    }

    /// The programs the account takes part in, with whether its registration is complete.
    func myPrograms(_ user: UserRecord) async throws -> [MyProgram] {
        let mine = try await ProgramParticipantRecord.query(on: db).filter(\.$userID == user.requireID())
            .filter(\.$state == .registered).all()
        guard !mine.isEmpty else { return [] }
        let programs = try await ProgramRecord.query(on: db).filter(\.$id ~~ mine.map(\.programID)).all()
        let institutions = try await InstitutionRecord.query(on: db)
            .filter(\.$id ~~ Array(Set(programs.map(\.institutionID)))).all()
        let names = Dictionary(uniqueKeysWithValues: institutions.map { ($0.id!, $0.name) })
        let byID = Dictionary(uniqueKeysWithValues: programs.map { ($0.id!, $0) })
        return mine.compactMap { participant in
            guard let program = byID[participant.programID], program.status != .closed else { return nil }
            return MyProgram(
                programId: participant.programID, name: program.name,
                institutionName: names[program.institutionID] ?? "", role: participant.role,
                status: program.status, matchingMode: program.matchingMode,
                isRegistrationComplete: Self.isComplete(participant, in: program))
        }
    }

    // MARK: Checks

    /// Checks staff's questions: a label, the options a kind needs (and no others), who is asked, and a matching use
    /// that fits (only questions asked of both can be compared; a capacity is asked of mentors and not compared).
    static func checked(_ input: RegistrationQuestions) throws -> RegistrationQuestions {
        guard input.questions.count <= maximumQuestions else {
            throw ProgramsError.invalidQuestion(field: "questions", problem: "too_many")
        }
        var seen = Set<UUID>()
        var questions: [RegistrationQuestion] = []
        for (index, raw) in input.questions.enumerated() {
            let field = "questions[\(index)]"
            var question = raw
            guard seen.insert(question.id).inserted else {
                throw ProgramsError.invalidQuestion(field: field + ".id", problem: "duplicate")
            }
            guard let label = try? name(question.label), label.unicodeScalars.count <= 300 else {
                throw ProgramsError.invalidQuestion(field: field + ".label", problem: "label")
            }
            question.label = label
            let takesOptions = [QuestionKind.single, .multiple, .topics].contains(question.kind)
            let options = question.options.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            if takesOptions {
                guard (1...50).contains(options.count), Set(options).count == options.count,
                    options.allSatisfy({ (try? name($0)) != nil && $0.unicodeScalars.count <= 100 })
                else { throw ProgramsError.invalidQuestion(field: field + ".options", problem: "options") }
            } else {
                guard options.isEmpty else {
                    throw ProgramsError.invalidQuestion(field: field + ".options", problem: "no_options")
                }
            }
            question.options = options
            let askedOf = Array(Set(question.askedOf)).sorted { $0.rawValue < $1.rawValue }
            guard !askedOf.isEmpty else {
                throw ProgramsError.invalidQuestion(field: field + ".askedOf", problem: "asked_of")
            }
            question.askedOf = askedOf
            if question.kind == .text {
                guard question.use == .none, !question.isRequired else {
                    throw ProgramsError.invalidQuestion(field: field + ".kind", problem: "free_text")
                }
            }
            if question.kind == .capacity {
                guard askedOf == [.mentor], question.use == .none else {
                    throw ProgramsError.invalidQuestion(field: field + ".askedOf", problem: "capacity")
                }
            }
            if question.use != .none && askedOf.count < 2 {
                throw ProgramsError.invalidQuestion(field: field + ".use", problem: "compared")
            }
            if question.use == .weight && !(1...10).contains(question.weight) {
                throw ProgramsError.invalidQuestion(field: field + ".weight", problem: "weight")
            }
            questions.append(question)
        }
        guard questions.count(where: { $0.kind == .capacity }) <= 1 else {
            throw ProgramsError.invalidQuestion(field: "questions", problem: "one_capacity")
        }
        return RegistrationQuestions(questions: questions)
    }

    /// Checks a participant's answers against their role's questions: every required one answered, each answer one
    /// its question allows. The field at fault is the question's ID, as the registration form names its inputs.
    static func checked(_ answers: [RegistrationAnswer], against questions: [RegistrationQuestion]) throws
        -> [RegistrationAnswer]
    {
        let byID = Dictionary(uniqueKeysWithValues: questions.map { ($0.id, $0) })
        var result: [UUID: RegistrationAnswer] = [:]
        for answer in answers {
            guard let question = byID[answer.questionId], result[answer.questionId] == nil else {
                throw RequestError.invalid(field: "answers", reason: "an answer to no question of yours, or two")
            }
            guard let normalized = normalized(answer, for: question) else {
                throw ProgramsError.answerInvalid(questionID: question.id, label: question.label)
            }
            if !normalized.isEmpty { result[question.id] = normalized }
        }
        for question in questions where question.isRequired && result[question.id] == nil {
            throw ProgramsError.answerMissing(questionID: question.id, label: question.label)
        }
        return questions.compactMap { result[$0.id] }
    }

    /// The answer in its stored form, or nil if the question does not allow it.
    private static func normalized(_ answer: RegistrationAnswer, for question: RegistrationQuestion)
        -> RegistrationAnswer?
    {
        let values = answer.values.map { $0.trimmingCharacters(in: .whitespaces) }
        var result = RegistrationAnswer(questionId: question.id)
        switch question.kind {
        case .single:
            guard values.count <= 1, values.allSatisfy(question.options.contains), answer.slots.isEmpty,
                answer.number == nil
            else { return nil }
            result.values = values
        case .multiple, .topics:
            guard Set(values).count == values.count, values.allSatisfy(question.options.contains),
                answer.slots.isEmpty, answer.number == nil
            else { return nil }
            result.values = question.options.filter(values.contains)
        case .languages:
            let codes = values.map { $0.lowercased() }
            guard codes.count <= 20, Set(codes).count == codes.count,
                codes.allSatisfy({ (2...3).contains($0.count) && $0.allSatisfy { $0 >= "a" && $0 <= "z" } }),
                answer.slots.isEmpty, answer.number == nil
            else { return nil }
            result.values = codes
        case .timeZone:
            guard values.count <= 1, values.allSatisfy({ TimeZone(identifier: $0) != nil }),
                answer.slots.isEmpty, answer.number == nil
            else { return nil }
            result.values = values
        case .availability:
            guard values.isEmpty, answer.number == nil, Set(answer.slots).count == answer.slots.count,
                answer.slots.allSatisfy((0...20).contains)
            else { return nil }
            result.slots = answer.slots.sorted()
        case .capacity:
            guard values.isEmpty, answer.slots.isEmpty, answer.number.map((1...10).contains) ?? true else {
                return nil
            }
            result.number = answer.number
        case .text:
            return nil  // free text travels sealed, never as a plain answer
        }
        return result
    }
}

extension RegistrationAnswer {
    /// Whether it says nothing (no value, slot or number): the same as no answer.
    var isEmpty: Bool { values.isEmpty && slots.isEmpty && number == nil }
}
