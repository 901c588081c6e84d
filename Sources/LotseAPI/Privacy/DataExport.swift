import Foundation

/// An export made on a device (docs/privacy.md, "Export"), announced before it starts so the audit log holds it: the
/// server learns that it happened and of what, never what it held.
public struct DataExport: Codable, Sendable, Equatable {
    /// Chosen by the device; a retry with the same ID records nothing new.
    public var id: UUID
    public var scope: Scope
    /// The engagement, when only one is exported.
    public var engagementId: UUID?

    /// What is exported.
    public enum Scope: String, Codable, Sendable {
        /// Everything of the account.
        case account
        /// One engagement, for a coach's records.
        case engagement
    }

    /// Creates the value.
    public init(id: UUID, scope: Scope, engagementId: UUID? = nil) {
        self.id = id
        self.scope = scope
        self.engagementId = engagementId
    }
}
