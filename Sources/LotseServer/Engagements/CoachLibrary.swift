import Fluent
import Foundation
import LotseAPI

/// A coach's own material: intake questionnaires and program templates. Not confidential client data, so plain;
/// what clients answer or write within an engagement is sealed.
struct CoachLibrary {
    let db: any Database
    let now: @Sendable () -> Date

    func questionnaires(of coach: UUID) async throws -> [Questionnaire] {
        try await QuestionnaireRecord.query(on: db).filter(\.$coachID == coach).sort(\.$title).all().map { try $0.wire }
    }

    /// Creates (`isNew`) or replaces a questionnaire.
    func save(_ input: SaveQuestionnaire, id: UUID, by coach: UserRecord) async throws -> (Questionnaire, isNew: Bool) {
        let coachID = try requireCoach(coach)
        let title = try DirectoryInput.text(input.title, field: "title", maximum: 200, allowEmpty: false)
        guard (1...50).contains(input.questions.count), Set(input.questions.map(\.id)).count == input.questions.count
        else { throw RequestError.invalid(field: "questions", reason: "not 1 to 50 questions with distinct IDs") }
        let questions = try input.questions.map {
            Question(
                id: $0.id,
                text: try DirectoryInput.text($0.text, field: "questions.text", maximum: 500, allowEmpty: false),
                kind: $0.kind)
        }
        let (record, isNew) = try await own(QuestionnaireRecord.self, id, coach: coachID)
        record.title = title
        record.questions = JSONText.encode(questions)
        try await save(record, isNew: isNew)
        return (try record.wire, isNew)
    }

    func deleteQuestionnaire(_ id: UUID, by coach: UUID) async throws {
        guard let record = try await QuestionnaireRecord.find(id, on: db), record.coachID == coach else {
            throw EngagementsError.questionnaireNotFound
        }
        try await record.delete(on: db)
    }

    func templates(of coach: UUID) async throws -> [ProgramTemplate] {
        try await ProgramTemplateRecord.query(on: db).filter(\.$coachID == coach).sort(\.$name).all().map {
            try $0.wire
        }
    }

    /// Creates (`isNew`) or replaces a template.
    func save(_ input: SaveProgramTemplate, id: UUID, by coach: UserRecord) async throws
        -> (ProgramTemplate, isNew: Bool)
    {
        let coachID = try requireCoach(coach)
        let name = try DirectoryInput.text(input.name, field: "name", maximum: 200, allowEmpty: false)
        let description = try DirectoryInput.text(
            input.description, field: "description", maximum: 2_000, allowEmpty: true, multiline: true)
        let steps = try Self.checked(input.steps, minimum: 1)
        let (record, isNew) = try await own(ProgramTemplateRecord.self, id, coach: coachID)
        record.name = name
        record.description = description
        record.steps = JSONText.encode(steps)
        try await save(record, isNew: isNew)
        return (try record.wire, isNew)
    }

    /// A template's steps, checked and in day order: `minimum` to 100, each on day 0 to 3650 with a title.
    static func checked(_ input: [ProgramStep], minimum: Int) throws -> [ProgramStep] {
        guard (minimum...100).contains(input.count) else {
            throw RequestError.invalid(field: "steps", reason: "not \(minimum) to 100 steps")
        }
        return try input.map { step in
            guard (0...3_650).contains(step.day) else {
                throw RequestError.invalid(field: "steps.day", reason: "not between 0 and 3650")
            }
            return ProgramStep(
                day: step.day,
                title: try DirectoryInput.text(step.title, field: "steps.title", maximum: 200, allowEmpty: false),
                kind: step.kind)
        }.sorted { $0.day < $1.day }
    }

    func deleteTemplate(_ id: UUID, by coach: UUID) async throws {
        guard let record = try await ProgramTemplateRecord.find(id, on: db), record.coachID == coach else {
            throw EngagementsError.templateNotFound
        }
        try await record.delete(on: db)
    }

    private func requireCoach(_ user: UserRecord) throws -> UUID {
        guard user.role == .coach else { throw EngagementsError.coachOnly }
        return try user.requireID()
    }

    /// The coach's record with this ID, or a new one; someone else's is `id_conflict`. Its time is now.
    private func own<Record: CoachMaterial>(_ type: Record.Type, _ id: UUID, coach: UUID) async throws
        -> (Record, isNew: Bool)
    {
        let existing = try await Record.find(id, on: db)
        if let existing, existing.coachID != coach { throw EngagementsError.idConflict }
        let record = existing ?? Record()
        record.id = id
        record.coachID = coach
        record.updatedAt = now()
        return (record, existing == nil)
    }

    /// Saves; of two first saves racing each other, the second answers `id_conflict` and may be retried.
    private func save(_ record: some Model, isNew: Bool) async throws {
        do {
            try await record.save(on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure && isNew {
            throw EngagementsError.idConflict
        }
    }
}

/// A coach's own reusable material.
protocol CoachMaterial: Model where IDValue == UUID {
    var coachID: UUID { get set }
    var updatedAt: Date { get set }
}

extension QuestionnaireRecord: CoachMaterial {}
extension ProgramTemplateRecord: CoachMaterial {}

extension QuestionnaireRecord {
    var wire: Questionnaire {
        get throws {
            Questionnaire(
                id: try requireID(), title: title, questions: try JSONText.decode([Question].self, questions),
                updatedAt: updatedAt)
        }
    }
}

extension ProgramTemplateRecord {
    var wire: ProgramTemplate {
        get throws {
            ProgramTemplate(
                id: try requireID(), name: name, description: description,
                steps: try JSONText.decode([ProgramStep].self, steps), updatedAt: updatedAt)
        }
    }
}
