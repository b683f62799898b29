import FindReviewerTestSupport
import Foundation
import Testing

/// `findreviewer stats` against the real server, with the metrics port off: the figures come
/// over the RPC port (Admin/GetStats).
@Suite("findreviewer stats")
struct StatsCommandTests {
    @Test("stats as a table and --json: call counts, domain counts and histograms, with the metrics port off")
    func stats() throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(server.server.metricsPort == 0)
        let imported = try server.cli(["import", "-"], input: CLIServerTests.seed)
        #expect(imported.status == 0, "\(imported.errors)")

        let table = try server.cli(["stats"])
        #expect(table.status == 0, "\(table.errors)")
        let lines = table.output.split(separator: "\n").map(String.init)
        #expect(lines.first == "readiness  serving")
        #expect(lines.dropFirst().first?.hasPrefix("METRIC") == true)
        func row(_ metric: String) -> [String]? {
            lines.first { $0.hasPrefix(metric + " ") }?.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        }
        #expect(row("findreviewer_domain_businesses") == ["findreviewer_domain_businesses", "gauge", "2"])
        #expect(row("findreviewer_domain_reviews") == ["findreviewer_domain_reviews", "gauge", "3"])
        #expect(row("findreviewer_build_info{version=\"0.1.0\"}") == ["findreviewer_build_info{version=\"0.1.0\"}", "gauge", "1"])
        // Zero series are left out of the table; --all shows them.
        let unused = "findreviewer_rpc_calls_total{method=\"findreviewer.v1.FindReviewer/GetPublicReview\",code=\"OK\"}"
        #expect(row(unused) == nil)
        let all = try server.cli(["stats", "--all"])
        #expect(all.output.split(separator: "\n").contains { $0.hasPrefix(unused + " ") })

        let json = try CLIServerTests.json(try server.cli(["stats", "--json"]).output)
        #expect(json["readiness"] as? String == "serving")
        let families = try #require(json["families"] as? [[String: Any]])
        func family(_ name: String) -> [String: Any]? { families.first { $0["name"] as? String == name } }
        let journal = try #require(family("findreviewer_journal_records_written_total"))
        #expect(journal["type"] as? String == "counter")
        #expect(((journal["series"] as? [[String: Any]])?.first?["value"] as? Double) == 6)
        let latency = try #require(family("findreviewer_rpc_call_duration_seconds"))
        #expect(latency["type"] as? String == "histogram")
        let series = try #require(latency["series"] as? [[String: Any]])
        let upsert = try #require(series.first {
            ($0["labels"] as? [[String: Any]])?.first?["value"] as? String == "findreviewer.v1.FindReviewer/UpsertBusiness"
        })
        #expect(upsert["count"] as? String == "2")
        #expect((upsert["buckets"] as? [[String: Any]])?.count == 17)
        #expect(try #require(upsert["p99"] as? Double) > 0)
        // The stats calls before this one were counted too.
        let calls = try #require(family("findreviewer_rpc_calls_total")?["series"] as? [[String: Any]])
        let stats = calls.first {
            let labels = ($0["labels"] as? [[String: Any]]) ?? []
            return labels.map { $0["value"] as? String } == ["findreviewer.v1.Admin/GetStats", "OK"]
        }
        #expect(stats?["value"] as? Double == 2)
    }
}
