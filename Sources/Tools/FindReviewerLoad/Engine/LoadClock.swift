import Glibc
import Synchronization

/// Monotonic time in nanoseconds, as the load engine reads it: every latency, due time and
/// timeout comes from here, so a test can drive the engine with a ``ManualLoadClock``.
public protocol LoadClock: AnyObject, Sendable {
    /// Now, in nanoseconds since an arbitrary fixed point.
    func now() -> UInt64
}

/// `CLOCK_MONOTONIC`.
public final class MonotonicLoadClock: LoadClock {
    /// The clock.
    public init() {}

    @inline(__always)
    public func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }
}

/// A clock that moves only when told to (tests).
public final class ManualLoadClock: LoadClock {
    private let current: Atomic<UInt64>

    /// A clock reading `start`.
    public init(start: UInt64 = 1_000_000_000) { self.current = Atomic(start) }

    public func now() -> UInt64 { self.current.load(ordering: .acquiring) }

    /// Sets the time (never backwards).
    public func set(_ time: UInt64) {
        precondition(time >= self.now(), "a monotonic clock does not go back")
        self.current.store(time, ordering: .releasing)
    }

    /// Moves the time forward by `nanoseconds`.
    public func advance(by nanoseconds: UInt64) { self.set(self.now() + nanoseconds) }
}
