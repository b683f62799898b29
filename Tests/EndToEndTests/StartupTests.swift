import FindReviewerTestSupport
import Foundation
import Glibc
import Messages
import RPC
import Testing

@Suite("Starting the real binary", .serialized)
struct StartupTests {
    @Test("the server executes itself once with glibc's tcache count set, keeps its process id and serves")
    func allocatorTunable() throws {
        let server = try ServerProcess()
        defer { server.stop(); server.cleanUp() }
        // The environment the running program image was started with (after the re-execution).
        let environ = try Data(contentsOf: URL(fileURLWithPath: "/proc/\(server.processIdentifier)/environ"))
        let entries = environ.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        if ProcessInfo.processInfo.environment["GLIBC_TUNABLES"] == nil {
            #expect(entries.contains("GLIBC_TUNABLES=glibc.malloc.tcache_count=1024"))
        } else {
            #expect(entries.contains { $0.hasPrefix("GLIBC_TUNABLES=") && $0.contains("glibc.malloc.tcache_count=") })
        }
        let status = try String(contentsOfFile: "/proc/\(server.processIdentifier)/cmdline", encoding: .utf8)
        #expect(status.contains("--data-dir"))
        let client = try RPCClient(address: "127.0.0.1:\(server.port)")
        let health = try client.call("findreviewer.v1.Health/Check", HealthCheckRequest(), as: HealthCheckResponse.self)
        #expect(health.status == .serving)
        #expect(server.isRunning)
    }

    @Test("SIGTERM right after the server says it listens: a clean exit every time, within 10 s")
    func immediateStop() throws {
        for round in 0..<20 {
            let server = try ServerProcess()
            defer { server.cleanUp() }
            // A server still running 10 s after SIGTERM gets SIGKILL: a status that is not 0.
            #expect(server.stop(timeout: 10) == 0, "round \(round)")
        }
    }

    @Test("a server that does not exit after SIGTERM is killed by the test's bound instead of hanging the run")
    func stopIsBounded() throws {
        let server = try ServerProcess()
        defer { server.cleanUp() }
        Glibc.kill(server.processIdentifier, SIGSTOP)  // cannot act on SIGTERM now
        let status = server.stop(timeout: 1)
        #expect(status == SIGKILL)
        #expect(!server.isRunning)
    }
}
