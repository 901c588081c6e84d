import Vapor

/// Mounts every feature's routes with their guards, the health check, and the web client's pages.
func routes(_ app: Application) throws {
    let api = app.grouped("api", "v1").grouped(SessionAuthenticator(), CSRFGuard())
    try api.register(collection: HealthController())
    let signedIn = api.grouped(RequireUser())
    let ready = signedIn.grouped(RequireTwoFactorReady())
    let routes = FeatureRoutes(app: app, root: app.routes, api: api, signedIn: signedIn, ready: ready)
    for feature in Features.all {
        try feature.routes(routes)
    }
    WebClient.register(on: app, resourcesDirectory: app.lotse.config.resourcesDirectory)
}
