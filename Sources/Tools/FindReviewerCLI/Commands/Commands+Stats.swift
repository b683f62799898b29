import FindReviewerClient
import Foundation
import Messages
import RPC
import ToolSupport

extension Commands {
    /// `stats`: the metrics of the server over the RPC port (admin key).
    static let stats: [Command] = [
        Command(
            CommandSpec(
                ["stats"], summary: "Show the server's metrics: calls, latency, journal, snapshots, timers, outbox (admin).",
                discussion: """
                    The figures of the metrics port (README "Metrics"), read over the RPC port
                    (Admin/GetStats), so it works where --metrics-listen is off. The table leaves
                    out series that are zero (of ~700 call counters most are); --all shows them,
                    --json gives every series with histogram buckets.
                    Histograms show their count, sum, p50 and p99 (estimated from the buckets,
                    as Prometheus' histogram_quantile does).
                    """,
                options: [json, .flag("all", "Show series whose value is zero too.")])
        ) { invocation throws(CLIError) in
            let answer = try invocation.call("Admin/GetStats") { client throws(RPCError) in try client.getStats(GetStatsRequest()) }
            let all = invocation.arguments.flag("all")
            invocation.emit(answer) { Self.statsTable(answer, all: all) }
            return ExitStatus.success
        },
    ]

    /// One row per series: the metric with its labels, the type and the value. Columns are
    /// aligned but never cut (``Table`` cuts long cells; metric names with labels are long).
    static func statsTable(_ answer: GetStatsResponse, all: Bool) -> String {
        var rows: [[String]] = []
        for family in answer.families {
            for series in family.series {
                let labels = series.labels.map { "\($0.name)=\"\($0.value)\"" }.joined(separator: ",")
                let name = labels.isEmpty ? family.name : "\(family.name){\(labels)}"
                if family.type == "histogram" {
                    guard all || series.count > 0 else { continue }
                    let value = "count \(series.count)  sum \(Self.number(series.value))  p50 \(Self.number(series.p50))  p99 \(Self.number(series.p99))"
                    rows.append([name, family.type, value])
                } else {
                    guard all || series.value != 0 else { continue }
                    rows.append([name, family.type, Self.number(series.value)])
                }
            }
        }
        let headers = ["METRIC", "TYPE", "VALUE"]
        let widths = (0..<2).map { column in ([headers] + rows).map { $0[column].count }.max() ?? 0 }
        var out = "readiness  \(answer.readiness)\n"
        for row in [headers] + rows {
            out += row[0].padding(toLength: widths[0] + 2, withPad: " ", startingAt: 0)
                + row[1].padding(toLength: widths[1] + 2, withPad: " ", startingAt: 0) + row[2] + "\n"
        }
        return out
    }

    /// Whole numbers without a fraction, large ones to the millisecond, others with up to 6 significant digits.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        // Times (Unix seconds) and other large figures keep their whole part.
        if abs(value) >= 1e6 { return String(format: "%.3f", value) }
        return String(format: "%.6g", value)
    }
}
