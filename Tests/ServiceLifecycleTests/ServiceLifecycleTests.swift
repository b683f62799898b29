import Dispatch
import Foundation
import ServiceLifecycle
import Synchronization
import Testing

/// A service that counts its steps: a step at start, then one per due time (every `period`
/// on its clock) or signal, and a last step when stopped.
final class Ticker: Service, @unchecked Sendable {
    let name: String
    let wakeup: Wakeup
    let period: UInt64
    let log: Log
    private let stepped = NSCondition()
    private var steps = 0

    final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private var entries: [String] = []
        func add(_ entry: String) { self.lock.withLock { self.entries.append(entry) } }
        var all: [String] { self.lock.withLock { self.entries } }
    }

    init(_ name: String, clock: any LifecycleClock, period: UInt64, log: Log) {
        self.name = name
        self.wakeup = Wakeup(clock: clock)
        self.period = period
        self.log = log
    }

    func run() {
        repeat {
            self.stepped.withLock {
                self.steps += 1
                self.stepped.broadcast()
            }
        } while self.wakeup.wait(for: self.period)
        self.log.add("\(self.name) last step")
    }

    func stop() {
        self.log.add("\(self.name) stop")
        self.wakeup.stop()
    }

    /// Blocks until at least `count` steps ran (a condition, not a sleep).
    func waitForSteps(_ count: Int) {
        self.stepped.withLock { while self.steps < count { self.stepped.wait() } }
    }

    var stepCount: Int { self.stepped.withLock { self.steps } }
}

@Suite("Services: run and stop on a manual clock, in order, without polling")
struct ServiceLifecycleTests {
    @Test("a service steps only when its clock reaches the due time or it is signalled")
    func stepsOnTheManualClock() {
        let clock = ManualClock()
        let ticker = Ticker("t", clock: clock, period: 10_000_000_000, log: Ticker.Log())
        let group = ServiceGroup([ticker])
        group.start()
        ticker.waitForSteps(1)
        clock.waitForBlocked(atLeast: 1)
        // Less than the period: no step.
        clock.advance(seconds: 9)
        clock.waitForBlocked(atLeast: 1)
        #expect(ticker.stepCount == 1)
        // The period reached: one step.
        clock.advance(seconds: 1)
        ticker.waitForSteps(2)
        // A signal: a step at once, the clock unmoved.
        ticker.wakeup.signal()
        ticker.waitForSteps(3)
        group.stop()
        #expect(ticker.log.all == ["t stop", "t last step"])
        #expect(ticker.stepCount == 3)
    }

    @Test("the group stops services in the order given, each joined before the next is stopped")
    func stopOrder() {
        let clock = ManualClock()
        let log = Ticker.Log()
        let a = Ticker("timer", clock: clock, period: 1_000_000_000, log: log)
        let b = Ticker("delivery", clock: clock, period: 1_000_000_000, log: log)
        let c = Ticker("journal", clock: clock, period: 1_000_000_000, log: log)
        let group = ServiceGroup([c, b, a])
        group.start()
        for ticker in [a, b, c] { ticker.waitForSteps(1) }
        group.stop(order: [a, b, c])
        #expect(log.all == ["timer stop", "timer last step", "delivery stop", "delivery last step", "journal stop", "journal last step"])
    }

    @Test("a stopped wakeup returns at once; a signal before a wait is not lost")
    func wakeupSemantics() {
        let wakeup = Wakeup(clock: ManualClock())
        wakeup.signal()
        #expect(wakeup.wait(until: nil))  // the earlier signal
        wakeup.stop()
        #expect(!wakeup.wait(until: nil))
        #expect(wakeup.isStopped)
    }
}
