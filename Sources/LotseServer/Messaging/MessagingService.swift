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

    // MARK: Conversations

    /// Starts a conversation with epoch 1's key wrapped for every member. A retry returns the first conversation.
    /// Only with people the creator may reach (``mayStart(_:with:)``); an inquiry to a published coach is checked
    /// by the engagements feature instead (`checked: false`).
    func create(_ input: CreateConversation, by creator: UUID, checked: Bool = true) async throws
        -> (Conversation, isNew: Bool)
    {
        if let existing = try await ConversationRecord.find(input.id, on: db) {
            guard existing.creatorID == creator else { throw MessagingError.idConflict }
            return (try await conversation(input.id, for: creator), false)
        }
        let members = Array(Set(input.members + [creator]))
        guard members.count >= 2 else { throw KeysError.personNotFound }
        guard members.count <= Self.maximumMembers else { throw MessagingError.tooManyMembers }
        // The same answer as for an unknown ID: whether someone exists is not the creator's to learn here.
        if checked, try await !mayStart(creator, with: Set(members).subtracting([creator])) {
            throw KeysError.personNotFound
        }
        let keys = try await AccountKeysRecord.query(on: db).filter(\.$id ~~ members).all()
        guard keys.count == members.count else { throw KeysError.personNotFound }
        try check(input.keys, epoch: 1, members: Set(members), distributor: creator)
        let time = now()
        do {
            try await db.transaction { db in
                let record = ConversationRecord()
                record.id = input.id
                record.creatorID = creator
                record.epoch = 1
                record.needsNewKey = false
                record.lastSeq = 0
                record.createdAt = time
                try await record.create(on: db)
                for member in members {
                    try await ConversationMemberRecord(conversation: input.id, user: member, at: time).create(on: db)
                }
                try await input.keys.map { ConversationKeyRecord(input.id, $0) }.create(on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return try await create(input, by: creator)  // the same request raced itself
        }
        events.send(.conversation(id: input.id), to: members)
        return (try await conversation(input.id, for: creator), true)
    }

    /// The conversations the account is a member of, most recently active first.
    func conversations(of userID: UUID) async throws -> [Conversation] {
        let ids = try await ConversationMemberRecord.query(on: db).filter(\.$userID == userID).all(\.$conversationID)
        guard !ids.isEmpty else { return [] }
        let records = try await ConversationRecord.query(on: db).filter(\.$id ~~ ids).all()
        let members = try await ConversationMemberRecord.query(on: db).filter(\.$conversationID ~~ ids).all()
        let former = try await FormerMemberRecord.query(on: db).filter(\.$conversationID ~~ ids).all()
        let people = try await profiles(Set(members.map(\.userID) + former.map(\.userID)))
        let byConversation = Dictionary(grouping: members, by: \.conversationID)
        let formerByConversation = Dictionary(grouping: former, by: \.conversationID)
        return try records.map {
            try wire(
                $0, members: byConversation[$0.id ?? UUID()] ?? [], former: formerByConversation[$0.id ?? UUID()] ?? [],
                people: people)
        }
        .sorted { ($0.lastMessageAt ?? $0.createdAt) > ($1.lastMessageAt ?? $1.createdAt) }
    }

    /// One conversation, if the account is a member.
    func conversation(_ id: UUID, for userID: UUID) async throws -> Conversation {
        let record = try await requireMember(id, userID)
        let members = try await ConversationMemberRecord.query(on: db).filter(\.$conversationID == id).all()
        let former = try await FormerMemberRecord.query(on: db).filter(\.$conversationID == id).all()
        return try wire(
            record, members: members, former: former,
            people: try await profiles(Set(members.map(\.userID) + former.map(\.userID))))
    }

    /// Every conversation key sealed for the account, all epochs it was a member in.
    func keys(of id: UUID, for userID: UUID) async throws -> [WrappedConversationKey] {
        _ = try await requireMember(id, userID)
        return try await ConversationKeyRecord.query(on: db).filter(\.$conversationID == id)
            .filter(\.$memberID == userID).sort(\.$epoch).all().map(\.wire)
    }

    /// Starts the next epoch with a fresh key for exactly the current members. Two racing members: one wins, the
    /// other gets `epoch_taken` and uses the winner's key.
    func rotate(_ id: UUID, _ input: RotateConversationKey, by userID: UUID) async throws -> Conversation {
        let record = try await requireMember(id, userID)
        guard Int(input.epoch) == record.epoch + 1 else { throw MessagingError.staleEpoch(current: record.epoch) }
        let members = try await memberIDs(of: id)
        try check(input.keys, epoch: input.epoch, members: Set(members), distributor: userID)
        do {
            try await db.transaction { db in
                let moved = try await (db as! any SQLDatabase).raw(
                    """
                    UPDATE conversations SET epoch = \(bind: record.epoch + 1), needs_new_key = \(bind: false)
                    WHERE id = \(bind: id) AND epoch = \(bind: record.epoch) RETURNING epoch
                    """
                ).all()
                guard moved.count == 1 else { throw MessagingError.epochTaken }
                try await input.keys.map { ConversationKeyRecord(id, $0) }.create(on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw MessagingError.epochTaken
        }
        events.send(.conversation(id: id), to: members)
        return try await conversation(id, for: userID)
    }

    /// Adds people (creator only). They cannot read anything until someone starts a new epoch, which the next
    /// sender must do.
    func addMembers(_ id: UUID, _ input: AddMembers, by userID: UUID) async throws -> Conversation {
        let record = try await requireMember(id, userID)
        guard record.creatorID == userID else { throw MessagingError.creatorOnly }
        let current = try await memberIDs(of: id)
        let added = Set(input.members).subtracting(current)
        guard current.count + added.count <= Self.maximumMembers else { throw MessagingError.tooManyMembers }
        guard try await AccountKeysRecord.query(on: db).filter(\.$id ~~ Array(added)).count() == added.count,
            try await mayStart(userID, with: added)
        else {
            throw KeysError.personNotFound
        }
        guard !added.isEmpty else { return try await conversation(id, for: userID) }
        try await db.transaction { db in
            for member in added {
                try await ConversationMemberRecord(conversation: id, user: member, at: now()).create(on: db)
            }
            record.needsNewKey = true
            try await record.save(on: db)
        }
        events.send(.conversation(id: id), to: current + added)
        return try await conversation(id, for: userID)
    }

    /// Removes a member: the creator removes anyone else, everyone may leave. The key must change before the next
    /// message, so whoever left cannot read what follows.
    func removeMember(_ id: UUID, member: UUID, by userID: UUID) async throws {
        let record = try await requireMember(id, userID)
        guard member == userID || record.creatorID == userID else { throw MessagingError.creatorOnly }
        let members = try await memberIDs(of: id)
        guard members.contains(member) else { throw KeysError.personNotFound }
        let keys = try await AccountKeysRecord.find(member, on: db)
        try await db.transaction { db in
            try await ConversationMemberRecord.query(on: db).filter(\.$conversationID == id)
                .filter(\.$userID == member).delete()
            if let keys {
                let former = FormerMemberRecord()
                former.conversationID = id
                former.userID = member
                former.signingKey = keys.signingKey
                former.leftAt = now()
                try await former.create(on: db)
            }
            try await DraftRecord.query(on: db).filter(\.$conversationID == id).filter(\.$userID == member).delete()
            record.needsNewKey = true
            try await record.save(on: db)
        }
        events.send(.conversation(id: id), to: members)
    }

    /// Moves the account's delivery and read marks forward (never back) and tells the other members.
    func mark(_ id: UUID, _ input: MarkConversation, by userID: UUID) async throws {
        let record = try await requireMember(id, userID)
        guard
            let member = try await ConversationMemberRecord.query(on: db).filter(\.$conversationID == id)
                .filter(\.$userID == userID).first()
        else { throw MessagingError.conversationNotFound }
        let read = min(max(member.readSeq, input.readSeq ?? 0), record.lastSeq)
        let delivered = min(max(member.deliveredSeq, input.deliveredSeq ?? 0, read), record.lastSeq)
        guard read != member.readSeq || delivered != member.deliveredSeq else { return }
        member.readSeq = read
        member.deliveredSeq = delivered
        if read >= record.lastSeq { member.notified = false }
        try await member.save(on: db)
        let members = try await memberIDs(of: id)
        events.send(.receipt(conversation: id, user: userID, deliveredSeq: delivered, readSeq: read), to: members)
    }

    // MARK: Messages

    /// Stores a sealed message under the next sequence number (through the group-committing ``MessageLog``) and
    /// hands it to the members' open connections; the answer comes only after the commit, so an acknowledged message
    /// survives a crash. A retry with the same ID
    /// returns the stored message (`isNew == false`); the same ID with other content is refused.
    func send(_ input: SendMessage, to id: UUID, by userID: UUID) async throws -> (Message, isNew: Bool) {
        let (ciphertext, signature) = try Validate.sealedMessage(input.ciphertext, signature: input.signature)
        let attachments = Array(Set(input.attachments ?? []))
        let record = MessageRecord()
        record.id = input.id
        record.conversationID = id
        record.senderID = userID
        record.epoch = Int(input.epoch)
        record.ciphertext = ciphertext
        record.signature = signature
        record.attachmentIDs = attachments.map(\.uuidString).sorted().joined(separator: ",")
        record.sentAt = now()
        let members: [ConversationMemberRecord]
        switch try await log.append(record, attachments: attachments) {
        case .stored(_, let current): members = current
        case .duplicate(let earlier): return (try sameMessage(earlier, id, userID, ciphertext, signature), false)
        case .refused(let reason): throw reason
        }
        let message = record.wire
        events.send(.message(message), to: members.map(\.userID))
        try await notifyOffline(members.filter { $0.userID != userID && !$0.notified }, conversation: id)
        return (message, true)
    }

    private func sameMessage(
        _ earlier: MessageRecord, _ id: UUID, _ userID: UUID, _ ciphertext: Data, _ signature: Data
    )
        throws -> Message
    {
        guard earlier.conversationID == id, earlier.senderID == userID, earlier.ciphertext == ciphertext,
            earlier.signature == signature
        else { throw MessagingError.idConflict }
        return earlier.wire
    }

    /// A page of history, oldest first: after `after` (catching up) or the latest before `before` (scrolling back).
    func messages(in id: UUID, for userID: UUID, after: Int?, before: Int?, limit: Int?) async throws -> MessagePage {
        _ = try await requireMember(id, userID)
        let limit = min(max(limit ?? 50, 1), Self.pageLimit)
        var query = MessageRecord.query(on: db).filter(\.$conversationID == id)
        if let after {
            query = query.filter(\.$seq > after).sort(\.$seq, .ascending)
        } else {
            if let before { query = query.filter(\.$seq < before) }
            query = query.sort(\.$seq, .descending)
        }
        var records = try await query.limit(limit + 1).all()
        let hasMore = records.count > limit
        records = Array(records.prefix(limit))
        if after == nil { records.reverse() }
        return MessagePage(messages: records.map(\.wire), hasMore: hasMore)
    }

    /// Mails members without an open connection that something new is waiting: never who wrote it or what.
    private func notifyOffline(_ members: [ConversationMemberRecord], conversation id: UUID) async throws {
        let offline = members.filter { !events.isOnline($0.userID) }
        guard !offline.isEmpty else { return }
        let users = try await UserRecord.query(on: db).filter(\.$id ~~ offline.map(\.userID)).all()
        for member in offline {
            member.notified = true
            try await member.save(on: db)
        }
        for user in users {
            mailer.send(
                "new_message", to: user.email, in: user.language,
                arguments: [user.displayName, mailer.page("/conversations/\(id.uuidString.lowercased())")],
                now: now())
        }
    }

    // MARK: Drafts

    /// Saves the account's draft letter in a conversation, replacing the previous one.
    func saveDraft(_ input: SaveDraft, in id: UUID, by userID: UUID) async throws -> Draft {
        let conversation = try await requireMember(id, userID)
        guard (1...max(1, conversation.epoch)).contains(Int(input.epoch)) else {
            throw RequestError.invalid(field: "epoch", reason: "not a key epoch of this conversation")
        }
        let (ciphertext, signature) = try Validate.sealedMessage(input.ciphertext, signature: input.signature)
        let draft =
            try await DraftRecord.query(on: db).filter(\.$conversationID == id).filter(\.$userID == userID).first()
            ?? DraftRecord()
        draft.conversationID = id
        draft.userID = userID
        draft.epoch = Int(input.epoch)
        draft.envelopeID = input.id
        draft.ciphertext = ciphertext
        draft.signature = signature
        draft.updatedAt = now()
        try await draft.save(on: db)
        return draft.wire
    }

    /// The account's draft letter in a conversation.
    func draft(in id: UUID, for userID: UUID) async throws -> Draft {
        _ = try await requireMember(id, userID)
        guard
            let draft = try await DraftRecord.query(on: db).filter(\.$conversationID == id)
                .filter(\.$userID == userID).first()
        else { throw MessagingError.draftNotFound }
        return draft.wire
    }

    /// Throws the draft away (after sending it, or on purpose). Deleting nothing succeeds.
    func deleteDraft(in id: UUID, for userID: UUID) async throws {
        _ = try await requireMember(id, userID)
        try await DraftRecord.query(on: db).filter(\.$conversationID == id).filter(\.$userID == userID).delete()
    }

    // MARK: Attachments

    /// Stores an encrypted file under the client's ID. Uploading the same bytes again is a harmless retry.
    func upload(_ data: Data, attachment: UUID, in id: UUID, by userID: UUID) async throws -> (Attachment, Bool) {
        _ = try await requireMember(id, userID)
        guard data.count <= attachmentLimit + 28 else {
            throw MessagingError.attachmentTooLarge(limit: attachmentLimit)
        }
        guard data.count >= 28 else { throw KeysError.malformed(field: "body") }
        let digest = SecureToken.hash(data)
        if let existing = try await AttachmentRecord.find(attachment, on: db) {
            guard existing.conversationID == id, existing.uploaderID == userID, existing.sha256 == digest else {
                throw MessagingError.idConflict
            }
            return (Attachment(id: attachment, size: existing.size), false)
        }
        let record = AttachmentRecord()
        record.id = attachment
        record.conversationID = id
        record.uploaderID = userID
        record.size = data.count
        record.sha256 = digest
        record.data = data
        record.createdAt = now()
        try await record.create(on: db)
        return (Attachment(id: attachment, size: data.count), true)
    }

    /// An encrypted file, for members of its conversation.
    func download(_ attachment: UUID, in id: UUID, for userID: UUID) async throws -> Data {
        _ = try await requireMember(id, userID)
        guard let record = try await AttachmentRecord.find(attachment, on: db), record.conversationID == id,
            record.messageID != nil || record.uploaderID == userID
        else { throw MessagingError.attachmentNotFound }
        return record.data
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
    private func memberIDs(of id: UUID) async throws -> [UUID] {
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
    private func check(_ keys: [WrappedConversationKey], epoch: UInt32, members: Set<UUID>, distributor: UUID) throws {
        guard keys.count == members.count, Set(keys.map(\.member)) == members,
            keys.allSatisfy({ $0.epoch == epoch && $0.distributor == distributor })
        else { throw MessagingError.keysDoNotMatchMembers }
        for key in keys {
            try Validate.point(key.ephemeralPublicKey, field: "keys.ephemeralPublicKey", as: .agreement)
            try Validate.sealed(key.wrappedKey, field: "keys.wrappedKey", plaintext: 32)
            _ = try Validate.base64(key.signature, field: "keys.signature", minimum: 64, maximum: 64)
        }
    }

    private func profiles(_ ids: Set<UUID>) async throws -> [UUID: Profile] {
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
    private struct Profile {
        let user: UserRecord
        let keys: AccountKeysRecord?
        let history: [KeyVersion]
    }

    private func wire(
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

extension DraftRecord {
    var wire: Draft {
        Draft(
            epoch: UInt32(epoch), id: envelopeID, ciphertext: ciphertext.base64EncodedString(),
            signature: signature.base64EncodedString(), updatedAt: updatedAt)
    }
}
