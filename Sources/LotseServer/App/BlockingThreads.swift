import NIOCore
import NIOPosix
import Vapor

/// Threads for work that blocks one: SQLite's calls and file reads (the application's pool), and bcrypt (its own).
///
/// Vapor starts with NIO's process-wide blocking pool, one thread per core. Every SQLite call runs on it, and a
/// writer that meets another one sleeps there for up to `busy_timeout` (five seconds); a burst of sign-ins fills it
/// with quarter-second hashes. With two cores, two such waits stall every query of the process — and in the test
/// suite, of every application in it. So each application gets a pool of its own, with a thread for every
/// database connection (one per event loop) and as many again for files, and hashing gets a separate one, so that
/// sign-ins queue behind each other, not in front of the database.
enum BlockingThreads {
    /// Gives the application its own pool; before anything opens a database connection (it keeps the pool it was
    /// opened with). Vapor shuts the pool down with the application.
    static func install(on app: Application) {
        let pool = NIOThreadPool(numberOfThreads: 2 * eventLoops(of: app) + 2)
        pool.start()
        app.threadPool = pool
    }

    /// A pool for bcrypt, one thread per event loop, shut down with the application.
    static func forHashing(on app: Application) -> NIOThreadPool {
        let pool = NIOThreadPool(numberOfThreads: eventLoops(of: app))
        pool.start()
        app.lifecycle.use(Shutdown(pool: pool))
        return pool
    }

    private static func eventLoops(of app: Application) -> Int {
        var count = 0
        for _ in app.eventLoopGroup.makeIterator() { count += 1 }
        return max(count, 1)
    }

    private struct Shutdown: LifecycleHandler {
        let pool: NIOThreadPool

        func shutdownAsync(_ application: Application) async {
            try? await pool.shutdownGracefully()
        }
    }
}
