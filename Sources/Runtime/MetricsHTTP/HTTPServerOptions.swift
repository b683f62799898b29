import Dispatch

/// Limits and identity of an ``HTTPServer``: its own, separate from the RPC port's.
public struct HTTPServerOptions: Sendable {
    /// Where to listen, `HOST:PORT` (port 0 picks one).
    public var address = "127.0.0.1:7451"
    /// Bounds on a request head (414, 431).
    public var limits = HTTPLimits()
    /// Open connections at most; one more is answered 503 and closed at once. Scrapers and
    /// probes use one or two each.
    public var maxConnections = 32
    /// The whole request head must arrive within this many seconds of the connection being
    /// accepted, else 408 and close (a slow or silent sender holds a slot this long at most).
    public var requestTimeoutSeconds = 10.0
    /// The response must be taken by the client within this many seconds, else the
    /// connection is closed.
    public var writeTimeoutSeconds = 30.0
    /// After the response, unread input is read and dropped for up to this many seconds (or
    /// ``maxLingerBytes``) before closing, so that closing with unread input does not reset the
    /// connection and destroy the response before the client reads it.
    public var lingerSeconds = 2.0
    /// Bytes dropped while lingering at most.
    public var maxLingerBytes = 1 << 20
    /// How often timeouts are checked, milliseconds.
    public var tickMilliseconds: Int32 = 100
    /// Monotonic nanoseconds; tests drive a manual clock.
    public var clock: @Sendable () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }
    /// The name of the server's thread.
    public var threadName = "metrics-http"

    /// The defaults.
    public init() {}
}
