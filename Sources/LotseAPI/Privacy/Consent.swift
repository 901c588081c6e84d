import Foundation

/// A consent the account gave (docs/privacy.md, "Consent"): what for, about what, to which version of the text, when
/// — and when it was withdrawn.
public struct Consent: Codable, Sendable, Equatable {
    public var id: UUID
    public var purpose: Purpose
    /// What it is about (for `program_answers`, the program).
    public var subjectId: UUID
    /// Its name, as the account knows it.
    public var subjectName: String
    /// The version of the text that was agreed to.
    public var textVersion: String
    public var givenAt: Date
    public var withdrawnAt: Date?

    /// What a consent is for.
    public enum Purpose: String, Codable, Sendable {
        /// A program's staff see one's registration answers, free text included, to find a match.
        case programAnswers = "program_answers"
    }

    /// Creates the value.
    public init(
        id: UUID, purpose: Purpose, subjectId: UUID, subjectName: String, textVersion: String, givenAt: Date,
        withdrawnAt: Date?
    ) {
        self.id = id
        self.purpose = purpose
        self.subjectId = subjectId
        self.subjectName = subjectName
        self.textVersion = textVersion
        self.givenAt = givenAt
        self.withdrawnAt = withdrawnAt
    }
}
