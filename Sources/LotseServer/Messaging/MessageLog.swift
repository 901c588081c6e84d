import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit

/// Appends sealed messages to their conversations with group commit: sends that arrive while a transaction is being
/// written wait and then go together in the next one, so many messages share one commit (and one fsync) instead of
/// each paying for its own. Every sender is answered only after the transaction holding its message committed.
///
/// One writer per server instance; instances sharing PostgreSQL are kept apart by its row locks. See
/// docs/realtime.md.
final class MessageLog: Sendable {
    /// What happened to one message of a batch.
    enum Outcome {
        /// Stored under a new sequence number; `members` are the conversation's members as they were.
        case stored(SealedMessage, members: [Member])
        /// A message with this ID was already stored (a retry); the caller compares content.
        case duplicate(SealedMessage)
        /// Not stored, for this reason.
        case refused(any Error)
    }

    /// What a send needs of a member: whom to hand the message to, and whether they were mailed about this stretch.
    /// Read as plain columns rather than as `ConversationMemberRecord`s, which Fluent builds by reflection: the
    /// records were a quarter of the heap allocations of a send (bench/allocations.sh's way, applied to chat; #21).
    struct Member: Sendable {
        let userID: UUID
        let notified: Bool
    }

    private struct Pending {
        let record: SealedMessage
        let attachments: [UUID]
        let reply: CheckedContinuation<Outcome, any Error>
    }

    private struct State {
        var queue: [Pending] = []
        var isWriting = false
    }

    /// Where a batch's transaction runs: on SQLite the writer's own thread, else the driver's transaction.
    private let transactions: any BatchTransactions
    private let state = NIOLockedValueBox(State())

    init(transactions: any BatchTransactions) {
        self.transactions = transactions
    }

    /// Appends one message; returns once it is durably stored, or why not.
    func append(_ record: SealedMessage, attachments: [UUID]) async throws -> Outcome {
        try await withCheckedThrowingContinuation { reply in
            let startWriter = state.withLockedValue { state in
                state.queue.append(Pending(record: record, attachments: attachments, reply: reply))
                guard !state.isWriting else { return false }
                state.isWriting = true
                return true
            }
            if startWriter { Task { await self.writeBatches() } }
        }
    }

    private func writeBatches() async {
        while true {
            let batch = state.withLockedValue { state in
                let batch = state.queue
                state.queue = []
                if batch.isEmpty { state.isWriting = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                let lockFirst = transactions.takesWriteLockFirst
                let outcomes = try await transactions.transaction { db in
                    try await Self.write(batch, on: db, lockFirst: lockFirst)
                }
                for (pending, outcome) in zip(batch, outcomes) { pending.reply.resume(returning: outcome) }
            } catch {
                for pending in batch { pending.reply.resume(throwing: error) }
            }
        }
    }

    /// One transaction for the whole batch, with a few statements per conversation rather than per message:
    /// sequence numbers are taken for a conversation's messages at once and all messages go in one INSERT.
    /// Refusals (wrong epoch, not a member, foreign attachment) change nothing and never abort the others.
    private static func write(_ batch: [Pending], on db: any Database, lockFirst: Bool) async throws -> [Outcome] {
        let sql = db as! any SQLDatabase  // both drivers are SQL databases
        // Write first: an SQLite transaction that read before its first write cannot upgrade once another
        // connection committed meanwhile (SQLITE_BUSY_SNAPSHOT, which waiting cannot cure). A write that changes
        // nothing takes the write lock up front, so the batch waits for its turn instead of failing. The writer's
        // `BEGIN IMMEDIATE` has taken it already; PostgreSQL needs none.
        if lockFirst { try await sql.raw("UPDATE conversations SET last_seq = last_seq WHERE 1 = 0").run() }
        let known = try await Self.stored(batch.map(\.record.id), on: db)
        let conversationIDs = Set(batch.map(\.record.conversationID))
        let members = try await Self.members(of: conversationIDs, on: sql)
        var outcomes = [Outcome?](repeating: nil, count: batch.count)
        // Messages to number, by conversation and epoch, in arrival order.
        var groups: [Group: [Int]] = [:]
        var groupOrder: [Group] = []
        var firstInBatch: [UUID: Int] = [:]
        var repeats: [(index: Int, first: Int)] = []
        for (index, pending) in batch.enumerated() {
            let record = pending.record
            let id = record.id
            if let earlier = known[id] {
                outcomes[index] = .duplicate(earlier)
                continue
            }
            if let first = firstInBatch[id] {  // the same ID twice in one batch: a retry racing its original
                repeats.append((index, first))
                continue
            }
            firstInBatch[id] = index
            guard members[record.conversationID]?.contains(where: { $0.userID == record.senderID }) == true else {
                outcomes[index] = .refused(MessagingError.conversationNotFound)
                continue
            }
            if !pending.attachments.isEmpty {
                let free = try await AttachmentRecord.query(on: db).filter(\.$id ~~ pending.attachments)
                    .filter(\.$conversationID == record.conversationID).filter(\.$uploaderID == record.senderID)
                    .filter(\.$messageID == nil).count()
                guard free == pending.attachments.count else {
                    outcomes[index] = .refused(MessagingError.attachmentNotFound)
                    continue
                }
            }
            let group = Group(conversation: record.conversationID, epoch: record.epoch)
            if groups[group] == nil { groupOrder.append(group) }
            groups[group, default: []].append(index)
        }
        var stored: [SealedMessage] = []
        let taken = try await takeSequenceNumbers(
            groupOrder.map { group in
                let indices = groups[group] ?? []
                return (group, indices.count, batch[indices[indices.count - 1]].record.sentAt)
            }, on: sql)
        for group in groupOrder {
            let indices = groups[group] ?? []
            guard let last = taken[group] else {
                let reason = try await refusal(group.conversation, on: db)
                for index in indices { outcomes[index] = .refused(reason) }
                continue
            }
            for (offset, index) in indices.enumerated() {
                var record = batch[index].record
                record.seq = last - indices.count + offset + 1
                stored.append(record)
                outcomes[index] = .stored(record, members: members[group.conversation] ?? [])
            }
        }
        for (index, first) in repeats {
            switch outcomes[first] {
            case .stored(let record, _): outcomes[index] = .duplicate(record)
            default: outcomes[index] = outcomes[first]
            }
        }
        guard !stored.isEmpty else { return outcomes.compactMap { $0 } }
        // Written out rather than through SQLKit's insert builder, which quotes every column name anew per batch.
        let rows = BoundRows(
            columns: 9,
            stored.flatMap { record -> [any Encodable & Sendable] in
                [
                    record.id, record.conversationID, record.seq, record.senderID, record.epoch, record.ciphertext,
                    record.signature, record.attachmentIDs, record.sentAt,
                ]
            })
        try await sql.raw(
            """
            INSERT INTO \(ident: MessageRecord.schema)
            (id, conversation_id, seq, sender_id, epoch, ciphertext, signature, attachment_ids, sent_at)
            VALUES \(rows)
            """
        ).run()
        for (index, pending) in batch.enumerated() where !pending.attachments.isEmpty {
            guard case .stored(let record, _) = outcomes[index] else { continue }
            try await AttachmentRecord.query(on: db).filter(\.$id ~~ pending.attachments)
                .set(\.$messageID, to: record.id).update()
        }
        // The senders have read what they wrote: every conversation's and sender's mark in one statement.
        let latest = Dictionary(
            stored.map { (Pair(conversation: $0.conversationID, sender: $0.senderID), $0.seq) }, uniquingKeysWith: max)
        let marks = BoundRows(
            columns: 3,
            latest.flatMap { pair, seq -> [any Encodable & Sendable] in [pair.conversation, pair.sender, seq] })
        try await sql.raw(
            """
            UPDATE conversation_members SET read_seq = v.column3, delivered_seq = v.column3
            FROM (VALUES \(marks)) AS v
            WHERE conversation_members.conversation_id = v.column1 AND conversation_members.user_id = v.column2
            """
        ).run()
        return outcomes.compactMap { $0 }
    }

    /// Takes sequence numbers for every group of a batch in one statement rather than one per conversation (each
    /// statement is a hop to SQLite's thread or a round trip to PostgreSQL): a conversation takes its group's count
    /// if the group's epoch is its own and its key need not change. Answers the last number each group took; a group
    /// without one took none. (SQLite and PostgreSQL both call a VALUES list's columns column1, column2, ….)
    ///
    /// `FALSE` is written, not bound: with a bound value in this statement's WHERE, SQLite (3.54) prepares the kept
    /// statement anew whenever values are bound to it, once per batch, which cost 12 % of a message's CPU at the
    /// peak (bench/README.md).
    private static func takeSequenceNumbers(
        _ groups: [(group: Group, count: Int, lastSentAt: Date)], on sql: any SQLDatabase
    ) async throws -> [Group: Int] {
        guard !groups.isEmpty else { return [:] }
        let values = BoundRows(
            columns: 4,
            groups.flatMap { group, count, lastSentAt -> [any Encodable & Sendable] in
                [group.conversation, group.epoch, count, lastSentAt]
            })
        var taken: [Group: Int] = [:]
        for row in try await sql.raw(
            """
            UPDATE conversations SET last_seq = last_seq + v.column3, last_message_at = v.column4
            FROM (VALUES \(values)) AS v
            WHERE conversations.id = v.column1 AND conversations.epoch = v.column2
            AND conversations.needs_new_key = FALSE
            RETURNING conversations.id, conversations.epoch, conversations.last_seq
            """
        ).all() {
            let group = Group(
                conversation: try row.decode(column: "id", as: UUID.self),
                epoch: try row.decode(column: "epoch", as: Int.self))
            taken[group] = try row.decode(column: "last_seq", as: Int.self)
        }
        return taken
    }

    /// The messages of these IDs already stored (retries): one plain statement, and records only for those found.
    private static func stored(_ ids: [UUID], on db: any Database) async throws -> [UUID: SealedMessage] {
        let found = try await (db as! any SQLDatabase).raw(
            "SELECT id FROM \(ident: MessageRecord.schema) WHERE id IN \(BoundRows(columns: ids.count, ids))"
        ).all()
        guard !found.isEmpty else { return [:] }
        let records = try await MessageRecord.query(on: db)
            .filter(\.$id ~~ found.map { try $0.decode(column: "id", as: UUID.self) }).all()
        return Dictionary(records.map { ($0.id ?? UUID(), $0.sealed) }, uniquingKeysWith: { first, _ in first })
    }

    /// The members of these conversations, by conversation.
    private static func members(of conversations: Set<UUID>, on sql: any SQLDatabase) async throws -> [UUID: [Member]] {
        var members: [UUID: [Member]] = [:]
        for row in try await sql.raw(
            """
            SELECT conversation_id, user_id, notified FROM \(ident: ConversationMemberRecord.schema)
            WHERE conversation_id IN \(BoundRows(columns: conversations.count, Array(conversations)))
            """
        ).all() {
            let member = Member(
                userID: try row.decode(column: "user_id", as: UUID.self),
                notified: try row.decode(column: "notified", as: Bool.self))
            members[try row.decode(column: "conversation_id", as: UUID.self), default: []].append(member)
        }
        return members
    }

    private struct Group: Hashable {
        let conversation: UUID
        let epoch: Int
    }

    private struct Pair: Hashable {
        let conversation: UUID
        let sender: UUID
    }

    /// Why a conversation took no messages: it is gone, or its key epoch moved on (or must).
    private static func refusal(_ conversation: UUID, on db: any Database) async throws -> any Error {
        guard let record = try await ConversationRecord.find(conversation, on: db) else {
            return MessagingError.conversationNotFound
        }
        return MessagingError.staleEpoch(current: record.epoch)
    }
}
