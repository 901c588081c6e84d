// The bare-framework ceiling for bench/ceiling.sh (#21): Vapor with one route that returns a string, nothing else —
// no middleware, no database. What Lotse's routes are measured against.
import Logging
import Vapor

var environment = try Environment.detect()
try LoggingSystem.bootstrap(from: &environment)
let app = try await Application.make(environment)
app.http.server.configuration.hostname = "127.0.0.1"
app.http.server.configuration.port = Int(Environment.get("PORT") ?? "") ?? 8080
app.middleware = Middlewares()
app.get("plain") { _ in "ok" }
try await app.execute()
try await app.asyncShutdown()
