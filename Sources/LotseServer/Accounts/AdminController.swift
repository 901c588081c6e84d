import Fluent
import LotseAPI
import LotseCrypto
import Vapor

/// Platform administration: `/api/v1/admin`, for platform admins with two-factor sign-in on.
struct AdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let admin = routes.grouped("admin").grouped(RequireRole(roles: [.platformAdmin]))
        admin.get("accounts", use: listAccounts)
        admin.put("accounts", ":accountID", "role", use: changeRole)
        admin.get("audit", use: audit)
    }

    /// The newest 200 entries of the whole audit log; reading it is an entry too.
    @Sendable func audit(req: Request) async throws -> [AuditEntry] {
        try await req.audit.entries(in: nil, readBy: req.currentUser().id) { ids in
            try await UserRecord.displayNames(of: ids, on: req.db)
        }
    }

    /// Every account.
    @Sendable func listAccounts(req: Request) async throws -> [AccountSummary] {
        try await req.accounts.allAccounts()
    }

    /// Gives an account another role, e.g. makes someone an institution admin.
    @Sendable func changeRole(req: Request) async throws -> AccountSummary {
        let id = try req.uuid("accountID")
        return try await req.accounts.changeRole(
            of: id, to: req.content.decode(ChangeRole.self), by: req.currentUser().id)
    }
}
