import Fluent
import Foundation
import LotseAPI
import SQLKit

extension MessagingService {
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
}

extension DraftRecord {
    var wire: Draft {
        Draft(
            epoch: UInt32(epoch), id: envelopeID, ciphertext: ciphertext.base64EncodedString(),
            signature: signature.base64EncodedString(), updatedAt: updatedAt)
    }
}
