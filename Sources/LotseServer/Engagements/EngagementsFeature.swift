import Vapor

/// Engagements: the coaching process from inquiry and agreement to goals, tasks, feedback and a closing review, and
/// a coach's library of questionnaires and templates (docs/engagements.md).
struct EngagementsFeature: Feature {
    var migrations: [ShippedMigration] {
        // #4 engagements, their items and timeline, questionnaires, templates
        [ShippedMigration(9, CreateEngagements())]
    }

    var texts: Texts { .engagements }

    func routes(_ routes: FeatureRoutes) throws {
        try routes.ready.register(collection: EngagementsController())
    }
}
