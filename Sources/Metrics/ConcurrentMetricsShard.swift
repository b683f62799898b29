import Synchronization

/// A shard any number of threads may update at once, with atomic read-modify-writes.
///
/// For code off the hot path that has no thread of its own (a handler that completes on
/// whichever thread finished its work); an update costs one `lock xadd` rather than a plain
/// add, and contended cells bounce between cores, so the event loops use their own
/// ``MetricsShard`` instead.
public final class ConcurrentMetricsShard: @unchecked Sendable {
    @usableFromInline let cells: UnsafeMutablePointer<Atomic<UInt64>>
    @usableFromInline let count: Int
    let storage: ShardStorage

    init(storage: ShardStorage) {
        self.storage = storage
        self.cells = storage.cells
        self.count = storage.count
    }

    @inlinable @inline(__always)
    func bump(_ cell: Int, _ amount: UInt64) {
        self.cells[cell].wrappingAdd(amount, ordering: .relaxed)
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

    /// Adds `delta` (negative to lower it) to `gauge`.
    @inlinable
    public func add(_ gauge: Gauge, _ delta: Int64) {
        precondition(gauge.cell < self.count, "a gauge of another registry")
        self.bump(gauge.cell, UInt64(bitPattern: delta))
    }

    /// Records `value` in the histogram's raw unit, as ``MetricsShard/observe(_:_:)``.
    @inlinable
    public func observe(_ histogram: Histogram, _ value: UInt64) {
        precondition(histogram.buckets + histogram.boundCount + 1 < self.count, "a histogram of another registry")
        let bucket = histogramBucket(self.cells + histogram.bounds, histogram.boundCount, value)
        self.bump(histogram.buckets + bucket, 1)
        self.bump(histogram.buckets + histogram.boundCount + 1, value)
    }
}
