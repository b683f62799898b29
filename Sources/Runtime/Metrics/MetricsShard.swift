import Synchronization

/// Where one thread records its metrics: a fixed slab of cells, one per series, summed with
/// every other shard of the registry at scrape time.
///
/// A `MetricsShard` has **one writer at a time**: one event loop's thread, or callers already
/// serialised by a lock they hold (the journal's write lock). Updates are then a load, an add
/// and a store on a cell no other thread writes: no lock, no atomic read-modify-write, no
/// allocation. Code that may run on several threads at once uses a
/// ``ConcurrentMetricsShard`` instead.
public typealias MetricsShard = Shard<SingleWriter>

/// A shard any number of threads may update at once, with atomic read-modify-writes.
///
/// For code off the hot path that has no thread of its own; an update costs one `lock xadd`
/// rather than a plain add, and contended cells bounce between cores, so the event loops use
/// their own ``MetricsShard`` instead.
public typealias ConcurrentMetricsShard = Shard<AtomicWriter>

/// How a shard adds to a cell: the only difference between the two kinds of shard.
public protocol ShardWriting {
    /// Adds `amount` (wrapping) to `cell`.
    static func add(_ amount: UInt64, to cell: UnsafeMutablePointer<Atomic<UInt64>>)
}

/// One writer at a time: a relaxed load and a relaxed store (plain moves on x86-64 and arm64).
public enum SingleWriter: ShardWriting {
    @inlinable @inline(__always)
    public static func add(_ amount: UInt64, to cell: UnsafeMutablePointer<Atomic<UInt64>>) {
        cell.pointee.store(cell.pointee.load(ordering: .relaxed) &+ amount, ordering: .relaxed)
    }
}

/// Any number of writers: a relaxed atomic add.
public enum AtomicWriter: ShardWriting {
    @inlinable @inline(__always)
    public static func add(_ amount: UInt64, to cell: UnsafeMutablePointer<Atomic<UInt64>>) {
        cell.pointee.wrappingAdd(amount, ordering: .relaxed)
    }
}

/// A shard's cells and the updates the hot path makes; see ``MetricsShard`` and
/// ``ConcurrentMetricsShard``.
///
/// Make shards with ``MetricsRegistry/makeShard(name:)`` or
/// ``MetricsRegistry/makeConcurrentShard(name:)`` after every cell-backed family is
/// registered; they live as long as the registry (counts of a stopped loop stay counted).
public final class Shard<Writer: ShardWriting>: @unchecked Sendable {
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

    /// Adds one to `counter`.
    @inlinable
    public func increment(_ counter: Counter) {
        precondition(counter.cell < self.count, "a counter of another registry")
        Writer.add(1, to: self.cells + counter.cell)
    }

    /// Adds `amount` to `counter`.
    @inlinable
    public func add(_ counter: Counter, _ amount: UInt64) {
        precondition(counter.cell < self.count, "a counter of another registry")
        Writer.add(amount, to: self.cells + counter.cell)
    }

    /// Adds `delta` (negative to lower it) to this shard's part of `gauge`.
    @inlinable
    public func add(_ gauge: Gauge, _ delta: Int64) {
        precondition(gauge.cell < self.count, "a gauge of another registry")
        Writer.add(UInt64(bitPattern: delta), to: self.cells + gauge.cell)
    }

    /// Records `value`, in the histogram's raw unit (nanoseconds for `.seconds`), in the first
    /// bucket whose bound is at least `value`, or +Inf; adds it to the sum.
    ///
    /// The bucket is found by a linear scan: latency bounds are few (17) and most observations
    /// fall in the first few, so this beats a binary search's unpredictable branches.
    @inlinable
    public func observe(_ histogram: Histogram, _ value: UInt64) {
        precondition(histogram.buckets + histogram.boundCount + 1 < self.count, "a histogram of another registry")
        let bounds = self.cells + histogram.bounds
        var bucket = 0
        while bucket < histogram.boundCount && value > bounds[bucket].load(ordering: .relaxed) { bucket &+= 1 }
        Writer.add(1, to: self.cells + histogram.buckets + bucket)
        Writer.add(value, to: self.cells + histogram.buckets + histogram.boundCount + 1)
    }
}
