import Synchronization

/// Where one thread records its metrics: a fixed slab of cells, one per series, summed with
/// every other shard of the registry at scrape time.
///
/// A shard has **one writer at a time**: one event loop's thread, or callers already
/// serialised by a lock they hold (the journal's write lock). Updates are then a load, an add
/// and a store on a cell no other thread writes: no lock, no atomic read-modify-write, no
/// allocation. Code that may run on several threads at once uses a
/// ``ConcurrentMetricsShard`` instead.
///
/// Make shards with ``MetricsRegistry/makeShard(name:)`` after every cell-backed family is
/// registered; they live as long as the registry (counts of a stopped loop stay counted).
public final class MetricsShard: @unchecked Sendable {
    @usableFromInline let cells: UnsafeMutablePointer<Atomic<UInt64>>
    @usableFromInline let count: Int
    let storage: ShardStorage

    init(storage: ShardStorage) {
        self.storage = storage
        self.cells = storage.cells
        self.count = storage.count
    }

    /// The name given at creation, e.g. `rpc-loop-0`.
    public var name: String { self.storage.name }

    @inlinable @inline(__always)
    func bump(_ cell: Int, _ amount: UInt64) {
        let pointer = self.cells + cell
        pointer.pointee.store(pointer.pointee.load(ordering: .relaxed) &+ amount, ordering: .relaxed)
    }

    /// Adds one to `counter`.
    @inlinable
    public func increment(_ counter: Counter) {
        precondition(counter.cell < self.count, "a counter of another registry")
        self.bump(counter.cell, 1)
    }

    /// Adds `amount` to `counter`.
    @inlinable
    public func add(_ counter: Counter, _ amount: UInt64) {
        precondition(counter.cell < self.count, "a counter of another registry")
        self.bump(counter.cell, amount)
    }

    /// Adds `delta` (negative to lower it) to this shard's part of `gauge`.
    @inlinable
    public func add(_ gauge: Gauge, _ delta: Int64) {
        precondition(gauge.cell < self.count, "a gauge of another registry")
        self.bump(gauge.cell, UInt64(bitPattern: delta))
    }

    /// Records `value`, in the histogram's raw unit (nanoseconds for `.seconds`), in the first
    /// bucket whose bound is at least `value`, or +Inf; adds it to the sum.
    @inlinable
    public func observe(_ histogram: Histogram, _ value: UInt64) {
        precondition(histogram.buckets + histogram.boundCount + 1 < self.count, "a histogram of another registry")
        let bucket = histogramBucket(self.cells + histogram.bounds, histogram.boundCount, value)
        self.bump(histogram.buckets + bucket, 1)
        self.bump(histogram.buckets + histogram.boundCount + 1, value)
    }
}

/// The index of the first bound `>= value` (Prometheus' `le`), or `count` for +Inf.
///
/// A linear scan: latency bounds are few (17) and most observations fall in the first few,
/// so this beats a binary search's unpredictable branches.
@inlinable @inline(__always)
func histogramBucket(_ bounds: UnsafeMutablePointer<Atomic<UInt64>>, _ count: Int, _ value: UInt64) -> Int {
    var index = 0
    while index < count && value > bounds[index].load(ordering: .relaxed) { index &+= 1 }
    return index
}
