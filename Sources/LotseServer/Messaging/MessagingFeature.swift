import Fluent
import Foundation
import Vapor

/// Messaging: end-to-end encrypted conversations with messages, drafts and attachments (docs/crypto.md,
/// docs/realtime.md). The account keys it was built with came with its first migration.
struct MessagingFeature: Feature {
    var migrations: [ShippedMigration] {
        [
            // #3 account keys, conversations, sealed messages, attachments, drafts
            ShippedMigration(6, CreateMessaging()),
            // #3 signing keys of people who left, to verify their old messages
            ShippedMigration(7, CreateFormerMembers()),
        ]
    }

    var texts: Texts { .messaging }

    func routes(_ routes: FeatureRoutes) throws {
        // Keys are set up at the first sign-in, before a coach's second factor: they reveal nothing without the
        // password.
        try routes.signedIn.register(collection: KeysController())
        try routes.ready.register(
            collection: ConversationsController(attachmentLimit: routes.app.lotse.config.attachmentLimit))
    }

    /// Attachments uploaded a day ago that no message ever referred to (abandoned uploads).
    func purgeExpired(on db: any Database, now: Date) async throws {
        try await AttachmentRecord.query(on: db).filter(\.$messageID == nil)
            .filter(\.$createdAt <= now.addingTimeInterval(-Self.unclaimedAttachmentLifetime)).delete()
    }

    /// How long an uploaded attachment waits for the message that refers to it.
    static let unclaimedAttachmentLifetime: TimeInterval = 86_400
}

extension Request {
    /// The messaging rules, bound to this request's database.
    var messaging: MessagingService { application.make(on: db) }
}
