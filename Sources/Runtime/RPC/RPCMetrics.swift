import Dispatch
import Metrics

/// Why a connection's byte stream was refused with CONNECTION_ERROR: the `reason` label of
/// `findreviewer_rpc_frames_refused_total`.
public enum FrameRefusal: Int, Sendable, CaseIterable {
    case badPreface, unsupportedVersion, unknownType, headerTooLarge, payloadTooLarge, malformed
    case frameTimeout, clientResponse, pingTooLarge, duplicateCallId

    /// The label value, `bad_preface`.
    public var label: String {
        switch self {
        case .badPreface: "bad_preface"
        case .unsupportedVersion: "unsupported_version"
        case .unknownType: "unknown_type"
        case .headerTooLarge: "header_too_large"
        case .payloadTooLarge: "payload_too_large"
        case .malformed: "malformed"
        case .frameTimeout: "frame_timeout"
        case .clientResponse: "client_response"
        case .pingTooLarge: "ping_too_large"
        case .duplicateCallId: "duplicate_call_id"
        }
    }
}

/// The RPC port's metric families and one shard per event loop.
///
/// Made by the server's wiring after every method is registered and before ``RPCServer/start()``
/// (which makes the loops' shards); set as ``RPCServer/metrics``. Every update happens on the
/// loop thread that owns the connection, into that loop's ``MetricsShard``: plain adds, no
/// lock, no allocation.
public final class RPCMetrics: Sendable {
    /// Label values of `method`: the served methods, sorted, then `unknown`.
    public let methods: [String]
    /// Label values of `code`: `OK` ... `UNAUTHENTICATED` (status numbers 0 to 16).
    public static let codes = (0...16).map { StatusCode(rawValue: Int32($0)).name }
    /// Reasons a connection is refused at accept.
    public static let connectionRefusals = ["limit", "draining"]

    let registry: MetricsRegistry
    let calls: LabelledMetrics<Counter>
    let latency: LabelledMetrics<Histogram>
    let inFlight: Gauge
    let connectionsOpen: Gauge
    let connectionsRefused: LabelledMetrics<Counter>
    let framesRefused: LabelledMetrics<Counter>
    let unknownMethod: Int

    /// Registers the families in `registry` for `methods` (full names).
    public init(registry: MetricsRegistry, methods: [String]) {
        self.registry = registry
        self.methods = methods.sorted() + ["unknown"]
        self.unknownMethod = self.methods.count - 1
        let method = LabelDimension("method", self.methods)
        let prefix = MetricNames.prefix + "rpc_"
        self.calls = registry.counters(
            prefix + "calls_total", help: "RPC calls answered, by method and status code.",
            labels: [method, LabelDimension("code", Self.codes)])
        self.latency = registry.histograms(
            prefix + "call_duration_seconds", help: "From reading a call's frame to queueing its answer, in seconds.",
            unit: .seconds, buckets: Buckets.latencySeconds, labels: [method])
        self.inFlight = registry.gauge(prefix + "calls_in_flight", help: "Calls read and not yet answered.")
        self.connectionsOpen = registry.gauge(prefix + "connections_open", help: "Open RPC connections.")
        self.connectionsRefused = registry.counters(
            prefix + "connections_refused_total", help: "RPC connections refused at accept, by reason.",
            labels: [LabelDimension("reason", Self.connectionRefusals)])
        self.framesRefused = registry.counters(
            prefix + "frames_refused_total", help: "Byte streams refused with CONNECTION_ERROR, by reason.",
            labels: [LabelDimension("reason", FrameRefusal.allCases.map(\.label))])
    }

    /// The index of `method` in ``methods`` (`unknown` for names not served).
    func index(of method: String) -> Int { self.methods.firstIndex(of: method) ?? self.unknownMethod }

    /// A loop's recorder (its own shard).
    func recorder(for loopName: String) -> RPCMetricsRecorder {
        RPCMetricsRecorder(metrics: self, shard: self.registry.makeShard(name: loopName))
    }
}

/// One event loop's updates (loop thread only).
struct RPCMetricsRecorder: Sendable {
    let metrics: RPCMetrics
    let shard: MetricsShard

    @inline(__always)
    func callStarted() { self.shard.add(self.metrics.inFlight, 1) }

    @inline(__always)
    func callFinished() { self.shard.add(self.metrics.inFlight, -1) }

    /// A call answered with `code`, read at `start` (monotonic nanoseconds).
    @inline(__always)
    func answered(method: Int, code: StatusCode, start: UInt64) {
        let raw = Int(code.rawValue)
        let codeIndex = raw >= 0 && raw <= 16 ? raw : Int(StatusCode.unknown.rawValue)
        self.shard.increment(self.metrics.calls[method, codeIndex])
        let now = DispatchTime.now().uptimeNanoseconds
        self.shard.observe(self.metrics.latency[method], now >= start ? now &- start : 0)
    }

    func connectionOpened() { self.shard.add(self.metrics.connectionsOpen, 1) }
    func connectionClosed() { self.shard.add(self.metrics.connectionsOpen, -1) }
    func connectionRefused(draining: Bool) { self.shard.increment(self.metrics.connectionsRefused[draining ? 1 : 0]) }
    func frameRefused(_ reason: FrameRefusal) { self.shard.increment(self.metrics.framesRefused[reason.rawValue]) }
}
