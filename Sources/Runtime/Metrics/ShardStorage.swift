import Synchronization

/// The cells of one shard: a fixed slab of 64-bit atomics, allocated once and never moved.
///
/// Writers update cells with relaxed atomic operations (plain loads and stores on x86-64 and
/// arm64); the scrape reads them with relaxed loads from another thread. A cell is never read
/// torn, and a scrape sees every update that happened before it, give or take the ones in
/// flight.
final class ShardStorage: @unchecked Sendable {
    /// Bytes per cache line, rounded up to two lines: the slab starts and ends on its own lines
    /// so that two shards written by two threads never share one (false sharing).
    static let alignment = 128

    let name: String
    let cells: UnsafeMutablePointer<Atomic<UInt64>>
    let count: Int

    /// A slab of `template.count` cells holding the template's values (histogram bounds, zeros).
    init(name: String, template: [UInt64]) {
        self.name = name
        self.count = template.count
        let perLine = Self.alignment / MemoryLayout<UInt64>.stride
        let padded = max(perLine, (template.count + perLine - 1) / perLine * perLine)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: padded * MemoryLayout<UInt64>.stride, alignment: Self.alignment)
        self.cells = raw.bindMemory(to: Atomic<UInt64>.self, capacity: padded)
        for index in 0..<padded {
            (self.cells + index).initialize(to: Atomic(index < template.count ? template[index] : 0))
        }
    }

    deinit {
        UnsafeMutableRawPointer(self.cells).deallocate()
    }

    /// Adds every cell into `totals` (wrapping), the scrape's sum across shards.
    func addCells(into totals: inout [UInt64]) {
        precondition(totals.count == self.count)
        for index in 0..<self.count {
            totals[index] &+= self.cells[index].load(ordering: .relaxed)
        }
    }
}
