import NIOCore
import NIOPosix
import Vapor

/// Threads for work that blocks one: SQLite's calls and file reads (NIO's process-wide blocking pool, which Vapor and
/// SQLiteNIO use), and bcrypt (a pool of its own).
///
/// NIO makes that pool one thread per core. Every SQLite call runs on it, and a writer that meets another one sleeps
/// there for up to `busy_timeout` (five seconds); a burst of sign-ins used to fill it with quarter-second hashes. With
/// two cores, two such waits stalled every query of the process — in the test suite, of every application in it. So
/// the process asks NIO for more threads before anything uses the pool (the pool stays NIO's: it outlives each
/// application, which matters because SQLite connections are closed on it after an application's own shutdown
/// hooks ran), and hashing gets threads of its own, so that sign-ins queue behind each other, not in front of the
/// database.
public enum BlockingThreads {
    /// Sizes the process-wide blocking pool: call first thing, before any `Application` exists (NIO refuses a size
    /// given after the pool was made). Later calls do nothing.
    public static func sizeProcessPool() {
        _ = sized
    }

    private static let sized: Void = {
        NIOSingletons.blockingPoolThreadCountSuggestion = max(16, 4 * System.coreCount)
    }()

    /// A pool for bcrypt, one thread per event loop, shut down with the application.
    static func forHashing(on app: Application) -> NIOThreadPool {
        var loops = 0
        for _ in app.eventLoopGroup.makeIterator() { loops += 1 }
        let pool = NIOThreadPool(numberOfThreads: max(loops, 1))
        pool.start()
        app.lifecycle.use(Shutdown(pool: pool))
        return pool
    }

    private struct Shutdown: LifecycleHandler {
        let pool: NIOThreadPool

        func shutdownAsync(_ application: Application) async {
            try? await pool.shutdownGracefully()
        }
    }
}
