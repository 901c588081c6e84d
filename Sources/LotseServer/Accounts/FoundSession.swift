import Fluent
import Foundation
import LotseAPI
import NIOConcurrencyHelpers

/// What an authenticated request reads of its account and session nearly always, as values: who, in which role
/// and language, with or without a second factor, the session and its CSRF token. The session cache keeps these, so
/// a request it answers needs no Fluent records unless a handler asks for them (#21).
struct SessionFacts: Sendable, Equatable {
    let account: AccountFacts
    let sessionID: UUID
    let csrfToken: String
    let lastSeenAt: Date
    let expiresAt: Date

    init(session: AuthSessionRecord, user: UserRecord) throws {
        account = try AccountFacts(user)
        sessionID = try session.requireID()
        csrfToken = session.csrfToken
        lastSeenAt = session.lastSeenAt
        expiresAt = session.expiresAt
    }
}

/// The fields of an account that `Account` shows and the guards read.
struct AccountFacts: Sendable, Equatable {
    let id: UUID
    let email: String
    let displayName: String
    let role: Role
    let coachTitle: CoachTitle?
    let language: Language
    let isTwoFactorEnabled: Bool
    let createdAt: Date?

    init(_ user: UserRecord) throws {
        id = try user.requireID()
        email = user.email
        displayName = user.displayName
        role = user.role
        coachTitle = user.coachTitle
        language = user.language
        isTwoFactorEnabled = user.isTwoFactorEnabled
        createdAt = user.createdAt
    }
}

/// The session a token belongs to, with its account: the facts at once, the records when first asked for.
///
/// Building the two records from the cached row (every `@Field` an object, found by reflection) was a third of the
/// heap allocations of `GET /api/v1/account` (bench/allocations.sh), for values the facts already hold. Once built,
/// the records are each request's own (handlers change them) and ``facts`` reads them, so a handler that changed its
/// account sees the change.
final class FoundSession: Sendable {
    private enum Records {
        /// The session's row joined with its account, as the session cache keeps it.
        case unbuilt(any DatabaseOutput)
        case built(session: AuthSessionRecord, user: UserRecord)
    }

    private let cached: SessionFacts
    private let state: NIOLockedValueBox<Records>

    /// A session from the cache: its facts, and the row its records are built from when asked for.
    init(facts: SessionFacts, row: any DatabaseOutput) {
        cached = facts
        state = NIOLockedValueBox(.unbuilt(row))
    }

    /// A session just read from the database, its records at hand.
    init(session: AuthSessionRecord, user: UserRecord) throws {
        cached = try SessionFacts(session: session, user: user)
        state = NIOLockedValueBox(.built(session: session, user: user))
    }

    /// The values, read from the records once they are built.
    var facts: SessionFacts {
        guard case .built(let session, let user) = state.withLockedValue({ $0 }) else { return cached }
        return (try? SessionFacts(session: session, user: user)) ?? cached
    }

    /// The session's and account's records, built on the first call and the same ones after.
    func records() throws -> (session: AuthSessionRecord, user: UserRecord) {
        try state.withLockedValue { state in
            switch state {
            case .built(let session, let user):
                return (session, user)
            case .unbuilt(let row):
                let (session, user) = try SessionCache.records(from: row)
                state = .built(session: session, user: user)
                return (session, user)
            }
        }
    }
}
