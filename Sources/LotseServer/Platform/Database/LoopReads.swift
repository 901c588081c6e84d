import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Reads of the SQLite file, run on the event loop that asks for them (#21; docs/architecture.md, "Reads on the
/// event loop").
///
/// sqlite-nio runs every statement on its thread pool and hands each row back to the event loop as a task of its
/// own: two thread switches and a few allocations around a primary-key read that SQLite itself answers in a few
/// microseconds from its page cache. In WAL mode a reader never waits for a writer, so reads can run where the
/// request already is. Every event loop has one connection of its own here, used only on that loop's thread;
/// writes, whose commits wait for fsync, stay on the thread pool (``LoopReadsDatabase`` sends them there).
final class LoopReads: Sendable {
    /// The database file.
    let path: String

    /// Each event loop's connection, opened the first time a read runs on that loop.
    private let connections: [ObjectIdentifier: (loop: any EventLoop, box: NIOLoopBoundBox<DirectConnection?>)]

    /// How many statements a connection keeps prepared; past that it finalizes them all and starts again (queries
    /// with `IN (…)` lists of every length would otherwise fill it without end).
    static let statementLimit = 256

    init(path: String, loops: some Sequence<any EventLoop>) {
        self.path = path
        var connections: [ObjectIdentifier: (loop: any EventLoop, box: NIOLoopBoundBox<DirectConnection?>)] = [:]
        for loop in loops {
            connections[ObjectIdentifier(loop)] = (
                loop, .makeEmptyBox(valueType: DirectConnection.self, eventLoop: loop)
            )
        }
        self.connections = connections
    }

    /// Runs `body` with the connection of the event loop the caller is on, or returns nil when the caller is on a
    /// thread of no event loop of this group (tests, Swift's own executor): then the caller hops.
    func withConnectionHere<T>(
        preferring loop: any EventLoop, _ body: (DirectConnection) throws -> T
    ) throws -> T? {
        let here: any EventLoop
        if loop.inEventLoop {
            here = loop
        } else if let current = MultiThreadedEventLoopGroup.currentEventLoop {
            here = current
        } else {
            return nil
        }
        guard let box = connections[ObjectIdentifier(here)]?.box else { return nil }
        if let connection = box.value {
            return try body(connection)
        }
        // After `close()` nothing opens a connection again (a task still running at shutdown gets an error).
        guard !isClosed.withLockedValue({ $0 }) else {
            throw SQLiteStatementError(code: 21, message: "the database is shut down")
        }
        let connection = try DirectConnection(path: path)
        box.value = connection
        return try body(connection)
    }

    /// Runs `body` on `loop` with its connection: a hop, for callers that are on no event loop of this group.
    func withConnection<T: Sendable>(
        on loop: any EventLoop, _ body: @escaping @Sendable (DirectConnection) throws -> T
    ) -> EventLoopFuture<T> {
        loop.submit {
            guard let result = try self.withConnectionHere(preferring: loop, body) else {
                throw SQLiteStatementError(code: 0, message: "no connection for this event loop")
            }
            return result
        }
    }

    private let isClosed = NIOLockedValueBox(false)

    /// Closes every loop's connection, each on its own loop.
    func close() async {
        isClosed.withLockedValue { $0 = true }
        for (loop, box) in connections.values {
            try? await loop.submit {
                box.value?.close()
                box.value = nil
            }.get()
        }
    }
}
