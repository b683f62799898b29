import FindReviewerClient
import FindReviewerTestSupport
import Foundation
import Glibc
import Messages
import RPC
import Testing

/// The metrics port of the real server binary (`--metrics-listen`): its exposition, a real
/// Prometheus scraping it, `/readyz` through a drain, and bad HTTP input.
@Suite("Metrics port of the real server", .serialized)
struct MetricsEndToEndTests {
    static let health = "findreviewer.v1.Health/Check"

    /// A server with the metrics port on an ephemeral loopback port.
    static func server(_ arguments: [String] = []) throws -> ServerProcess {
        let server = try ServerProcess(arguments: ["--test-clock", "--metrics-listen", "127.0.0.1:0"] + arguments)
        #expect(server.metricsPort > 0, "no metrics line in \(server.output)")
        return server
    }

    /// The value of the series `name{labels}` in an exposition, nil if absent.
    static func value(_ text: String, _ name: String, _ labels: [String: String] = [:]) -> Double? {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            let series = line[..<space]
            let seriesName: Substring
            var seriesLabels: [String: String] = [:]
            if let brace = series.firstIndex(of: "{") {
                seriesName = series[..<brace]
                let inner = series[series.index(after: brace)..<series.index(before: series.endIndex)]
                // The values tested here hold no commas or escaped quotes.
                for pair in inner.split(separator: ",") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2 else { continue }
                    seriesLabels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
                }
            } else {
                seriesName = series
            }
            if seriesName == name && seriesLabels == labels { return Double(line[line.index(after: space)...]) }
        }
        return nil
    }

    static func scrape(_ server: ServerProcess) throws -> String {
        let response = try HTTPTestClient.get(port: server.metricsPort, "/metrics")
        #expect(response.statusCode == 200)
        #expect(response.fields["content-type"] == "text/plain; version=0.0.4; charset=utf-8", "\(response.fields)")
        return response.body
    }

    /// Some of everything: reads, writes (journal), an unknown method, a rejected key.
    static func exercise(_ server: ServerProcess) throws -> FindReviewerClient {
        let admin = try FindReviewerClient(address: "127.0.0.1:\(server.port)", key: server.key(role: "admin"))
        for id in ["acme", "bolt", "cork"] {
            _ = try admin.upsertBusiness(
                UpsertBusinessRequest(business: Business(id: id, displayName: id.capitalized, notificationEmail: "a@\(id).example")))
        }
        _ = try admin.upsertReviewer(UpsertReviewerRequest(reviewer: Reviewer(id: "ann", displayName: "Ann", email: "ann@m.example")))
        _ = try admin.publishReview(PublishReviewRequest(review: Review(id: "r1", businessId: "acme", reviewerId: "ann", rating: 2, source: .organic)))
        return admin
    }

    @Test("the real server's exposition passes promtool check metrics and has every family of the README", .enabled(if: PrometheusProcess.promtool != nil))
    func promtool() throws {
        let server = try Self.server()
        defer { server.stop(); server.cleanUp() }
        _ = try Self.exercise(server)
        let text = try Self.scrape(server)
        let (status, output) = try PrometheusProcess.checkMetrics(text)
        #expect(status == 0, "\(output)")
        #expect(output.isEmpty, "\(output)")
        let families = [
            "rpc_calls_total", "rpc_call_duration_seconds", "rpc_calls_in_flight", "rpc_connections_open", "rpc_connections_refused_total",
            "rpc_frames_refused_total", "journal_records_written_total", "journal_bytes_written_total", "journal_fsync_duration_seconds",
            "journal_records_per_fsync", "journal_write_failures_total", "journal_writes_refused_total", "snapshot_duration_seconds",
            "snapshot_size_bytes", "snapshot_last_success_timestamp_seconds", "snapshot_failures_total", "recovery_duration_seconds",
            "domain_info_requests", "domain_businesses", "domain_reviews", "domain_reports_open", "timer_transitions_total", "timer_lag_seconds",
            "outbox_backlog", "outbox_oldest_pending_age_seconds", "outbox_delivered_total", "outbox_delivery_failures_total",
            "process_cpu_seconds_total", "process_resident_memory_bytes", "process_open_fds", "process_start_time_seconds", "build_info",
            "metrics_http_responses_total",
        ]
        for family in families {
            #expect(text.contains("# TYPE findreviewer_\(family) "), "findreviewer_\(family) missing")
        }
        let names = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { $0.prefix { $0 != "{" && $0 != " " } }
        #expect(names.allSatisfy { $0.hasPrefix("findreviewer_") })
    }

    @Test("counters match the calls made: by method and code, latency counts, journal records, domain counts, refused frames")
    func countersMatch() throws {
        let directory = ServerProcess.makeDataDirectory()
        let portFile = directory.appendingPathComponent("metrics.port").path
        let server = try Self.server(["--metrics-port-file", portFile])
        defer { server.stop(); server.cleanUp() }
        // --metrics-port-file says the same port as the output line.
        let written = try String(contentsOfFile: portFile, encoding: .utf8)
        #expect(Int(written.trimmingCharacters(in: .whitespacesAndNewlines)) == server.metricsPort)

        let admin = try Self.exercise(server)
        let rpc = try RPCClient(address: "127.0.0.1:\(server.port)")
        for _ in 0..<25 { _ = try rpc.call(Self.health, HealthCheckRequest(), as: HealthCheckResponse.self) }
        for _ in 0..<3 {
            let error = #expect(throws: RPCError.self) { _ = try rpc.callRaw(method: "findreviewer.v1.Nope/Nothing", request: []) }
            #expect(error?.code == .unimplemented)
        }
        let unauthenticated = #expect(throws: RPCError.self) {
            _ = try rpc.call("findreviewer.v1.FindReviewer/GetBusiness", GetBusinessRequest(businessId: "acme"), as: GetBusinessResponse.self)
        }
        #expect(unauthenticated?.code == .unauthenticated)
        // Garbage on the RPC port: one refused stream (bad preface); the port keeps serving.
        let garbage = try TestConnection(port: server.port)
        garbage.send("GET / HTTP/1.1\r\n\r\n")
        #expect(garbage.readUntilClosed(timeout: 10).closed)

        let text = try Self.scrape(server)
        let health = ["method": Self.health]
        #expect(Self.value(text, "findreviewer_rpc_calls_total", health.merging(["code": "OK"]) { $1 }) == 25)
        #expect(Self.value(text, "findreviewer_rpc_call_duration_seconds_count", health) == 25)
        #expect(Self.value(text, "findreviewer_rpc_calls_total", ["method": "unknown", "code": "UNIMPLEMENTED"]) == 3)
        let getBusiness = "findreviewer.v1.FindReviewer/GetBusiness"
        #expect(Self.value(text, "findreviewer_rpc_calls_total", ["method": getBusiness, "code": "UNAUTHENTICATED"]) == 1)
        #expect(Self.value(text, "findreviewer_rpc_calls_total", ["method": getBusiness, "code": "OK"]) == 0)
        let upsert = "findreviewer.v1.FindReviewer/UpsertBusiness"
        #expect(Self.value(text, "findreviewer_rpc_calls_total", ["method": upsert, "code": "OK"]) == 3)
        #expect(Self.value(text, "findreviewer_rpc_frames_refused_total", ["reason": "bad_preface"]) == 1)
        #expect(Self.value(text, "findreviewer_rpc_calls_in_flight") == 0)
        // The two clients' connections (the garbage one is closed; its loop may still be at it).
        #expect(try Self.waitFor(server, "findreviewer_rpc_connections_open", equals: 2) == 2)
        // Five writes of one event each: five records, each made durable by some fsync.
        #expect(Self.value(text, "findreviewer_journal_records_written_total") == 5)
        #expect(Self.value(text, "findreviewer_journal_records_per_fsync_sum") == 5)
        let fsyncs = try #require(Self.value(text, "findreviewer_journal_fsync_duration_seconds_count"))
        #expect(fsyncs >= 1 && fsyncs <= 5)
        #expect(try #require(Self.value(text, "findreviewer_journal_bytes_written_total")) > 5 * 16)
        #expect(Self.value(text, "findreviewer_domain_businesses") == 3)
        #expect(Self.value(text, "findreviewer_domain_reviews") == 1)
        #expect(Self.value(text, "findreviewer_domain_info_requests", ["status": "pending"]) == 0)
        #expect(Self.value(text, "findreviewer_build_info", ["version": "0.1.0"]) == 1)
        #expect(Self.value(text, "findreviewer_snapshot_last_success_timestamp_seconds") == 0)

        // A snapshot through the admin method shows in the snapshot families.
        _ = try admin.rpc.call("findreviewer.v1.Admin/TriggerSnapshot", TriggerSnapshotRequest(), as: TriggerSnapshotResponse.self)
        let after = try Self.scrape(server)
        #expect(Self.value(after, "findreviewer_snapshot_duration_seconds_count") == 1)
        #expect(try #require(Self.value(after, "findreviewer_snapshot_size_bytes")) > 0)
        #expect(try #require(Self.value(after, "findreviewer_snapshot_last_success_timestamp_seconds")) > 1_700_000_000)
        #expect(try rpc.call(Self.health, HealthCheckRequest(), as: HealthCheckResponse.self).status == .serving)
    }

    /// Polls the exposition until `name{labels}` equals `expected` (or 60 s pass); returns the last value.
    static func waitFor(_ server: ServerProcess, _ name: String, _ labels: [String: String] = [:], equals expected: Double) throws -> Double? {
        let deadline = Date().addingTimeInterval(60)
        var last: Double?
        while Date() < deadline {
            last = Self.value(try Self.scrape(server), name, labels)
            if last == expected { return last }
            usleep(50_000)  // polling the delivery thread's progress, bounded by `deadline`
        }
        return last
    }

    @Test("timers and outbox: transitions by kind with their lag, emails delivered by transport, backlog, requests by status")
    func timersAndOutbox() throws {
        let server = try Self.server()
        defer { server.stop(); server.cleanUp() }
        let admin = try Self.exercise(server)
        _ = try admin.acknowledgeIntroduction(AcknowledgeIntroductionRequest(businessId: "acme"))
        let create = CreateInfoRequestRequest(
            businessId: "acme", reviewId: "r1", message: "Hi! We cannot find your booking.", requestedFields: [.referenceNumber])
        _ = try #require(try admin.createInfoRequest(create).request)
        let file = ["transport": "file"]
        #expect(try Self.waitFor(server, "findreviewer_outbox_delivered_total", file, equals: 1) == 1)
        #expect(try Self.waitFor(server, "findreviewer_outbox_backlog", equals: 0) == 0)
        var text = try Self.scrape(server)
        #expect(Self.value(text, "findreviewer_domain_info_requests", ["status": "pending"]) == 1)
        #expect(Self.value(text, "findreviewer_timer_transitions_total", ["kind": "reminder"]) == 0)

        // The reminder exactly at its due time (lag 0), the expiry an hour after its (lag 3600 s).
        #expect(try admin.advanceClock(AdvanceClockRequest(seconds: 72 * 3_600)).transitionsApplied == 1)
        #expect(try admin.advanceClock(AdvanceClockRequest(seconds: 49 * 3_600)).transitionsApplied == 1)
        text = try Self.scrape(server)
        #expect(Self.value(text, "findreviewer_timer_transitions_total", ["kind": "reminder"]) == 1)
        #expect(Self.value(text, "findreviewer_timer_transitions_total", ["kind": "expiry"]) == 1)
        #expect(Self.value(text, "findreviewer_timer_lag_seconds_count") == 2)
        #expect(Self.value(text, "findreviewer_timer_lag_seconds_sum") == 3_600)
        #expect(Self.value(text, "findreviewer_timer_lag_seconds_bucket", ["le": "1"]) == 1)
        #expect(Self.value(text, "findreviewer_domain_info_requests", ["status": "pending"]) == 0)
        #expect(Self.value(text, "findreviewer_domain_info_requests", ["status": "expired"]) == 1)
        // Every email written to the outbox directory is counted once, none failed.
        let outbox = server.dataDirectory.appendingPathComponent("outbox")
        let deadline = Date().addingTimeInterval(60)
        var emails = 0
        var delivered: Double?
        while Date() < deadline {
            #expect(try Self.waitFor(server, "findreviewer_outbox_backlog", equals: 0) == 0)
            emails = OutboxContents.emails(in: outbox).count
            delivered = Self.value(try Self.scrape(server), "findreviewer_outbox_delivered_total", file)
            if emails >= 2 && delivered == Double(emails) { break }
            usleep(50_000)  // polling the delivery thread, bounded by `deadline`
        }
        #expect(emails >= 2)
        #expect(delivered == Double(emails))
        #expect(Self.value(try Self.scrape(server), "findreviewer_outbox_delivery_failures_total", file) == 0)
        #expect(Self.value(try Self.scrape(server), "findreviewer_outbox_oldest_pending_age_seconds") == 0)
    }

    @Test(
        "a real Prometheus scrapes the real server and its query for the call counter returns the calls made",
        .enabled(if: PrometheusProcess.executable != nil), .timeLimit(.minutes(3)))
    func prometheusScrapes() throws {
        let server = try Self.server()
        defer { server.stop(); server.cleanUp() }
        let prometheus = try PrometheusProcess(targets: ["127.0.0.1:\(server.metricsPort)"], timeout: 90)
        defer { prometheus.stop() }
        let rpc = try RPCClient(address: "127.0.0.1:\(server.port)")
        for _ in 0..<17 { _ = try rpc.call(Self.health, HealthCheckRequest(), as: HealthCheckResponse.self) }
        let query = "findreviewer_rpc_calls_total{method=\"\(Self.health)\",code=\"OK\"}"
        // Generous: Prometheus on a loaded 2-vCPU machine once took 60 s to show a scrape.
        let seen = prometheus.waitUntil(query, equals: "17", timeout: 90)
        #expect(seen == ["17"], "targets: \(prometheus.targetHealth())\nlog: \(prometheus.logs)")
        #expect(prometheus.waitUntil("up{job=\"findreviewer\"}", equals: "1", timeout: 30) == ["1"])
        for _ in 0..<8 { _ = try rpc.call(Self.health, HealthCheckRequest(), as: HealthCheckResponse.self) }
        #expect(prometheus.waitUntil(query, equals: "25", timeout: 90) == ["25"])
    }

    @Test("/readyz: 200 while serving, 503 draining after SIGTERM while calls are still served during --shutdown-delay, then a clean exit")
    func readyzDuringDrain() throws {
        let server = try Self.server(["--shutdown-delay", "15"])
        defer { server.cleanUp() }
        let ready = try HTTPTestClient.get(port: server.metricsPort, "/readyz")
        #expect(ready.statusCode == 200)
        #expect(ready.body == "serving\n" || ready.body == "serving", "\(ready.body)")
        #expect(try HTTPTestClient.get(port: server.metricsPort, "/healthz").statusCode == 200)
        // A connection held open across the signal.
        let rpc = try RPCClient(address: "127.0.0.1:\(server.port)")
        _ = try rpc.call(Self.health, HealthCheckRequest(), as: HealthCheckResponse.self)
        Glibc.kill(server.processIdentifier, SIGTERM)
        var draining: RawHTTPResponse?
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let response = try? HTTPTestClient.get(port: server.metricsPort, "/readyz", timeout: 5), response.statusCode == 503 {
                draining = response
                break
            }
            usleep(20_000)  // polling for the state change, bounded by `deadline`
        }
        let response = try #require(draining, "/readyz never answered 503 after SIGTERM; logs: \(server.logs)")
        #expect(response.body.hasPrefix("draining"), "\(response.body)")
        // Liveness holds, and the held connection is still served during the delay.
        #expect(try HTTPTestClient.get(port: server.metricsPort, "/healthz").statusCode == 200)
        #expect(try rpc.call(Self.health, HealthCheckRequest(), as: HealthCheckResponse.self).status == .serving)
        #expect(server.stop(timeout: 90) == 0)
    }

    @Test("bad HTTP input gets its status or a close, and the RPC port keeps serving", .timeLimit(.minutes(3)))
    func badHTTPInput() throws {
        let server = try Self.server()
        defer { server.stop(); server.cleanUp() }
        let port = server.metricsPort
        let rpc = try RPCClient(address: "127.0.0.1:\(server.port)")
        func rpcServes() throws {
            #expect(try rpc.call(Self.health, HealthCheckRequest(), as: HealthCheckResponse.self).status == .serving)
        }
        // An oversized request line: 414.
        let longLine = "GET /" + String(repeating: "a", count: 9_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"
        #expect(try HTTPTestClient.exchange(port: port, longLine).statusCode == 414)
        try rpcServes()
        // Too many header fields: 431.
        var many = "GET /metrics HTTP/1.1\r\nHost: x\r\n"
        for index in 0..<100 { many += "X-Field-\(index): \(index)\r\n" }
        #expect(try HTTPTestClient.exchange(port: port, many + "\r\n").statusCode == 431)
        try rpcServes()
        // Garbage: 400.
        #expect(try HTTPTestClient.exchange(port: port, [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]).statusCode == 400)
        #expect(try HTTPTestClient.exchange(port: port, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").statusCode == 505)
        #expect(try HTTPTestClient.exchange(port: port, "DELETE /metrics HTTP/1.1\r\nHost: x\r\n\r\n").statusCode == 405)
        #expect(try HTTPTestClient.get(port: port, "/nothing").statusCode == 404)
        try rpcServes()
        // A slow sender: half a request head, then silence; 408 within the 10 s request timeout.
        let slow = try TestConnection(port: port)
        slow.send("GET /metrics HTTP/1.1\r\nHost: x\r\n")
        // Meanwhile both ports serve.
        try rpcServes()
        #expect(try HTTPTestClient.get(port: port, "/healthz").statusCode == 200)
        let (answer, closed) = slow.readUntilClosed(timeout: 60)
        #expect(closed)
        #expect(answer.statusCode == 408, "\(answer.text)")
        try rpcServes()
        #expect(try HTTPTestClient.get(port: port, "/metrics").statusCode == 200)
    }

    @Test("without --metrics-listen there is no metrics port; FINDREVIEWER_METRICS_LISTEN is the flag's variable")
    func offByDefault() throws {
        let server = try ServerProcess()
        defer { server.stop(); server.cleanUp() }
        #expect(server.metricsPort == 0)
        #expect(!server.output.contains("metrics on"))
        let usage = Process()
        usage.executableURL = ServerProcess.executable("findreviewer-server")
        usage.arguments = ["--help"]
        let pipe = Pipe()
        usage.standardOutput = pipe
        try usage.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        usage.waitUntilExit()
        #expect(text.contains("--metrics-listen HOST:PORT"))
        #expect(text.contains("[FINDREVIEWER_METRICS_LISTEN]"))
        #expect(text.contains("[FINDREVIEWER_METRICS_PORT_FILE]"))
    }
}
