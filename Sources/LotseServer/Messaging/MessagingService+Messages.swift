import Fluent
import Foundation
import LotseAPI
import SQLKit

extension MessagingService {
    /// Stores a sealed message under the next sequence number (through the group-committing ``MessageLog``) and
    /// hands it to the members' open connections; the answer comes only after the commit, so an acknowledged message
    /// survives a crash. A retry with the same ID
    /// returns the stored message (`isNew == false`); the same ID with other content is refused.
    func send(_ input: SendMessage, to id: UUID, by userID: UUID) async throws -> (Message, isNew: Bool) {
        let (message, isNew) = try await sendEncoded(input, to: id, by: userID)
        return (message.message, isNew)
    }

    /// ``send(_:to:by:)``, answering the message's JSON as the members' sockets got it, for the sender's `ack`.
    func sendEncoded(_ input: SendMessage, to id: UUID, by userID: UUID) async throws -> (
        EncodedMessage, isNew: Bool
    ) {
        let (ciphertext, signature) = try Validate.sealedMessage(input.ciphertext, signature: input.signature)
        let attachments = Array(Set(input.attachments ?? []))
        let sealed = SealedMessage(
            id: input.id, conversationID: id, senderID: userID, epoch: Int(input.epoch), ciphertext: ciphertext,
            signature: signature, attachmentIDs: attachments.map(\.uuidString).sorted().joined(separator: ","),
            sentAt: now())
        let members: [MessageLog.Member]
        let stored: SealedMessage
        switch try await log.append(sealed, attachments: attachments) {
        case .stored(let record, let current): (stored, members) = (record, current)
        case .duplicate(let earlier):
            return (try EncodedMessage(sameMessage(earlier, id, userID, ciphertext, signature)), false)
        case .refused(let reason): throw reason
        }
        let message = try EncodedMessage(stored.wire)
        events.send(.message(message.message), to: members.lazy.map(\.userID), frame: message.eventFrame)
        // Members to mail: not the sender, not mailed this stretch, not online. Usually nobody, and then neither a
        // list nor the call is made.
        let offline = members.filter { $0.userID != userID && !$0.notified && !events.isOnline($0.userID) }
        if !offline.isEmpty { try await notifyOffline(offline.map(\.userID), conversation: id) }
        return (message, true)
    }

    private func sameMessage(
        _ earlier: SealedMessage, _ id: UUID, _ userID: UUID, _ ciphertext: Data, _ signature: Data
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

    /// Mails the `offline` members (no open connection, not mailed this stretch) that something new is waiting:
    /// never who wrote it or what; not to those who turned these mails off in their notification settings. Once per
    /// stretch: the flag is set in one conditional statement, so of sends racing each other only one mails.
    private func notifyOffline(_ offline: [UUID], conversation id: UUID) async throws {
        var offline = offline
        let muted = try await NotificationSettingsRecord.muting(.messages, among: offline, on: db)
        offline.removeAll(where: muted.contains)
        guard !offline.isEmpty else { return }
        let flagged = try await (db as! any SQLDatabase).raw(  // both drivers are SQL databases
            """
            UPDATE conversation_members SET notified = \(bind: true)
            WHERE conversation_id = \(bind: id) AND user_id IN (\(binds: offline)) AND notified = \(bind: false)
            RETURNING user_id
            """
        ).all().map { try $0.decode(column: "user_id", as: UUID.self) }
        guard !flagged.isEmpty else { return }
        let users = try await UserRecord.query(on: db).filter(\.$id ~~ flagged).all()
        for user in users {
            mailer.send(
                "new_message", to: user.email, in: user.language,
                arguments: [user.displayName, mailer.page("/conversations/\(id.uuidString.lowercased())")],
                now: now())
        }
    }
}
