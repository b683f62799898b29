import FindReviewerClient
import FindReviewerTestSupport
import Foundation
import Glibc
import Messages
import RPC
import Testing

/// DESIGN.md §5, disk full: writes fail with UNAVAILABLE, reads continue, nothing acknowledged
/// is lost, writes resume when space returns. On a tmpfs of a few MiB that the test mounts.
@Suite("Disk full, end to end", .serialized)
struct DiskFullTests {
    static func run(_ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Fills the file system holding `directory`; returns the filler's path.
    static func fill(_ directory: URL) throws -> String {
        let path = directory.appendingPathComponent("filler").path
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        #expect(fd >= 0)
        defer { close(fd) }
        let block = [UInt8](repeating: 0xAB, count: 4_096)
        for size in [4_096, 512, 1] {
            while block.withUnsafeBytes({ write(fd, $0.baseAddress, size) }) == size {}
        }
        #expect(errno == ENOSPC)
        return path
    }

    /// Whether this machine lets the test mount a tmpfs (root with CAP_SYS_ADMIN; true on the
    /// development and CI machines, where the test must run).
    static let canMount: Bool = {
        guard getuid() == 0 else { return false }
        let probe = ServerProcess.makeDataDirectory()
        defer { try? FileManager.default.removeItem(at: probe) }
        guard run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", probe.path]) == 0 else { return false }
        _ = run(["umount", probe.path])
        return true
    }()

    @Test("a full disk refuses writes with UNAVAILABLE and keeps reads; nothing acknowledged is lost; writes resume",
        .enabled(if: canMount, "mounting a tmpfs needs root with CAP_SYS_ADMIN"))
    func diskFull() throws {
        let mountPoint = ServerProcess.makeDataDirectory()
        defer { try? FileManager.default.removeItem(at: mountPoint) }
        try #require(Self.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", mountPoint.path]) == 0, "cannot mount a tmpfs")
        defer { _ = Self.run(["umount", "-l", mountPoint.path]) }
        let data = mountPoint.appendingPathComponent("data")
        var server = try ServerProcess(dataDirectory: data)
        var admin = try FindReviewerClient(address: "127.0.0.1:\(server.port)", key: server.key(role: "admin"), timeout: .seconds(10))
        var acknowledged: [String] = []
        for index in 0..<20 {
            let id = "before-\(index)"
            _ = try admin.upsertReviewer(UpsertReviewerRequest(reviewer: Self.reviewer(id)))
            acknowledged.append(id)
        }
        let filler = try Self.fill(mountPoint)

        // Writes go on while the journal's zero-filled space ahead lasts (at most
        // Journal.preparedStep, reserved before the disk filled); from the first refusal on
        // every one is UNAVAILABLE.
        var refused: [String] = []
        // (Each refusal costs the client's retries with backoff: the upsert is idempotent.)
        var index = 0
        while refused.count < 60, index < 40_000 {
            let id = "during-\(index)"
            index += 1
            do {
                _ = try admin.upsertReviewer(UpsertReviewerRequest(reviewer: Self.reviewer(id)))
                #expect(refused.isEmpty, "\(id) was stored after a refusal while the disk stayed full")
                acknowledged.append(id)
            } catch {
                #expect(error.code == .unavailable, "\(error)")
                refused.append(id)
            }
        }
        #expect(refused.count == 60, "writes kept succeeding on a full disk: \(refused.count) refused of \(index)")
        #expect(server.logs.contains("rebuilding the state from disk"))
        // Reads continue; nothing refused is visible; nothing acknowledged is missing.
        for id in acknowledged { #expect(try admin.getReviewer(GetReviewerRequest(reviewerId: id)).reviewer?.id == id) }
        for id in refused.prefix(5) {
            #expect((#expect(throws: RPCError.self) { _ = try admin.getReviewer(GetReviewerRequest(reviewerId: id)) })?.code == .notFound)
        }
        #expect(try admin.check().status == .serving)

        // Space returns: writes resume.
        try FileManager.default.removeItem(atPath: filler)
        for index in 0..<10 {
            let id = "after-\(index)"
            _ = try admin.upsertReviewer(UpsertReviewerRequest(reviewer: Self.reviewer(id)))
            acknowledged.append(id)
        }
        #expect(server.stop() == 0)

        // After a restart exactly the acknowledged writes are there.
        server = try ServerProcess(dataDirectory: data)
        defer { server.stop() }
        admin = try FindReviewerClient(address: "127.0.0.1:\(server.port)", key: server.key(role: "admin"))
        for id in acknowledged { #expect(try admin.getReviewer(GetReviewerRequest(reviewerId: id)).reviewer?.id == id) }
        for id in refused.prefix(5) {
            #expect((#expect(throws: RPCError.self) { _ = try admin.getReviewer(GetReviewerRequest(reviewerId: id)) })?.code == .notFound)
        }
    }

    static func reviewer(_ id: String) -> Reviewer {
        Reviewer(id: id, displayName: String(repeating: "n", count: 180), email: "\(id)@m.example")
    }
}
