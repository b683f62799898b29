import MetricsHTTP
import Testing

@Suite("HTTP request parser")
struct HTTPRequestParserTests {
    /// Prometheus' scrape request, as it sends it.
    static let scrape = Array(
        ("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:7451\r\nUser-Agent: Prometheus/2.42.0\r\n"
            + "Accept: application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1\r\n"
            + "Accept-Encoding: gzip\r\nX-Prometheus-Scrape-Timeout-Seconds: 1\r\n\r\n").utf8)

    static func parse(_ bytes: [UInt8], limits: HTTPLimits = HTTPLimits()) -> HTTPRequestParser.Outcome {
        var parser = HTTPRequestParser(limits: limits)
        return parser.feed(bytes)
    }

    static func parseByteByByte(_ bytes: [UInt8], limits: HTTPLimits = HTTPLimits()) -> HTTPRequestParser.Outcome {
        var parser = HTTPRequestParser(limits: limits)
        var outcome = HTTPRequestParser.Outcome.incomplete
        for byte in bytes {
            outcome = parser.feed([byte])
            if outcome != .incomplete { break }
        }
        return outcome
    }

    static func status(_ outcome: HTTPRequestParser.Outcome) -> Int? {
        if case .refused(let status, _) = outcome { return status.code }
        return nil
    }

    @Test("a scrape request parses whole, byte by byte, and in two halves alike")
    func scrapeRequest() throws {
        let whole = Self.parse(Self.scrape)
        guard case .complete(let head) = whole else {
            Issue.record("not complete: \(whole)")
            return
        }
        #expect(head.method == "GET")
        #expect(head.path == "/metrics")
        #expect(head.minorVersion == 1)
        #expect(head.fields.count == 5)
        #expect(head.field("host") == "127.0.0.1:7451")
        #expect(head.field("X-PROMETHEUS-SCRAPE-TIMEOUT-SECONDS") == "1")
        #expect(Self.parseByteByByte(Self.scrape) == whole)
        var parser = HTTPRequestParser()
        #expect(parser.feed(Array(Self.scrape[..<40])) == .incomplete)
        #expect(parser.feed(Array(Self.scrape[40...])) == whole)
    }

    @Test(
        "accepted forms: bare LF, leading empty lines, HTTP/1.0 without Host, absolute-form, query, HTTP/1.2 as 1.1",
        arguments: [
            ("GET /healthz HTTP/1.1\nHost: x\n\n", "/healthz", 1),
            ("\r\n\r\nGET /readyz HTTP/1.1\r\nHost: x\r\n\r\n", "/readyz", 1),
            ("GET /metrics HTTP/1.0\r\n\r\n", "/metrics", 0),
            ("GET http://127.0.0.1:7451/metrics?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "/metrics", 1),
            ("GET /metrics?name[]=up HTTP/1.1\r\nHost: x\r\nEmpty:\r\n\r\n", "/metrics", 1),
            ("GET / HTTP/1.2\r\nHost: x\r\n\r\n", "/", 1),
        ])
    func acceptedForms(request: String, path: String, minor: Int) throws {
        let outcome = Self.parse(Array(request.utf8))
        guard case .complete(let head) = outcome else {
            Issue.record("\(request.debugDescription): \(outcome)")
            return
        }
        #expect(head.path == path)
        #expect(head.minorVersion == minor)
        #expect(Self.parseByteByByte(Array(request.utf8)) == outcome)
    }

    @Test(
        "refusals carry their status, the same byte by byte",
        arguments: [
            // Not HTTP at all.
            ("\u{16}\u{03}\u{01}\u{02}\u{00}", 400),  // a TLS ClientHello
            ("FRVW\u{00}\u{01}\u{00}\u{00}", 400),  // the RPC preface
            ("GET\r\n", 400),
            ("GET /metrics\r\n\r\n", 400),  // HTTP/0.9
            ("GET  /metrics HTTP/1.1\r\n", 400),  // two spaces
            ("GET /metrics FTP/1.1\r\n", 400),
            ("GET /metrics HTTP/1.1 \r\n", 400),
            ("GET /met\u{7F}rics HTTP/1.1\r\n", 400),
            ("GET metrics HTTP/1.1\r\nHost: x\r\n\r\n", 400),  // not /path
            ("GET /metrics HTTP/1.1\rHost: x\r\n\r\n", 400),  // bare CR
            // Header lines.
            ("GET /metrics HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", 400),
            ("GET /metrics HTTP/1.1\r\nHost x\r\n\r\n", 400),
            ("GET /metrics HTTP/1.1\r\nHost : x\r\n\r\n", 400),
            ("GET /metrics HTTP/1.1\r\nHost: x\u{01}y\r\n\r\n", 400),
            ("GET /metrics HTTP/1.1\r\nAccept: */*\r\n\r\n", 400),  // no Host
            ("GET /metrics HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
            // Versions.
            ("GET /metrics HTTP/2.0\r\n", 505),
            ("GET /metrics HTTP/0.9\r\n", 505),
        ])
    func refusals(request: String, status: Int) {
        let bytes = Array(request.utf8)
        #expect(Self.status(Self.parse(bytes)) == status, "\(request.debugDescription): \(Self.parse(bytes))")
        #expect(Self.parseByteByByte(bytes) == Self.parse(bytes))
    }

    @Test("garbage is refused at its first impossible byte, before any line ends")
    func earlyRefusal() {
        var parser = HTTPRequestParser()
        #expect(Self.status(parser.feed([0x16, 0x03, 0x01])) == 400)
        var preface = HTTPRequestParser()
        #expect(Self.status(preface.feed(Array("FRVW".utf8) + [0])) == 400)
    }

    @Test("a request line beyond the limit is 414 as soon as the limit is crossed, without its end")
    func longRequestLine() {
        var limits = HTTPLimits()
        limits.maxRequestLineBytes = 100
        let line = Array("GET /".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 95)
        #expect(Self.parse(line, limits: limits) == .incomplete)  // exactly 100 bytes: still fine
        #expect(Self.status(Self.parse(line + [UInt8(ascii: "a")], limits: limits)) == 414)
        let fits = Array("GET /\(String(repeating: "a", count: 80)) HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        guard case .complete = Self.parse(fits, limits: limits) else {
            Issue.record("a request line under the limit was refused")
            return
        }
    }

    @Test("too many header fields, a too long header line, or too many header bytes are 431")
    func headerLimits() {
        var limits = HTTPLimits()
        limits.maxHeaderCount = 3
        limits.maxHeaderLineBytes = 50
        limits.maxHeaderBytes = 90  // "Host: x\r\n" and two 45-byte lines cross it
        let start = "GET /metrics HTTP/1.1\r\nHost: x\r\n"
        #expect(Self.status(Self.parse(Array((start + "A: 1\r\nB: 2\r\n\r\n").utf8), limits: limits)) == nil)
        #expect(Self.status(Self.parse(Array((start + "A: 1\r\nB: 2\r\nC: 3\r\n\r\n").utf8), limits: limits)) == 431)
        #expect(Self.status(Self.parse(Array((start + "A: \(String(repeating: "v", count: 48))").utf8), limits: limits)) == 431)
        let many = start + "A: \(String(repeating: "v", count: 40))\r\nB: \(String(repeating: "v", count: 40))\r\nC"
        #expect(Self.status(Self.parse(Array(many.utf8), limits: limits)) == 431)
    }

    @Test("bytes after a complete head change nothing")
    func afterComplete() {
        var parser = HTTPRequestParser()
        let outcome = parser.feed(Self.scrape)
        #expect(parser.feed(Array("\u{0}garbage".utf8)) == outcome)
    }
}
