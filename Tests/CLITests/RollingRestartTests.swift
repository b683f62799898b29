import FindReviewerTestSupport
import Foundation
import Glibc
import Testing

/// Issue #14 item 6: the server is restarted with SIGTERM 5 times on its data directory while
/// `findreviewer-load` drives it. The tool reconnects, retries only what is safe (methods the
/// server marks idempotent, creates with an idempotency-key), and at the end reads back every
/// write the server acknowledged: none may be lost, and no call may fail.
///
/// The mix holds only calls that are safe to retry (reads, upserts, keyed creates, public
/// replies): a withdrawal or a reply that a restart leaves unanswered cannot be retried and
/// would count as an error however well the server drains (PROTOCOL.md §3.5).
@Suite("Rolling restart under load", .serialized)
struct RollingRestartTests {
    static let mix = "GetReview=20,GetInfoRequest=15,ListInfoRequests=5,GetPublicReview=10,CreateInfoRequest=15,PublishReview=15,SetPublicReply=10,UpsertReviewer=2"

    @Test(
        "5 SIGTERM restarts while the load runs: zero lost acknowledged writes, zero errors other than retried ones")
    func rollingRestart() throws {
        var server = try ServerProcess()
        let dataDirectory = server.dataDirectory
        let port = server.port
        defer {
            server.stop()
            server.cleanUp()
        }
        let tool = try BackgroundTool(
            "findreviewer-load",
            ["--server", server.address, "--data-dir", dataDirectory.path, "--mix", Self.mix, "--connections", "8", "--concurrency", "4",
             "--rate", "1500", "--duration", "120", "--reconnect-for", "30", "--verify", "--json"])
        defer { tool.interrupt() }

        // Restart whenever the tool has shown progress since the last one (its progress line is the
        // readiness signal: calls are flowing again).
        var restarts = 0
        var seenTotal = try tool.waitForProgress(beyond: 0)
        let began = Date()
        var timeline: [String] = []
        while restarts < 5 {
            let stopping = Date()
            let exitStatus = server.stop()
            let stopped = Date()
            #expect(exitStatus == 0, "restart \(restarts + 1): the server exited with \(exitStatus)\n\(server.logs)")
            server = try ServerProcess(arguments: ["--listen", "127.0.0.1:\(port)"], dataDirectory: dataDirectory)
            restarts += 1
            timeline.append(
                String(
                    format: "restart %d at %.1f s: stopped in %.2f s, listening again %.2f s later", restarts, stopping.timeIntervalSince(began),
                    stopped.timeIntervalSince(stopping), Date().timeIntervalSince(stopped)))
            seenTotal = try tool.waitForProgress(beyond: seenTotal + 200)
        }
        print(timeline.joined(separator: "\n"))
        tool.interrupt()
        let status = tool.wait()
        let summary = try #require(
            try JSONSerialization.jsonObject(with: Data(tool.output.utf8)) as? [String: Any], "\(tool.output)\n\(tool.errors)")
        let verify = try #require(summary["verify"] as? [String: Any], "\(summary)")
        #expect(verify["lost"] as? Int == 0, "lost acknowledged writes: \(verify)")
        #expect(verify["unreadable"] as? Int == 0, "\(verify)")
        #expect((verify["confirmed"] as? Int ?? 0) > 1_000, "\(verify)")
        #expect((summary["errors"] as? [String: Int])?.isEmpty == true, "errors not retried: \(summary["errors"] ?? "") \(tool.errors.suffix(2_000))")
        // Connections came back after each restart (one in backoff may come back once for two).
        #expect((summary["reconnects"] as? Int ?? 0) >= 5, "\(summary["reconnects"] ?? "")")
        #expect((summary["calls"] as? Int ?? .max) < 1500 * 100, "the run did not end at SIGINT")
        #expect(summary["failure"] is NSNull, "\(summary["failure"] ?? "")")
        #expect(status == 0, "\(tool.errors.suffix(2_000))")
        print(
            "rolling restart: \(restarts) restarts, \(summary["calls"] ?? 0) calls, \(summary["retries"] ?? 0) retried attempts, "
                + "\(summary["reconnects"] ?? 0) reconnects, \(verify["confirmed"] ?? 0) acknowledged writes read back, \(verify["lost"] ?? 0) lost")
    }
}

/// A tool of this package running in the background, its output collected in files.
final class BackgroundTool {
    private let process = Process()
    private let scratch: URL
    private let outURL: URL
    private let errURL: URL

    init(_ tool: String, _ arguments: [String]) throws {
        self.scratch = FileManager.default.temporaryDirectory.appendingPathComponent("findreviewer-bg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.scratch, withIntermediateDirectories: true)
        self.outURL = self.scratch.appendingPathComponent("out")
        self.errURL = self.scratch.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: self.outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: self.errURL.path, contents: nil)
        self.process.executableURL = ServerProcess.executable(tool)
        self.process.arguments = arguments
        self.process.standardOutput = try FileHandle(forWritingTo: self.outURL)
        self.process.standardError = try FileHandle(forWritingTo: self.errURL)
        self.process.standardInput = FileHandle.nullDevice
        try self.process.run()
    }

    deinit { try? FileManager.default.removeItem(at: self.scratch) }

    var output: String { (try? String(contentsOf: self.outURL, encoding: .utf8)) ?? "" }
    var errors: String { (try? String(contentsOf: self.errURL, encoding: .utf8)) ?? "" }

    /// The `total` of its latest progress line.
    var progressTotal: Int {
        guard let line = self.errors.split(separator: "\n").last(where: { $0.hasPrefix("[") }), let range = line.range(of: "total ") else { return 0 }
        return Int(line[range.upperBound...].prefix { $0.isNumber || $0 == "," }.replacingOccurrences(of: ",", with: "")) ?? 0
    }

    /// Waits until a progress line shows more than `total` calls; returns its total. Throws when
    /// the tool exits first or nothing moves for 60 s.
    func waitForProgress(beyond total: Int) throws -> Int {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let now = self.progressTotal
            if now > total { return now }
            guard self.process.isRunning else { break }
            usleep(20_000)  // polling the tool's output for its next progress line
        }
        throw NoProgress(description: "findreviewer-load made no progress beyond \(total) calls:\n\(self.errors.suffix(3_000))")
    }

    /// SIGINT: it stops starting calls, finishes, verifies and prints its summary.
    func interrupt() { if self.process.isRunning { kill(self.process.processIdentifier, SIGINT) } }

    /// Waits for the exit; returns the status.
    func wait() -> Int32 {
        self.process.waitUntilExit()
        return self.process.terminationStatus
    }
}

/// The background tool stopped making progress.
struct NoProgress: Error, CustomStringConvertible {
    var description: String
}
