import FindReviewerDomain
import RPC

/// Where applied events go to become durable. The service appends under its state lock, so
/// the log sees events in the order they were applied; `completion` runs (on any thread) once
/// they are on disk, and only then is the call answered.
public protocol EventLog: Sendable {
    /// Makes `events` durable, then calls `completion`; a failure is UNAVAILABLE for the caller.
    func append(_ events: [DomainEvent], completion: @escaping @Sendable (Result<Void, RPCError>) -> Void)
    /// An error while writes cannot be stored at all (e.g. the disk is full); nil to go ahead.
    func admitsWrites() -> RPCError?
}

extension EventLog {
    /// Always admits.
    public func admitsWrites() -> RPCError? { nil }
}

/// Keeps nothing: for tests of the rules that need no disk. Completes at once.
public struct VolatileEventLog: EventLog {
    /// Creates the log.
    public init() {}

    /// Completes at once.
    public func append(_ events: [DomainEvent], completion: @escaping @Sendable (Result<Void, RPCError>) -> Void) {
        completion(.success(()))
    }
}
