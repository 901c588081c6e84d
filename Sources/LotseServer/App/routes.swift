import Vapor

/// Mounts every controller under `/api/v1` with its guards, and the web client's pages.
func routes(_ app: Application) throws {
    let api = app.grouped("api", "v1").grouped(SessionAuthenticator(), CSRFGuard())
    try api.register(collection: HealthController())
    try api.register(collection: SetupController())
    try api.register(collection: AuthController())
    try api.register(collection: AccountController())
    try api.register(collection: DirectoryController())
    // Keys are set up at the first sign-in, before a coach's second factor: they reveal nothing without the password.
    try api.grouped(RequireUser()).register(collection: KeysController())
    // Everything past here needs a signed-in account whose second factor is set up where the role demands it.
    let ready = api.grouped(RequireUser(), RequireTwoFactorReady())
    try ready.register(collection: KeyLookupController())
    try ready.register(collection: AdminController())
    try ready.register(
        collection: ConversationsController(attachmentLimit: app.lotse.config.attachmentLimit))
    try ready.register(collection: SocketController())
    try ready.register(collection: EngagementsController())
    try ready.register(collection: SchedulingController())
    try ready.register(collection: VideoController())
    try app.register(collection: CalendarFeedController())
    try app.register(collection: DirectoryPages())
    WebClient.register(on: app, resourcesDirectory: app.lotse.config.resourcesDirectory)
}
