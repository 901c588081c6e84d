import Foundation

/// What someone does for an institution: admins also invite staff.
public enum InstitutionRole: String, Codable, Sendable, CaseIterable {
    /// Runs the institution on the platform: invites staff, and does everything staff do.
    case admin
    /// Runs its programs: sets them up, imports participants, matches, reads the content-blind reports.
    case staff
}

/// A platform admin creates an institution and names its first admin, who gets an invitation by mail. A retry with
/// the same `id` answers the institution without a second one.
public struct CreateInstitution: Codable, Sendable, Equatable {
    /// Chosen by the client, so a retry is recognised.
    public var id: UUID
    /// The institution's name, e.g. "Hochschule Rheinland".
    public var name: String
    /// Mail domains whose owners may join its open programs without an invitation, e.g. `hs-rheinland.de`.
    public var allowedDomains: [String]
    /// Where the first admin's invitation goes.
    public var adminEmail: String

    /// Creates the request.
    public init(id: UUID, name: String, allowedDomains: [String] = [], adminEmail: String) {
        self.id = id
        self.name = name
        self.allowedDomains = allowedDomains
        self.adminEmail = adminEmail
    }
}

/// An institution as its staff and the platform admins see it.
public struct Institution: Codable, Sendable, Equatable {
    /// Its identifier.
    public var id: UUID
    /// Its name.
    public var name: String
    /// Mail domains whose owners may join its open programs.
    public var allowedDomains: [String]
    /// The requester's role in it; nil for a platform admin who is not on its staff.
    public var myRole: InstitutionRole?
    /// When it was created.
    public var createdAt: Date

    /// Creates the value.
    public init(id: UUID, name: String, allowedDomains: [String], myRole: InstitutionRole?, createdAt: Date) {
        self.id = id
        self.name = name
        self.allowedDomains = allowedDomains
        self.myRole = myRole
        self.createdAt = createdAt
    }
}

/// An institution admin invites someone to its staff; inviting the same address again sends a fresh link and voids
/// the old one.
public struct InviteStaff: Codable, Sendable, Equatable {
    /// Where the invitation goes; only the account with this verified address can accept it.
    public var email: String
    /// What they will do.
    public var role: InstitutionRole

    /// Creates the request.
    public init(email: String, role: InstitutionRole) {
        self.email = email
        self.role = role
    }
}

/// Someone on an institution's staff, or invited to it.
public struct StaffMember: Codable, Sendable, Equatable {
    /// The address the invitation went to, or the member's.
    public var email: String
    /// The member's name; nil while the invitation is open.
    public var displayName: String?
    /// Their role.
    public var role: InstitutionRole
    /// Whether they accepted.
    public var hasJoined: Bool

    /// Creates the value.
    public init(email: String, displayName: String?, role: InstitutionRole, hasJoined: Bool) {
        self.email = email
        self.displayName = displayName
        self.role = role
        self.hasJoined = hasJoined
    }
}

/// Accepts a staff invitation with the token from its mail.
public struct AcceptStaffInvitation: Codable, Sendable, Equatable {
    /// The token from the link.
    public var token: String

    /// Creates the request.
    public init(token: String) { self.token = token }
}
