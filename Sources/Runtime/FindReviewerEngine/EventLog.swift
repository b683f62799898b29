import FindReviewerDomain

/// Where applied events go to become durable. The service's one write path
/// (``Engine/perform(_:at:stopAtRefusal:answer:completion:)``) builds the records
/// of a command's events before it applies them (``records(for:)`` may fail: then nothing is
/// applied), and appends them under its state lock, so the log sees records in apply order;
/// `completion` runs (on any thread) once they are on disk, and only then is the call answered.
public protocol EventLog: Sendable {
    /// The journal records of `events`, built before they are applied; a failure leaves the
    /// state unchanged and is the caller's answer (its error says its status).
    func records(for events: [DomainEvent]) throws -> [[UInt8]]
    /// Makes `records` durable, then calls `completion`; a failure says its status (UNAVAILABLE)
    /// and the log has rebuilt the state from what is durable before `completion` runs.
    func append(_ records: [[UInt8]], completion: @escaping @Sendable (Result<Void, any Error>) -> Void)
    /// An error while writes cannot be stored at all (e.g. the disk is full); nil to go ahead.
    func admitsWrites() -> (any Error)?
}

extension EventLog {
    /// Always admits.
    public func admitsWrites() -> (any Error)? { nil }
}

/// Keeps nothing: for tests of the rules that need no disk. Completes at once.
public struct VolatileEventLog: EventLog {
    /// Creates the log.
    public init() {}

    /// One empty record per event.
    public func records(for events: [DomainEvent]) throws -> [[UInt8]] { events.map { _ in [] } }

    /// Completes at once.
    public func append(_ records: [[UInt8]], completion: @escaping @Sendable (Result<Void, any Error>) -> Void) {
        completion(.success(()))
    }
}
