import Credentials
import Dispatch
import Foundation
import Glibc

/// The real `findreviewer-server` binary, started on an ephemeral loopback port for one test.
///
/// The server prints `listening on HOST:PORT` and `keys file: PATH` on standard output when it
/// is ready; `start` waits for those lines (a readiness signal, not a sleep).
public final class ServerProcess: @unchecked Sendable {
    /// The data directory the server uses (removed by ``cleanUp()``).
    public let dataDirectory: URL
    /// The address it listens on, e.g. `127.0.0.1:40123`.
    public private(set) var address = ""
    /// The port it listens on.
    public private(set) var port = 0
    /// Its keys file.
    public private(set) var keysFile = ""
    /// The metrics port (`--metrics-listen`, from the `metrics on HOST:PORT` line); 0 if off.
    public private(set) var metricsPort = 0
    /// Everything it printed on standard output so far.
    public var output: String { self.lock.withLock { self.outputText } }
    /// Everything it logged on standard error so far.
    public var logs: String { self.lock.withLock { self.errorText } }

    private let process = Process()
    private let lock = NSLock()
    /// One thread at a time signals the process and waits for its exit.
    private let exitLock = NSLock()
    private var outputText = ""
    private var errorText = ""

    /// Path of a built executable of this package (debug or release, whichever runs the tests).
    public static func executable(_ name: String) -> URL {
        // The test executable lives in the bin directory of its build, beside the package's
        // executables: the same build (debug, release, or `make tsan`'s instrumented one in
        // .build-tsan), never another one's binary.
        if let test = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            let candidate = URL(fileURLWithPath: test).deletingLastPathComponent().appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        let bundle = Bundle.main.bundleURL
        var directory = bundle.deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/\(name)")
    }

    /// A fresh temporary data directory.
    public static func makeDataDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("findreviewer-test-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Starts the server with `arguments` (beyond `--listen 127.0.0.1:0 --data-dir DIR`) and
    /// waits until it listens, or throws with its output if it exits or stays silent for `timeout`.
    public init(arguments: [String] = [], dataDirectory: URL? = nil, timeout: TimeInterval = 30) throws {
        self.dataDirectory = dataDirectory ?? Self.makeDataDirectory()
        self.process.executableURL = Self.executable("findreviewer-server")
        self.process.arguments = ["--listen", "127.0.0.1:0", "--data-dir", self.dataDirectory.path] + arguments
        let stdout = Pipe()
        let stderr = Pipe()
        self.process.standardOutput = stdout
        self.process.standardError = stderr
        stdout.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.withLock { self.outputText += String(decoding: data, as: UTF8.self) }
        }
        stderr.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.withLock { self.errorText += String(decoding: data, as: UTF8.self) }
        }
        try self.process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let address = Self.value(after: "listening on ", in: self.output),
                let keys = Self.value(after: "keys file: ", in: self.output)
            {
                self.address = address
                self.port = Int(address.split(separator: ":").last ?? "") ?? 0
                self.keysFile = keys
                if let metrics = Self.value(after: "metrics on ", in: self.output) {
                    self.metricsPort = Int(metrics.split(separator: ":").last ?? "") ?? 0
                }
                return
            }
            guard self.process.isRunning else { break }
            usleep(5_000)  // polling for a readiness line, not waiting for time to pass
        }
        self.kill()
        throw ServerProcessError(message: "server did not start:\n\(self.output)\n\(self.logs)")
    }

    private static func value(after prefix: String, in text: String) -> String? {
        for line in text.split(separator: "\n") {
            if let range = line.range(of: prefix) {
                return String(line[range.upperBound...]).trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// The key of `role` from the server's keys file.
    public func key(role: String) throws -> String {
        guard let role = Role(rawValue: role), let key = try KeysFile.load(path: self.keysFile).key(for: role) else {
            throw ServerProcessError(message: "no \(role) key in \(self.keysFile)")
        }
        return key
    }

    /// Whether the process still runs.
    public var isRunning: Bool { self.process.isRunning }

    /// Its process id.
    public var processIdentifier: Int32 { self.process.processIdentifier }

    /// Sends SIGTERM and waits for the exit; returns the exit status. A server still running
    /// `timeout` seconds later gets SIGKILL (the status then says so: it is not 0), so that a
    /// server that ignores SIGTERM fails its test instead of hanging the run.
    @discardableResult
    public func stop(timeout: Double = 60) -> Int32 {
        self.exitLock.lock()
        defer { self.exitLock.unlock() }
        if self.process.isRunning { self.process.terminate() }
        let pid = self.process.processIdentifier
        let exited = DispatchSemaphore(value: 0)
        let watchdog = Thread {
            if exited.wait(timeout: .now() + timeout) == .timedOut { Glibc.kill(pid, SIGKILL) }
        }
        watchdog.start()
        self.process.waitUntilExit()
        exited.signal()
        return self.process.terminationStatus
    }

    /// Sends SIGKILL (a crash) and waits for the exit. Safe from several threads at once (the
    /// crash test's writers all may call it): Foundation's `waitUntilExit` is not, and two
    /// concurrent waits on one process crashed the test process.
    public func kill() {
        self.exitLock.lock()
        defer { self.exitLock.unlock() }
        if self.process.isRunning { Glibc.kill(self.process.processIdentifier, SIGKILL) }
        self.process.waitUntilExit()
    }

    /// Removes the data directory.
    public func cleanUp() {
        try? FileManager.default.removeItem(at: self.dataDirectory)
    }

    deinit {
        if self.process.isRunning { Glibc.kill(self.process.processIdentifier, SIGKILL) }
    }
}

/// A server that would not start, with what it printed.
public struct ServerProcessError: Error, CustomStringConvertible {
    /// What happened, with the server's output.
    public var message: String
    /// The message.
    public var description: String { self.message }
}
