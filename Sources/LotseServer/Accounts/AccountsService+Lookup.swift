import Fluent
import Foundation
import LotseAPI

extension AccountsService {
    /// Someone's public keys by address, for a coach or admin inviting them (docs/accounts.md, "Looking people up").
    /// Anyone else, an unknown address, an unverified account and one without keys all get the same 404, and every
    /// look-up counts against the requester's hourly limit, so addresses cannot be tried by the thousand.
    func lookUp(email: String, requester: CurrentUser) async throws -> PublicKeys {
        let requesterID = requester.id
        if let retry = try await Throttle(db: db, now: now).hit(.keyLookupPerUser, requesterID.uuidString) {
            throw RequestError.rateLimited(retryAfter: retry)
        }
        guard [.coach, .platformAdmin].contains(requester.role) else { throw KeysError.personNotFound }
        let address = (try? AccountInput.email(email)) ?? ""
        guard
            let user = try await UserRecord.query(on: db).filter(\.$email == address)
                .filter(\.$emailVerifiedAt != nil).first(),
            let found = try await AccountKeysRecord.find(user.requireID(), on: db)
        else { throw KeysError.personNotFound }
        try await keyStore.grant(requesterID, reaches: user.requireID())
        return try PublicKeys(
            userId: user.requireID(), displayName: user.displayName, agreementKey: found.agreementKey,
            signingKey: found.signingKey)
    }
}
