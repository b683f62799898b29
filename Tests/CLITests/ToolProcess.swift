import FindReviewerTestSupport
import Foundation

/// Runs a built executable of this package (`findreviewer`, `findreviewer-load`) as a real
/// process and returns its exit status and output, so exit codes are the ones a shell sees.
struct ToolProcess {
    var status: Int32
    var output: String
    var errors: String

    /// Runs `tool` with `arguments`; `environment` is added to a minimal one (PATH, HOME, TMPDIR).
    static func run(
        _ tool: String, _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil, input: String? = nil
    ) throws -> ToolProcess {
        try self.run(executable: ServerProcess.executable(tool), arguments, environment: environment, directory: directory, input: input)
    }

    /// Runs `/bin/sh -c script` with the package's binaries first on PATH.
    static func shell(_ script: String, environment: [String: String] = [:], directory: URL? = nil) throws -> ToolProcess {
        let binaries = ServerProcess.executable("findreviewer").deletingLastPathComponent().path
        var environment = environment
        environment["PATH"] = binaries + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        return try self.run(executable: URL(fileURLWithPath: "/bin/sh"), ["-c", script], environment: environment, directory: directory)
    }

    static func run(
        executable: URL, _ arguments: [String], environment: [String: String], directory: URL?, input: String? = nil
    ) throws -> ToolProcess {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("findreviewer-tool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("out")
        let errURL = scratch.appendingPathComponent("err")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let inherited = ProcessInfo.processInfo.environment
        var base: [String: String] = ["PATH": inherited["PATH"] ?? "/usr/bin:/bin", "HOME": inherited["HOME"] ?? "/tmp"]
        if let tmp = inherited["TMPDIR"] { base["TMPDIR"] = tmp }
        // `make tsan` (scripts/tsan.sh): an instrumented tool files its reports where the script looks.
        if let tsan = inherited["TSAN_OPTIONS"] { base["TSAN_OPTIONS"] = tsan }
        process.environment = base.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = directory }
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        if let input {
            let inURL = scratch.appendingPathComponent("in")
            try Data(input.utf8).write(to: inURL)
            process.standardInput = try FileHandle(forReadingFrom: inURL)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return ToolProcess(
            status: process.terminationStatus, output: try String(contentsOf: outURL, encoding: .utf8),
            errors: try String(contentsOf: errURL, encoding: .utf8))
    }
}

/// A real server on an ephemeral port, with the environment that points the tools at it.
struct TestServer {
    let server: ServerProcess

    init(testClock: Bool = true, arguments: [String] = []) throws {
        self.server = try ServerProcess(arguments: (testClock ? ["--test-clock"] : []) + arguments)
    }

    /// `FINDREVIEWER_SERVER` and `FINDREVIEWER_DATA_DIR` for this server: the tools take its admin key from its keys file.
    var environment: [String: String] {
        ["FINDREVIEWER_SERVER": self.server.address, "FINDREVIEWER_DATA_DIR": self.server.dataDirectory.path]
    }

    /// Runs `findreviewer` against this server.
    func cli(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> ToolProcess {
        try ToolProcess.run("findreviewer", arguments, environment: self.environment.merging(environment) { $1 }, input: input)
    }

    func stop() {
        self.server.stop()
        self.server.cleanUp()
    }
}
