import Testing

@testable import LotseServer

@Suite("Freed memory goes back to the system after a burst")
struct FreedMemoryTests {
    @Test("On Linux glibc's malloc_trim is found, and memory freed in the middle of the heap is given back")
    func releasesFreedPages() {
        #if os(Linux)
            #expect(FreedMemory.isAvailable)
            // 40 MB in small blocks, every hundredth kept, so the freed runs (99 kB each) lie between used blocks and
            // can't merge into the heap's top, which free gives back by itself: only a trim returns their pages.
            var blocks = (0..<40_000).map { _ in UnsafeMutableRawPointer.allocate(byteCount: 1_000, alignment: 8) }
            for index in blocks.indices { blocks[index].storeBytes(of: UInt8(1), as: UInt8.self) }
            for index in blocks.indices where index % 100 != 0 { blocks[index].deallocate() }
            #expect(FreedMemory.release())
            for index in stride(from: 0, to: blocks.count, by: 100) { blocks[index].deallocate() }
            blocks.removeAll()
        #endif
    }
}
