import Credentials
import Dispatch
import Foundation
import Glibc
import ToolSupport

/// The real `findreviewer-server` binary, started on an ephemeral loopback port for one test
/// (through ``ServerLaunch``, which waits for its readiness lines).
public final class ServerProcess: @unchecked Sendable {
    /// The data directory the server uses (removed by ``cleanUp()``).
    public let dataDirectory: URL
    /// The address it listens on, e.g. `127.0.0.1:40123`.
    public var address: String { self.launch.address }
    /// The port it listens on.
    public var port: Int { self.launch.port }
    /// Its keys file.
    public var keysFile: String { self.launch.keysFile }
    /// The metrics port (`--metrics-listen`, from the `metrics on HOST:PORT` line); 0 if off.
    public var metricsPort: Int { Int(self.launch.metricsAddress?.split(separator: ":").last ?? "") ?? 0 }
    /// Everything it printed on standard output so far.
    public var output: String { self.launch.output }
    /// Everything it logged on standard error so far.
    public var logs: String { self.launch.logs }

    private let launch: ServerLaunch

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
        let directory = dataDirectory ?? Self.makeDataDirectory()
        self.dataDirectory = directory
        do {
            self.launch = try ServerLaunch(
                binary: Self.executable("findreviewer-server").path,
                arguments: ["--listen", "127.0.0.1:0", "--data-dir", directory.path] + arguments, timeout: timeout)
        } catch {
            throw ServerProcessError(message: "server did not start:\n\(error.output)\n\(error.message)")
        }
    }

    /// The key of `role` from the server's keys file.
    public func key(role: String) throws -> String {
        guard let role = Role(rawValue: role), let key = try KeysFile.load(path: self.keysFile).key(for: role) else {
            throw ServerProcessError(message: "no \(role) key in \(self.keysFile)")
        }
        return key
    }

    /// Whether the process still runs.
    public var isRunning: Bool { self.launch.isRunning }

    /// Its process id.
    public var processIdentifier: Int32 { self.launch.processIdentifier }

    /// Sends SIGTERM and waits for the exit; returns the exit status (SIGKILL after `timeout`:
    /// a server that ignores SIGTERM fails its test instead of hanging the run).
    @discardableResult
    public func stop(timeout: Double = 60) -> Int32 { self.launch.stop(timeout: timeout) }

    /// Sends SIGKILL (a crash) and waits for the exit; safe from several threads at once.
    public func kill() { self.launch.kill() }

    /// Removes the data directory.
    public func cleanUp() {
        try? FileManager.default.removeItem(at: self.dataDirectory)
    }
}

/// A server that would not start, with what it printed.
public struct ServerProcessError: Error, CustomStringConvertible {
    /// What happened, with the server's output.
    public var message: String
    /// The message.
    public var description: String { self.message }
}
