import Foundation
import LotseServer
import NIOCore
import NIOPosix
import Vapor

// One event loop per core the process may run on, not per core of the machine.
EventLoopCount.sizeToAffinity()
// Swift concurrency's tasks run on NIO's event loops, so a handler's `await` continues where its channel lives
// instead of hopping to another thread pool and back (#21; bench/README.md, ceiling.sh).
_ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()

var environment = try Environment.detect()
// Vapor's own bootstrap builds ConsoleKit's log format anew for every logger, and every request gets a logger of its
// own: made once, the same format costs a request 17 allocations less (#21, bench/allocations.sh).
try LoggingSystem.bootstrap(from: &environment) { level in
    let console = Terminal()
    let fragment = defaultLoggerFragment()
    return { label in ConsoleLogger(fragment: fragment, label: label, console: console, level: level) }
}
let config: AppConfig
do {
    config = try AppConfig(environment: ProcessInfo.processInfo.environment, arguments: CommandLine.arguments)
} catch {
    FileHandle.standardError.write(Data("lotse: \(error)\n".utf8))
    exit(1)
}
BlockingThreads.sizeProcessPool()  // before anything uses NIO's blocking pool
let app = try await Application.make(environment)
do {
    try await configure(app, config)
    try await app.execute()
} catch {
    app.logger.report(error: error)
    try? await app.asyncShutdown()
    exit(1)
}
try await app.asyncShutdown()
