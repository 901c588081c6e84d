import Crypto
import Foundation
import LotseAPI

/// Seals and opens the free text of engagements: goals, tasks, reviews, feedback, the agreement's scope, a decline's
/// reason, intake answers and private notes. Byte for byte what `Public/js/crypto/engagement.js` does.
///
/// Shared text: `AES-256-GCM(conversation key of epoch, JSON, AAD)` with
/// `AAD = "lotse engagement v1" ‖ engagement ‖ id ‖ author ‖ epoch`, signed by the author over `AAD ‖ ciphertext`.
/// Private notes (epoch 0): the same, under the author's notes key and the label `"lotse private note v1"`; the notes
/// key is `HKDF-SHA256(ECDH(own agreement key, own public point), salt = own point, info = label)`, which only the
/// holder of the private agreement key can compute. See docs/crypto.md.
public enum EngagementCipher {
    static let sharedLabel = "lotse engagement v1"
    static let privateLabel = "lotse private note v1"
    static let answersLabel = "lotse registration answers v1"

    /// Seals a participant's free-text registration answers (a JSON object of question ID to text) for the
    /// program's staff: bound to the participation (`id` and "engagement" both its ID, epoch 1) under a fresh key
    /// that is wrapped like a conversation key of that ID (docs/programs.md, "Free text for staff").
    public static func sealAnswers(
        _ answers: [String: String], participation: UUID, author: UUID, key: ConversationKey,
        signingKey: P256.Signing.PrivateKey
    ) throws -> SealedContent {
        try seal(
            answers, label: answersLabel, id: participation, engagement: participation, author: author, epoch: 1,
            key: key.key, signingKey: signingKey)
    }

    /// Checks the participant's signature, then opens their free-text answers.
    public static func openAnswers(
        _ sealed: SealedContent, participation: UUID, key: ConversationKey, authorKey: P256.Signing.PublicKey
    ) throws -> [String: String] {
        guard sealed.id == participation, sealed.epoch == 1 else { throw EnvelopeError.malformed("id") }
        return try open(sealed, label: answersLabel, engagement: participation, key: key.key, authorKey: authorKey)
    }

    /// Seals content for everyone in the engagement's conversation at `epoch`.
    public static func seal<Content: Encodable>(
        _ content: Content, id: UUID, engagement: UUID, author: UUID, epoch: UInt32, key: ConversationKey,
        signingKey: P256.Signing.PrivateKey
    ) throws -> SealedContent {
        try seal(
            content, label: sharedLabel, id: id, engagement: engagement, author: author, epoch: epoch, key: key.key,
            signingKey: signingKey)
    }

    /// Seals a note only its author can read.
    public static func sealPrivate<Content: Encodable>(
        _ content: Content, id: UUID, engagement: UUID, author: UUID, keys: AccountKeyPair
    ) throws -> SealedContent {
        try seal(
            content, label: privateLabel, id: id, engagement: engagement, author: author, epoch: 0,
            key: notesKey(keys.agreement), signingKey: keys.signing)
    }

    /// Checks the author's signature, then opens shared content.
    public static func open<Content: Decodable>(
        _ sealed: SealedContent, as type: Content.Type = Content.self, engagement: UUID, key: ConversationKey,
        authorKey: P256.Signing.PublicKey
    ) throws -> Content {
        try open(sealed, label: sharedLabel, engagement: engagement, key: key.key, authorKey: authorKey)
    }

    /// Opens one of the account's own private notes.
    public static func openPrivate<Content: Decodable>(
        _ sealed: SealedContent, as type: Content.Type = Content.self, engagement: UUID, keys: AccountKeyPair
    ) throws -> Content {
        guard sealed.epoch == 0 else { throw EnvelopeError.malformed("epoch") }
        return try open(
            sealed, label: privateLabel, engagement: engagement, key: notesKey(keys.agreement),
            authorKey: keys.signing.publicKey)
    }

    /// The account's key for private notes.
    public static func notesKey(_ agreement: P256.KeyAgreement.PrivateKey) throws -> SymmetricKey {
        let point = agreement.publicKey.x963Representation
        return try agreement.sharedSecretFromKeyAgreement(with: agreement.publicKey).hkdfDerivedSymmetricKey(
            using: SHA256.self, salt: point, sharedInfo: Data(privateLabel.utf8), outputByteCount: 32)
    }

    static func binding(_ label: String, engagement: UUID, id: UUID, author: UUID, epoch: UInt32) -> Binding {
        Binding(label).appending(engagement).appending(id).appending(author).appending(epoch)
    }

    private static func seal<Content: Encodable>(
        _ content: Content, label: String, id: UUID, engagement: UUID, author: UUID, epoch: UInt32,
        key: SymmetricKey, signingKey: P256.Signing.PrivateKey
    ) throws -> SealedContent {
        let binding = binding(label, engagement: engagement, id: id, author: author, epoch: epoch)
        let sealed = try AES.GCM.sealCombined(JSONEncoder().encode(content), using: key, binding: binding)
        let signature = try signingKey.signature(for: binding.appending(sealed).bytes).rawRepresentation
        return SealedContent(
            id: id, author: author, epoch: epoch, ciphertext: sealed.base64EncodedString(),
            signature: signature.base64EncodedString())
    }

    private static func open<Content: Decodable>(
        _ value: SealedContent, label: String, engagement: UUID, key: SymmetricKey,
        authorKey: P256.Signing.PublicKey
    ) throws -> Content {
        let binding = binding(label, engagement: engagement, id: value.id, author: value.author, epoch: value.epoch)
        let sealed = try Data(base64: value.ciphertext, field: "ciphertext")
        try verify(signature: value.signature, of: binding.appending(sealed).bytes, by: authorKey)
        let plaintext = try AES.GCM.openCombined(sealed, using: key, binding: binding)
        do {
            return try JSONDecoder().decode(Content.self, from: plaintext)
        } catch {
            throw EnvelopeError.malformed("content")
        }
    }
}

/// What most engagement items hold once opened: a title and a longer text. Intake answers and the inquiry use other
/// fields of the same JSON object; readers ignore what they do not know.
public struct EngagementText: Codable, Sendable, Equatable {
    /// A short title (goals, tasks, milestones).
    public var title: String?
    /// The text.
    public var text: String?

    /// Creates the value.
    public init(title: String? = nil, text: String? = nil) {
        self.title = title
        self.text = text
    }
}
