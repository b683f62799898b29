import Dispatch
import FindReviewerDomain
import Foundation
import Messages
import RPC
import Synchronization

/// The Find Reviewer service: the domain behind one lock, served over the RPC runtime.
///
/// Reads run on the event-loop thread that received the call. Writes run the command and apply
/// its events under the lock, hand the events to the ``EventLog`` in the same critical section
/// (so the log's order is the apply order), and answer once the log reports them durable.
public final class FindReviewerService: @unchecked Sendable {
    let state: Mutex<DomainState>
    /// The service's clock (real or test).
    public let clock: ServiceClock
    let authorizer: Authorizer
    let eventLog: EventLog
    let logger: Logger
    private let timerWake = NSCondition()
    private var timerRunning = false
    /// Called after events were applied (the delivery worker listens to wake up).
    public var onEventsApplied: (@Sendable ([DomainEvent]) -> Void)?
    /// Called under the state lock for each due transition applied, with its lag (service
    /// seconds from its due time to now); calls never overlap (metrics).
    public var onTransitionApplied: (@Sendable (DueTransition, Int64) -> Void)?

    /// A service over `state` (e.g. recovered from disk).
    public init(
        state: DomainState = DomainState(), clock: ServiceClock, keys: KeysFile, eventLog: EventLog = VolatileEventLog(),
        logger: Logger
    ) {
        self.state = Mutex(state)
        self.clock = clock
        self.authorizer = Authorizer(keys)
        self.eventLog = eventLog
        self.logger = logger
    }

    /// A copy of the state (cheap: a value type), e.g. for a snapshot.
    public func snapshot() -> DomainState { self.state.withLock { $0 } }

    // MARK: the write path

    /// Executes `command` at the service's time, applies its events and hands them to the log;
    /// `respond` builds the answer from the state after the events, under the same lock. The
    /// call is answered when the log reports the events durable (at once when nothing changed).
    func write<Response: ProtoMessage>(
        _ command: DomainCommand, responder: Responder,
        _ respond: (DomainState, [DomainEvent]) throws -> Response
    ) {
        if let refusal = self.eventLog.admitsWrites() {
            responder.fail(refusal)
            return
        }
        let outcome: Result<(Response, [DomainEvent]), RPCError> = self.state.withLock { state in
            do {
                let events = try state.execute(command, now: self.clock.now())
                state.apply(events)
                let response = try respond(state, events)
                if !events.isEmpty {
                    self.eventLog.append(events) { result in
                        switch result {
                        case .success: responder.respond(response)
                        case .failure(let error): responder.fail(error)
                        }
                    }
                }
                return .success((response, events))
            } catch {
                return .failure(ErrorMapping.rpcError(error))
            }
        }
        switch outcome {
        case .failure(let error):
            responder.fail(error)
        case .success(let (response, events)):
            if events.isEmpty {
                responder.respond(response)
            } else {
                self.onEventsApplied?(events)
            }
        }
    }

    /// Runs a query under the lock and answers at once.
    func read<Response: ProtoMessage>(responder: Responder, _ query: (DomainState) throws -> Response) {
        let outcome: Result<Response, RPCError> = self.state.withLock { state in
            do {
                return .success(try query(state))
            } catch {
                return .failure(ErrorMapping.rpcError(error))
            }
        }
        switch outcome {
        case .success(let response): responder.respond(response)
        case .failure(let error): responder.fail(error)
        }
    }

    /// Runs a command of the server's own (delivery bookkeeping); its events are logged like any write.
    @discardableResult
    public func executeInternal(_ command: DomainCommand) -> Result<[DomainEvent], DomainError> {
        let result: Result<[DomainEvent], DomainError> = self.state.withLock { state in
            do throws(DomainError) {
                let events = try state.execute(command, now: self.clock.now())
                state.apply(events)
                if !events.isEmpty { self.eventLog.append(events) { _ in } }
                return .success(events)
            } catch {
                return .failure(error)
            }
        }
        return result
    }

    /// Runs several commands of the server's own under one lock acquisition and logs their
    /// events as one append (delivery marks a whole batch this way). Commands the state refuses
    /// are skipped; returns the events applied.
    @discardableResult
    public func executeInternal(_ commands: [DomainCommand]) -> [DomainEvent] {
        self.state.withLock { state in
            var applied: [DomainEvent] = []
            for command in commands {
                guard let events = try? state.execute(command, now: self.clock.now()) else { continue }
                state.apply(events)
                applied += events
            }
            if !applied.isEmpty { self.eventLog.append(applied) { _ in } }
            return applied
        }
    }

    /// Undelivered outbox entries with what their emails need, oldest first, at most `limit`
    /// (the lock is held while they are collected).
    public func undeliveredNotifications(limit: Int = 256) -> [NotificationContext] {
        self.state.withLock { $0.undeliveredNotifications(limit: limit) }
    }

    // MARK: time

    /// Applies every transition due at the service's time; returns how many were applied.
    @discardableResult
    public func applyDueTransitions() -> Int {
        let now = self.clock.now()
        let applied: [DomainEvent] = self.state.withLock { state in
            var applied: [DomainEvent] = []
            for due in state.dueTransitions(at: now) {
                guard let events = try? state.execute(due.command, now: now), !events.isEmpty else { continue }
                state.apply(events)
                self.eventLog.append(events) { _ in }
                self.onTransitionApplied?(due, now - due.dueAt)
                applied += events
            }
            return applied
        }
        if !applied.isEmpty {
            self.onEventsApplied?(applied)
            self.logger.log(.info, "due transitions applied", ["count": String(applied.count), "at": String(now)])
        }
        return applied.count
    }

    /// Starts the timer thread: it applies due transitions at their time (within a second).
    public func startTimer() {
        self.timerWake.lock()
        self.timerRunning = true
        self.timerWake.unlock()
        let thread = Thread { [self] in
            while true {
                self.applyDueTransitions()
                let next = self.state.withLock { $0.nextDueTime() }
                self.timerWake.lock()
                guard self.timerRunning else {
                    self.timerWake.unlock()
                    return
                }
                // Sleep until the next due time, at most a second (the test clock can jump).
                let seconds = next.map { Double(max(0, $0 - self.clock.now())) } ?? 1
                _ = self.timerWake.wait(until: Date(timeIntervalSinceNow: min(1, max(0.01, seconds))))
                self.timerWake.unlock()
            }
        }
        thread.name = "findreviewer-timer"
        thread.start()
    }

    /// Stops the timer thread.
    public func stopTimer() {
        self.timerWake.lock()
        self.timerRunning = false
        self.timerWake.broadcast()
        self.timerWake.unlock()
    }
}

