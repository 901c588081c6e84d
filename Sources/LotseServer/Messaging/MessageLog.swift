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
        case stored(MessageRecord, members: [ConversationMemberRecord])
        /// A message with this ID was already stored (a retry); the caller compares content.
        case duplicate(MessageRecord)
        /// Not stored, for this reason.
        case refused(any Error)
    }

    private struct Pending {
        let record: MessageRecord
        let attachments: [UUID]
        let reply: CheckedContinuation<Outcome, any Error>
    }

    private struct State {
        var queue: [Pending] = []
        var isWriting = false
    }

    private let db: any Database
    private let state = NIOLockedValueBox(State())

    init(db: any Database) {
        self.db = db
    }

    /// Appends one message; returns once it is durably stored, or why not.
    func append(_ record: MessageRecord, attachments: [UUID]) async throws -> Outcome {
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
                let outcomes = try await db.transaction { db in try await Self.write(batch, on: db) }
                for (pending, outcome) in zip(batch, outcomes) { pending.reply.resume(returning: outcome) }
            } catch {
                for pending in batch { pending.reply.resume(throwing: error) }
            }
        }
    }

    /// One transaction for the whole batch. Refusals (wrong epoch, not a member, foreign attachment) are decided by
    /// statements that change nothing, so they never abort the others.
    private static func write(_ batch: [Pending], on db: any Database) async throws -> [Outcome] {
        let sql = db as! any SQLDatabase  // both drivers are SQL databases
        var earlier = Dictionary(
            try await MessageRecord.query(on: db).filter(\.$id ~~ batch.compactMap(\.record.id)).all()
                .map { ($0.id ?? UUID(), $0) }, uniquingKeysWith: { first, _ in first })
        var outcomes: [Outcome] = []
        var stored: [MessageRecord] = []
        for pending in batch {
            let record = pending.record
            let id = try record.requireID()
            if let existing = earlier[id] {
                outcomes.append(.duplicate(existing))
                continue
            }
            if !pending.attachments.isEmpty {
                let free = try await AttachmentRecord.query(on: db).filter(\.$id ~~ pending.attachments)
                    .filter(\.$conversationID == record.conversationID).filter(\.$uploaderID == record.senderID)
                    .filter(\.$messageID == nil).count()
                guard free == pending.attachments.count else {
                    outcomes.append(.refused(MessagingError.attachmentNotFound))
                    continue
                }
            }
            let rows = try await sql.raw(
                """
                UPDATE conversations SET last_seq = last_seq + 1, last_message_at = \(bind: record.sentAt)
                WHERE id = \(bind: record.conversationID) AND epoch = \(bind: record.epoch)
                AND needs_new_key = \(bind: false)
                AND EXISTS (SELECT 1 FROM conversation_members m WHERE m.conversation_id = \(bind: record.conversationID)
                            AND m.user_id = \(bind: record.senderID))
                RETURNING last_seq
                """
            ).all()
            guard let row = rows.first else {
                outcomes.append(.refused(try await refusal(record, on: db)))
                continue
            }
            record.seq = try row.decode(column: "last_seq", as: Int.self)
            try await record.create(on: db)
            if !pending.attachments.isEmpty {
                try await AttachmentRecord.query(on: db).filter(\.$id ~~ pending.attachments)
                    .set(\.$messageID, to: id).update()
            }
            earlier[id] = record
            stored.append(record)
            outcomes.append(.stored(record, members: []))
        }
        guard !stored.isEmpty else { return outcomes }
        // The senders have read what they wrote; one statement per conversation and sender.
        let latest = Dictionary(
            stored.map { (Pair(conversation: $0.conversationID, sender: $0.senderID), $0.seq) }, uniquingKeysWith: max)
        for (pair, seq) in latest {
            try await sql.raw(
                """
                UPDATE conversation_members SET read_seq = \(bind: seq), delivered_seq = \(bind: seq)
                WHERE conversation_id = \(bind: pair.conversation) AND user_id = \(bind: pair.sender)
                """
            ).run()
        }
        let members = Dictionary(
            grouping: try await ConversationMemberRecord.query(on: db)
                .filter(\.$conversationID ~~ Set(stored.map(\.conversationID))).all(),
            by: \.conversationID)
        return outcomes.map { outcome in
            guard case .stored(let record, _) = outcome else { return outcome }
            return .stored(record, members: members[record.conversationID] ?? [])
        }
    }

    private struct Pair: Hashable {
        let conversation: UUID
        let sender: UUID
    }

    /// Why a send found no conversation to append to.
    private static func refusal(_ record: MessageRecord, on db: any Database) async throws -> any Error {
        guard let conversation = try await ConversationRecord.find(record.conversationID, on: db),
            try await ConversationMemberRecord.query(on: db).filter(\.$conversationID == record.conversationID)
                .filter(\.$userID == record.senderID).count() == 1
        else { return MessagingError.conversationNotFound }
        return MessagingError.staleEpoch(current: conversation.epoch)
    }
}
