import Credentials
import Foundation
import ToolSupport

/// A `findreviewer-server` the demo starts for itself (``ServerLaunch``): a free loopback port,
/// a temporary data directory and `--test-clock`. Stopped (SIGTERM) and its directory removed by
/// ``stop(keepData:)``.
final class OwnedServer: @unchecked Sendable {
    /// Its temporary data directory.
    let dataDirectory: String
    /// Where its log goes.
    let logFile: String
    private let launch: ServerLaunch

    /// `127.0.0.1:PORT` it listens on.
    var address: String { self.launch.address }
    /// Its keys file.
    var keysFile: String { self.launch.keysFile }

    /// The server binary beside the running executable (`findreviewer` and `findreviewer-server`
    /// are built into the same directory).
    static func defaultBinary() -> String {
        if let beside = ServerLaunch.binaryBesideThisExecutable() { return beside }
        return ((CommandLine.arguments[0] as NSString).deletingLastPathComponent as NSString).appendingPathComponent("findreviewer-server")
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
        do {
            self.launch = try ServerLaunch(
                binary: binary, arguments: ["--listen", "127.0.0.1:0", "--data-dir", directory, "--test-clock"] + extraArguments,
                logFile: self.logFile, timeout: timeout)
        } catch {
            throw .failure("\(error.message):\n\(error.output)", hint: "Its data directory was \(directory).")
        }
    }

    /// The key of `role` from its keys file.
    func key(role: String) -> String? {
        guard let role = Role(rawValue: role) else { return nil }
        return (try? KeysFile.load(path: self.keysFile, validate: false))?.key(for: role)
    }

    /// SIGTERM (the server drains and exits), then removes the data directory unless `keepData`.
    func stop(keepData: Bool) {
        self.launch.stop()
        if !keepData { try? FileManager.default.removeItem(atPath: self.dataDirectory) }
    }
}
