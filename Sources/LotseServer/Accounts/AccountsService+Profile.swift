import Fluent
import Foundation
import LotseAPI

/// One's own profile, the first administrator and role changes.
extension AccountsService {
    /// The wire form of an account.
    func account(_ user: UserRecord) async throws -> Account {
        try await account(AccountFacts(user))
    }

    /// The same from the values a signed-in request has without the account's record.
    func account(_ user: AccountFacts) async throws -> Account {
        Account(
            id: user.id, email: user.email, displayName: user.displayName, role: user.role,
            coachTitle: user.coachTitle, language: user.language, isTwoFactorEnabled: user.isTwoFactorEnabled,
            mustEnableTwoFactor: user.role.requiresTwoFactor && !user.isTwoFactorEnabled,
            recoveryCodesLeft: user.isTwoFactorEnabled ? try await recoveryCodesLeft(for: user.id) : 0,
            createdAt: user.createdAt ?? now())
    }

    /// Changes the name or language.
    func update(_ user: UserRecord, with change: UpdateAccount) async throws -> Account {
        if let name = change.displayName { user.displayName = try AccountInput.displayName(name) }
        if let language = change.language { user.language = language }
        try await user.save(on: db)
        return try await account(user)
    }

    /// Whether any platform admin exists.
    func hasPlatformAdmin() async throws -> Bool {
        try await UserRecord.query(on: db).filter(\.$role == .platformAdmin).count() > 0
    }

    /// Creates the first platform admin, verified at once (whoever holds the setup token runs the server).
    func createFirstAdmin(_ input: CreateFirstAdmin) async throws -> UserRecord {
        let email = try AccountInput.email(input.email)
        let name = try AccountInput.displayName(input.displayName)
        let kdf = try AccountInput.kdf(input.kdf)
        let loginKey = try AccountInput.loginKey(input.loginKey)
        guard try await !hasPlatformAdmin() else { throw AccountsError.setupDone }
        let user = UserRecord(
            email: email, displayName: name, role: .platformAdmin, coachTitle: nil, language: input.language, kdf: kdf,
            loginKeyHash: try await hasher.hash(loginKey))
        user.emailVerifiedAt = now()
        user.createdAt = now()
        if let existing = try await UserRecord.query(on: db).filter(\.$email == email).first() {
            // The operator's own address already has an account: promote it, keeping its password.
            existing.role = .platformAdmin
            existing.coachTitle = nil
            try await existing.save(on: db)
            return existing
        }
        try await user.create(on: db)
        return user
    }

    /// Every account, for platform admins, oldest first.
    func allAccounts() async throws -> [AccountSummary] {
        try await UserRecord.query(on: db).filter(\.$erasedAt == nil).sort(\.$createdAt).all().map(summary)
    }

    /// Gives an account another role. The last platform admin keeps theirs, so the platform is never left without one.
    func changeRole(of id: UUID, to change: ChangeRole, by admin: UUID) async throws -> AccountSummary {
        guard let user = try await UserRecord.find(id, on: db), user.erasedAt == nil else {
            throw AccountsError.accountNotFound
        }
        if user.role == .platformAdmin, change.role != .platformAdmin,
            try await UserRecord.query(on: db).filter(\.$role == .platformAdmin).count() <= 1
        {
            throw AccountsError.lastAdmin
        }
        user.role = change.role
        user.coachTitle = change.role == .coach ? (change.coachTitle ?? user.coachTitle ?? .coach) : nil
        try await user.save(on: db)
        try await audit.record(.roleChanged, account: id, by: admin, details: ["role": change.role.rawValue])
        return try summary(user)
    }

    private func summary(_ user: UserRecord) throws -> AccountSummary {
        AccountSummary(
            id: try user.requireID(), email: user.email, displayName: user.displayName, role: user.role,
            isEmailVerified: user.emailVerifiedAt != nil, isTwoFactorEnabled: user.isTwoFactorEnabled,
            createdAt: user.createdAt ?? now())
    }
}
