#if canImport(Glibc)
    import Glibc
#endif

/// Memory the allocator holds for later but nothing uses. glibc's malloc keeps what is freed, so after a burst (10,000
/// devices connecting after a restart, each session read once and dropped from the session cache seconds later) the
/// process would stay at the burst's size; ``release()`` gives the whole free pages back to the system (#21,
/// bench/sockets.sh).
enum FreedMemory {
    /// Returns free pages of every arena to the system (glibc's `malloc_trim`, looked up once: Swift's Glibc module
    /// leaves out malloc.h); takes a few milliseconds for a heap of a few hundred megabytes, so it is for after a
    /// burst, not for every request. Elsewhere it does nothing. Answers whether any memory went back.
    @discardableResult
    static func release() -> Bool {
        (trim?(0) ?? 0) == 1
    }

    /// Whether this system's allocator can (glibc's can).
    static var isAvailable: Bool { trim != nil }

    #if canImport(Glibc)
        private static let trim: (@convention(c) (Int) -> Int32)? = dlsym(
            UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim"
        )
        .map { unsafeBitCast($0, to: (@convention(c) (Int) -> Int32).self) }
    #else
        private static let trim: (@convention(c) (Int) -> Int32)? = nil
    #endif
}
