import Foundation
import Glibc

/// A real Prometheus server (Debian's `prometheus` package) on a free loopback port, scraping
/// the given targets every second, its data in a temporary directory removed by ``stop()``.
///
/// `make deps` installs it; tests that need it check ``executable`` first.
public final class PrometheusProcess: @unchecked Sendable {
    /// The `prometheus` binary on PATH, if installed.
    public static var executable: String? { self.find("prometheus") }

    /// `promtool` on PATH, if installed.
    public static var promtool: String? { self.find("promtool") }

    /// `promtool check metrics` over `text`: its exit status and what it said.
    public static func checkMetrics(_ text: String) throws -> (status: Int32, output: String) {
        guard let promtool = self.promtool else { throw TestConnectionError("promtool is not installed (make deps installs prometheus)") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: promtool)
        process.arguments = ["check", "metrics"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Its HTTP port (API and UI).
    public private(set) var port = 0
    /// The temporary directory with its configuration and data.
    public let directory: URL
    private var process: Process?
    private let logLock = NSLock()
    private var logText = ""

    /// What it logged so far.
    public var logs: String { self.logLock.withLock { self.logText } }

    /// Starts Prometheus scraping `targets` (`127.0.0.1:PORT`, path /metrics) every second and
    /// waits until it reports ready, or throws after `timeout` seconds with its log.
    public init(targets: [String], timeout: TimeInterval = 20) throws {
        guard let executable = Self.executable else { throw TestConnectionError("prometheus is not installed (make deps installs it)") }
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("findreviewer-prometheus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        let config = """
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: findreviewer
                static_configs:
                  - targets: [\(targets.map { "'\($0)'" }.joined(separator: ", "))]

            """
        let configPath = self.directory.appendingPathComponent("prometheus.yml")
        try config.write(to: configPath, atomically: true, encoding: .utf8)
        let deadline = Date().addingTimeInterval(timeout)
        // The port is found free and then given to Prometheus; another process could take it
        // in between, so a start that fails to become ready is retried on another port.
        for attempt in 1...3 {
            self.port = try Self.freePort()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = [
                "--config.file=\(configPath.path)", "--storage.tsdb.path=\(self.directory.appendingPathComponent("data").path)",
                "--web.listen-address=127.0.0.1:\(self.port)", "--log.level=warn", "--storage.tsdb.retention.time=1h",
            ]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            output.fileHandleForReading.readabilityHandler = { [weak self] handle in
                let data = handle.availableData
                guard let self, !data.isEmpty else { return }
                self.logLock.withLock { self.logText += String(decoding: data, as: UTF8.self) }
            }
            try process.run()
            self.process = process
            while Date() < deadline && process.isRunning {
                if let ready = try? HTTPTestClient.get(port: self.port, "/-/ready", timeout: 2), ready.statusCode == 200 { return }
                usleep(100_000)  // polling its readiness, bounded by `deadline`
            }
            self.terminate()
            if Date() >= deadline || attempt == 3 { break }
        }
        let logs = self.logs
        self.removeDirectory()
        throw TestConnectionError("prometheus did not become ready within \(timeout) s:\n\(logs)")
    }

    /// The instant vector of `query`: each series' labels and value (as Prometheus prints it).
    public func query(_ query: String) throws -> [(labels: [String: String], value: String)] {
        let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
        let response = try HTTPTestClient.get(port: self.port, "/api/v1/query?query=\(encoded)", timeout: 5)
        guard response.statusCode == 200, let json = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any],
            let data = json["data"] as? [String: Any], let result = data["result"] as? [[String: Any]]
        else { throw TestConnectionError("query \(query) failed: \(response.text.prefix(500))") }
        return result.compactMap { series in
            guard let labels = series["metric"] as? [String: String], let value = series["value"] as? [Any], value.count == 2,
                let text = value[1] as? String
            else { return nil }
            return (labels, text)
        }
    }

    /// Polls `query` until its only value is `expected` or `timeout` passes; returns the last
    /// values seen (so a failing test shows what Prometheus had).
    public func waitUntil(_ query: String, equals expected: String, timeout: TimeInterval = 20) -> [String] {
        let deadline = Date().addingTimeInterval(timeout)
        var last: [String] = []
        while Date() < deadline {
            last = ((try? self.query(query)) ?? []).map(\.value)
            if last == [expected] { return last }
            usleep(200_000)  // polling Prometheus' API, bounded by `deadline`
        }
        return last
    }

    /// Health of each scrape target as Prometheus reports it (`up`, `lastError`), for diagnostics.
    public func targetHealth() -> String {
        (try? HTTPTestClient.get(port: self.port, "/api/v1/targets", timeout: 5).body) ?? "unavailable"
    }

    /// Stops Prometheus and removes its directory.
    public func stop() {
        self.terminate()
        self.removeDirectory()
    }

    private func terminate() {
        guard let process = self.process, process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { usleep(20_000) }  // its shutdown, bounded
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    private func removeDirectory() { try? FileManager.default.removeItem(at: self.directory) }

    private static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") + ["/usr/bin"] {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// A loopback port nothing listens on right now.
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestConnectionError("socket: errno \(errno)") }
        defer { Glibc.close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard bound else { throw TestConnectionError("bind 127.0.0.1:0: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
