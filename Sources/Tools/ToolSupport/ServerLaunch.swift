import Dispatch
import Foundation
import Glibc

/// A `findreviewer-server` child process: the one way this package starts a server of its own
/// (the CLI's demo, the tests' ServerProcess, the shard clusters of tests).
///
/// The server prints `listening on HOST:PORT` and `keys file: PATH` (and `metrics on HOST:PORT`
/// with `--metrics-listen`) on standard output once it accepts connections; ``init`` waits for
/// those lines, a readiness signal rather than a sleep.
public final class ServerLaunch: @unchecked Sendable {
    /// `HOST:PORT` it listens on.
    public let address: String
    /// The port of ``address``.
    public let port: Int
    /// Its keys file.
    public let keysFile: String
    /// The metrics address (`metrics on`), when it serves one.
    public let metricsAddress: String?
    /// The file its standard error goes to, if one was given; otherwise ``logs`` collects it.
    public let logFile: String?

    private let process: Process
    private let collected: Collected
    /// One thread at a time signals the process and waits for its exit: Foundation's
    /// `waitUntilExit` is not safe from two threads at once (it crashed the crash test).
    private let exitLock = NSLock()

    /// The server binary beside the running executable (the package's executables, its test
    /// bundle included, are built into one directory), if there is one.
    public static func binaryBesideThisExecutable() -> String? {
        guard let me = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        let candidate = ((me as NSString).deletingLastPathComponent as NSString).appendingPathComponent("findreviewer-server")
        return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
    }

    /// Starts `binary` with `arguments` and waits up to `timeout` seconds for its readiness
    /// lines. Standard error goes to `logFile` if given, else it is collected (``logs``).
    public init(binary: String, arguments: [String], logFile: String? = nil, timeout: TimeInterval = 30) throws(ServerLaunchError) {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw ServerLaunchError(message: "\(binary) is not an executable", output: "")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let collected = Collected()
        let stdout = Pipe()
        process.standardOutput = stdout
        stdout.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil } else { collected.appendOutput(data) }
        }
        if let logFile {
            _ = FileManager.default.createFile(atPath: logFile, contents: nil)
            process.standardError = FileHandle(forWritingAtPath: logFile)
        } else {
            let stderr = Pipe()
            process.standardError = stderr
            stderr.fileHandleForReading.readabilityHandler = { handle in
                let data = handle.availableData
                if data.isEmpty { handle.readabilityHandler = nil } else { collected.appendLogs(data) }
            }
        }
        do {
            try process.run()
        } catch {
            throw ServerLaunchError(message: "cannot run \(binary): \(error.localizedDescription)", output: "")
        }
        self.process = process
        self.collected = collected
        self.logFile = logFile
        let deadline = Date().addingTimeInterval(timeout)
        var ready: (address: String, keys: String)?
        while Date() < deadline {
            let text = collected.output
            if let address = Self.value(after: "listening on ", in: text), let keys = Self.value(after: "keys file: ", in: text) {
                ready = (address, keys)
                break
            }
            guard process.isRunning else { break }
            usleep(5_000)  // polling for a readiness line, not waiting for time to pass
        }
        guard let ready else {
            if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            let logs = logFile.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } ?? collected.logs
            throw ServerLaunchError(message: "the server did not start", output: collected.output + logs)
        }
        self.address = ready.address
        self.port = Int(ready.address.split(separator: ":").last ?? "") ?? 0
        self.keysFile = ready.keys
        self.metricsAddress = Self.value(after: "metrics on ", in: collected.output)
    }

    /// Everything it printed on standard output so far.
    public var output: String { self.collected.output }
    /// Everything it logged on standard error so far (the log file's contents, if it has one).
    public var logs: String {
        if let logFile = self.logFile { return (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "" }
        return self.collected.logs
    }
    /// Whether the process still runs.
    public var isRunning: Bool { self.process.isRunning }
    /// Its process id.
    public var processIdentifier: Int32 { self.process.processIdentifier }

    /// SIGTERM (the server drains and exits) and the wait for its exit; returns the exit
    /// status. A server still running `timeout` seconds later gets SIGKILL (its status then is
    /// not 0), so that one ignoring SIGTERM fails its caller instead of hanging it.
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

    /// SIGKILL (a crash) and the wait for the exit; safe from several threads at once.
    public func kill() {
        self.exitLock.lock()
        defer { self.exitLock.unlock() }
        if self.process.isRunning { Glibc.kill(self.process.processIdentifier, SIGKILL) }
        self.process.waitUntilExit()
    }

    deinit {
        if self.process.isRunning { Glibc.kill(self.process.processIdentifier, SIGKILL) }
    }

    /// The rest of the first line of `text` that contains `prefix`.
    static func value(after prefix: String, in text: String) -> String? {
        for line in text.split(separator: "\n") {
            if let range = line.range(of: prefix) {
                return String(line[range.upperBound...]).trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// Output gathered by the pipes' reader threads.
    private final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var stdout = Data()
        private var stderr = Data()
        func appendOutput(_ more: Data) { self.lock.withLock { self.stdout.append(more) } }
        func appendLogs(_ more: Data) { self.lock.withLock { self.stderr.append(more) } }
        var output: String { self.lock.withLock { String(decoding: self.stdout, as: UTF8.self) } }
        var logs: String { self.lock.withLock { String(decoding: self.stderr, as: UTF8.self) } }
    }
}

/// A server that would not start, with what it printed.
public struct ServerLaunchError: Error, Sendable, CustomStringConvertible {
    /// What happened.
    public var message: String
    /// What the server printed (standard output, then its log).
    public var output: String
    /// Both.
    public var description: String { self.output.isEmpty ? self.message : "\(self.message):\n\(self.output)" }
}
