import Dispatch
import Glibc
import FindReviewerDomain
@testable import FindReviewerEngine
import Locking
import Testing
import Transport

/// Counts the appends it gets and holds their completions until the test releases them.
final class HeldEventLog: EventLog, @unchecked Sendable {
    private let held = Locked<[(records: Int, completion: @Sendable (Result<Void, any Error>) -> Void)]>([])
    var appends: [Int] { self.held.withLock { $0.map(\.records) } }

    func records(for events: [DomainEvent]) throws -> [[UInt8]] { events.map { _ in [1] } }
    func append(_ records: [[UInt8]], completion: @escaping @Sendable (Result<Void, any Error>) -> Void) {
        self.held.withLock { $0.append((records.count, completion)) }
    }
    /// Completes every held append with `result`.
    func release(_ result: Result<Void, any Error>) {
        for append in self.held.withLock({ $0 }) { append.completion(result) }
    }
}

@Suite("Callers' writes: one batch per event-loop iteration, each answered as if alone")
struct LoopWriteBatchTests {
    static func business(_ id: String) -> DomainCommand {
        .upsertBusiness(Business(id: id, displayName: "Shop \(id)", notificationEmail: "fr@\(id).example"))
    }

    /// Queues `commands` on an event loop in one iteration; returns each one's outcome (the
    /// business count its answer saw, or the refusal) as the engine reports it.
    static func run(_ commands: [DomainCommand], log: HeldEventLog, engine: Engine, release: Result<Void, any Error>) throws -> [String] {
        let loop = try EventLoop(name: "batch-test")
        loop.start()
        defer { loop.stop() }
        let outcomes = Locked<[Int: String]>([:])
        let done = DispatchSemaphore(value: 0)
        let queued = DispatchSemaphore(value: 0)
        loop.execute {
            for (index, command) in commands.enumerated() {
                engine.write({ _ in command }, answer: { state, events in
                    let seen = "\(state.businesses.count) businesses, \(events.count) events"
                    return { durable in
                        outcomes.withLock { $0[index] = (try? durable.get()) != nil ? seen : "failed: \(seen)" }
                        done.signal()
                    }
                }, refused: { error in
                    outcomes.withLock { $0[index] = "refused" }
                    done.signal()
                })
            }
            queued.signal()
        }
        queued.wait()
        // Nothing is answered before the log makes the batch durable, except refusals and no-ops.
        while log.appends.isEmpty { usleep(1_000) }
        log.release(release)
        for _ in commands { done.wait() }
        return (0..<commands.count).map { outcomes.withLock { $0 }[$0] ?? "none" }
    }

    @Test("writes of one iteration share one lock and one append; each answer sees the state right after its own command")
    func oneBatch() throws {
        let log = HeldEventLog()
        let engine = Engine(clock: .test(start: 1_800_000_000), eventLog: log, logger: Logger(level: .error, format: .text, sink: { _ in }))
        let outcomes = try Self.run([Self.business("a"), Self.business(""), Self.business("b"), Self.business("c")], log: log, engine: engine, release: .success(()))
        #expect(outcomes == ["1 businesses, 1 events", "refused", "2 businesses, 1 events", "3 businesses, 1 events"])
        #expect(log.appends == [3])
        #expect(engine.withState { $0.businesses.count } == 3)
    }

    @Test("a failed append fails every write of the batch; a refusal is still only a refusal")
    func failedAppend() throws {
        struct DiskGone: Error {}
        let log = HeldEventLog()
        let engine = Engine(clock: .test(start: 1_800_000_000), eventLog: log, logger: Logger(level: .error, format: .text, sink: { _ in }))
        let outcomes = try Self.run([Self.business("a"), Self.business(""), Self.business("b")], log: log, engine: engine, release: .failure(DiskGone()))
        #expect(outcomes == ["failed: 1 businesses, 1 events", "refused", "failed: 2 businesses, 1 events"])
        #expect(log.appends == [2])
    }

    @Test("off an event loop a write runs at once, as a batch of one")
    func offTheLoop() throws {
        let engine = Engine(clock: .test(start: 1_800_000_000), logger: Logger(level: .error, format: .text, sink: { _ in }))
        let answered = Locked<[String]>([])
        engine.write({ _ in Self.business("a") }, answer: { state, events in
            let seen = "\(state.businesses.count) \(events.count)"
            return { _ in answered.withLock { $0.append(seen) } }
        }, refused: { _ in answered.withLock { $0.append("refused") } })
        engine.write({ _ in Self.business("") }, answer: { _, _ in { _ in } }, refused: { _ in answered.withLock { $0.append("refused") } })
        #expect(answered.withLock { $0 } == ["1 1", "refused"])
    }
}
