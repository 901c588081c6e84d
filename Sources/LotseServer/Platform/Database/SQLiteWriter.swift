import FluentKit
import FluentSQL
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO

/// Where a batch of writes runs as one transaction: on SQLite, the writer's own thread (``SQLiteWriter``); on
/// PostgreSQL (and in-memory SQLite), the database's own transaction.
protocol BatchTransactions: Sendable {
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T

    /// Whether a transaction must take the write lock with a statement of its own before it reads: SQLite's
    /// deferred transactions (the driver's) cannot upgrade a read once another connection committed meanwhile.
    var takesWriteLockFirst: Bool { get }
}

/// A database's own transactions, through its driver.
struct DriverTransactions: BatchTransactions {
    let db: any Database
    /// True on SQLite, false on PostgreSQL (its row locks order the writers).
    let takesWriteLockFirst: Bool

    func transaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await db.transaction(body)
    }
}

/// A thread of its own with one read-write SQLite connection, for the message log's group commits (#21; docs/
/// realtime.md, "A batch's statements").
///
/// Through FluentSQLiteDriver every statement of a batch was a hop to a pool thread and back: ten for a batch's
/// `BEGIN`, seven statements and `COMMIT`. Here the batch's task runs on the writer's thread (a task executor
/// preference), where each statement runs at once on the connection: one hop there, and the senders' answers back.
/// The connection commits as the driver's do (the configured `synchronous`, FULL by default: an acknowledged message
/// survives a power cut); SQLite's file lock orders it with the driver's writers. One transaction at a time: its
/// only user is the message log's single writing task.
final class SQLiteWriter: BatchTransactions {
    /// `BEGIN IMMEDIATE` takes it.
    var takesWriteLockFirst: Bool { false }
    private let group: MultiThreadedEventLoopGroup
    let loop: any EventLoop
    private let executor: LoopTaskExecutor
    private let connection: NIOLoopBoundBox<DirectConnection?>
    /// The app's configuration of the database: its model middleware apply here too.
    private let configuration: any DatabaseConfiguration
    private let logger: Logger
    /// SQLiteKit's coders for values and rows, made once (each holds a Foundation JSON coder).
    let encoder = SQLiteDataEncoder()
    let decoder = SQLiteDataDecoder()
    /// How many pages the log may gain before the writer copies it into the database file (``checkpointIfDue``).
    let checkpointPages: Int
    /// The log's length in pages when the writer last copied it.
    private let checkpointedAt: NIOLoopBoundBox<Int>

    init(
        path: String, synchronous: String, configuration: any DatabaseConfiguration, logger: Logger,
        checkpointPages: Int = 1_000
    ) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        do {
            connection = try await loop.submit {
                NIOLoopBoundBox(
                    try DirectConnection(
                        path: path, writable: true,
                        pragmas: [
                            "PRAGMA synchronous=\(synchronous)", "PRAGMA foreign_keys=ON",
                            // Its commits never checkpoint inside the batch's commit (with FULL a checkpoint
                            // fsyncs the database file too): `checkpointIfDue` does, between batches.
                            "PRAGMA wal_autocheckpoint=0",
                            // A batch's multi-row statements keep their statement journal in memory rather than
                            // spilling it to a temporary file of their own (opened, written, closed per statement).
                            "PRAGMA temp_store=MEMORY",
                        ]
                    ).countingLogPages(),
                    eventLoop: loop)
            }.get()
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        self.group = group
        self.loop = loop
        self.checkpointPages = checkpointPages
        self.checkpointedAt = .makeBoxSendingValue(0, eventLoop: loop)
        self.executor = LoopTaskExecutor(loop: loop)
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs `body` in one transaction on the writer's thread: `BEGIN IMMEDIATE` (the write lock first, so the batch
    /// waits its turn rather than failing to upgrade a read), then `COMMIT`, or `ROLLBACK` if it throws.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(executor) {
            let db = WriterDatabase(
                writer: self,
                context: DatabaseContext(configuration: configuration, logger: logger, eventLoop: loop))
            await checkpointIfDue(db)
            try await db.raw("BEGIN IMMEDIATE").run()
            do {
                let result = try await body(db)
                try await db.raw("COMMIT").run()
                return result
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// Runs one statement on the writer's connection, at once if the caller is on its thread, else by a hop.
    fileprivate func execute(
        _ sql: String, _ binds: [BindValue], _ onRow: @escaping @Sendable (LoopColumns, [SQLiteData]) -> Void
    ) -> EventLoopFuture<Void> {
        guard loop.inEventLoop else {
            return loop.flatSubmit { self.execute(sql, binds, onRow) }
        }
        do {
            guard let connection = connection.value else {
                throw SQLiteStatementError(code: 21, message: "the writer is shut down")
            }
            try connection.execute(sql, binds, onRow)
            return loop.makeSucceededVoidFuture()
        } catch {
            return loop.makeFailedFuture(error)
        }
    }

    /// Copies the log into the database file once it grew by ``checkpointPages`` since the last copy, between two
    /// transactions on the writer's own connection, without waiting for readers (`PASSIVE`): what it cannot copy
    /// yet (pages a reader's snapshot still needs), a later one does. Best effort: a checkpoint that fails must not
    /// fail the batch's sends.
    ///
    /// Nothing of the writer's is half-written then, so a checkpoint that copied everything lets its next commit
    /// write the log from its start again. A checkpoint on another connection (until 2026-12-08: every second,
    /// beside the writer) copies the log as it was when it began while the writer goes on committing: its writes and
    /// `fsync`s shared the disk's queue with the commits, which took 4–9 ms instead of ~1 while it ran, and the log
    /// could not start over without the writer copying once more itself. Here no commit runs beside a checkpoint,
    /// and each is a small step — the distinct pages of ~1,000 frames (SQLite's own default for its automatic
    /// checkpoint), 1–4 ms at half the peak load, which the next batch waits for (bench/README.md, #21).
    private func checkpointIfDue(_ db: WriterDatabase) async {
        let pages = connection.value?.logPages ?? 0
        if pages < checkpointedAt.value { checkpointedAt.value = 0 }  // the log started over
        guard pages - checkpointedAt.value >= checkpointPages else { return }
        checkpointedAt.value = pages
        _ = try? await db.raw("PRAGMA wal_checkpoint(PASSIVE)").run()
    }

    /// How often the writer's kept statements were prepared anew (``DirectConnection/reprepared``).
    func reprepared() async throws -> Int {
        try await loop.submit { self.connection.value?.reprepared ?? 0 }.get()
    }

    /// Closes the connection and ends the thread.
    func close() async {
        try? await loop.submit {
            self.connection.value?.close()
            self.connection.value = nil
        }.get()
        try? await group.shutdownGracefully()
    }
}

/// Runs a task's jobs on one event loop's thread (Swift's `TaskExecutor`, for `withTaskExecutorPreference`).
final class LoopTaskExecutor: TaskExecutor {
    let loop: any EventLoop

    init(loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// The writer's connection inside its transaction, as Fluent and SQLKit see it: every statement runs at once on the
/// writer's thread.
struct WriterDatabase: Database, SQLDatabase {
    let writer: SQLiteWriter
    let context: DatabaseContext

    var inTransaction: Bool { true }

    func execute(
        query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void
    ) -> EventLoopFuture<Void> {
        execute(sql: SQLiteStatement.sql(for: query)) { onOutput(LoopRowOutput(row: $0, schema: nil)) }
    }

    func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> {
        eventLoop.makeFailedFuture(SQLiteStatementError(code: 1, message: "schema changes go through the driver"))
    }

    func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> { eventLoop.makeSucceededVoidFuture() }

    /// Already in the writer's transaction: a nested one is the same.
    func transaction<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        closure(self)
    }

    func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        closure(self)
    }

    var logger: Logger { context.logger }
    var eventLoop: any EventLoop { context.eventLoop }
    var dialect: any SQLDialect { SQLiteDialect() }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<
        Void
    > {
        let statement = SQLiteStatement(query, on: self)
        logger.debug("Executing query on the writer", metadata: ["sql": .string(statement.sql)])
        do {
            return writer.execute(
                statement.sql, try statement.binds(writer.encoder), LoopRow.handing(to: onRow, decoder: writer.decoder))
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
    }
}
