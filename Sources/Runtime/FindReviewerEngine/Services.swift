import Dispatch
import FindReviewerStore
import Foundation
import ServiceLifecycle
import Synchronization

// The server's background work as services (Sources/Runtime/ServiceLifecycle): each runs on a thread
// a ServiceGroup starts and joins, waits on a Wakeup (no sleep-polling), and stops on request.
// ServerApp (Sources/Runtime/FindReviewerServer) stops them, after the RPC drain, in this order: timer, delivery (its last pass),
// snapshot policy, journal writer (its last commit).

/// Applies due transitions (reminders, expiry) at their time: it waits until the next due
/// time, woken early when applied events bring a due time before it (``dueTimeMayHaveMoved(to:)``)
/// or the test clock moves.
public final class TimerService: Service, @unchecked Sendable {
    /// The thread's name.
    public let name = "findreviewer-timer"
    let service: Engine
    /// Signal it when the next due time may have changed.
    public let wakeup: Wakeup
    /// The service time the timer sleeps until: `.max` when nothing is due, `.min` while it is
    /// finding out (then every change wakes it).
    let sleepsUntil = Atomic<Int64>(.min)

    /// A timer for `service`, waiting on `clock` (the system's, or a manual one in tests).
    public init(_ service: Engine, clock: any LifecycleClock = SystemClock()) {
        self.service = service
        self.wakeup = Wakeup(clock: clock)
    }

    /// Applies what is due, then waits until the next due time (service seconds converted to
    /// the wakeup's clock) or a signal; returns after ``stop()``.
    public func run() {
        var next: Int64?
        repeat {
            self.service.applyDueTransitions()
            // Published before the next due time is read under the state lock: a write that
            // takes the lock after that read sees `.min` or the time read, never an older one.
            self.sleepsUntil.store(.min, ordering: .sequentiallyConsistent)
            next = self.service.nextDueTime()
            self.sleepsUntil.store(next ?? .max, ordering: .sequentiallyConsistent)
        } while self.wakeup.wait(for: self.delay(to: next))
    }

    /// Called after events were applied, with the state's next due time right after them (the
    /// engine's ``Engine/onNextDueTime``): wakes the timer only when that comes before the time
    /// it sleeps until. A create's reminder falls days after the timer's next due time, so a
    /// stream of writes does not wake it (it woke on every write batch before, taking the
    /// state's write lock twice each time).
    public func dueTimeMayHaveMoved(to next: Int64?) {
        guard let next, next < self.sleepsUntil.load(ordering: .sequentiallyConsistent) else { return }
        self.wakeup.signal()
    }

    /// Nanoseconds until `next` (service seconds); nil when nothing is due (a write that brings
    /// a due time wakes the timer). A due time already past after applying waits a second (a
    /// transition the state refused stays queued until it changes).
    func delay(to next: Int64?) -> UInt64? {
        guard let next else { return nil }
        return UInt64(max(1, next - self.service.clock.now())) * 1_000_000_000
    }

    /// Stops after the transition being applied, if any.
    public func stop() { self.wakeup.stop() }
}

/// Takes a snapshot once the journal segment has grown by `everyBytes`, or `everySeconds`
/// after the last one while the journal grows. It waits for the next time check, woken early
/// when an append crosses the size threshold (``Storage`` signals it).
public final class SnapshotPolicyService: Service, @unchecked Sendable {
    /// The thread's name.
    public let name = "findreviewer-snapshots"
    let storage: Storage
    let everyBytes: Int
    let everySeconds: Int
    /// Signalled by appends that crossed `everyBytes`.
    public let wakeup: Wakeup
    private var lastSnapshotAt: UInt64

    /// A policy over `storage`'s journal, its time on `clock`.
    public init(_ storage: Storage, everyBytes: Int, everySeconds: Int, clock: any LifecycleClock = SystemClock()) {
        self.storage = storage
        self.everyBytes = everyBytes
        self.everySeconds = everySeconds
        self.wakeup = Wakeup(clock: clock)
        self.lastSnapshotAt = clock.now()
        storage.setSnapshotTrigger(everyBytes: everyBytes) { [wakeup = self.wakeup] in wakeup.signal() }
    }

    /// Whether a snapshot is due now.
    func isDue() -> Bool {
        let grown = self.storage.journal.segmentBytes - JournalFormat.fileHeaderSize
        let elapsed = self.wakeup.clock.now() &- self.lastSnapshotAt
        return grown >= self.everyBytes || (grown > 0 && elapsed >= UInt64(self.everySeconds) * 1_000_000_000)
    }

    /// Snapshots when due; waits until `everySeconds` after the last one or a signal.
    public func run() {
        while self.wakeup.wait(until: self.lastSnapshotAt &+ UInt64(self.everySeconds) * 1_000_000_000) {
            if self.isDue(), !self.storage.journal.isDegraded {
                _ = try? self.storage.snapshot()
                self.lastSnapshotAt = self.wakeup.clock.now()
            } else if self.wakeup.clock.now() &- self.lastSnapshotAt >= UInt64(self.everySeconds) * 1_000_000_000 {
                // Nothing grew: the next check is a period later.
                self.lastSnapshotAt = self.wakeup.clock.now()
            }
        }
    }

    /// Stops after the snapshot being written, if any.
    public func stop() { self.wakeup.stop() }
}

/// The journal writer's lifecycle: the journal's own writer thread does the group commits;
/// this service owns its end. ``stop()`` makes the last commit (everything queued is written
/// and fsynced), joins the writer thread and closes the file.
public final class JournalWriterService: Service, @unchecked Sendable {
    /// The thread's name.
    public let name = "findreviewer-journal-owner"
    let storage: Storage
    private let wakeup = Wakeup()

    /// The service for `storage`'s journal.
    public init(_ storage: Storage) { self.storage = storage }

    /// Waits for the stop, then the last commit and close.
    public func run() {
        while self.wakeup.wait(until: nil) {}
        self.storage.stop()
    }

    /// Asks for the last commit.
    public func stop() { self.wakeup.stop() }
}
