import Fluent
import FluentSQL
import Foundation
import LotseAPI
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// The published profiles' search terms in memory, so that a search at tens of thousands of profiles answers in
/// well under a millisecond instead of asking the database to count and rank every match (#21; docs/directory.md,
/// "The search index in memory").
///
/// The database stays the truth: `directory_terms` holds the terms, and `directory_changes` logs the ID of every
/// profile changed, published, withdrawn or deleted (triggers on `directory_profiles`, and the service whenever it
/// writes terms). Before each search the index reads the log's entries it has not applied — one indexed query, usually
/// answering nothing — and loads those profiles' terms again, so a change made through any instance is found by the
/// next search on every other. Until the first full load has finished (it starts when the server boots), searches
/// take the database's way (``DirectoryService``), which answers the same.
final class DirectoryIndex: Sendable {
    /// Log entries read again behind the newest one applied: on PostgreSQL a transaction can commit after another that
    /// took a later number, so a number is applied once however often it is read.
    static let lookBack: Int64 = 64
    /// Beyond this many changed profiles in one read, loading everything is cheaper.
    static let reloadThreshold = 500
    /// Log entries kept; an instance further behind loads everything again.
    static let logLength: Int64 = 10_000

    private struct Profile {
        /// What a search answers of it, so that a page needs no query; also its ID and update time for the order.
        let wire: DirectoryProfile
        /// Its terms' numbers, for taking it out again.
        let terms: [UInt32]
    }

    private struct State {
        enum Phase { case empty, loading, ready }
        var phase = Phase.empty
        /// The newest log entry applied, and those applied within ``lookBack`` of it.
        var seen: Int64 = 0
        var applied: Set<Int64> = []
        var ordinals: [UUID: UInt32] = [:]
        var profiles: [Profile?] = []
        var free: [UInt32] = []
        /// Each term's number in ``postings``.
        var terms: [String: UInt32] = [:]
        /// Per term, its profiles' ordinals shifted left by one, the low bit set when the term is prominent there;
        /// ascending. A term no profile has any more keeps its (empty) place.
        var postings: [[UInt32]] = []
        /// Ordinals from the most recently updated profile to the least (ties by ID), made again after a change.
        var order: [UInt32] = []
        var orderIsCurrent = true
    }

    private let state = NIOLockedValueBox(State())
    /// Profiles read per statement when loading everything.
    let loadSlice: Int

    init(loadSlice: Int = 500) {
        self.loadSlice = loadSlice
    }

    var isReady: Bool { state.withLockedValue { $0.phase == .ready } }

    /// The profiles it holds.
    var count: Int { state.withLockedValue { $0.ordinals.count } }

    /// Loads every published profile, unless a load has begun already. Searches meanwhile take the database's way.
    func load(from db: any Database) async throws {
        let begin = state.withLockedValue { state in
            guard state.phase == .empty else { return false }
            state.phase = .loading
            return true
        }
        guard begin else { return }
        do {
            try await reload(from: db)
        } catch {
            state.withLockedValue { $0.phase = .empty }
            throw error
        }
    }

    private func reload(from db: any Database) async throws {
        let sql = db as! any SQLDatabase
        // The log's newest entries first: what changes after them is applied by the next search, once.
        let recent = try await sql.raw(
            """
            SELECT seq FROM directory_changes
            WHERE seq > (SELECT COALESCE(MAX(seq), 0) FROM directory_changes) - \(bind: Self.lookBack)
            """
        ).all().map { try $0.decode(column: "seq", as: Int64.self) }
        // In slices of profiles, so that the load never holds the database long (SQLite serves one statement at a
        // time) and every request meanwhile gets its turn.
        var fresh = State(phase: .ready, seen: recent.max() ?? 0, applied: Set(recent))
        var after: UUID?
        while true {
            let slice = try await Self.published(after: after, limit: loadSlice, sql)
            for row in slice { Self.insert(row, into: &fresh) }
            guard slice.count == loadSlice, let last = slice.last else { break }
            after = last.profile.id
        }
        Self.sortIfNeeded(&fresh)  // here rather than in the first search
        state.withLockedValue { $0 = fresh }
    }

    /// Loads everything again behind the searches, once however many searches find the index too far behind
    /// (after a bulk change: 12 s at 50,000 profiles); meanwhile searches take the database's way, which is slower
    /// but current. A failed load leaves the index to be loaded by the next search.
    private func reloadInBackground(from db: any Database) {
        let begin = state.withLockedValue { state in
            guard state.phase == .ready else { return false }
            state.phase = .loading
            return true
        }
        guard begin else { return }
        let task = Task {
            do {
                try await reload(from: db)
            } catch {
                state.withLockedValue { $0 = State() }
                db.logger.warning(
                    "The directory's search index could not be loaded again: \(String(describing: error))")
            }
        }
        reloading.withLockedValue { $0 = task }
    }

    /// The load behind the searches, if one was started: tests wait for it.
    let reloading = NIOLockedValueBox<Task<Void, Never>?>(nil)

    /// Whether the index may be searched, after applying what the log holds that this instance has not seen. An
    /// index not loaded yet loads first (a server that was not booted, as in tests); while the load that started at
    /// boot runs, the answer is no.
    func prepare(on db: any Database) async throws -> Bool {
        if state.withLockedValue({ $0.phase == .empty }) { try await load(from: db) }
        return try await catchUp(on: db)
    }

    private func catchUp(on db: any Database) async throws -> Bool {
        let (ready, seen) = state.withLockedValue { ($0.phase == .ready, $0.seen) }
        guard ready else { return false }
        let sql = db as! any SQLDatabase
        // SQLite has one writer: its log's numbers are committed in order, and nothing needs reading twice. On
        // PostgreSQL the query leaves out what was applied, so it usually answers no rows either.
        let lookBack = sql.dialect.name == "postgresql" ? Self.lookBack : 0
        let applied = state.withLockedValue { Array($0.applied) }
        var query: SQLQueryString = "SELECT seq, profile_id FROM directory_changes WHERE seq > \(bind: seen - lookBack)"
        if lookBack > 0, !applied.isEmpty { query = query + " AND seq NOT IN (\(binds: applied))" }
        let entries = try await sql.raw(query + " ORDER BY seq").all().map {
            (try $0.decode(column: "seq", as: Int64.self), try $0.decode(column: "profile_id", as: UUID.self))
        }
        let fresh = state.withLockedValue { state in entries.filter { !state.applied.contains($0.0) } }
        guard !fresh.isEmpty else { return true }
        if fresh.count > Self.reloadThreshold || (seen > 0 && fresh[0].0 > seen + Self.logLength) {
            reloadInBackground(from: db)
            return false
        }
        let ids = Array(Set(fresh.map(\.1)))
        let rows = Dictionary(
            try await Self.published(ids, sql).map { ($0.profile.id, $0) }, uniquingKeysWith: { first, _ in first })
        state.withLockedValue { state in
            // Another search may have applied these entries meanwhile, or a full load read past them, with rows read
            // after them: keep those.
            let floor = state.seen - Self.lookBack
            let unapplied = fresh.filter { $0.0 > floor && !state.applied.contains($0.0) }
            for id in Set(unapplied.map(\.1)) {
                Self.remove(id, from: &state)
                if let row = rows[id] { Self.insert(row, into: &state) }
            }
            state.seen = max(state.seen, unapplied.map(\.0).max() ?? state.seen)
            state.applied.formUnion(unapplied.map(\.0))
            let window = state.seen - Self.lookBack
            state.applied = state.applied.filter { $0 > window }
        }
        return true
    }

    /// The matches of a search: every term and tag must be among a profile's; the score is how many of the terms
    /// are prominent there. Ranked by score, then the most recently updated; one page of IDs, and the total.
    func search(terms: [String], tags: [String], offset: Int, limit: Int) -> (page: [DirectoryProfile], total: Int) {
        state.withLockedValue { state in
            let lists = (terms + tags).map { term in state.terms[term].map { state.postings[Int($0)] } ?? [] }
            guard !lists.isEmpty else { return Self.all(&state, offset: offset, limit: limit) }
            guard lists.allSatisfy({ !$0.isEmpty }) else { return ([], 0) }
            let required = UInt8(lists.count)
            var hits = [UInt8](repeating: 0, count: state.profiles.count)
            var scores = [UInt8](repeating: 0, count: state.profiles.count)
            for (index, list) in lists.enumerated() {
                let counts = index < terms.count
                for entry in list {
                    let ordinal = Int(entry >> 1)
                    hits[ordinal] &+= 1
                    if counts { scores[ordinal] &+= UInt8(entry & 1) }
                }
            }
            Self.sortIfNeeded(&state)
            var buckets = [[UInt32]](repeating: [], count: terms.count + 1)
            for ordinal in state.order where hits[Int(ordinal)] == required {
                buckets[Int(scores[Int(ordinal)])].append(ordinal)
            }
            let total = buckets.reduce(0) { $0 + $1.count }
            var page: [DirectoryProfile] = []
            var skip = offset
            for bucket in buckets.reversed() where page.count < limit {
                if skip >= bucket.count {
                    skip -= bucket.count
                    continue
                }
                for ordinal in bucket[skip...].prefix(limit - page.count) {
                    if let profile = state.profiles[Int(ordinal)] { page.append(profile.wire) }
                }
                skip = 0
            }
            return (page, total)
        }
    }

    private static func all(_ state: inout State, offset: Int, limit: Int) -> (page: [DirectoryProfile], total: Int) {
        sortIfNeeded(&state)
        let page = state.order.dropFirst(offset).prefix(limit).compactMap { state.profiles[Int($0)]?.wire }
        return (Array(page), state.order.count)
    }

    private static func sortIfNeeded(_ state: inout State) {
        guard !state.orderIsCurrent else { return }
        let profiles = state.profiles
        state.order = profiles.indices.filter { profiles[$0] != nil }.map(UInt32.init)
        state.order.sort { left, right in
            let a = profiles[Int(left)]!
            let b = profiles[Int(right)]!
            if a.wire.updatedAt != b.wire.updatedAt { return a.wire.updatedAt > b.wire.updatedAt }
            return withUnsafeBytes(of: a.wire.id.uuid) { x in
                withUnsafeBytes(of: b.wire.id.uuid) { y in memcmp(x.baseAddress!, y.baseAddress!, 16) < 0 }
            }
        }
        state.orderIsCurrent = true
    }

    private static func insert(_ row: Row, into state: inout State) {
        let ordinal: UInt32
        if let reused = state.free.popLast() {
            ordinal = reused
        } else {
            ordinal = UInt32(state.profiles.count)
            state.profiles.append(nil)
        }
        state.ordinals[row.profile.id] = ordinal
        var numbers: [UInt32] = []
        numbers.reserveCapacity(row.terms.count)
        for (term, isProminent) in row.terms {
            let number: UInt32
            if let known = state.terms[term] {
                number = known
            } else {
                number = UInt32(state.postings.count)
                state.terms[term] = number
                state.postings.append([])
            }
            state.postings[Int(number)].insertSorted(ordinal << 1 | (isProminent ? 1 : 0))
            numbers.append(number)
        }
        state.profiles[Int(ordinal)] = Profile(wire: row.profile, terms: numbers)
        state.orderIsCurrent = false
    }

    private static func remove(_ id: UUID, from state: inout State) {
        guard let ordinal = state.ordinals.removeValue(forKey: id), let profile = state.profiles[Int(ordinal)] else {
            return
        }
        for term in profile.terms { state.postings[Int(term)].removeOrdinal(ordinal) }
        state.profiles[Int(ordinal)] = nil
        state.free.append(ordinal)
        state.orderIsCurrent = false
    }

    private struct Row {
        let profile: DirectoryProfile
        let terms: [(term: String, isProminent: Bool)]
    }

    /// Published profiles' terms, one row per profile: its terms joined in the database, which is many times faster
    /// than a row per term. Either those of `ids`, or the next `limit` profiles after `after` by ID.
    private static func published(_ ids: [UUID]? = nil, after: UUID? = nil, limit: Int = 0, _ sql: any SQLDatabase)
        async throws -> [Row]
    {
        // Per profile, its terms by the index on (profile, term): no grouping of all terms, no sorting.
        func terms(prominent: Bool) -> SQLQueryString {
            let joined: SQLQueryString =
                sql.dialect.name == "postgresql" ? "string_agg(t.term, E'\\n')" : "group_concat(t.term, char(10))"
            return "(SELECT " + joined + " FROM directory_terms t WHERE t.profile_id = p.user_id AND "
                + (prominent ? "t.is_prominent" : "NOT t.is_prominent") + ")"
        }
        var query: SQLQueryString =
            "SELECT p.*, u.display_name AS lotse_display_name, " + terms(prominent: true) + " AS lotse_prominent, "
            + terms(prominent: false)
            + " AS lotse_other FROM directory_profiles p JOIN users u ON u.id = p.user_id WHERE p.is_published = \(true)"
        if let ids { query = query + " AND p.user_id IN (\(binds: ids))" }
        if let after { query = query + " AND p.user_id > \(bind: after)" }
        if ids == nil { query = query + " ORDER BY p.user_id LIMIT \(literal: limit)" }
        return try await sql.raw(query).all().map { row in
            func terms(_ column: String, prominent: Bool) throws -> [(term: String, isProminent: Bool)] {
                (try row.decode(column: column, as: String?.self) ?? "").split(separator: "\n")
                    .map { (String($0), prominent) }
            }
            let record = try row.decode(fluentModel: DirectoryProfileRecord.self)
            let profile = try record.wire(displayName: try row.decode(column: "lotse_display_name", as: String.self))
            return Row(
                profile: profile,
                terms: try terms("lotse_prominent", prominent: true) + terms("lotse_other", prominent: false))
        }
    }
}

extension [UInt32] {
    fileprivate func firstIndex(atLeast value: UInt32) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    fileprivate mutating func insertSorted(_ value: UInt32) {
        if let last, last < value { append(value) } else { insert(value, at: firstIndex(atLeast: value)) }
    }

    /// Removes the entry of an ordinal, whichever its low bit.
    fileprivate mutating func removeOrdinal(_ ordinal: UInt32) {
        let index = firstIndex(atLeast: ordinal << 1)
        if index < count, self[index] >> 1 == ordinal { remove(at: index) }
    }
}

/// Loads the search index when the server has booted, beside serving (searches ask the database until it is
/// ready); shutting down waits for it.
final class DirectoryIndexLoading: LifecycleHandler, Sendable {
    private let loading = NIOLockedValueBox<Task<Void, Never>?>(nil)

    func didBootAsync(_ application: Application) async throws {
        let (index, db, logger) = (application.directoryIndex, application.db, application.logger)
        loading.withLockedValue {
            $0 = Task {
                do {
                    let start = ContinuousClock.now
                    try await index.load(from: db)
                    logger.notice(
                        "The directory's search index holds \(index.count) published profiles (loaded in \(ContinuousClock.now - start))"
                    )
                } catch {
                    logger.warning("The directory's search index did not load; searches ask the database: \(error)")
                }
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        await loading.withLockedValue { $0 }?.value
    }
}

extension Application {
    /// The directory's search index (``DirectoryIndex``).
    var directoryIndex: DirectoryIndex {
        get {
            guard let index = storage[DirectoryIndexKey.self] else { fatalError("configure(_:) sets directoryIndex") }
            return index
        }
        set { storage[DirectoryIndexKey.self] = newValue }
    }

    private struct DirectoryIndexKey: StorageKey { typealias Value = DirectoryIndex }
}
