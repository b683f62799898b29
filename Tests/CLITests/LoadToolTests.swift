import FindReviewerLoad
import FindReviewerTestSupport
import Foundation
import Glibc
import Messages
import RPC
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
        let ordered = try ["p50", "p90", "p99", "p999", "p9999", "max"].map { try #require(latency[$0], "\($0)") }
        #expect(ordered.first! > 0)
        #expect(zip(ordered, ordered.dropFirst()).allSatisfy { $0 <= $1 }, "\(ordered)")
    }

    static let writes: Set = [
        "PublishReview", "CreateInfoRequest", "WithdrawInfoRequest", "SetPublicReply", "CreateReport", "UpsertReviewer", "ReplyToRequest",
        "DeclineRequest", "OpenReply", "SendManualReminder",
    ]

    @Test("each preset, closed loop, a few hundred calls: exactly that many, no errors, the mix's methods, a row each", arguments: ["read", "write", "mixed"])
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
        let rows = try #require(summary["per_method"] as? [String: [String: Any]])
        #expect(Set(rows.keys) == Set(methods.keys))
        #expect(rows.values.allSatisfy { ($0["calls"] as? Int ?? 0) > 0 && ($0["p99_ms"] as? Double ?? 0) >= ($0["p50_ms"] as? Double ?? 1) })
        switch mix {
        case "read": #expect(Set(methods.keys).isDisjoint(with: Self.writes))
        case "write": #expect(Set(methods.keys).isSubset(of: Self.writes))
        default: #expect(!Set(methods.keys).isDisjoint(with: Self.writes) && !Set(methods.keys).isSubset(of: Self.writes))
        }
    }

    @Test("a timed run prints a progress line each second on standard error and the summary as text, with CPU and a row per method")
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
        #expect(result.output.contains("p99.9 ") && result.output.contains("p99.99 "))
        #expect(result.output.contains("cpu         tool "))
        #expect(result.output.contains("server (pid \(server.server.processIdentifier))"), "\(result.output)")
        #expect(result.output.contains("  GetReview "))
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

    @Test("--warmup: the calls of the warm-up count nowhere; at 200 calls/s, 1 s of warm-up and 1.5 s measured count 300; CPU of both sides")
    func warmupExcluded() throws {
        let server = try TestServer()
        defer { server.stop() }
        let result = try Self.load(server, ["--mix", "read", "--rate", "200", "--warmup", "1", "--duration", "1.5", "--json"])
        #expect(result.status == 0, "\(result.errors)")
        let summary = try Self.summary(result)
        #expect(summary["calls"] as? Int == 300)
        #expect(summary["warmup_s"] as? Double == 1)
        // The progress lines count the warm-up too, and say which second was one.
        let lines = result.errors.split(separator: "\n").filter { $0.hasPrefix("[") }
        #expect(lines.first?.hasSuffix("(warm-up)") == true, "\(result.errors)")
        let totals = lines.compactMap { line in
            line.range(of: "total ").flatMap { Int(line[$0.upperBound...].prefix { $0.isNumber || $0 == "," }.replacingOccurrences(of: ",", with: "")) }
        }
        // The warm-up second's line already counts calls that the figures leave out (how many
        // later lines show depends on the machine's speed, so only the first is checked).
        #expect((totals.first ?? 0) > 0, "\(result.errors)")
        let cpu = try #require(summary["cpu"] as? [String: Any])
        #expect((cpu["tool_s"] as? Double ?? 0) > 0)
        #expect(cpu["server_pid"] as? Int == Int(server.server.processIdentifier))
        #expect((cpu["server_s"] as? Double ?? -1) >= 0)
        #expect(cpu["tool_us_per_call"] is Double)
    }

    @Test("the whole workflow: replies and declines by the tokens in the outbox, opened replies, reminders after the test clock moved; --verify finds every acknowledged write")
    func workflowAndVerify() throws {
        // Fair-use limits raised (README, Load testing): the write mix passes 2,000 creates per
        // business within the run, and those refusals would be errors.
        let server = try TestServer(testClock: true, arguments: ["--max-requests-per-day-paid", "1000000"])
        defer { server.stop() }
        let result = try Self.load(
            server,
            ["--mix", "write", "--connections", "4", "--concurrency", "3", "--duration", "3", "--seed-expired", "10", "--seed-reviews", "20",
             "--verify", "--json", "--quiet"])
        #expect(result.status == 0, "\(result.output)\n\(result.errors)")
        let summary = try Self.summary(result)
        #expect((summary["errors"] as? [String: Int])?.isEmpty == true, "\(summary["errors"] ?? "")")
        let methods = try #require(summary["methods"] as? [String: Int])
        for method in ["ReplyToRequest", "DeclineRequest", "OpenReply", "SendManualReminder", "WithdrawInfoRequest", "CreateInfoRequest"] {
            #expect((methods[method] ?? 0) > 0, "\(method): \(methods)")
        }
        let verify = try #require(summary["verify"] as? [String: Any])
        #expect(verify["lost"] as? Int == 0, "\(verify)")
        #expect(verify["unreadable"] as? Int == 0, "\(verify)")
        #expect((verify["confirmed"] as? Int ?? 0) > 100, "\(verify)")
    }

    @Test("1,000 connections against a real server (started with --max-connections 2000): every one open, every call answered")
    func thousandConnections() throws {
        // The server inherits this process's descriptor limit.
        #expect(DescriptorLimit.raise(to: 4_096) == nil)
        let server = try TestServer(arguments: ["--max-connections", "2000"])
        defer { server.stop() }
        let result = try Self.load(
            server, ["--mix", "read", "--connections", "1000", "--requests", "5000", "--seed-reviews", "3", "--seed-pending", "1", "--json", "--quiet"])
        #expect(result.status == 0, "\(result.errors)")
        let summary = try Self.summary(result)
        #expect(summary["connections"] as? Int == 1_000)
        #expect(summary["calls"] as? Int == 5_000)
        #expect(summary["ok"] as? Int == 5_000)
        #expect(summary["threads"] as? Int == min(1_000, ProcessInfo.processInfo.activeProcessorCount))
        #expect(summary["reconnects"] as? Int == 0)
    }

    @Test("bad command lines exit 2 before touching the server; an unreachable server exits 78; a refused connection says why")
    func failures() throws {
        for arguments in [["--mix", "heavy"], ["--connections", "0"], ["--duration", "1", "--requests", "5"], ["--rate", "-1"], ["--threads", "0"]] {
            let result = try ToolProcess.run("findreviewer-load", arguments + ["--server", "127.0.0.1:1"])
            #expect(result.status == 2, "\(arguments): \(result.errors)")
            #expect(result.errors.hasPrefix("findreviewer-load: "))
        }
        let unreachable = try ToolProcess.run("findreviewer-load", ["--server", "127.0.0.1:1", "--key", "k", "--requests", "5"])
        #expect(unreachable.status == 78)
        #expect(unreachable.errors.contains("Is the server running"))

        let server = try TestServer(arguments: ["--max-connections", "4"])
        defer { server.stop() }
        let refused = try Self.load(server, ["--connections", "8", "--requests", "10"])
        #expect(refused.status == 64 + 8, "\(refused.errors)")
        #expect(refused.errors.contains("the server refused a connection: RESOURCE_EXHAUSTED"), "\(refused.errors)")
        #expect(refused.errors.contains("--max-connections"))
    }

    @Test("more connections than the descriptor limit allows: it says so, with the limit and what to do, and exits 1")
    func descriptorLimit() throws {
        let server = try TestServer()
        defer { server.stop() }
        // A hard limit of 256 that the tool cannot raise: root may raise any limit, so as root the
        // shell first gives up CAP_SYS_RESOURCE (setpriv, util-linux).
        let privileged = getuid() == 0
        try #require(!privileged || FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), "running as root needs setpriv")
        let prefix = privileged ? "setpriv --bounding-set=-sys_resource " : ""
        let result = try ToolProcess.shell(
            prefix + "sh -c 'ulimit -n 256 && exec findreviewer-load --connections 2000 --requests 10'", environment: server.environment)
        #expect(result.status == 1, "\(result.errors)")
        #expect(result.errors.contains("--connections 2000 cannot be opened"), "\(result.errors)")
        #expect(result.errors.contains("the limit is 256"), "\(result.errors)")
        #expect(result.errors.contains("ulimit -n"))
    }

    @Test("across three shards (--shard-map): each lane drives businesses of its shard; the whole write workflow, zero errors, --verify finds every write, every shard got its share")
    func acrossThreeShards() throws {
        let cluster = try ShardCluster(arguments: ["--test-clock"])
        defer { cluster.stop() }
        let result = try ToolProcess.run(
            "findreviewer-load",
            ["--shard-map", cluster.mapFile.path, "--data-dir", cluster.root.path, "--mix", "write", "--connections", "6", "--concurrency", "2",
             "--duration", "3", "--seed-expired", "4", "--seed-reviews", "10", "--verify", "--json", "--quiet"])
        #expect(result.status == 0, "\(result.output)\n\(result.errors)")
        let summary = try Self.summary(result)
        #expect((summary["errors"] as? [String: Int])?.isEmpty == true, "\(summary["errors"] ?? "")")
        #expect((summary["ok"] as? Int ?? 0) > 0)
        let methods = try #require(summary["methods"] as? [String: Int])
        for method in ["ReplyToRequest", "DeclineRequest", "OpenReply", "CreateInfoRequest"] {
            #expect((methods[method] ?? 0) > 0, "\(method): \(methods)")
        }
        let verify = try #require(summary["verify"] as? [String: Any])
        #expect(verify["lost"] as? Int == 0, "\(verify)")
        // Every shard holds businesses of the run, each one its own (no WRONG_SHARD above: zero errors).
        for shard in cluster.map.shards {
            let client = try RPCClient(address: shard.address, key: cluster.key(role: "admin"))
            let businesses = try client.call("findreviewer.v1.FindReviewer/ListBusinesses", ListBusinessesRequest(), as: ListBusinessesResponse.self).businesses
            #expect(!businesses.isEmpty, "\(shard.name)")
            #expect(businesses.allSatisfy { cluster.map.owner(ofBusiness: $0.id).name == shard.name })
        }
    }
}
