import Dispatch
import Messages
import FindReviewerDomain
import FindReviewerEngine
import FindReviewerStore
import Foundation
import Metrics
import Notifications
import RPC
import MetricsHTTP
import Synchronization
import Transport

/// Every metric of the running service (README "Metrics"): the families, the shards that
/// record them, and the hooks that feed them. The rest of the server knows nothing of it but
/// one-line observer closures; the wiring (``ServerApp``) calls ``attach(server:storage:service:delivery:)``.
///
/// Who writes what, so that no update takes a lock or allocates on the hot path:
/// - the RPC port: one ``MetricsShard`` per event loop (``RPCMetrics``);
/// - the journal: one shard written under the journal's write lock (group commits never overlap);
/// - the timer: one shard written under the state lock (transitions are applied under it);
/// - snapshots, refused writes and deliveries: a ``ConcurrentMetricsShard`` (rare events);
/// - the domain, outbox backlog and process: read at scrape time.
public final class ServerMetrics: Sendable {
    /// The registry `/metrics` and the stats RPC read.
    public let registry: MetricsRegistry
    /// The RPC port's families.
    public let rpc: RPCMetrics

    /// Transports of the `transport` label.
    static let transports = ["file", "smtp"]
    /// Kinds of the timer's `kind` label.
    static let transitionKinds = ["reminder", "expiry", "reply_erasure"]
    /// Bounds of the timer lag, in seconds (the service clock counts whole seconds).
    static let lagBuckets: [Double] = [1, 2, 5, 10, 30, 60, 300, 900, 3_600, 86_400]

    let journalRecords: Counter
    let journalBytes: Counter
    let journalFsync: Histogram
    let journalRecordsPerFsync: Histogram
    let journalFailures: Counter
    let journalRefused: Counter
    let snapshotDuration: Histogram
    let snapshotFailures: Counter
    let snapshotSize: ValueGauge
    let snapshotLastSuccess: ValueGauge
    let recoverySeconds: ValueGauge
    let transitions: LabelledMetrics<Counter>
    let transitionLag: Histogram
    let delivered: LabelledMetrics<Counter>
    let deliveryFailures: LabelledMetrics<Counter>

    let journalShard: MetricsShard
    let timerShard: MetricsShard
    let rareShard: ConcurrentMetricsShard

    /// Registers every family for a server serving `methods` (full names).
    public init(registry: MetricsRegistry = MetricsRegistry(), methods: [String], version: String) {
        self.registry = registry
        let p = MetricNames.prefix
        self.rpc = RPCMetrics(registry: registry, methods: methods)
        self.journalRecords = registry.counter(p + "journal_records_written_total", help: "Journal records made durable.")
        self.journalBytes = registry.counter(p + "journal_bytes_written_total", help: "Bytes written to journal segments, record headers included.")
        self.journalFsync = registry.histogram(
            p + "journal_fsync_duration_seconds", help: "Duration of one fdatasync of a group commit, in seconds.", unit: .seconds,
            buckets: Buckets.latencySeconds)
        self.journalRecordsPerFsync = registry.histogram(
            p + "journal_records_per_fsync", help: "Records made durable by one fdatasync (group commit size).", unit: .plain,
            buckets: Buckets.powersOfTwo)
        self.journalFailures = registry.counter(p + "journal_write_failures_total", help: "Journal writes that failed (the journal was cut back and rebuilt).")
        self.journalRefused = registry.counters(
            p + "journal_writes_refused_total", help: "Writes refused before trying, by reason.",
            labels: [LabelDimension("reason", ["disk_full"])])[0]
        self.snapshotDuration = registry.histogram(
            p + "snapshot_duration_seconds", help: "Duration of snapshots written, in seconds.", unit: .seconds, buckets: Buckets.durationSeconds)
        self.snapshotFailures = registry.counter(p + "snapshot_failures_total", help: "Snapshots that failed.")
        self.transitions = registry.counters(
            p + "timer_transitions_total", help: "Time-driven transitions applied, by kind.", labels: [LabelDimension("kind", Self.transitionKinds)])
        self.transitionLag = registry.histogram(
            p + "timer_lag_seconds", help: "From a transition's due time to its application, in seconds of the service clock.", unit: .seconds,
            buckets: Self.lagBuckets)
        let transport = LabelDimension("transport", Self.transports)
        self.delivered = registry.counters(p + "outbox_delivered_total", help: "Emails delivered, by transport.", labels: [transport])
        self.deliveryFailures = registry.counters(
            p + "outbox_delivery_failures_total", help: "Email delivery attempts that failed (retried with backoff), by transport.", labels: [transport])
        // Scrape-time and value families (any time).
        self.snapshotSize = registry.valueGauge(p + "snapshot_size_bytes", help: "Size of the last snapshot written, in bytes.")
        self.snapshotLastSuccess = registry.valueGauge(
            p + "snapshot_last_success_timestamp_seconds", help: "When the last snapshot succeeded, in seconds since the Unix epoch (0: none yet).")
        self.recoverySeconds = registry.valueGauge(
            p + "recovery_duration_seconds", help: "Time spent loading the snapshot and replaying the journal at start, in seconds.")
        registry.register(ProcessCollector())
        registry.registerBuildInfo(version: version)
        // Shards last: no cell-backed family may follow.
        self.journalShard = registry.makeShard(name: "journal")
        self.timerShard = registry.makeShard(name: "timer")
        self.rareShard = registry.makeConcurrentShard(name: "background")
    }

    /// Sets the one-line hooks of each part and the scrape-time families that read them.
    func attach(server: RPCServer, storage: Storage, service: FindReviewerService, delivery: DeliveryWorker, transport: String) {
        server.metrics = self.rpc
        storage.journal.observer = { [self] write in self.journalWrote(write) }
        storage.observer = StorageObserver(
            snapshotTaken: { [self] nanos, bytes in
                self.rareShard.observe(self.snapshotDuration, nanos)
                self.snapshotSize.set(Double(bytes))
                self.snapshotLastSuccess.set(Date().timeIntervalSince1970)
            },
            snapshotFailed: { [self] in self.rareShard.increment(self.snapshotFailures) },
            writeRefused: { [self] in self.rareShard.increment(self.journalRefused) })
        service.engine.onTransitionApplied = { [self] due, lag in self.transitionApplied(due, lagSeconds: lag) }
        let transportIndex = Self.transports.firstIndex(of: transport) ?? 0
        delivery.onAttempts = { [self] delivered, failed in
            self.rareShard.add(self.delivered[transportIndex], UInt64(delivered))
            self.rareShard.add(self.deliveryFailures[transportIndex], UInt64(failed))
        }
        self.registerDomain(service)
    }

    /// Records the time recovery took at start.
    func recovered(inNanoseconds nanos: UInt64) { self.recoverySeconds.set(Double(nanos) / 1e9) }

    private func journalWrote(_ write: JournalWrite) {
        switch write {
        case .written(let records, let bytes, let fsyncNanoseconds):
            self.journalShard.add(self.journalRecords, UInt64(records))
            self.journalShard.add(self.journalBytes, UInt64(bytes))
            self.journalShard.observe(self.journalFsync, fsyncNanoseconds)
            self.journalShard.observe(self.journalRecordsPerFsync, UInt64(records))
        case .failed:
            self.journalShard.increment(self.journalFailures)
        }
    }

    private func transitionApplied(_ due: DueTransition, lagSeconds: Int64) {
        let kind: Int
        switch due.command {
        case .sendAutomaticReminder: kind = 0
        case .expire: kind = 1
        default: kind = 2
        }
        self.timerShard.increment(self.transitions[kind])
        self.timerShard.observe(self.transitionLag, UInt64(max(0, lagSeconds)) &* 1_000_000_000)
    }

    /// The domain's counts and the outbox backlog, read under the state lock at each scrape
    /// (O(1): counts the state keeps, and the oldest undelivered entry).
    private func registerDomain(_ service: FindReviewerService) {
        let p = MetricNames.prefix
        let read = { @Sendable () -> DomainFigures in DomainFigures(service) }
        self.registry.gauge(p + "domain_info_requests", help: "Information requests by status.", labelNames: ["status"]) {
            let figures = read()
            return zip(RequestStatus.allCases, figures.requestsByStatus).map { MetricsRegistry.Sample([$0.rawValue], Double($1)) }
        }
        self.registry.gauge(p + "domain_businesses", help: "Businesses.") { Double(read().businesses) }
        self.registry.gauge(p + "domain_reviews", help: "Reviews.") { Double(read().reviews) }
        self.registry.gauge(p + "domain_reports_open", help: "Reports of reviews by their business (the domain closes none yet: all are open).") {
            Double(read().reports)
        }
        self.registry.gauge(p + "outbox_backlog", help: "Emails waiting for delivery.") { Double(read().backlog) }
        self.registry.gauge(p + "outbox_oldest_pending_age_seconds", help: "Age of the oldest undelivered email in seconds (0 when none).") {
            Double(read().oldestPendingAge)
        }
    }
}

/// The domain's figures at one instant.
struct DomainFigures: Sendable {
    var requestsByStatus: [Int]
    var businesses: Int
    var reviews: Int
    var reports: Int
    var backlog: Int
    var oldestPendingAge: Int64

    init(_ service: FindReviewerService) {
        let now = service.clock.now()
        (self.requestsByStatus, self.businesses, self.reviews, self.reports, self.backlog, self.oldestPendingAge) = service.engine.withState {
            state in
            let oldest = state.undelivered.first.flatMap { state.outbox[$0]?.createdAt }
            return (
                state.requestCountsByStatus, state.businesses.count, state.reviews.count, state.reports.count, state.undelivered.count,
                oldest.map { max(0, now - $0) } ?? 0
            )
        }
    }
}

/// The metrics registry, the readiness `/readyz` reports and the metrics port, made first at
/// start so that the port answers `starting` and `recovering` while the rest comes up.
public final class Observability: Sendable {
    /// Every metric of the process.
    public let registry: MetricsRegistry
    /// What `/readyz` says.
    public let readiness: ServiceReadiness
    /// The metrics port (`--metrics-listen`), if on.
    public let port: HTTPServer?
    /// Its address, port 0 resolved.
    public let portAddress: SocketAddress?
    /// The service's metrics, once the methods are registered (the stats RPC reads them).
    public let metrics = Mutex<ServerMetrics?>(nil)
    /// `--shutdown-delay`.
    public let shutdownDelaySeconds: Int

    init(registry: MetricsRegistry, readiness: ServiceReadiness, port: HTTPServer?, portAddress: SocketAddress?, shutdownDelaySeconds: Int) {
        self.registry = registry
        self.readiness = readiness
        self.port = port
        self.portAddress = portAddress
        self.shutdownDelaySeconds = shutdownDelaySeconds
    }

    /// Opens the metrics port if configured (and writes `--metrics-port-file`).
    static func start(_ configuration: ServerConfiguration, logger: Logger) throws -> Observability {
        let registry = MetricsRegistry()
        let readiness = ServiceReadiness(.starting)
        var port: HTTPServer?
        var address: SocketAddress?
        if let listen = configuration.metricsListen {
            var options = HTTPServerOptions()
            options.address = listen
            let server = HTTPServer(metrics: registry, readiness: readiness, options: options)
            address = try server.start()
            port = server
            if let path = configuration.metricsPortFile { try PortFile.write(address!.port, to: path) }
            logger.log(.info, "metrics port open", ["address": address!.description])
        }
        return Observability(
            registry: registry, readiness: readiness, port: port, portAddress: address, shutdownDelaySeconds: configuration.shutdownDelaySeconds)
    }
}

extension Observability {
    /// Every family now, as the stats RPC (``FindReviewerService/getStats(_:caller:context:responder:)``) answers.
    func stats() -> GetStatsResponse {
        let families = self.registry.snapshot().sorted { $0.name < $1.name }.map { family in
            StatsFamily(
                name: family.name, help: family.help, type: family.type.rawValue,
                series: family.series.map { series in
                    var result = StatsSeries(labels: series.labels.map { StatsLabel(name: $0.name, value: $0.value) })
                    switch series.value {
                    case .number(let value):
                        result.value = value
                    case .histogram(let histogram):
                        result.value = histogram.sum
                        result.count = histogram.count
                        result.p50 = histogram.quantile(0.5) ?? 0
                        result.p99 = histogram.quantile(0.99) ?? 0
                        result.buckets = zip(histogram.upperBounds, histogram.cumulativeCounts).map {
                            StatsBucket(upperBound: $0, cumulativeCount: $1)
                        }
                    }
                    return result
                })
        }
        return GetStatsResponse(families: families, readiness: self.readiness.state.description)
    }
}
