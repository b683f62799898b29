import Metrics
import Testing

@Suite("Exposition format")
struct ExpositionTests {
    @Test("help text escapes backslash and newline, and nothing else")
    func helpEscaping() {
        #expect(Exposition.escapeHelp("plain \"quoted\" text") == "plain \"quoted\" text")
        #expect(Exposition.escapeHelp("a\\b\nc") == "a\\\\b\\nc")
    }

    @Test("label values escape backslash, double quote and newline; UTF-8 passes through")
    func labelEscaping() {
        #expect(Exposition.escapeLabelValue("findreviewer.v1.FindReviewer/GetReview") == "findreviewer.v1.FindReviewer/GetReview")
        #expect(Exposition.escapeLabelValue("smtp \"relay\"\\\n") == "smtp \\\"relay\\\"\\\\\\n")
        #expect(Exposition.escapeLabelValue("Göteborg ✓") == "Göteborg ✓")
    }

    @Test(
        "numbers are written the way Prometheus parses them",
        arguments: [
            (0.0, "0"), (1234.0, "1234"), (-3.0, "-3"), (0.25, "0.25"), (0.00005, "5e-05"), (1.5, "1.5"),
            (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"), (Double.nan, "NaN"), (1e300, "1e+300"),
        ])
    func numbers(value: Double, text: String) {
        #expect(Exposition.format(value) == text)
    }

    @Test("a family renders HELP, TYPE and one line per sample, labels in order")
    func counterFamily() {
        let family = MetricFamilySnapshot(
            name: "findreviewer_rpc_calls_total", help: "Calls.", type: .counter,
            series: [
                MetricSeriesSnapshot(labels: [LabelPair("method", "a/B"), LabelPair("code", "OK")], value: .number(12)),
                MetricSeriesSnapshot(labels: [LabelPair("method", "x\"y"), LabelPair("code", "NOT_FOUND")], value: .number(0)),
            ])
        #expect(
            Exposition.render([family]) == """
                # HELP findreviewer_rpc_calls_total Calls.
                # TYPE findreviewer_rpc_calls_total counter
                findreviewer_rpc_calls_total{method="a/B",code="OK"} 12
                findreviewer_rpc_calls_total{method="x\\"y",code="NOT_FOUND"} 0

                """)
    }

    @Test("a histogram renders cumulative buckets ending in +Inf, then _sum and _count")
    func histogramFamily() {
        let histogram = HistogramSnapshot(upperBounds: [0.001, 0.01], cumulativeCounts: [2, 5, 6], sum: 0.0345)
        let family = MetricFamilySnapshot(
            name: "findreviewer_journal_fsync_duration_seconds", help: "fsync.", type: .histogram,
            series: [MetricSeriesSnapshot(labels: [LabelPair("disk", "a")], value: .histogram(histogram))])
        #expect(
            Exposition.render([family]) == """
                # HELP findreviewer_journal_fsync_duration_seconds fsync.
                # TYPE findreviewer_journal_fsync_duration_seconds histogram
                findreviewer_journal_fsync_duration_seconds_bucket{disk="a",le="0.001"} 2
                findreviewer_journal_fsync_duration_seconds_bucket{disk="a",le="0.01"} 5
                findreviewer_journal_fsync_duration_seconds_bucket{disk="a",le="+Inf"} 6
                findreviewer_journal_fsync_duration_seconds_sum{disk="a"} 0.0345
                findreviewer_journal_fsync_duration_seconds_count{disk="a"} 6

                """)
    }

    @Test("a registry's exposition: escaped help and labels, summed shards, cumulative buckets, signed gauges")
    func registryExposition() {
        let text = SampleRegistry.filled().registry.exposition()
        let lines = Set(text.split(separator: "\n").map(String.init))
        for expected in [
            "# HELP findreviewer_journal_bytes_written_total Bytes written to the journal.\\nIncludes headers.",
            "# TYPE findreviewer_rpc_calls_total counter",
            "findreviewer_rpc_calls_total{method=\"findreviewer.v1.FindReviewer/GetReview\",code=\"OK\"} 12",
            "findreviewer_rpc_calls_total{method=\"findreviewer.v1.FindReviewer/CreateInfoRequest\",code=\"NOT_FOUND\"} 1",
            "findreviewer_rpc_calls_total{method=\"unknown\",code=\"INVALID_ARGUMENT\"} 0",
            "# TYPE findreviewer_rpc_call_duration_seconds histogram",
            "findreviewer_rpc_call_duration_seconds_bucket{method=\"findreviewer.v1.FindReviewer/GetReview\",le=\"5e-05\"} 1",
            "findreviewer_rpc_call_duration_seconds_bucket{method=\"findreviewer.v1.FindReviewer/GetReview\",le=\"0.001\"} 1",
            "findreviewer_rpc_call_duration_seconds_bucket{method=\"findreviewer.v1.FindReviewer/GetReview\",le=\"0.0025\"} 2",
            "findreviewer_rpc_call_duration_seconds_bucket{method=\"findreviewer.v1.FindReviewer/GetReview\",le=\"+Inf\"} 2",
            "findreviewer_rpc_call_duration_seconds_sum{method=\"findreviewer.v1.FindReviewer/GetReview\"} 0.00203",
            "findreviewer_rpc_call_duration_seconds_count{method=\"findreviewer.v1.FindReviewer/GetReview\"} 2",
            "findreviewer_rpc_call_duration_seconds_bucket{method=\"findreviewer.v1.FindReviewer/CreateInfoRequest\",le=\"10\"} 0",
            "findreviewer_rpc_call_duration_seconds_bucket{method=\"findreviewer.v1.FindReviewer/CreateInfoRequest\",le=\"+Inf\"} 1",
            "findreviewer_rpc_calls_in_flight 2",
            "findreviewer_journal_records_per_fsync_bucket{le=\"2\"} 0",
            "findreviewer_journal_records_per_fsync_bucket{le=\"4\"} 1",
            "findreviewer_journal_bytes_written_total 4096",
            "findreviewer_domain_info_requests{status=\"pending\"} 3",
            "findreviewer_outbox_backlog 2",
            "findreviewer_outbox_delivery_failures_total{transport=\"smtp \\\"relay\\\"\\\\\\n\"} 5",
            "findreviewer_snapshot_last_success_timestamp_seconds 1700000000.5",
            "findreviewer_build_info{version=\"0.1.0\"} 1",
            "# TYPE findreviewer_process_cpu_seconds_total counter",
        ] {
            #expect(lines.contains(expected), "missing line: \(expected)")
        }
        // Every sample line's name starts with the prefix.
        for line in lines where !line.hasPrefix("#") {
            #expect(line.hasPrefix(MetricNames.prefix), "\(line)")
        }
    }

    @Test("names: the prefix and Prometheus' syntax")
    func names() {
        #expect(MetricNames.isValidMetricName("findreviewer_rpc_calls_total"))
        #expect(!MetricNames.isValidMetricName("rpc_calls_total"))
        #expect(!MetricNames.isValidMetricName("findreviewer_rpc-calls"))
        #expect(MetricNames.isValidLabelName("method"))
        #expect(!MetricNames.isValidLabelName("__name__"))
        #expect(!MetricNames.isValidLabelName("1code"))
    }
}
