import Foundation
import Metrics
import Testing

@Suite("Registry and shards")
struct RegistryTests {
    @Test("counters sum across shards to the counts recorded")
    func sumsAcrossShards() throws {
        let sample = SampleRegistry.filled()
        let families = sample.registry.snapshot()
        let calls = try #require(families.family("findreviewer_rpc_calls_total"))
        #expect(calls.series.count == SampleRegistry.methods.count * SampleRegistry.codes.count)
        #expect(calls.series("findreviewer.v1.FindReviewer/GetReview", "OK")?.number == 12)
        #expect(calls.series("findreviewer.v1.FindReviewer/CreateInfoRequest", "NOT_FOUND")?.number == 1)
        #expect(calls.series.compactMap(\.number).reduce(0, +) == 13)
        #expect(families.family("findreviewer_rpc_calls_in_flight")?.series.first?.number == 2)
        #expect(sample.registry.shardNames == ["rpc-loop-0", "rpc-loop-1"])
    }

    @Test("a value falls in the first bucket whose bound is at least it (le is inclusive); sums scale to seconds")
    func bucketBoundaries() throws {
        let registry = MetricsRegistry()
        let latency = registry.histogram("findreviewer_test_seconds", help: "t", unit: .seconds, buckets: [0.001, 0.002])
        let shard = registry.makeShard(name: "test")
        shard.observe(latency, 0)
        shard.observe(latency, 1_000_000)  // exactly 1 ms: le="0.001"
        shard.observe(latency, 1_000_001)  // just above: le="0.002"
        shard.observe(latency, 2_000_000)
        shard.observe(latency, 2_000_001)  // +Inf
        let histogram = try #require(registry.snapshot().family("findreviewer_test_seconds")?.series.first?.histogram)
        #expect(histogram.cumulativeCounts == [2, 4, 5])
        #expect(histogram.count == 5)
        #expect(abs(histogram.sum - 0.006000002) < 1e-12)
    }

    @Test("gauges in shards add signed deltas from any shard")
    func signedGauges() throws {
        let registry = MetricsRegistry()
        let open = registry.gauge("findreviewer_test_open", help: "t")
        let a = registry.makeShard(name: "a")
        let b = registry.makeShard(name: "b")
        a.add(open, 1)
        a.add(open, 1)
        b.add(open, -1)
        #expect(registry.snapshot().first?.series.first?.number == 1)
        b.add(open, -2)
        #expect(registry.snapshot().first?.series.first?.number == -1)
    }

    @Test("updates from several threads at once, each on its own shard, are all counted")
    func concurrentShards() throws {
        let sample = SampleRegistry.make()
        let threads = 4
        let perThread = 250_000
        let shards = (0..<threads).map { sample.registry.makeShard(name: "loop-\($0)") }
        let done = DispatchGroup()
        // Scrapes run while the threads write: they must never see a count above the truth.
        let scraping = DispatchQueue(label: "scrape")
        let scrapesOK = ScrapeCheck()
        for (index, shard) in shards.enumerated() {
            let thread = Thread {
                for iteration in 0..<perThread {
                    shard.increment(sample.calls[index % 3, iteration % 3])
                    shard.observe(sample.latency[index % 3], UInt64(iteration % 1_000) * 1_000)
                }
                done.leave()
            }
            done.enter()
            thread.start()
        }
        scraping.async {
            for _ in 0..<20 {
                let total = sample.registry.snapshot().family("findreviewer_rpc_calls_total")?.series.compactMap(\.number).reduce(0, +) ?? -1
                scrapesOK.record(total >= 0 && total <= Double(threads * perThread))
            }
        }
        done.wait()
        scraping.sync {}
        let families = sample.registry.snapshot()
        let calls = try #require(families.family("findreviewer_rpc_calls_total"))
        #expect(calls.series.compactMap(\.number).reduce(0, +) == Double(threads * perThread))
        // Thread i writes method i % 3 (threads 0 and 3 share method 0) and code iteration % 3.
        #expect(calls.series("findreviewer.v1.FindReviewer/GetReview", "OK")?.number == Double(2 * ((perThread + 2) / 3)))
        #expect(calls.series("unknown", "INVALID_ARGUMENT")?.number == Double(perThread / 3))
        let latency = try #require(families.family("findreviewer_rpc_call_duration_seconds"))
        #expect(latency.series.compactMap { $0.histogram?.count }.reduce(0, +) == UInt64(threads * perThread))
        // Sum of (i % 1000) µs over 250k iterations, per thread.
        let expectedSum = Double(threads) * Double(perThread / 1_000) * (999.0 * 1_000.0 / 2.0) * 1e-6
        let sum = latency.series.compactMap { $0.histogram?.sum }.reduce(0, +)
        #expect(abs(sum - expectedSum) < 1e-6)
        #expect(scrapesOK.allPassed)
    }

    @Test("a concurrent shard counts exactly when several threads share it")
    func sharedConcurrentShard() throws {
        let registry = MetricsRegistry()
        let counter = registry.counter("findreviewer_test_total", help: "t")
        let shared = registry.makeConcurrentShard(name: "shared")
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<100_000 { shared.increment(counter) }
        }
        #expect(registry.snapshot().first?.series.first?.number == 400_000)
    }

    @Test("scrape-time families read their closures at every scrape; a value gauge keeps the last value set")
    func scrapeTimeFamilies() throws {
        let registry = MetricsRegistry()
        let backlog = LockedValue(3.0)
        registry.gauge("findreviewer_outbox_backlog", help: "b", value: { backlog.value })
        let size = registry.valueGauge("findreviewer_snapshot_size_bytes", help: "s")
        registry.gauge(
            "findreviewer_test_labelled", help: "l", labelNames: ["a"],
            samples: { [MetricsRegistry.Sample(["x"], 1), MetricsRegistry.Sample(["too", "many"], 2)] })
        #expect(registry.snapshot().family("findreviewer_outbox_backlog")?.series.first?.number == 3)
        backlog.value = 5
        size.set(1_048_576)
        let families = registry.snapshot()
        #expect(families.family("findreviewer_outbox_backlog")?.series.first?.number == 5)
        #expect(families.family("findreviewer_snapshot_size_bytes")?.series.first?.number == 1_048_576)
        // A sample with the wrong number of label values is dropped, not rendered.
        #expect(families.family("findreviewer_test_labelled")?.series.map(\.labels) == [[LabelPair("a", "x")]])
    }

    @Test("quantiles interpolate inside buckets as histogram_quantile does")
    func quantiles() throws {
        // 100 observations: 50 at or below 0.1, 40 in (0.1, 0.2], 10 in (0.2, 0.4].
        let histogram = HistogramSnapshot(upperBounds: [0.1, 0.2, 0.4], cumulativeCounts: [50, 90, 100, 100], sum: 12)
        #expect(histogram.quantile(0.5) == 0.1)
        #expect(abs((histogram.quantile(0.7) ?? 0) - 0.15) < 1e-12)
        #expect(abs((histogram.quantile(0.95) ?? 0) - 0.3) < 1e-12)
        #expect(histogram.quantile(0.25) == 0.05)
        let overflowing = HistogramSnapshot(upperBounds: [0.1], cumulativeCounts: [1, 10], sum: 50)
        #expect(overflowing.quantile(0.99) == 0.1)
        #expect(HistogramSnapshot(upperBounds: [1], cumulativeCounts: [0, 0], sum: 0).quantile(0.5) == nil)
    }

    @Test("families keep their registration order in the exposition")
    func order() {
        let registry = MetricsRegistry()
        _ = registry.counter("findreviewer_b_total", help: "b")
        registry.gauge("findreviewer_a", help: "a", value: { 1 })
        _ = registry.histogram("findreviewer_c_seconds", help: "c", unit: .seconds, buckets: [1])
        #expect(registry.snapshot().map(\.name) == ["findreviewer_b_total", "findreviewer_a", "findreviewer_c_seconds"])
    }
}

/// Whether every scrape taken while writers ran looked sane.
final class ScrapeCheck: @unchecked Sendable {
    private let lock = NSLock()
    private var failures = 0
    func record(_ passed: Bool) { self.lock.withLock { if !passed { self.failures += 1 } } }
    var allPassed: Bool { self.lock.withLock { self.failures == 0 } }
}

/// A value shared with a closure.
final class LockedValue<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { self.stored = value }
    var value: Value {
        get { self.lock.withLock { self.stored } }
        set { self.lock.withLock { self.stored = newValue } }
    }
}
