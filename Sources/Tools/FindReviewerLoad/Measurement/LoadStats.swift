import RPC
import Locking

/// One operation's figures: latencies of every call that ended, and its errors by status.
public struct OperationStats: Sendable {
    /// Every call (OK or not), from its intended start to its end.
    public var latency = LatencyHistogram()
    /// Calls that ended with a status other than OK.
    public var errors: [StatusCode: Int] = [:]

    /// Calls that ended.
    public var calls: UInt64 { self.latency.count }
    /// Calls that failed.
    public var errorCount: Int { self.errors.values.reduce(0, +) }

    mutating func merge(_ other: OperationStats) {
        self.latency.merge(other.latency)
        for (code, count) in other.errors { self.errors[code, default: 0] += count }
    }
}

/// What one engine thread measured (merged across threads for the summary).
public struct LoadStats: Sendable {
    /// Every measured call.
    public var total = LatencyHistogram()
    /// Per operation, indexed by ``LoadOperation/rawValue``; nil for operations not called.
    public var operations: [OperationStats?] = Array(repeating: nil, count: LoadOperation.allCases.count)
    /// One message per status, to say what failed.
    public var errorSamples: [StatusCode: String] = [:]
    /// Attempts sent again after UNAVAILABLE or a lost connection (every call, measured or not).
    public var retries = 0
    /// Connections opened again after the server closed them or sent GOAWAY.
    public var reconnects = 0
    /// Open loop: calls due in the measured window that never started.
    public var missed = 0

    /// Creates empty figures.
    public init() {}

    @inline(__always)
    mutating func record(_ operation: LoadOperation, latency: UInt64, status: StatusCode, message: String) {
        self.total.record(latency)
        if self.operations[operation.rawValue] == nil { self.operations[operation.rawValue] = OperationStats() }
        self.operations[operation.rawValue]!.latency.record(latency)
        if status != .ok {
            self.operations[operation.rawValue]!.errors[status, default: 0] += 1
            if self.errorSamples[status] == nil { self.errorSamples[status] = "\(operation.name): \(message)" }
        }
    }

    /// Calls that failed.
    public var errorCount: Int { self.operations.reduce(0) { $0 + ($1?.errorCount ?? 0) } }

    /// Failed calls by status, all operations together.
    public var errors: [StatusCode: Int] {
        var all: [StatusCode: Int] = [:]
        for case let stats? in self.operations { for (code, count) in stats.errors { all[code, default: 0] += count } }
        return all
    }

    /// Adds `other`'s figures.
    public mutating func merge(_ other: LoadStats) {
        self.total.merge(other.total)
        for index in other.operations.indices {
            guard let theirs = other.operations[index] else { continue }
            if self.operations[index] == nil { self.operations[index] = OperationStats() }
            self.operations[index]!.merge(theirs)
        }
        for (code, sample) in other.errorSamples where self.errorSamples[code] == nil { self.errorSamples[code] = sample }
        self.retries += other.retries
        self.reconnects += other.reconnects
        self.missed += other.missed
    }
}

/// The last second's figures of one thread, handed to the progress line under a lock.
final class ProgressMailbox: Sendable {
    struct Interval: Sendable {
        var latency = LatencyHistogram()
        var errors = 0
    }

    private let interval = Locked(Interval())

    /// Adds a thread's figures since its last hand-over.
    func deposit(_ latency: LatencyHistogram, errors: Int) {
        self.interval.withLock {
            $0.latency.merge(latency)
            $0.errors += errors
        }
    }

    /// Takes what was deposited, merging it into `into`; returns the errors.
    func collect(into latency: inout LatencyHistogram) -> Int {
        self.interval.withLock { interval in
            latency.merge(interval.latency)
            interval.latency.reset()
            defer { interval.errors = 0 }
            return interval.errors
        }
    }
}
