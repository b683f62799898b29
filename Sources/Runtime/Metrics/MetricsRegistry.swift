import Locking

/// Every metric family of the service, the shards that record them, and the scrape that sums
/// the shards into snapshots and the text exposition.
///
/// Set-up happens once at start, in this order:
/// 1. register the cell-backed families (counters, gauges kept in shards, histograms) with
///    every label value they will ever take; each registration returns handles;
/// 2. make one ``MetricsShard`` per writing thread (each event loop, the journal, the timer
///    thread...) with ``makeShard(name:)``; from then on no cell-backed family can be added;
/// 3. scrape-time families (gauges and counters read by a closure, ``ValueGauge``s and
///    ``MetricsCollector``s) may be added at any time.
///
/// Recording goes through a shard and handles only; the registry's lock is taken by
/// registration and scrapes, never by an update.
public final class MetricsRegistry: Sendable {
    /// A sample returned by a scrape-time family's closure.
    public struct Sample: Sendable, Equatable {
        /// One value per label name of the family, in its order.
        public var labelValues: [String]
        /// The value.
        public var value: Double

        /// Creates a sample.
        public init(_ labelValues: [String] = [], _ value: Double) {
            self.labelValues = labelValues
            self.value = value
        }
    }

    private struct CellFamily {
        var name: String
        var help: String
        var type: MetricType
        var labels: [[LabelPair]]
        var base: Int
    }

    private struct HistogramFamily {
        var name: String
        var help: String
        var labels: [[LabelPair]]
        var bounds: [Double]
        var base: Int
        var scale: Double
    }

    private struct ScrapeFamily {
        var name: String
        var help: String
        var type: MetricType
        var labelNames: [String]
        var read: @Sendable () -> [Sample]
    }

    private enum Entry {
        case cells(CellFamily)
        case histograms(HistogramFamily)
        case scrape(ScrapeFamily)
        case collector(any MetricsCollector)
    }

    private struct State {
        var entries: [Entry] = []
        var names: Set<String> = []
        /// Initial values of a new shard's cells: zeros, and each histogram family's bounds.
        var template: [UInt64] = []
        var shards: [ShardStorage] = []
    }

    private let state = Locked(State())

    /// An empty registry.
    public init() {}

    // MARK: cell-backed families

    /// A counter without labels.
    public func counter(_ name: String, help: String) -> Counter {
        self.counters(name, help: help, labels: [])[]
    }

    /// A counter family with one series per combination of `labels`' values (at most two labels).
    public func counters(_ name: String, help: String, labels: [LabelDimension]) -> LabelledMetrics<Counter> {
        let base = self.addCells(name, help: help, type: .counter, labels: labels)
        return LabelledMetrics(first: Counter(cell: base), stride: 1, sizes: labels.map(\.values.count))
    }

    /// A gauge without labels kept in shards (each adds deltas; the value is their sum).
    public func gauge(_ name: String, help: String) -> Gauge {
        self.gauges(name, help: help, labels: [])[]
    }

    /// A gauge family kept in shards, one series per combination of `labels`' values.
    public func gauges(_ name: String, help: String, labels: [LabelDimension]) -> LabelledMetrics<Gauge> {
        let base = self.addCells(name, help: help, type: .gauge, labels: labels)
        return LabelledMetrics(first: Gauge(cell: base), stride: 1, sizes: labels.map(\.values.count))
    }

    /// A histogram without labels. `buckets` are finite upper bounds in the exposed unit, increasing.
    public func histogram(_ name: String, help: String, unit: HistogramUnit, buckets: [Double]) -> Histogram {
        self.histograms(name, help: help, unit: unit, buckets: buckets, labels: [])[]
    }

    /// A histogram family, one series per combination of `labels`' values, sharing `buckets`.
    public func histograms(
        _ name: String, help: String, unit: HistogramUnit, buckets: [Double], labels: [LabelDimension]
    ) -> LabelledMetrics<Histogram> {
        precondition(!buckets.isEmpty, "histogram \"\(name)\" needs at least one bucket")
        precondition(zip(buckets, buckets.dropFirst()).allSatisfy { $0 < $1 }, "buckets of \"\(name)\" must increase")
        precondition(buckets.allSatisfy(\.isFinite), "buckets of \"\(name)\" must be finite (+Inf is implied)")
        MetricNames.check(name, .histogram, labels: labels.map(\.name))
        let raw = buckets.map { bound -> UInt64 in
            let value = (bound / unit.scale).rounded()
            precondition(value >= 0 && value < 1.8e19, "bucket \(bound) of \"\(name)\" does not fit the raw unit")
            return UInt64(value)
        }
        let stride = buckets.count + 2  // buckets, +Inf, sum
        let seriesLabels = Self.combinations(labels)
        let (boundsCell, base) = self.state.withLock { state -> (Int, Int) in
            self.claim(&state, names: [name, name + "_bucket", name + "_sum", name + "_count"])
            let boundsCell = state.template.count
            state.template += raw
            let base = state.template.count
            state.template += [UInt64](repeating: 0, count: stride * seriesLabels.count)
            state.entries.append(
                .histograms(HistogramFamily(name: name, help: help, labels: seriesLabels, bounds: buckets, base: base, scale: unit.scale)))
            return (boundsCell, base)
        }
        return LabelledMetrics(
            first: Histogram(bounds: boundsCell, boundCount: buckets.count, buckets: base), stride: stride, sizes: labels.map(\.values.count))
    }

    private func addCells(_ name: String, help: String, type: MetricType, labels: [LabelDimension]) -> Int {
        MetricNames.check(name, type, labels: labels.map(\.name))
        let seriesLabels = Self.combinations(labels)
        return self.state.withLock { state in
            self.claim(&state, names: [name])
            let base = state.template.count
            state.template += [UInt64](repeating: 0, count: seriesLabels.count)
            state.entries.append(.cells(CellFamily(name: name, help: help, type: type, labels: seriesLabels, base: base)))
            return base
        }
    }

    private func claim(_ state: inout State, names: [String], cells: Bool = true) {
        precondition(!cells || state.shards.isEmpty, "register \"\(names[0])\" before the first shard is made")
        for name in names {
            precondition(state.names.insert(name).inserted, "metric \"\(name)\" is registered twice")
        }
    }

    /// Every combination of the dimensions' values, the first dimension varying slowest (the
    /// order of ``LabelledMetrics``' index arithmetic).
    private static func combinations(_ labels: [LabelDimension]) -> [[LabelPair]] {
        precondition(labels.count <= 2, "a family has at most two label dimensions")
        var result: [[LabelPair]] = [[]]
        for dimension in labels {
            precondition(!dimension.values.isEmpty, "label \"\(dimension.name)\" needs at least one value")
            precondition(Set(dimension.values).count == dimension.values.count, "label \"\(dimension.name)\" repeats a value")
            result = result.flatMap { prefix in dimension.values.map { prefix + [LabelPair(dimension.name, $0)] } }
        }
        return result
    }

    // MARK: scrape-time families

    /// A gauge read by `value` at every scrape (domain counts, outbox backlog).
    public func gauge(_ name: String, help: String, value: @escaping @Sendable () -> Double) {
        self.gauge(name, help: help, labelNames: [], samples: { [Sample([], value())] })
    }

    /// A labelled gauge read by `samples` at every scrape (requests by status).
    public func gauge(_ name: String, help: String, labelNames: [String], samples: @escaping @Sendable () -> [Sample]) {
        self.addScrape(ScrapeFamily(name: name, help: help, type: .gauge, labelNames: labelNames, read: samples))
    }

    /// A counter kept elsewhere, read by `value` at every scrape; it must never go down.
    public func counter(_ name: String, help: String, value: @escaping @Sendable () -> Double) {
        self.counter(name, help: help, labelNames: [], samples: { [Sample([], value())] })
    }

    /// A labelled counter kept elsewhere, read by `samples` at every scrape.
    public func counter(_ name: String, help: String, labelNames: [String], samples: @escaping @Sendable () -> [Sample]) {
        self.addScrape(ScrapeFamily(name: name, help: help, type: .counter, labelNames: labelNames, read: samples))
    }

    /// A gauge any thread sets with one atomic store (last snapshot size, recovery time).
    public func valueGauge(_ name: String, help: String) -> ValueGauge {
        let gauge = ValueGauge()
        self.gauge(name, help: help, value: { gauge.value })
        return gauge
    }

    /// `findreviewer_build_info{version="..."} 1`, the conventional way to expose a version.
    public func registerBuildInfo(version: String) {
        self.gauge(
            MetricNames.prefix + "build_info", help: "Always 1; the labels say which build is running.", labelNames: ["version"],
            samples: { [Sample([version], 1)] })
    }

    /// Adds families produced by `collector` at every scrape. Their names must not clash with
    /// the registry's own.
    public func register(_ collector: any MetricsCollector) {
        self.state.withLock { $0.entries.append(.collector(collector)) }
    }

    private func addScrape(_ family: ScrapeFamily) {
        MetricNames.check(family.name, family.type, labels: family.labelNames)
        self.state.withLock { state in
            self.claim(&state, names: [family.name], cells: false)
            state.entries.append(.scrape(family))
        }
    }

    // MARK: shards

    /// A shard for one writing thread (see ``MetricsShard``). After the first shard, no
    /// cell-backed family can be registered.
    public func makeShard(name: String) -> MetricsShard {
        MetricsShard(storage: self.addShard(name))
    }

    /// A shard any thread may update at once, with atomic adds (off the hot path).
    public func makeConcurrentShard(name: String) -> ConcurrentMetricsShard {
        ConcurrentMetricsShard(storage: self.addShard(name))
    }

    private func addShard(_ name: String) -> ShardStorage {
        self.state.withLock { state in
            let storage = ShardStorage(name: name, template: state.template)
            state.shards.append(storage)
            return storage
        }
    }

    /// Shards made so far, in order.
    public var shardNames: [String] { self.state.withLock { $0.shards.map(\.name) } }

    // MARK: scraping

    /// Every family now, in registration order: shards summed, closures and collectors called
    /// (outside the registry's lock, on the calling thread).
    public func snapshot() -> [MetricFamilySnapshot] {
        let (entries, shards, cellCount) = self.state.withLock { ($0.entries, $0.shards, $0.template.count) }
        var totals = [UInt64](repeating: 0, count: cellCount)
        for shard in shards { shard.addCells(into: &totals) }
        var families: [MetricFamilySnapshot] = []
        families.reserveCapacity(entries.count)
        for entry in entries {
            switch entry {
            case .cells(let family):
                let series = family.labels.enumerated().map { index, labels in
                    let raw = totals[family.base + index]
                    // A gauge's cells hold signed deltas; their wrapping sum is the signed value.
                    let value = family.type == .gauge ? Double(Int64(bitPattern: raw)) : Double(raw)
                    return MetricSeriesSnapshot(labels: labels, value: .number(value))
                }
                families.append(MetricFamilySnapshot(name: family.name, help: family.help, type: family.type, series: series))
            case .histograms(let family):
                let stride = family.bounds.count + 2
                let series = family.labels.enumerated().map { index, labels in
                    let first = family.base + index * stride
                    var cumulative: [UInt64] = []
                    cumulative.reserveCapacity(family.bounds.count + 1)
                    var running: UInt64 = 0
                    for bucket in 0...family.bounds.count {
                        running &+= totals[first + bucket]
                        cumulative.append(running)
                    }
                    let sum = Double(totals[first + family.bounds.count + 1]) * family.scale
                    let histogram = HistogramSnapshot(upperBounds: family.bounds, cumulativeCounts: cumulative, sum: sum)
                    return MetricSeriesSnapshot(labels: labels, value: .histogram(histogram))
                }
                families.append(MetricFamilySnapshot(name: family.name, help: family.help, type: .histogram, series: series))
            case .scrape(let family):
                var series: [MetricSeriesSnapshot] = []
                for sample in family.read() {
                    // A closure's mistake drops its sample, not the scrape (nor the server).
                    guard sample.labelValues.count == family.labelNames.count else { continue }
                    series.append(
                        MetricSeriesSnapshot(
                            labels: zip(family.labelNames, sample.labelValues).map { LabelPair($0, $1) }, value: .number(sample.value)))
                }
                families.append(MetricFamilySnapshot(name: family.name, help: family.help, type: family.type, series: series))
            case .collector(let collector):
                families += collector.collect()
            }
        }
        return families
    }

    /// The text exposition (format 0.0.4) of ``snapshot()``.
    public func exposition() -> String { Exposition.render(self.snapshot()) }
}

extension LabelledMetrics {
    /// The only series of a family without labels.
    @inlinable subscript() -> Metric { self.first }
}
