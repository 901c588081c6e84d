import Fluent
import Foundation
import LotseAPI

/// A person's latest tech check (``TechCheck``); a new check replaces it. It holds no content, only how the person's
/// camera, microphone, speaker and connection did, and goes with the account.
final class TechCheckRecord: Model, @unchecked Sendable {  // property wrappers defeat Sendable checking
    static let schema = "tech_checks"

    /// The user's ID: one check per person.
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "camera") var camera: TechCheckOutcome
    @Field(key: "microphone") var microphone: TechCheckOutcome
    @Field(key: "speaker") var speaker: TechCheckOutcome
    @Field(key: "connection") var connection: TechCheckOutcome
    @OptionalField(key: "route") var route: TechCheckRoute?
    @OptionalField(key: "round_trip_ms") var roundTripMilliseconds: Int?
    @Field(key: "checked_at") var checkedAt: Date

    init() {}

    var wire: TechCheck {
        TechCheck(
            userId: id ?? UUID(),
            report: TechCheckReport(
                camera: camera, microphone: microphone, speaker: speaker, connection: connection, route: route,
                roundTripMilliseconds: roundTripMilliseconds),
            checkedAt: checkedAt)
    }
}

struct CreateTechChecks: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("tech_checks")
            .field("id", .uuid, .identifier(auto: false), .references("users", "id", onDelete: .cascade))
            .field("camera", .string, .required)
            .field("microphone", .string, .required)
            .field("speaker", .string, .required)
            .field("connection", .string, .required)
            .field("route", .string)
            .field("round_trip_ms", .int)
            .field("checked_at", .datetime, .required)
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("tech_checks").delete()
    }
}
