import FindReviewerTestSupport
import Foundation
import Testing

/// `findreviewer-load` as a process against the real server: short runs, zero errors, valid JSON.
@Suite("findreviewer-load against a real server", .serialized)
struct LoadToolTests {
    static func load(_ server: TestServer, _ arguments: [String]) throws -> ToolProcess {
        try ToolProcess.run("findreviewer-load", arguments, environment: server.environment)
    }

    static func summary(_ result: ToolProcess) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any], "\(result.output)\n\(result.errors)")
    }

    static func checkLatency(_ summary: [String: Any]) throws {
        let latency = try #require(summary["latency_ms"] as? [String: Double])
        let ordered = try ["p50", "p90", "p99", "p999", "max"].map { try #require(latency[$0], "\($0)") }
        #expect(ordered.first! > 0)
        #expect(zip(ordered, ordered.dropFirst()).allSatisfy { $0 <= $1 }, "\(ordered)")
    }

    @Test("each preset, closed loop, a few hundred calls: exactly that many, no errors, the mix's methods", arguments: ["read", "write", "mixed"])
    func preset(mix: String) throws {
        let server = try TestServer()
        defer { server.stop() }
        let result = try Self.load(server, ["--mix", mix, "--connections", "3", "--concurrency", "2", "--requests", "400", "--json", "--seed-reviews", "8"])
        #expect(result.status == 0, "\(result.errors)")
        let summary = try Self.summary(result)
        #expect(summary["calls"] as? Int == 400)
        #expect(summary["ok"] as? Int == 400)
        #expect((summary["errors"] as? [String: Int])?.isEmpty == true, "\(summary["errors"] ?? "")")
        #expect((summary["throughput"] as? Double ?? 0) > 0)
        #expect(summary["mode"] as? String == "closed")
        try Self.checkLatency(summary)
        let methods = try #require(summary["methods"] as? [String: Int])
        #expect(methods.values.reduce(0, +) == 400)
        let writes: Set = ["PublishReview", "CreateInfoRequest", "WithdrawInfoRequest", "SetPublicReply", "CreateReport", "UpsertReviewer"]
        switch mix {
        case "read": #expect(Set(methods.keys).isDisjoint(with: writes))
        case "write": #expect(Set(methods.keys).isSubset(of: writes))
        default: #expect(!Set(methods.keys).isDisjoint(with: writes) && !Set(methods.keys).isSubset(of: writes))
        }
    }

    @Test("a timed run prints a progress line each second on standard error and the summary as text")
    func timedRunWithProgress() throws {
        let server = try TestServer()
        defer { server.stop() }
        let result = try Self.load(server, ["--mix", "mixed", "--connections", "2", "--duration", "2.5"])
        #expect(result.status == 0, "\(result.errors)")
        let progress = result.errors.split(separator: "\n").filter { $0.hasPrefix("[") && $0.contains("calls/s") }
        // Ticks at 1 s and 2 s; a third only if the last calls outlive the 3 s tick on a busy machine.
        #expect((2...3).contains(progress.count), "\(result.errors)")
        #expect(progress.first?.hasPrefix("[  1s]") == true)
        #expect(result.output.contains("errors      none"))
        #expect(result.output.contains("latency ms  p50 "))
        #expect(result.output.contains("p99.9 "))
    }

    @Test("open loop at a fixed rate: calls are due at the rate, counted from their due time")
    func openLoop() throws {
        let server = try TestServer()
        defer { server.stop() }
        // --requests with --rate: 150 calls due over 1.5 s; the run cannot finish much earlier.
        let result = try Self.load(server, ["--mix", "GetReview=3,SetPublicReply=1", "--rate", "100", "--requests", "150", "--json", "--quiet"])
        #expect(result.status == 0, "\(result.errors)")
        let summary = try Self.summary(result)
        #expect(summary["mode"] as? String == "open")
        #expect(summary["calls"] as? Int == 150)
        #expect((summary["elapsed_s"] as? Double ?? 0) >= 1.48)
        #expect(Set((summary["methods"] as? [String: Int] ?? [:]).keys) == ["GetReview", "SetPublicReply"])
        try Self.checkLatency(summary)
    }

    @Test("bad command lines exit 2 before touching the server; an unreachable server fails seeding with 78")
    func failures() throws {
        for arguments in [["--mix", "heavy"], ["--connections", "0"], ["--duration", "1", "--requests", "5"], ["--rate", "-1"]] {
            let result = try ToolProcess.run("findreviewer-load", arguments + ["--server", "127.0.0.1:1"])
            #expect(result.status == 2, "\(arguments): \(result.errors)")
            #expect(result.errors.hasPrefix("findreviewer-load: "))
        }
        let unreachable = try ToolProcess.run("findreviewer-load", ["--server", "127.0.0.1:1", "--key", "k", "--requests", "5"])
        #expect(unreachable.status == 78)
        #expect(unreachable.errors.contains("Is the server running"))
    }
}
