import Synchronization

/// Where the service is in its life, set by the server and read by `/readyz`: ready only
/// while serving. Any thread may set or read it (one atomic).
public final class ServiceReadiness: Sendable {
    /// A phase of the service's life.
    public enum State: UInt8, Sendable, CaseIterable, CustomStringConvertible {
        /// Process up, configuration being read, ports being opened.
        case starting
        /// Replaying the snapshot and journal.
        case recovering
        /// Answering calls: the only ready state.
        case serving
        /// Shutting down: finishing calls in flight, refusing new ones.
        case draining

        /// `serving`, as `/readyz` says it.
        public var description: String {
            switch self {
            case .starting: "starting"
            case .recovering: "recovering"
            case .serving: "serving"
            case .draining: "draining"
            }
        }
    }

    private let raw: Atomic<UInt8>

    /// Readiness starting in `state`.
    public init(_ state: State = .starting) {
        self.raw = Atomic(state.rawValue)
    }

    /// The state now.
    public var state: State { State(rawValue: self.raw.load(ordering: .relaxed)) ?? .starting }

    /// Moves to `state`.
    public func set(_ state: State) { self.raw.store(state.rawValue, ordering: .relaxed) }

    /// Whether `/readyz` answers 200.
    public var isReady: Bool { self.state == .serving }
}
