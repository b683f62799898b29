import Foundation
import Synchronization

/// Monotonic time for services: the system's in production, a ``ManualClock`` in tests.
public protocol LifecycleClock: Sendable {
    /// Nanoseconds since an arbitrary start.
    func now() -> UInt64
    /// Blocks on `condition` (locked by the caller) until it is signalled or, with a
    /// deadline, until the clock reaches it. Spurious returns are allowed.
    func block(_ condition: NSCondition, until deadline: UInt64?)
    /// Called once for each condition that will ``block(_:until:)`` on this clock.
    func register(_ condition: NSCondition)
}

/// The system's monotonic clock.
public struct SystemClock: LifecycleClock {
    /// The clock.
    public init() {}

    /// `DispatchTime.now()` in nanoseconds.
    public func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// A timed wait on the condition.
    public func block(_ condition: NSCondition, until deadline: UInt64?) {
        guard let deadline else { return condition.wait() }
        let now = self.now()
        guard deadline > now else { return }
        _ = condition.wait(until: Date(timeIntervalSinceNow: Double(deadline - now) / 1e9))
    }

    /// Nothing to do.
    public func register(_ condition: NSCondition) {}
}

/// A clock that moves only when told (tests): ``advance(by:)`` wakes every waiter, which
/// then sees whether its deadline came.
public final class ManualClock: LifecycleClock, @unchecked Sendable {
    private let lock = NSLock()
    private var nanoseconds: UInt64
    private var conditions: [NSCondition] = []
    /// For each thread blocked now, the clock's generation when it blocked.
    private var blocked: [UInt64: Int] = [:]
    private var generation: UInt64 = 0
    private let blockedChanged = NSCondition()

    /// A clock at `start` nanoseconds.
    public init(start: UInt64 = 1_000_000_000) {
        self.nanoseconds = start
    }

    /// The time now.
    public func now() -> UInt64 { self.lock.withLock { self.nanoseconds } }

    /// Moves the time forward and wakes every waiter.
    public func advance(by nanoseconds: UInt64) {
        let conditions = self.lock.withLock { () -> [NSCondition] in
            self.nanoseconds += nanoseconds
            return self.conditions
        }
        // Before the wake-ups: a waiter that blocks again counts for the new generation.
        self.blockedChanged.withLock { self.generation += 1 }
        for condition in conditions {
            condition.lock()
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Moves the time forward by `seconds`.
    public func advance(seconds: Double) { self.advance(by: UInt64(seconds * 1e9)) }

    /// Waits untimed: only a signal or ``advance(by:)`` wakes it.
    public func block(_ condition: NSCondition, until deadline: UInt64?) {
        let generation = self.blockedChanged.withLock { () -> UInt64 in
            self.blocked[self.generation, default: 0] += 1
            self.blockedChanged.broadcast()
            return self.generation
        }
        condition.wait()
        self.blockedChanged.withLock {
            self.blocked[generation, default: 0] -= 1
            self.blockedChanged.broadcast()
        }
    }

    /// Remembers the condition, so that ``advance(by:)`` wakes it.
    public func register(_ condition: NSCondition) {
        self.lock.withLock { self.conditions.append(condition) }
    }

    /// Blocks until at least `count` threads wait on this clock having blocked since the last
    /// ``advance(by:)`` (a test's readiness signal: the services saw the time and are idle).
    public func waitForBlocked(atLeast count: Int) {
        self.blockedChanged.withLock {
            while self.blocked[self.generation, default: 0] < count { self.blockedChanged.wait() }
        }
    }
}

/// What a service waits on between steps: a signal (new work), a stop, or its next due time
/// on a ``LifecycleClock``. A condition variable; no polling.
public final class Wakeup: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending = false
    private var stopped = false
    private var signals = 0
    /// The clock deadlines are read on.
    public let clock: any LifecycleClock

    /// A wakeup on `clock`.
    public init(clock: any LifecycleClock = SystemClock()) {
        self.clock = clock
        clock.register(self.condition)
    }

    /// Wakes the waiter (or the next wait returns at once).
    public func signal() {
        self.condition.withLock {
            self.pending = true
            self.signals += 1
            self.condition.broadcast()
        }
    }

    /// How many times ``signal()`` was called (tests: who wakes a service, and how often).
    public var signalCount: Int { self.condition.withLock { self.signals } }

    /// Wakes the waiter for good: every later wait returns false at once.
    public func stop() {
        self.condition.withLock {
            self.stopped = true
            self.condition.broadcast()
        }
    }

    /// Whether ``stop()`` was called.
    public var isStopped: Bool { self.condition.withLock { self.stopped } }

    /// Blocks until a signal, a stop, or `deadline` (nanoseconds on ``clock``; nil: none);
    /// consumes the signal. False once stopped.
    @discardableResult
    public func wait(until deadline: UInt64?) -> Bool {
        self.condition.lock()
        defer { self.condition.unlock() }
        while !self.pending && !self.stopped {
            if let deadline, self.clock.now() >= deadline { break }
            self.clock.block(self.condition, until: deadline)
        }
        self.pending = false
        return !self.stopped
    }

    /// ``wait(until:)`` `nanoseconds` from now on the clock.
    @discardableResult
    public func wait(for nanoseconds: UInt64?) -> Bool {
        self.wait(until: nanoseconds.map { self.clock.now() &+ $0 })
    }
}
