import CSystemShims
import FindReviewerDomain
import Foundation
import ServiceLifecycle
import Synchronization

/// Sends undelivered outbox entries and marks them delivered, retrying failures with
/// exponential backoff (1 s, 2 s, 4 s … capped at 5 minutes) per entry.
///
/// The decisions are a pure step over (pending entries, now), testable with a manual clock;
/// a dedicated thread runs the steps in production, at a low CPU priority (nice 10): the
/// outbox is durable, so while calls keep both cores busy emails wait, and they go out in
/// larger batches as CPU allows.
public final class DeliveryWorker: Service, @unchecked Sendable {
    /// The thread's name.
    public let name = "findreviewer-delivery"
    /// Pending entries, oldest first.
    public typealias Source = @Sendable () -> [NotificationContext]
    /// Records an entry as delivered (durably, through the domain).
    public typealias MarkDelivered = @Sendable (String) -> Void
    /// Records several entries as delivered at once (one lock, one journal batch).
    public typealias MarkDeliveredBatch = @Sendable ([String]) -> Void

    private let renderer: EmailRenderer
    private let transport: EmailTransport
    private let pending: Source
    private let markDelivered: MarkDelivered
    private let markDeliveredBatch: MarkDeliveredBatch?
    private let now: @Sendable () -> Int64
    private let log: @Sendable (String, String) -> Void
    /// Called after each pass that tried to send, with the emails delivered and the attempts
    /// that failed (metrics); passes never overlap. Set before ``start()``.
    public var onAttempts: (@Sendable (_ delivered: Int, _ failed: Int) -> Void)?
    private let condition = NSCondition()
    /// One step at a time (the thread's, or a final one at shutdown).
    private let stepLock = NSLock()
    private var running = false
    private var stopRequested = false
    /// Set by ``wake()``; the condition is signalled only when this turns true, so a stream of
    /// writes costs one atomic exchange each, not a futex wake each.
    private let wakeRequested = Atomic<Bool>(false)
    /// Set by ``stop()``: a pass still rendering stops there (the rendered emails are not sent).
    private let stopping = Atomic<Bool>(false)
    /// Set by ``abandon()``: nothing more is marked delivered (the state's journal may be closed).
    private var abandoned = false
    /// Held while marking entries delivered, and by ``abandon()``.
    private let markGate = NSLock()
    /// Entry id → (failed attempts, earliest next attempt).
    private var backoff: [String: (attempts: Int, nextAttempt: Int64)] = [:]
    /// Entries delivered by this worker but perhaps not yet marked in the state.
    private var sent: Set<String> = []

    /// A worker; `now` is the clock backoff is measured with (monotonic seconds are fine).
    /// `markDeliveredBatch`, if given, replaces one `markDelivered` call per entry of a pass.
    public init(
        renderer: EmailRenderer, transport: EmailTransport, pending: @escaping Source, markDelivered: @escaping MarkDelivered,
        markDeliveredBatch: MarkDeliveredBatch? = nil,
        now: @escaping @Sendable () -> Int64, log: @escaping @Sendable (String, String) -> Void = { _, _ in }
    ) {
        self.renderer = renderer
        self.transport = transport
        self.pending = pending
        self.markDelivered = markDelivered
        self.markDeliveredBatch = markDeliveredBatch
        self.now = now
        self.log = log
    }

    /// How long a pass waits after a wake-up for more emails to batch (seconds).
    public static let batchWindow: TimeInterval = 0.02

    /// Delay before attempt `n + 1` after `n` failures.
    public static func backoffSeconds(afterFailures failures: Int) -> Int64 {
        min(300, Int64(1) << min(failures - 1, 20))
    }

    /// Entries one pass collects and files (one file and two syncs for all of them): 256 cost
    /// 1.6 µs of CPU per email filed where 64 cost 3.5 (`make bench-emails`, 2026-12-03), as the
    /// file system's work is per batch. Collected on an event loop under the state's read lock.
    public static let passSize = 256
    /// A pass that handled at least this many entries is followed by the next one at once.
    static let backlogPass = passSize
    /// Entries marked delivered per ``MarkDeliveredBatch`` call.
    static let markGroup = 64
    /// While new entries keep arriving, a pass waits for a quiet `batchWindow` at most this long.
    public static let maxBatchDelay: TimeInterval = 1

    /// One pass: deliver every pending entry that is not backing off. Returns how many were sent.
    @discardableResult
    public func step() -> Int { self.pass(countingMarked: false, onWorker: false) }

    /// The last pass after ``stop()``, on the calling thread (the stopping one, at normal
    /// priority, not the worker's idle one): delivers what the last calls wrote, one page of
    /// at most ``passSize`` entries; the rest stays in the durable outbox for the next start.
    @discardableResult
    public func lastPass() -> Int { self.pass(countingMarked: false, onWorker: false) }

    /// After a ``stop()`` the worker did not finish in time (a pass starved of CPU at idle
    /// priority): whatever it delivers from now on is not marked, so that it never writes to a
    /// state being closed. Such entries are delivered again after the next start (the file
    /// transport replaces its file; an SMTP relay may see the email twice, as after a crash).
    public func abandon() {
        self.markGate.withLock { self.abandoned = true }
    }

    /// A pass; returns the entries sent, plus (if `countingMarked`) those only marked again.
    private func pass(countingMarked: Bool, onWorker: Bool) -> Int {
        self.stepLock.lock()
        defer { self.stepLock.unlock() }
        let now = self.now()
        var delivered = 0
        var due: [RenderedEmail] = []
        var toMark: [String] = []
        for context in self.pending() {
            let id = context.entry.id
            if self.sent.contains(id) {
                // Sent earlier; marking it failed or is still on its way: mark again, never resend.
                toMark.append(id)
                continue
            }
            if let state = self.backoff[id], now < state.nextAttempt { continue }
            // The worker's pass after a stop: the rest is the last pass's (``lastPass()``).
            if onWorker && self.stopping.load(ordering: .relaxed) { return 0 }
            due.append(self.renderer.render(context))
        }
        for (email, outcome) in zip(due, self.transport.deliver(batch: due)) {
            let id = email.entryId
            if let error = outcome {
                let failures = (self.backoff[id]?.attempts ?? 0) + 1
                self.backoff[id] = (failures, now + Self.backoffSeconds(afterFailures: failures))
                self.log("email delivery failed", "\(id): \(error) (attempt \(failures))")
            } else {
                self.sent.insert(id)
                self.backoff[id] = nil
                toMark.append(id)
                delivered += 1
            }
        }
        if !due.isEmpty { self.onAttempts?(delivered, due.count - delivered) }
        self.markGate.lock()
        defer { self.markGate.unlock() }
        if self.abandoned { return 0 }
        if let markDeliveredBatch, !toMark.isEmpty {
            // In groups of at most a page: each takes the state lock once.
            var start = 0
            while start < toMark.count {
                let end = min(toMark.count, start + Self.markGroup)
                markDeliveredBatch(Array(toMark[start..<end]))
                start = end
            }
        } else {
            for id in toMark { self.markDelivered(id) }
        }
        // Forget entries that are no longer pending.
        if self.sent.count > 10_000 { self.sent.removeAll() }
        return countingMarked ? toMark.count : delivered
    }

    /// Runs ``run()`` on a dedicated thread (a ``ServiceGroup`` does the same and joins it).
    public func start() {
        let thread = Thread { [self] in self.run() }
        thread.name = self.name
        thread.start()
    }

    /// The earliest time (on `now`) an entry backing off may be tried again, if any.
    private func nextRetry() -> Int64? {
        self.stepLock.withLock { self.backoff.values.map(\.nextAttempt).min() }
    }

    /// Runs steps until ``stop()``: at once after ``wake()`` (new outbox entries), and when an
    /// entry's backoff ends; otherwise it waits (no periodic wake-up). The last pass after the
    /// stop is not this thread's: the stopping thread runs ``lastPass()``.
    public func run() {
        self.condition.lock()
        if self.stopRequested {
            self.condition.unlock()
            return
        }
        self.running = true
        self.condition.unlock()
        do {
            // Nice 10: rendering and writing emails yield the CPU to calls (an event loop at
            // nice 0 weighs about ten times as much), but are not starved. SCHED_IDLE was
            // (2026-12-02): on a busy machine a pass took seconds, and the process could not
            // even exit for up to 10 s after a stop, waiting for this runnable thread to be
            // scheduled once to die; an unprivileged thread cannot take its priority back. The state
            // lock is held only briefly here (collecting a page of entries, marking a small
            // group), so a call waiting for it is not stuck behind this thread for long.
            _ = cshim_nice_this_thread(10)
            while true {
                let handled = self.pass(countingMarked: true, onWorker: true)
                self.condition.lock()
                if !self.running {
                    self.condition.unlock()
                    return
                }
                if handled >= Self.backlogPass {
                    // A backlog (e.g. after a burst of calls): the next page at once.
                    self.wakeRequested.store(false, ordering: .releasing)
                    self.condition.unlock()
                    continue
                }
                if !self.wakeRequested.load(ordering: .acquiring) {
                    // Until new entries (wake) or the next retry is due: a wait, not a poll.
                    self.condition.unlock()
                    let retry = self.nextRetry()
                    self.condition.lock()
                    if !self.wakeRequested.load(ordering: .acquiring) && self.running {
                        if let retry {
                            let seconds = Double(max(0, retry - self.now()))
                            _ = self.condition.wait(until: Date(timeIntervalSinceNow: max(0.001, seconds)))
                        } else {
                            self.condition.wait()
                        }
                    }
                }
                // Let the emails of the next few milliseconds join this pass: one file-system
                // sync and one journal batch for all of them instead of one per email. While
                // they keep coming (a burst of calls), keep waiting for a quiet window, up to
                // maxBatchDelay: the outbox is durable, and the calls need the CPU more.
                let firstWake = Date()
                while self.wakeRequested.load(ordering: .acquiring) && self.running {
                    self.wakeRequested.store(false, ordering: .releasing)
                    let windowEnd = Date(timeIntervalSinceNow: Self.batchWindow)
                    while self.running && self.condition.wait(until: windowEnd) {}
                    if Date().timeIntervalSince(firstWake) >= Self.maxBatchDelay { break }
                }
                self.wakeRequested.store(false, ordering: .releasing)
                self.condition.unlock()
            }
        }
    }

    /// Asks for a pass soon (new outbox entries).
    public func wake() {
        guard !self.wakeRequested.exchange(true, ordering: .acquiringAndReleasing) else { return }
        self.condition.lock()
        self.condition.signal()
        self.condition.unlock()
    }

    /// Stops the thread after its current pass.
    public func stop() {
        self.stopping.store(true, ordering: .relaxed)
        self.condition.lock()
        self.stopRequested = true
        self.running = false
        self.condition.signal()
        self.condition.unlock()
    }
}
