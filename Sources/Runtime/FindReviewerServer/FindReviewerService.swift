import Credentials
import Dispatch
import FindReviewerDomain
import FindReviewerEngine
import Foundation
import Messages
import RPC
import Synchronization

/// The Find Reviewer service served over the RPC runtime: wiring only. The state, the one
/// write path, the journal and time belong to the ``Engine`` (Sources/Runtime/FindReviewerEngine);
/// handlers (FindReviewerService+Methods.swift) decode the request, build a command or a
/// query, and map the outcome to a response.
public final class FindReviewerService: @unchecked Sendable {
    /// The engine: state, write path, journal, time.
    public let engine: Engine
    let authorizer: Authorizer
    /// What the handlers of TriggerSnapshot, EraseReviewer and GetStats need from the server
    /// around them; set by ``install(on:outboxDirectory:snapshot:)`` and ``setStats(_:)``.
    struct Wiring: Sendable {
        var outboxDirectory: String?
        var snapshot: (@Sendable () throws(RPCError) -> TriggerSnapshotResponse)?
        var stats: (@Sendable () -> GetStatsResponse)?
    }
    let wiring = Mutex(Wiring())

    /// Where GetStats reads its figures (without it, GetStats is UNIMPLEMENTED).
    public func setStats(_ stats: @escaping @Sendable () -> GetStatsResponse) { self.wiring.withLock { $0.stats = stats } }
    /// The slots this process owns (every slot unless started with `--shard`).
    public let ownership: ShardOwnership

    /// A service over `engine`, with the keys of `keys`.
    public init(engine: Engine, keys: KeysFile, ownership: ShardOwnership = ShardOwnership()) {
        self.engine = engine
        self.authorizer = Authorizer(keys)
        self.ownership = ownership
    }

    /// A service over a new engine over `state` (e.g. recovered from disk).
    public convenience init(
        state: DomainState = DomainState(), clock: ServiceClock, keys: KeysFile, eventLog: EventLog = VolatileEventLog(),
        logger: Logger, ownership: ShardOwnership = ShardOwnership()
    ) {
        self.init(engine: Engine(state: state, clock: clock, eventLog: eventLog, logger: logger), keys: keys, ownership: ownership)
    }

    /// The service's clock (real or test).
    public var clock: ServiceClock { self.engine.clock }
    var logger: Logger { self.engine.logger }

    /// Queries under the engine's lock, as `state.withLock { … }` reads (no mutation: writes go
    /// through ``write(_:responder:_:)``).
    struct StateQueries {
        let engine: Engine
        func withLock<T>(_ query: (DomainState) throws -> T) rethrows -> T { try self.engine.withState(query) }
    }
    var state: StateQueries { StateQueries(engine: self.engine) }

    /// A copy of the state (cheap: a value type).
    public func snapshot() -> DomainState { self.engine.snapshot() }

    /// Called after events were applied.
    public var onEventsApplied: (@Sendable ([DomainEvent]) -> Void)? {
        get { self.engine.onEventsApplied }
        set { self.engine.onEventsApplied = newValue }
    }

    /// See ``Engine/executeInternal(_:)-(DomainCommand)``.
    @discardableResult
    public func executeInternal(_ command: DomainCommand) -> Result<[DomainEvent], any Error> { self.engine.executeInternal(command) }

    /// See ``Engine/executeInternal(_:)-([DomainCommand])``.
    @discardableResult
    public func executeInternal(_ commands: [DomainCommand]) -> [DomainEvent] { self.engine.executeInternal(commands) }

    /// See ``Engine/submit(_:completion:)``.
    public func submit(_ command: DomainCommand, completion: @escaping @Sendable (Result<[DomainEvent], any Error>) -> Void) {
        self.engine.submit(command, completion: completion)
    }

    /// See ``Engine/undeliveredNotifications(limit:)``.
    public func undeliveredNotifications(limit: Int = 256) -> [NotificationContext] { self.engine.undeliveredNotifications(limit: limit) }

    /// See ``Engine/applyDueTransitions()``.
    @discardableResult
    public func applyDueTransitions() -> Int { self.engine.applyDueTransitions() }

    /// See ``Engine/nextDueTime()``.
    public func nextDueTime() -> Int64? { self.engine.nextDueTime() }

    // MARK: handlers' helpers

    /// A caller's write on the engine's one write path, answered on `responder` once durable.
    /// `respond` builds the answer from the state after the events; it cannot throw (what can
    /// fail runs before anything is applied).
    func write<Response: ProtoMessage>(
        _ command: DomainCommand, responder: Responder,
        _ respond: @escaping (DomainState, [DomainEvent]) -> Response
    ) {
        self.write(command, responder: responder, before: { _ in () }) { state, events, _ in respond(state, events) }
    }

    /// ``write(_:responder:_:)`` with `before` read from the state under the same lock, just
    /// before the command runs (e.g. whether an upsert creates), and handed to `respond`. The
    /// engine batches the writes of one event-loop iteration (``Engine/write(_:answer:refused:)``);
    /// each answer is built right after its own command.
    func write<Response: ProtoMessage, Before>(
        _ command: DomainCommand, responder: Responder, before: @escaping (DomainState) -> Before,
        _ respond: @escaping (DomainState, [DomainEvent], Before) -> Response
    ) {
        var seen: Before?
        self.engine.write({ state in
            seen = before(state)
            return command
        }, answer: { state, events in
            let response = respond(state, events, seen!)
            return { durable in
                switch durable {
                case .success: responder.respond(response)
                case .failure(let error): responder.fail(RPCError(converting: error))
                }
            }
        }, refused: { error in responder.fail(RPCError(converting: error)) })
    }

    /// Runs a query under the lock and answers at once.
    func read<Response: ProtoMessage>(responder: Responder, _ query: (DomainState) throws -> Response) {
        let outcome: Result<Response, RPCError> = self.engine.withState { state in
            do {
                return .success(try query(state))
            } catch {
                return .failure(RPCError(converting: error))
            }
        }
        switch outcome {
        case .success(let response): responder.respond(response)
        case .failure(let error): responder.fail(error)
        }
    }
}
