import Crypto
import Fluent
import Foundation
import LotseAPI
import SQLKit

/// The rules of end-to-end encrypted conversations. The server sees who talks to whom and when, never what.
///
/// Messages get gap-free sequence numbers per conversation, so a device that has seen `n` asks for what comes after
/// `n` and misses nothing; a message's client-chosen ID makes every send idempotent. See docs/crypto.md and
/// docs/realtime.md.
struct MessagingService {
    let db: any Database
    let now: @Sendable () -> Date
    let events: EventHub
    let log: MessageLog
    let mailer: Mailer
    let attachmentLimit: Int

    static let maximumMembers = 50
    static let maximumCiphertext = 256 * 1024
    static let pageLimit = 200

    // MARK: Keys

    var keyStore: KeyStore { KeyStore(db: db, now: now) }

    /// Stores the account's keys (``KeyStore/store(_:for:)``). New keys after a reset without the recovery key mean
    /// every conversation needs a key this account can open.
    func setUpKeys(_ input: SetUpKeys, for userID: UUID) async throws -> (OwnKeys, isNew: Bool) {
        let (keys, isNew) = try await keyStore.store(input, for: userID)
        guard isNew else { return (keys, false) }
        let ids = try await ConversationMemberRecord.query(on: db).filter(\.$userID == userID).all(\.$conversationID)
        if !ids.isEmpty {
            try await ConversationRecord.query(on: db).filter(\.$id ~~ ids).set(\.$needsNewKey, to: true).update()
            events.send(.conversation(id: ids[0]), to: try await contacts(of: userID) + [userID])
        }
        return (keys, true)
    }

    /// Whether `creator` may start a conversation with every one of `others`: each is someone the creator already
    /// shares a conversation with that one of the two started (an engagement's, or one of these), or someone the
    /// creator, a coach or admin, looked up by address. A user ID seen elsewhere (a group's member list) is not
    /// enough: clients of one group cannot open private conversations with each other.
    func mayStart(_ creator: UUID, with others: Set<UUID>) async throws -> Bool {
        guard !others.isEmpty else { return true }
        let granted = try await keyStore.granted(to: creator, among: others)
        var missing = others.subtracting(granted)
        guard !missing.isEmpty else { return true }
        let mine = try await ConversationMemberRecord.query(on: db).filter(\.$userID == creator).all(\.$conversationID)
        guard !mine.isEmpty else { return false }
        let shared = try await ConversationMemberRecord.query(on: db).filter(\.$conversationID ~~ mine)
            .filter(\.$userID ~~ Array(missing)).all()
        let creators = Dictionary(
            try await ConversationRecord.query(on: db).filter(\.$id ~~ Set(shared.map(\.conversationID))).all()
                .map { ($0.id ?? UUID(), $0.creatorID) }, uniquingKeysWith: { first, _ in first })
        for membership in shared where [creator, membership.userID].contains(creators[membership.conversationID]) {
            missing.remove(membership.userID)
        }
        return missing.isEmpty
    }

    // MARK: Helpers

    /// The conversation, if `userID` is a member; otherwise the same "not found" as for no conversation at all.
    func requireMember(_ id: UUID, _ userID: UUID) async throws -> ConversationRecord {
        guard let record = try await ConversationRecord.find(id, on: db),
            try await ConversationMemberRecord.query(on: db).filter(\.$conversationID == id)
                .filter(\.$userID == userID).count() == 1
        else { throw MessagingError.conversationNotFound }
        return record
    }

    /// The accounts in a conversation now.
    func memberIDs(of id: UUID) async throws -> [UUID] {
        try await ConversationMemberRecord.query(on: db).filter(\.$conversationID == id).all(\.$userID)
    }

    /// Members who share a conversation with the account: who learns about its presence.
    func contacts(of userID: UUID) async throws -> [UUID] {
        let ids = try await ConversationMemberRecord.query(on: db).filter(\.$userID == userID).all(\.$conversationID)
        guard !ids.isEmpty else { return [] }
        let people = try await ConversationMemberRecord.query(on: db).filter(\.$conversationID ~~ ids).all(\.$userID)
        return Array(Set(people).subtracting([userID]))
    }

    /// Wrapped keys must cover exactly `members`, each once, for `epoch`, signed by the requester, well-formed.
    func check(_ keys: [WrappedConversationKey], epoch: UInt32, members: Set<UUID>, distributor: UUID) throws {
        guard keys.count == members.count, Set(keys.map(\.member)) == members,
            keys.allSatisfy({ $0.epoch == epoch && $0.distributor == distributor })
        else { throw MessagingError.keysDoNotMatchMembers }
        for key in keys {
            try Validate.point(key.ephemeralPublicKey, field: "keys.ephemeralPublicKey", as: .agreement)
            try Validate.sealed(key.wrappedKey, field: "keys.wrappedKey", plaintext: 32)
            _ = try Validate.base64(key.signature, field: "keys.signature", minimum: 64, maximum: 64)
        }
    }

    func profiles(_ ids: Set<UUID>) async throws -> [UUID: Profile] {
        let users = try await UserRecord.query(on: db).filter(\.$id ~~ Array(ids)).all()
        let keysByUser = try await keyStore.present(of: ids)
        let histories = try await keyStore.histories(ids)
        return Dictionary(
            users.map { user in
                let id = user.id ?? UUID()
                return (id, Profile(user: user, keys: keysByUser[id], history: histories[id] ?? []))
            }, uniquingKeysWith: { a, _ in a })
    }

    /// What a conversation shows of a person.
    struct Profile {
        let user: UserRecord
        let keys: AccountKeysRecord?
        let history: [KeyVersion]
    }

    func wire(
        _ record: ConversationRecord, members: [ConversationMemberRecord], former: [FormerMemberRecord],
        people: [UUID: Profile]
    ) throws -> Conversation {
        Conversation(
            id: try record.requireID(), creator: record.creatorID,
            members: members.sorted { $0.joinedAt < $1.joinedAt }.map { member in
                let person = people[member.userID]
                return ConversationMember(
                    userId: member.userID, displayName: person?.user.displayName ?? "",
                    agreementKey: person?.keys?.agreementKey ?? "", signingKey: person?.keys?.signingKey ?? "",
                    deliveredSeq: member.deliveredSeq, readSeq: member.readSeq, keyHistory: person?.history ?? [])
            },
            formerMembers: former.sorted { $0.leftAt < $1.leftAt }.map { former in
                FormerMember(
                    userId: former.userID, displayName: people[former.userID]?.user.displayName ?? "",
                    signingKey: former.signingKey, leftAt: former.leftAt,
                    keyHistory: people[former.userID]?.history ?? [])
            },
            epoch: UInt32(record.epoch), needsNewKey: record.needsNewKey, lastSeq: record.lastSeq,
            lastMessageAt: record.lastMessageAt, createdAt: record.createdAt)
    }
}

extension ConversationMemberRecord {
    convenience init(conversation: UUID, user: UUID, at time: Date) {
        self.init()
        conversationID = conversation
        userID = user
        deliveredSeq = 0
        readSeq = 0
        notified = false
        joinedAt = time
    }
}

extension ConversationKeyRecord {
    convenience init(_ conversation: UUID, _ key: WrappedConversationKey) {
        self.init()
        conversationID = conversation
        epoch = Int(key.epoch)
        memberID = key.member
        distributorID = key.distributor
        ephemeralPublicKey = key.ephemeralPublicKey
        wrappedKey = key.wrappedKey
        signature = key.signature
    }
}
