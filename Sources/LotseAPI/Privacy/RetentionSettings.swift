import Foundation

/// How long a coach's ended engagements are kept (docs/privacy.md, "Retention"): after this many days without
/// activity, a closed, declined or withdrawn engagement is deleted with everything in it, its people told a week
/// before.
public struct RetentionSettings: Codable, Sendable, Equatable {
    /// The coach's choice, or the default.
    public var endedEngagementDays: Int
    /// What applies without a choice.
    public var defaultDays: Int

    /// A year: long enough for follow-up questions and a coach's own records, short enough not to keep confidences
    /// for years.
    public static let defaultDays = 365
    /// From a month to ten years.
    public static let allowedDays = 30...3_650

    /// Creates the value.
    public init(endedEngagementDays: Int, defaultDays: Int = Self.defaultDays) {
        self.endedEngagementDays = endedEngagementDays
        self.defaultDays = defaultDays
    }
}

/// A coach's new choice how long ended engagements are kept.
public struct ChangeRetentionSettings: Codable, Sendable, Equatable {
    public var endedEngagementDays: Int

    /// Creates the value.
    public init(endedEngagementDays: Int) {
        self.endedEngagementDays = endedEngagementDays
    }
}
