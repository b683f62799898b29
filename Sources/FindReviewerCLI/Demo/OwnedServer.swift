import Credentials
import Foundation
import Glibc
import ToolSupport

/// A `findreviewer-server` the demo starts for itself: a free loopback port, a temporary data
/// directory and `--test-clock`. Stopped (SIGTERM) and its directory removed by ``stop(keepData:)``.
final class OwnedServer: @unchecked Sendable {
    /// `127.0.0.1:PORT` it listens on.
    let address: String
    /// Its keys file.
    let keysFile: String
    /// Its temporary data directory.
    let dataDirectory: String
    /// Where its log goes.
    let logFile: String
    private let process: Process

    /// The server binary beside the running executable (`findreviewer` and `findreviewer-server`
    /// are built into the same directory).
    static func defaultBinary() -> String {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return ((me as NSString).deletingLastPathComponent as NSString).appendingPathComponent("findreviewer-server")
    }

    /// Starts the server and waits until it prints `listening on` and `keys file:`.
    init(binary: String, extraArguments: [String] = [], timeout: TimeInterval = 30) throws(CLIError) {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw .failure(
                "cannot start a server: \(binary) is not an executable",
                hint: "Build it beside findreviewer (`swift build --product findreviewer-server`), pass --server-binary PATH, "
                    + "or give --server HOST:PORT of a server started with --test-clock.")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("findreviewer-demo-\(UUID().uuidString.prefix(8))").path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .failure("cannot create a temporary data directory \(directory): \(error.localizedDescription)")
        }
        self.dataDirectory = directory
        self.logFile = (directory as NSString).appendingPathComponent("server.log")
        _ = FileManager.default.createFile(atPath: self.logFile, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--listen", "127.0.0.1:0", "--data-dir", directory, "--test-clock"] + extraArguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: self.logFile)
        process.standardInput = FileHandle.nullDevice
        let collected = Collected()
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil } else { collected.append(data) }
        }
        do {
            try process.run()
        } catch {
            throw .failure("cannot run \(binary): \(error.localizedDescription)")
        }
        self.process = process
        // Wait for the readiness lines (polling the collected output; not waiting for time to pass).
        let deadline = Date().addingTimeInterval(timeout)
        var address: String?
        var keys: String?
        while Date() < deadline && process.isRunning {
            let text = collected.text
            address = Self.value(after: "listening on ", in: text)
            keys = Self.value(after: "keys file: ", in: text)
            if address != nil && keys != nil { break }
            usleep(5_000)
        }
        guard let address, let keys else {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            let log = (try? String(contentsOfFile: self.logFile, encoding: .utf8)) ?? ""
            throw .failure("the server did not start:\n\(collected.text)\(log)", hint: "Its data directory was \(directory).")
        }
        self.address = address
        self.keysFile = keys
    }

    /// The key of `role` from its keys file.
    func key(role: String) -> String? {
        guard let role = Role(rawValue: role) else { return nil }
        return (try? KeysFile.load(path: self.keysFile, validate: false))?.key(for: role)
    }

    /// SIGTERM (the server drains and exits), then removes the data directory unless `keepData`.
    func stop(keepData: Bool) {
        if self.process.isRunning { self.process.terminate() }
        self.process.waitUntilExit()
        if !keepData { try? FileManager.default.removeItem(atPath: self.dataDirectory) }
    }

    deinit {
        if self.process.isRunning { kill(self.process.processIdentifier, SIGKILL) }
    }

    private static func value(after prefix: String, in text: String) -> String? {
        for line in text.split(separator: "\n") where line.hasPrefix(prefix) {
            return String(line.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    /// Output gathered from the pipe's reader thread.
    private final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        func append(_ more: Data) { self.lock.withLock { self.data.append(more) } }
        var text: String { self.lock.withLock { String(decoding: self.data, as: UTF8.self) } }
    }
}
