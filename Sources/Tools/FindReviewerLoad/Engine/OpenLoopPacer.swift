/// When each call of an open-loop run is due, for one engine thread: call `k` of thread `t` of
/// `T` is due at `start + (k·T + t) / rate`, so the threads together start calls at `rate` per
/// second, evenly spaced (wrk2's constant throughput). Pure: time comes in as an argument.
///
/// A call is taken only when a connection has room for it; one taken late keeps its due time
/// as its intended start, so latency counts the wait (no coordinated omission).
public struct OpenLoopPacer: Sendable, Equatable {
    /// Due time of this thread's first call, nanoseconds.
    public let start: UInt64
    /// Nanoseconds between two of this thread's calls.
    public let interval: Double
    /// Calls this thread may start at most (`--requests`), or nil.
    public let limit: Int?
    /// Calls taken so far.
    public private(set) var taken = 0

    /// The schedule of thread `thread` of `threads` at `rate` calls per second in total.
    public init(start: UInt64, rate: Double, thread: Int, threads: Int, limit: Int? = nil) {
        let spacing = 1e9 / rate
        self.start = start + UInt64(Double(thread) * spacing)
        self.interval = spacing * Double(threads)
        self.limit = limit
    }

    /// Due time of this thread's call number `index` (0, 1, 2, ...).
    @inline(__always)
    public func dueTime(_ index: Int) -> UInt64 { self.start + UInt64(Double(index) * self.interval) }

    /// Due time of the next call not yet taken, or nil when the limit is reached.
    public var nextDue: UInt64? {
        if let limit = self.limit, self.taken >= limit { return nil }
        return self.dueTime(self.taken)
    }

    /// Takes the next call if it is due at `now` and before `end`; returns its due time.
    @inline(__always)
    public mutating func take(now: UInt64, end: UInt64) -> UInt64? {
        guard let due = self.nextDue, due <= now, due < end else { return nil }
        self.taken += 1
        return due
    }

    /// Calls due before `end` that were never taken (the server or the connections fell behind).
    public func missed(before end: UInt64) -> Int {
        guard end > self.start else { return 0 }
        var due = Int((Double(end - self.start) / self.interval).rounded(.up))
        if let limit = self.limit { due = Swift.min(due, limit) }
        return Swift.max(0, due - self.taken)
    }
}
