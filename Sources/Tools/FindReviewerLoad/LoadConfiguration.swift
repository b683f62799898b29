import Foundation
import ToolSupport

/// What to run: where, which mix, over how many connections and threads, for how long, at which rate.
public struct LoadConfiguration: Sendable {
    /// Server, key, deadline, data directory (for the outbox).
    public var settings: ConnectionSettings
    /// The operations and their weights.
    public var mix: LoadMix
    /// TCP connections.
    public var connections: Int = 10
    /// Calls in flight on each connection (pipelined).
    public var concurrency: Int = 1
    /// Event-loop threads; nil is one per core, at most the connections.
    public var threads: Int?
    /// Businesses seeded; nil is one per connection, at most 64 (at least one per thread).
    public var businesses: Int?
    /// Run for this long (seconds) after the warm-up, unless ``requests`` is set.
    public var duration: Double = 10
    /// Stop after this many counted calls instead of after ``duration``.
    public var requests: Int?
    /// Open loop: start calls at this fixed rate (per second, all threads together); nil is closed loop.
    public var rate: Double?
    /// Seconds run before the measured window; their calls count nowhere.
    public var warmup: Double = 0
    /// Reviews each business publishes before the run.
    public var seedReviews: Int = 20
    /// Requests each business leaves pending before the run.
    public var seedPending: Int = 5
    /// Requests each business lets expire before the run, for SendManualReminder; nil: 5 when
    /// the mix reminds and the server has a test clock, else 0.
    public var seedExpired: Int?
    /// Read back every acknowledged write at the end.
    public var verify = false
    /// The server's process id, for its CPU time; nil: found from the listening port when local.
    public var serverPid: Int32?
    /// Give up a connection the server does not accept again for this long (seconds).
    public var reconnectWindow: Double = 30
    /// Print a progress line each second on standard error.
    public var progress = true
    /// Ends the measured run early when raised (Ctrl-C).
    public var stop: StopFlag?

    /// Creates a configuration.
    public init(settings: ConnectionSettings, mix: LoadMix) {
        self.settings = settings
        self.mix = mix
    }

    /// The threads the run uses.
    public var threadCount: Int { min(self.connections, self.threads ?? max(1, ProcessInfo.processInfo.activeProcessorCount)) }

    /// The businesses the run seeds.
    public var businessCount: Int { max(self.threadCount, self.businesses ?? min(self.connections, 64)) }
}
