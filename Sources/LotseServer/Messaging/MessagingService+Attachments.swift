import Fluent
import Foundation
import LotseAPI
import SQLKit

extension MessagingService {
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
}
