/// Limits and identity of an ``RPCServer`` (defaults as in PROTOCOL.md "Limits").
public struct ServerOptions: Sendable {
    /// The default address of a FindReviewer server, the one place it is written: where the
    /// server listens and the tools call unless told otherwise.
    public static let defaultAddress = "127.0.0.1:7450"

    /// Where to listen.
    public var address: String = ServerOptions.defaultAddress
    /// Header and payload size limits.
    public var frameLimits: FrameLimits = .default
    /// Open connections at most; more are refused with RESOURCE_EXHAUSTED.
    public var maxConnections = 1_024
    /// Calls in flight per connection; more get RESOURCE_EXHAUSTED.
    public var maxCallsPerConnection = 256
    /// A connection silent this long (seconds, nothing in flight) gets GOAWAY and is closed.
    public var idleTimeoutSeconds = 300
    /// A frame (or the preface) must arrive completely within this many seconds of its first byte.
    public var frameTimeoutSeconds = 10
    /// On shutdown, calls in flight get this long (seconds) to finish.
    public var drainTimeoutSeconds = 10
    /// Event-loop threads; 0 means one per core.
    public var eventLoops = 0
    /// Output queued per connection before the server stops reading from it (backpressure).
    public var maxQueuedOutputBytes = 4 << 20
    /// Reported by ServerInfoService.
    public var serverName = "findreviewer-server"
    /// Reported by ServerInfoService.
    public var serverVersion = Release.version
    /// Reported by ServerInfoService.
    public var testClock = false

    /// The defaults.
    public init() {}
}
