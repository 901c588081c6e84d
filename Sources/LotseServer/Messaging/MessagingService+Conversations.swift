import Fluent
import Foundation
import LotseAPI
import SQLKit

extension MessagingService {
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
        tellPresence(among: members)
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
        tellPresence(among: current + added)
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
            try await ConversationMemberRecord.leave(
                id, member: member, signingKey: keys?.signingKey, at: now(), on: db)
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

    /// People who just came to share a conversation learn who of them is online: presence otherwise travels only
    /// when someone connects or leaves, so each would see the other as offline until then.
    private func tellPresence(among members: [UUID]) {
        for person in events.online(among: members) {
            events.send(.presence(user: person, online: true), to: members.filter { $0 != person })
        }
    }
}

extension ConversationMemberRecord {
    /// `member` leaves the conversation, as someone who leaves, is removed or deletes their account does: their place
    /// and their draft go, the signing key they had stays (so their earlier messages still verify), and the key must
    /// change before the next message, so they cannot read what follows. Runs inside the caller's transaction.
    static func leave(
        _ conversation: UUID, member: UUID, signingKey: String?, at time: Date, on db: any Database
    ) async throws {
        try await query(on: db).filter(\.$conversationID == conversation).filter(\.$userID == member).delete()
        if let signingKey {
            let former = FormerMemberRecord()
            former.conversationID = conversation
            former.userID = member
            former.signingKey = signingKey
            former.leftAt = time
            try await former.create(on: db)
        }
        try await DraftRecord.query(on: db).filter(\.$conversationID == conversation).filter(\.$userID == member)
            .delete()
        try await ConversationRecord.query(on: db).filter(\.$id == conversation).set(\.$needsNewKey, to: true)
            .update()
    }
}
