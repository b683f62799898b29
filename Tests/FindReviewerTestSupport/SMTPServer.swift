import Foundation
import Glibc

/// The aiosmtpd server of smtp_server.py, for one test.
public final class SMTPServer: @unchecked Sendable {
    /// Its port on 127.0.0.1.
    public let port: UInt16
    /// Where received messages are stored.
    public let directory: URL
    private let process = Process()
    private let input = Pipe()

    /// Starts a server that refuses the first `refuse` deliveries with 451.
    public init(refuse: Int) throws {
        self.port = SMTPServer.freePort()
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        self.process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        self.process.arguments = [URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("smtp_server.py").path, String(self.port), self.directory.path, String(refuse)]
        let output = Pipe()
        self.process.standardInput = self.input
        self.process.standardOutput = output
        try self.process.run()
        // Readiness is a line on its output, not a delay.
        let ready = output.fileHandleForReading.availableData
        guard String(decoding: ready, as: UTF8.self).contains("ready") else {
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "SMTP test server did not start (is python3-aiosmtpd installed?)"])
        }
    }

    /// Messages received so far, as raw text.
    public var messages: [String] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: self.directory.path)) ?? []).filter { $0.hasSuffix(".eml") }.sorted()
        return names.compactMap { try? String(contentsOf: self.directory.appendingPathComponent($0), encoding: .utf8) }
    }

    /// A free loopback port (bound, read, released).
    public static func freePort() -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return UInt16(bigEndian: address.sin_port)
    }

    deinit {
        try? self.input.fileHandleForWriting.close()
        self.process.waitUntilExit()
        try? FileManager.default.removeItem(at: self.directory)
    }
}
