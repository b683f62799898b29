import Metrics
import Synchronization

/// A clock the test moves by hand (monotonic nanoseconds).
final class ManualClock: Sendable {
    private let nanoseconds = Atomic<UInt64>(1_000_000_000)

    /// Now.
    var now: UInt64 { self.nanoseconds.load(ordering: .relaxed) }

    /// Moves time on by `seconds`.
    func advance(seconds: Double) { self.nanoseconds.wrappingAdd(UInt64(seconds * 1e9), ordering: .relaxed) }
}

/// A registry with every kind of family the service exposes, and known values in it.
struct SampleRegistry {
    static let methods = ["findreviewer.v1.FindReviewer/GetReview", "findreviewer.v1.FindReviewer/CreateInfoRequest", "unknown"]
    static let codes = ["OK", "NOT_FOUND", "INVALID_ARGUMENT"]

    let registry: MetricsRegistry
    let calls: LabelledMetrics<Counter>
    let latency: LabelledMetrics<Histogram>
    let inFlight: Gauge
    let recordsPerSync: Histogram
    let bytes: Counter

    /// The registry, its families registered, no shard made yet.
    static func make() -> SampleRegistry {
        let registry = MetricsRegistry()
        let calls = registry.counters(
            "findreviewer_rpc_calls_total", help: "Calls answered, by method and status code.",
            labels: [LabelDimension("method", Self.methods), LabelDimension("code", Self.codes)])
        let latency = registry.histograms(
            "findreviewer_rpc_call_duration_seconds", help: "Time from reading a call to writing its answer, in seconds.", unit: .seconds,
            buckets: Buckets.latencySeconds, labels: [LabelDimension("method", Self.methods)])
        let inFlight = registry.gauge("findreviewer_rpc_calls_in_flight", help: "Calls read and not yet answered.")
        let recordsPerSync = registry.histogram(
            "findreviewer_journal_records_per_fsync", help: "Records made durable by one fsync.", unit: .plain, buckets: Buckets.powersOfTwo)
        let bytes = registry.counter("findreviewer_journal_bytes_written_total", help: "Bytes written to the journal.\nIncludes headers.")
        registry.gauge(
            "findreviewer_domain_info_requests", help: "Info requests by status.", labelNames: ["status"],
            samples: { [MetricsRegistry.Sample(["pending"], 3), MetricsRegistry.Sample(["answered"], 1)] })
        registry.gauge("findreviewer_outbox_backlog", help: "Emails waiting to be delivered.", value: { 2 })
        registry.counter(
            "findreviewer_outbox_delivery_failures_total", help: "Failed deliveries by transport.", labelNames: ["transport"],
            samples: { [MetricsRegistry.Sample(["smtp \"relay\"\\\n"], 5)] })
        let lastSnapshot = registry.valueGauge(
            "findreviewer_snapshot_last_success_timestamp_seconds", help: "When the last snapshot succeeded, in seconds since the epoch.")
        lastSnapshot.set(1_700_000_000.5)
        registry.register(ProcessCollector())
        registry.registerBuildInfo(version: "0.1.0")
        return SampleRegistry(registry: registry, calls: calls, latency: latency, inFlight: inFlight, recordsPerSync: recordsPerSync, bytes: bytes)
    }

    /// `make()` with values recorded in two shards.
    static func filled() -> SampleRegistry {
        let sample = Self.make()
        let loop0 = sample.registry.makeShard(name: "rpc-loop-0")
        let loop1 = sample.registry.makeShard(name: "rpc-loop-1")
        for _ in 0..<7 { loop0.increment(sample.calls[0, 0]) }
        loop1.add(sample.calls[0, 0], 5)
        loop1.increment(sample.calls[1, 1])
        loop0.observe(sample.latency[0], 30_000)  // 30 µs
        loop1.observe(sample.latency[0], 2_000_000)  // 2 ms
        loop0.observe(sample.latency[1], 20_000_000_000)  // 20 s: +Inf
        loop0.add(sample.inFlight, 3)
        loop1.add(sample.inFlight, -1)
        loop0.observe(sample.recordsPerSync, 3)
        loop0.add(sample.bytes, 4_096)
        return sample
    }
}
