import FindReviewerTestSupport
import Foundation
import Metrics
import MetricsHTTP
import Testing

/// A real Prometheus server scrapes the metrics port and answers queries with the counts
/// recorded. (Phase B points the same check at the real server binary.)
@Suite("Prometheus scrape", .serialized)
struct PrometheusScrapeTests {
    @Test("Prometheus scrapes the port and its queries return the counts recorded, then the new ones", .enabled(if: PrometheusProcess.executable != nil), .timeLimit(.minutes(1)))
    func scrape() throws {
        let sample = SampleRegistry.filled()
        // Known counts from three threads, each on its own shard.
        let unknownInvalid = sample.calls[2, 2]
        let shards = (0..<3).map { sample.registry.makeShard(name: "worker-\($0)") }
        DispatchQueue.concurrentPerform(iterations: 3) { index in
            for _ in 0..<1_111 { shards[index].increment(unknownInvalid) }
        }
        var options = HTTPServerOptions()
        options.address = "127.0.0.1:0"
        let server = HTTPServer(metrics: sample.registry, readiness: ServiceReadiness(.serving), options: options)
        defer { server.stop() }
        let port = try server.start().port
        let prometheus = try PrometheusProcess(targets: ["127.0.0.1:\(port)"])
        defer { prometheus.stop() }

        let query = "findreviewer_rpc_calls_total{method=\"unknown\",code=\"INVALID_ARGUMENT\"}"
        let first = prometheus.waitUntil(query, equals: "3333")
        #expect(first == ["3333"], "targets: \(prometheus.targetHealth())\nlog: \(prometheus.logs)")
        #expect(prometheus.waitUntil("findreviewer_rpc_calls_total{code=\"OK\",method=\"findreviewer.v1.FindReviewer/GetReview\"}", equals: "12") == ["12"])
        #expect(
            prometheus.waitUntil("findreviewer_rpc_call_duration_seconds_count{method=\"findreviewer.v1.FindReviewer/GetReview\"}", equals: "2")
                == ["2"])
        #expect(prometheus.waitUntil("up{job=\"findreviewer\"}", equals: "1") == ["1"])

        // Later counts reach Prometheus at the next scrape.
        shards[0].add(unknownInvalid, 667)
        #expect(prometheus.waitUntil(query, equals: "4000") == ["4000"])
    }
}
