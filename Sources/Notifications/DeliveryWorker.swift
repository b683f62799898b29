import FindReviewerDomain
import Foundation

/// Sends undelivered outbox entries and marks them delivered, retrying failures with
/// exponential backoff (1 s, 2 s, 4 s … capped at 5 minutes) per entry.
///
/// The decisions are a pure step over (pending entries, now), testable with a manual clock;
/// a dedicated thread runs the steps in production.
public final class DeliveryWorker: @unchecked Sendable {
    /// Pending entries, oldest first.
    public typealias Source = @Sendable () -> [NotificationContext]
    /// Records an entry as delivered (durably, through the domain).
    public typealias MarkDelivered = @Sendable (String) -> Void

    private let renderer: EmailRenderer
    private let transport: EmailTransport
    private let pending: Source
    private let markDelivered: MarkDelivered
    private let now: @Sendable () -> Int64
    private let log: @Sendable (String, String) -> Void
    private let condition = NSCondition()
    /// One step at a time (the thread's, or a final one at shutdown).
    private let stepLock = NSLock()
    private var running = false
    private var wakeRequested = false
    /// Entry id → (failed attempts, earliest next attempt).
    private var backoff: [String: (attempts: Int, nextAttempt: Int64)] = [:]
    /// Entries delivered by this worker but perhaps not yet marked in the state.
    private var sent: Set<String> = []

    /// A worker; `now` is the clock backoff is measured with (monotonic seconds are fine).
    public init(
        renderer: EmailRenderer, transport: EmailTransport, pending: @escaping Source, markDelivered: @escaping MarkDelivered,
        now: @escaping @Sendable () -> Int64, log: @escaping @Sendable (String, String) -> Void = { _, _ in }
    ) {
        self.renderer = renderer
        self.transport = transport
        self.pending = pending
        self.markDelivered = markDelivered
        self.now = now
        self.log = log
    }

    /// How long a pass waits after a wake-up for more emails to batch (seconds).
    public static let batchWindow: TimeInterval = 0.02

    /// Delay before attempt `n + 1` after `n` failures.
    public static func backoffSeconds(afterFailures failures: Int) -> Int64 {
        min(300, Int64(1) << min(failures - 1, 20))
    }

    /// One pass: deliver every pending entry that is not backing off. Returns how many were sent.
    @discardableResult
    public func step() -> Int {
        self.stepLock.lock()
        defer { self.stepLock.unlock() }
        let now = self.now()
        var delivered = 0
        var due: [RenderedEmail] = []
        for context in self.pending() {
            let id = context.entry.id
            if self.sent.contains(id) {
                // Sent earlier; marking it failed or is still on its way: mark again, never resend.
                self.markDelivered(id)
                continue
            }
            if let state = self.backoff[id], now < state.nextAttempt { continue }
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
                self.markDelivered(id)
                delivered += 1
            }
        }
        // Forget entries that are no longer pending.
        if self.sent.count > 10_000 { self.sent.removeAll() }
        return delivered
    }

    /// Runs steps on a dedicated thread: at least every second, and at once after ``wake()``.
    public func start() {
        self.condition.lock()
        self.running = true
        self.condition.unlock()
        let thread = Thread { [self] in
            while true {
                self.step()
                self.condition.lock()
                if !self.running {
                    self.condition.unlock()
                    return
                }
                if !self.wakeRequested { _ = self.condition.wait(until: Date(timeIntervalSinceNow: 1)) }
                if self.wakeRequested && self.running {
                    // Let the emails of the next few milliseconds join this pass: one file-system
                    // sync and one journal batch for all of them instead of one per email.
                    _ = self.condition.wait(until: Date(timeIntervalSinceNow: Self.batchWindow))
                }
                self.wakeRequested = false
                self.condition.unlock()
            }
        }
        thread.name = "findreviewer-delivery"
        thread.start()
    }

    /// Asks for a pass soon (new outbox entries).
    public func wake() {
        self.condition.lock()
        self.wakeRequested = true
        self.condition.signal()
        self.condition.unlock()
    }

    /// Stops the thread after its current pass.
    public func stop() {
        self.condition.lock()
        self.running = false
        self.condition.signal()
        self.condition.unlock()
    }
}
