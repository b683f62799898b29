import FindReviewerTestSupport
import Foundation
import Glibc
import Metrics
import MetricsHTTP
import Testing

/// The metrics port over real loopback sockets.
@Suite("Metrics HTTP server")
struct HTTPServerTests {
    /// A started metrics port over the sample registry, with a manual clock.
    final class Fixture {
        let sample = SampleRegistry.filled()
        let readiness = ServiceReadiness(.serving)
        let clock = ManualClock()
        let server: HTTPServer
        let port: Int

        init(configure: (inout HTTPServerOptions) -> Void = { _ in }) throws {
            var options = HTTPServerOptions()
            options.address = "127.0.0.1:0"
            options.tickMilliseconds = 20
            let clock = self.clock
            options.clock = { clock.now }
            configure(&options)
            self.server = HTTPServer(metrics: self.sample.registry, readiness: self.readiness, options: options)
            self.port = Int(try self.server.start().port)
        }

        deinit { self.server.stop() }

        /// `GET /metrics` answers 200 with the known counter: the port still serves.
        func expectStillServing(sourceLocation: SourceLocation = #_sourceLocation) throws {
            let response = try HTTPTestClient.get(port: self.port, "/metrics")
            #expect(response.statusCode == 200, sourceLocation: sourceLocation)
            #expect(
                response.body.contains("findreviewer_rpc_calls_total{method=\"findreviewer.v1.FindReviewer/GetReview\",code=\"OK\"} 12\n"),
                sourceLocation: sourceLocation)
        }
    }

    /// Polls `condition` (server state another thread changes) for up to `timeout` seconds.
    static func eventually(timeout: TimeInterval = 5, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            usleep(2_000)  // observing another thread, bounded by `deadline`
        }
        return condition()
    }

    @Test("GET /metrics is the exposition as text/plain version 0.0.4, closed after the response")
    func metrics() throws {
        let fixture = try Fixture()
        let response = try HTTPTestClient.get(port: fixture.port, "/metrics")
        #expect(response.statusCode == 200)
        #expect(response.fields["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
        #expect(response.fields["connection"] == "close")
        #expect(response.fields["content-length"] == String(response.body.utf8.count))
        #expect(response.fields["date"]?.hasSuffix(" GMT") == true)
        // The registry's exposition, but for the figures that move between two scrapes.
        func steady(_ text: String) -> [Substring] {
            text.split(separator: "\n").filter { !$0.contains("_process_") && !$0.contains("_metrics_http_") }
        }
        #expect(steady(response.body) == steady(fixture.sample.registry.exposition()))
        #expect(steady(response.body).count > 100)
        try fixture.expectStillServing()
    }

    @Test("one request per connection: a half-closed client gets its answer, a pipelined second request gets none")
    func oneRequestPerConnection() throws {
        let fixture = try Fixture()
        let halfClosed = try TestConnection(port: fixture.port)
        halfClosed.send("GET /healthz HTTP/1.0\r\n\r\n")
        halfClosed.finishSending()
        let (answer, closed) = halfClosed.readUntilClosed()
        #expect(closed)
        #expect(answer.statusCode == 200)
        #expect(answer.body == "ok\n")
        let pipelined = try HTTPTestClient.exchange(
            port: fixture.port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /readyz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(pipelined.text.components(separatedBy: "HTTP/1.1 ").count == 2)  // one status line
        #expect(pipelined.body == "ok\n")
    }

    @Test("HEAD has the headers of GET and no body")
    func head() throws {
        let fixture = try Fixture()
        let response = try HTTPTestClient.get(port: fixture.port, "/metrics", method: "HEAD")
        #expect(response.statusCode == 200)
        #expect(Int(response.fields["content-length"] ?? "") ?? 0 > 1_000)
        #expect(response.body.isEmpty)
    }

    @Test("/healthz is 200 whatever the state; /readyz is 200 only while serving, 503 with the state otherwise")
    func probes() throws {
        let fixture = try Fixture()
        for state in ServiceReadiness.State.allCases {
            fixture.readiness.set(state)
            let health = try HTTPTestClient.get(port: fixture.port, "/healthz")
            #expect(health.statusCode == 200)
            #expect(health.body == "ok\n")
            let ready = try HTTPTestClient.get(port: fixture.port, "/readyz")
            #expect(ready.statusCode == (state == .serving ? 200 : 503), "\(state)")
            #expect(ready.body == "\(state)\n")
        }
    }

    @Test("an unknown path is 404; another method is 405 with Allow, even with a body it never reads")
    func routing() throws {
        let fixture = try Fixture()
        let missing = try HTTPTestClient.get(port: fixture.port, "/metricz")
        #expect(missing.statusCode == 404)
        #expect(missing.body.contains("/metrics, /healthz, /readyz"))
        for method in ["POST", "PUT", "DELETE", "OPTIONS", "BREW"] {
            let refused = try HTTPTestClient.get(port: fixture.port, "/metrics", method: method)
            #expect(refused.statusCode == 405, "\(method)")
            #expect(refused.fields["allow"] == "GET, HEAD")
        }
        let body = String(repeating: "x", count: 200_000)
        let posted = try HTTPTestClient.exchange(
            port: fixture.port, "POST /readyz HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        #expect(posted.statusCode == 405)
        try fixture.expectStillServing()
    }

    static let badRequests: [(String, [UInt8], Int)] = [
        ("oversized request line", Array("GET /\(String(repeating: "a", count: 10_000)) HTTP/1.1\r\nHost: x\r\n\r\n".utf8), 414),
        (
            "too many headers",
            Array(("GET /metrics HTTP/1.1\r\nHost: x\r\n" + (0..<100).map { "X-\($0): y\r\n" }.joined() + "\r\n").utf8), 431
        ),
        ("a header line too large", Array("GET /metrics HTTP/1.1\r\nHost: x\r\nCookie: \(String(repeating: "c", count: 12_000))\r\n\r\n".utf8), 431),
        (
            "a header section too large",
            Array(("GET /metrics HTTP/1.1\r\nHost: x\r\n" + (0..<40).map { "X-\($0): \(String(repeating: "v", count: 500))\r\n" }.joined() + "\r\n").utf8),
            431
        ),
        ("a TLS ClientHello", [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03] + [UInt8](repeating: 0xAB, count: 500), 400),
        ("the RPC preface", [0x46, 0x52, 0x56, 0x57, 0x00, 0x01, 0x00, 0x00], 400),
        ("random bytes", (0..<4_096).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }, 400),
        ("HTTP/0.9", Array("GET /metrics\r\n".utf8), 400),
        ("a missing Host", Array("GET /metrics HTTP/1.1\r\n\r\n".utf8), 400),
        ("a folded header", Array("GET /metrics HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n".utf8), 400),
        ("HTTP/2.0", Array("GET /metrics HTTP/2.0\r\nHost: x\r\n\r\n".utf8), 505),
        ("the HTTP/2 connection preface", Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8), 505),
    ]

    @Test("bad input gets its status and a close, and the port keeps serving", arguments: Self.badRequests)
    func badInput(name: String, bytes: [UInt8], status: Int) throws {
        let fixture = try Fixture()
        let response = try HTTPTestClient.exchange(port: fixture.port, bytes)
        #expect(response.statusCode == status, "\(name): \(response.text.prefix(120))")
        #expect(response.fields["connection"] == "close")
        #expect(fixture.server.openConnections == 0 || Self.eventually { fixture.server.openConnections == 0 })
        try fixture.expectStillServing()
        #expect(fixture.server.responsesByStatus[status] == 1)
    }

    @Test("a sender too slow to finish its request head in time gets 408 and a close; so does a silent one")
    func slowSender() throws {
        let fixture = try Fixture { $0.requestTimeoutSeconds = 10 }
        let slow = try TestConnection(port: fixture.port)
        let silent = try TestConnection(port: fixture.port)
        #expect(slow.send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Ag"))
        #expect(Self.eventually { fixture.server.openConnections == 2 })
        fixture.clock.advance(seconds: 9)
        #expect(slow.staysSilent(for: 0.2))  // ten ticks at 9 s: still waiting for the rest
        fixture.clock.advance(seconds: 1.5)
        for connection in [slow, silent] {
            let (response, closed) = connection.readUntilClosed()
            #expect(closed)
            #expect(response.statusCode == 408)
        }
        try fixture.expectStillServing()
    }

    @Test("a client that does not read its response is cut off after the write timeout")
    func slowReader() throws {
        let clock = ManualClock()
        var options = HTTPServerOptions()
        options.address = "127.0.0.1:0"
        options.tickMilliseconds = 20
        options.writeTimeoutSeconds = 30
        options.clock = { clock.now }
        // 64 MiB: more than the kernel buffers of both ends hold, so the server must wait.
        let body = [UInt8](repeating: UInt8(ascii: "x"), count: 64 << 20)
        let server = HTTPServer(options: options) { _ in HTTPResponse(.ok, body: body) }
        defer { server.stop() }
        let port = Int(try server.start().port)
        let reader = try TestConnection(port: port)
        reader.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(Self.eventually { server.responsesByStatus[200] == 1 })
        #expect(!Self.eventually(timeout: 0.2) { server.openConnections == 0 })  // still writing
        clock.advance(seconds: 31)
        #expect(Self.eventually { server.openConnections == 0 })
        let (response, closed) = reader.readUntilClosed()
        #expect(closed)
        #expect(response.bytes.count < body.count)
        // Another client is served in full meanwhile.
        #expect(try HTTPTestClient.get(port: port, "/", timeout: 20).body.utf8.count == body.count)
    }

    @Test("connections beyond the limit are answered 503 or closed at once; the port serves again once they go")
    func connectionLimit() throws {
        let fixture = try Fixture { $0.maxConnections = 2 }
        var idle = [try TestConnection(port: fixture.port), try TestConnection(port: fixture.port)]
        #expect(Self.eventually { fixture.server.openConnections == 2 })
        let extra = try TestConnection(port: fixture.port)
        let (response, closed) = extra.readUntilClosed()
        #expect(closed)
        #expect(response.statusCode == 503 || response.bytes.isEmpty)
        #expect(fixture.server.connectionsRefused == 1)
        for connection in idle { connection.finishSending() }
        idle.removeAll()
        #expect(Self.eventually { fixture.server.openConnections == 0 })
        try fixture.expectStillServing()
    }

    @Test("the port counts its own responses by status and its refused connections in the registry")
    func ownMetrics() throws {
        let fixture = try Fixture()
        _ = try HTTPTestClient.get(port: fixture.port, "/nope")
        _ = try HTTPTestClient.get(port: fixture.port, "/healthz")
        let families = fixture.sample.registry.snapshot()
        let responses = try #require(families.family("findreviewer_metrics_http_responses_total"))
        #expect(responses.series("404")?.number == 1)
        #expect(responses.series("200")?.number == 1)
        #expect(families.family("findreviewer_metrics_http_connections_refused_total")?.series.first?.number == 0)
    }

    @Test("after stop the port is closed")
    func stop() throws {
        let fixture = try Fixture()
        try fixture.expectStillServing()
        fixture.server.stop()
        #expect(throws: (any Error).self) { try TestConnection(port: fixture.port) }
    }
}
