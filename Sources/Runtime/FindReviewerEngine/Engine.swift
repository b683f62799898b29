import Dispatch
import FindReviewerDomain
import Foundation
import Locking
import Transport

/// The engine: the one owner of the domain state (behind one lock), of the journal it is
/// written to (an ``EventLog``: ``Storage`` in the server) and of time (the service clock and
/// the due transitions). Every write takes one path: run the command, build its records, apply
/// its events, append, answer once durable. The server's own writers (the timer, delivery
/// bookkeeping, tools) call ``perform(_:at:stopAtRefusal:answer:completion:)``; callers' writes
/// come through ``write(_:answer:refused:)``, which runs those one event loop read in one
/// iteration as a batch, each the same way.
///
/// Reads run on the thread that asks (an event loop) under the lock. Writes run the command,
/// build its journal records, apply its events and hand the records to the log in the same
/// critical section (so the log's order is the apply order); callers are answered once the log
/// reports them durable.
public final class Engine: @unchecked Sendable {
    let state: SharedLocked<DomainState>
    /// The service's clock (real or test).
    public let clock: ServiceClock
    let eventLog: EventLog
    /// The operator's log.
    public let logger: Logger
    /// Called after events were applied (the delivery worker listens to wake up).
    public var onEventsApplied: (@Sendable ([DomainEvent]) -> Void)?
    /// Called after events were applied, with the state's next due time right after them
    /// (read under the same lock; the timer wakes only when it comes earlier than its own).
    public var onNextDueTime: (@Sendable (Int64?) -> Void)?
    /// Called under the state lock for each due transition applied, with its lag (service
    /// seconds from its due time to now); calls never overlap (metrics).
    public var onTransitionApplied: (@Sendable (DueTransition, Int64) -> Void)?

    /// An engine over `state` (e.g. recovered from disk).
    public init(state: DomainState = DomainState(), clock: ServiceClock, eventLog: EventLog = VolatileEventLog(), logger: Logger) {
        self.state = SharedLocked(state)
        self.clock = clock
        self.eventLog = eventLog
        self.logger = logger
    }

    /// Runs a query under the read lock, beside other queries (every event loop reads at once;
    /// reads take microseconds and never mutate: only the write path does, under the write lock).
    /// `query` must not call back into the engine.
    public func withState<T>(_ query: (DomainState) throws -> T) rethrows -> T {
        try self.state.withReadLock(query)
    }

    /// A copy of the state (cheap: a value type), e.g. for a snapshot.
    public func snapshot() -> DomainState { self.state.withReadLock { copy $0 } }

    // MARK: the write path

    /// What one command of a batch did: its events (empty when it changed nothing), or why it was refused.
    public typealias Step = Result<[DomainEvent], any Error>

    /// The one write path: RPC handlers, the timer, delivery bookkeeping and tools all come here.
    ///
    /// Under the state lock, for each command in order: execute it (a refusal changes nothing),
    /// build its journal records (a failure changes nothing), apply its events. Then, still
    /// under the lock, `answer` builds the outcome from the state after the events (it cannot
    /// fail: everything that can fail ran before the first apply), and the records of every
    /// applied command go to the log as one append, in apply order. `completion` runs once
    /// they are durable, at once when nothing changed, or with the log's failure (the log then
    /// rebuilds the state from disk: nothing stays applied that is not journalled).
    ///
    /// With `stopAtRefusal` (one command from a caller) a refusal is the outcome; otherwise
    /// (the server's own batches) a refused command is skipped and the rest still run.
    ///
    /// Returns at once what was applied (the answer, not yet durable) or the refusal; the
    /// server's own callers use that, callers' writes wait for `completion`.
    @discardableResult
    public func perform<Answer: Sendable>(
        _ commands: [DomainCommand], at now: Int64? = nil, stopAtRefusal: Bool,
        answer: (DomainState, [Step]) -> Answer,
        completion: @escaping @Sendable (Result<Answer, any Error>) -> Void = { _ in }
    ) -> Result<Answer, any Error> {
        self.perform({ _ in commands }, at: now, stopAtRefusal: stopAtRefusal, answer: answer, completion: completion)
    }

    /// ``perform(_:at:stopAtRefusal:answer:completion:)`` with the commands chosen from the
    /// state under the same lock (the timer's due transitions).
    @discardableResult
    public func perform<Answer: Sendable>(
        _ chooseCommands: (inout DomainState) -> [DomainCommand], at now: Int64? = nil, stopAtRefusal: Bool,
        answer: (DomainState, [Step]) -> Answer,
        completion: @escaping @Sendable (Result<Answer, any Error>) -> Void = { _ in }
    ) -> Result<Answer, any Error> {
        if let refusal = self.eventLog.admitsWrites() {
            completion(.failure(refusal))
            return .failure(refusal)
        }
        let now = now ?? self.clock.now()
        let dueHook = self.onNextDueTime
        var nextDue: Int64?
        let outcome: Result<(Answer, [DomainEvent]), any Error> = self.state.withLock { state in
            var steps: [Step] = []
            var applied: [DomainEvent] = []
            var records: [[UInt8]] = []
            for command in chooseCommands(&state) {
                let events: [DomainEvent]
                let built: [[UInt8]]
                do {
                    (events, built) = try self.prepare(command, on: state, at: now)
                } catch {
                    if stopAtRefusal { return .failure(error) }
                    steps.append(.failure(error))
                    continue
                }
                state.apply(events)
                steps.append(.success(events))
                applied += events
                records += built
            }
            let result = answer(state, steps)
            if !applied.isEmpty {
                if dueHook != nil { nextDue = state.nextDueTime() }
                self.eventLog.append(records) { durable in
                    switch durable {
                    case .success: completion(.success(result))
                    case .failure(let error): completion(.failure(error))
                    }
                }
            }
            return .success((result, applied))
        }
        switch outcome {
        case .failure(let error):
            completion(.failure(error))
            return .failure(error)
        case .success(let (result, applied)):
            if applied.isEmpty {
                completion(.success(result))
            } else {
                self.onEventsApplied?(applied)
                dueHook?(nextDue)
            }
            return .success(result)
        }
    }

    /// Runs `command` and builds the journal records of its events, applying nothing: a
    /// refusal, or records that cannot be built, leave the state as it was.
    private func prepare(_ command: DomainCommand, on state: DomainState, at now: Int64) throws -> ([DomainEvent], [[UInt8]]) {
        let events = try state.execute(command, now: now)
        return (events, events.isEmpty ? [] : try self.eventLog.records(for: events))
    }

    // MARK: callers' writes, one batch per event-loop iteration

    /// A caller's write waiting for the end of its event loop's iteration. Its closures run on
    /// that loop's thread only (under the state lock), which is why it may cross the lock of
    /// ``pendingWrites``.
    struct LoopWrite: @unchecked Sendable {
        let command: (DomainState) -> DomainCommand
        let answer: (DomainState, [DomainEvent]) -> @Sendable (Result<Void, any Error>) -> Void
        let refused: @Sendable (any Error) -> Void
    }

    /// Each event loop's writes of its current iteration, by the loop.
    private let pendingWrites = Locked<[ObjectIdentifier: [LoopWrite]]>([:])

    /// A caller's write. On an event loop it waits for the end of the iteration: then every
    /// write the loop read in that iteration runs in one batch, under one acquisition of the
    /// state lock and with one append to the log, before the journal's commit (which the loop
    /// also runs before it sleeps). Each runs as ``perform(_:at:stopAtRefusal:answer:completion:)``
    /// would run it alone: `command` is chosen from the state just before it runs, its refusal
    /// goes to `refused` and changes nothing, and `answer` builds its outcome from the state
    /// right after its own events are applied (not after the batch's later writes). `answer`
    /// returns what to do once those events are durable (at once when there were none), or
    /// with the log's failure. Anywhere else the write runs at once, as a batch of one.
    public func write(
        _ command: @escaping (DomainState) -> DomainCommand,
        answer: @escaping (DomainState, [DomainEvent]) -> @Sendable (Result<Void, any Error>) -> Void,
        refused: @escaping @Sendable (any Error) -> Void
    ) {
        let write = LoopWrite(command: command, answer: answer, refused: refused)
        guard let loop = EventLoop.current else { return self.perform(batch: [write]) }
        let key = ObjectIdentifier(loop)
        self.pendingWrites.withLock { $0[key, default: []].append(write) }
        // Held until the task runs, once, before the loop sleeps (or as it stops).
        loop.beforeSleep(token: ObjectIdentifier(self)) {
            self.perform(batch: self.pendingWrites.withLock { $0.removeValue(forKey: key) ?? [] })
        }
    }

    /// Runs callers' writes in order under one acquisition of the lock (see ``write(_:answer:refused:)``).
    private func perform(batch: [LoopWrite]) {
        guard !batch.isEmpty else { return }
        if let refusal = self.eventLog.admitsWrites() {
            for write in batch { write.refused(refusal) }
            return
        }
        let now = self.clock.now()
        var atOnce: [@Sendable () -> Void] = []
        var applied: [DomainEvent] = []
        let dueHook = self.onNextDueTime
        var nextDue: Int64?
        self.state.withLock { state in
            var records: [[UInt8]] = []
            var whenDurable: [@Sendable (Result<Void, any Error>) -> Void] = []
            for write in batch {
                let events: [DomainEvent]
                let built: [[UInt8]]
                do {
                    (events, built) = try self.prepare(write.command(state), on: state, at: now)
                } catch {
                    let refused = write.refused
                    atOnce.append { refused(error) }
                    continue
                }
                state.apply(events)
                let finish = write.answer(state, events)
                if events.isEmpty {
                    atOnce.append { finish(.success(())) }
                } else {
                    whenDurable.append(finish)
                    applied += events
                    records += built
                }
            }
            if !records.isEmpty {
                if dueHook != nil { nextDue = state.nextDueTime() }
                self.eventLog.append(records) { [whenDurable] durable in
                    for finish in whenDurable { finish(durable) }
                }
            }
        }
        for task in atOnce { task() }
        if !applied.isEmpty {
            self.onEventsApplied?(applied)
            dueHook?(nextDue)
        }
    }

    /// Runs a command of the server's own (delivery bookkeeping, tools) on the one write path;
    /// returns its events once applied (the journal makes them durable meanwhile).
    @discardableResult
    public func executeInternal(_ command: DomainCommand) -> Result<[DomainEvent], any Error> {
        self.perform([command], stopAtRefusal: true) { _, steps in (try? steps.first?.get()) ?? [] }
    }

    /// Runs `command` on the one write path and calls `completion` once its events are durable
    /// (at once when it changed nothing), or with the refusal or the store's failure.
    public func submit(_ command: DomainCommand, completion: @escaping @Sendable (Result<[DomainEvent], any Error>) -> Void) {
        self.perform([command], stopAtRefusal: true, answer: { _, steps in (try? steps.first?.get()) ?? [] }, completion: completion)
    }

    /// Runs several commands of the server's own as one batch on the one write path (delivery
    /// marks a whole batch this way): refused commands are skipped; returns the events applied.
    @discardableResult
    public func executeInternal(_ commands: [DomainCommand]) -> [DomainEvent] {
        let result = self.perform(commands, stopAtRefusal: false) { _, steps in steps.flatMap { (try? $0.get()) ?? [] } }
        return (try? result.get()) ?? []
    }

    /// Undelivered outbox entries with what their emails need, oldest first, at most `limit`
    /// (the lock is held while they are collected).
    public func undeliveredNotifications(limit: Int = 256) -> [NotificationContext] {
        self.state.withReadLock { $0.undeliveredNotifications(limit: limit) }
    }

    // MARK: time

    /// Applies every transition due at the service's time; returns how many were applied.
    @discardableResult
    public func applyDueTransitions() -> Int {
        let now = self.clock.now()
        var due: [DueTransition] = []
        let result = self.perform({ state in
            due = state.dueTransitions(at: now)
            return due.map(\.command)
        }, at: now, stopAtRefusal: false) { _, steps in
            // Under the lock, one step per due transition.
            for (transition, step) in zip(due, steps) where !((try? step.get()) ?? []).isEmpty {
                self.onTransitionApplied?(transition, now - transition.dueAt)
            }
            return steps.flatMap { (try? $0.get()) ?? [] }
        }
        let applied = (try? result.get()) ?? []
        if !applied.isEmpty {
            self.logger.log(.info, "due transitions applied", ["count": String(applied.count), "at": String(now)])
        }
        return applied.count
    }

    /// When the next transition falls due (service time), if any.
    /// (The write lock: finding it drops the queue's stale entries.)
    public func nextDueTime() -> Int64? { self.state.withLock { $0.nextDueTime() } }
}

