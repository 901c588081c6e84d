import Fluent
import Foundation
import LotseAPI
import SQLKit

/// One tab in an engagement's call (``CallPeer``). Rows are few and short-lived: a peer that leaves is deleted, one
/// whose socket is gone is forgotten after ``CallsService/grace``.
final class CallPeerRecord: Model, @unchecked Sendable {  // property wrappers defeat Sendable checking
    static let schema = "call_peers"

    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "engagement_id") var engagementID: UUID
    @Field(key: "user_id") var userID: UUID
    @Field(key: "admitted") var admitted: Bool
    @Field(key: "connected") var connected: Bool
    @Field(key: "joined_at") var joinedAt: Date
    /// The last join (tabs repeat theirs every 25 seconds) or the moment the socket closed.
    @Field(key: "seen_at") var seenAt: Date

    init() {}

    init(id: UUID, engagement: UUID, user: UUID, admitted: Bool, at now: Date) {
        self.id = id
        self.engagementID = engagement
        self.userID = user
        self.admitted = admitted
        self.connected = true
        self.joinedAt = now
        self.seenAt = now
    }

    var wire: CallPeer {
        CallPeer(id: id ?? UUID(), user: userID, admitted: admitted, connected: connected)
    }
}

struct CreateCalls: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("call_peers")
            .field("id", .uuid, .identifier(auto: false))
            .field("engagement_id", .uuid, .required, .references("engagements", "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("admitted", .bool, .required)
            .field("connected", .bool, .required)
            .field("joined_at", .datetime, .required)
            .field("seen_at", .datetime, .required)
            .create()
        try await (db as! any SQLDatabase)  // both drivers are SQL databases
            .raw("CREATE INDEX call_peers_engagement ON call_peers (engagement_id)").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("call_peers").delete()
    }
}
