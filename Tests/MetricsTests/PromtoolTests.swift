import FindReviewerTestSupport
import Foundation
import Metrics
import Testing

/// Prometheus' own linter over an exposition with every kind of family (counters with and
/// without labels, shard gauges, scrape-time gauges and counters, value gauges, histograms in
/// seconds and plain units, the process collector, build info, escaped label values).
@Suite("promtool check metrics")
struct PromtoolTests {
    @Test("the sample exposition passes promtool's parser and linter without a remark", .enabled(if: PrometheusProcess.promtool != nil))
    func sampleExposition() throws {
        let text = SampleRegistry.filled().registry.exposition()
        let (status, output) = try PrometheusProcess.checkMetrics(text)
        #expect(status == 0, "\(output)")
        #expect(output.isEmpty, "\(output)")
    }

    @Test("promtool does catch a broken exposition (so the check above can fail)", .enabled(if: PrometheusProcess.promtool != nil))
    func brokenExposition() throws {
        let broken = "# TYPE findreviewer_calls counter\nfindreviewer_calls{method=\"a} 1\n"
        #expect(try PrometheusProcess.checkMetrics(broken).status != 0)
        let unlinted = "# TYPE findreviewer_calls counter\nfindreviewer_calls 1\n"  // no HELP, no _total
        #expect(try PrometheusProcess.checkMetrics(unlinted).status != 0)
    }
}
