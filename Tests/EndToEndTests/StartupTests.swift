import Dispatch
import FindReviewerTestSupport
import Foundation
import Messages
import RPC
import Synchronization
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
            let exited = DispatchSemaphore(value: 0)
            let status = Mutex<Int32?>(nil)
            Thread {
                let code = server.stop()  // SIGTERM, then wait for the exit
                status.withLock { $0 = code }
                exited.signal()
            }.start()
            if exited.wait(timeout: .now() + 10) == .timedOut {
                server.kill()  // SIGKILL, so that the test ends instead of hanging
                exited.wait()
                Issue.record("round \(round): the server did not exit within 10 s of SIGTERM")
                return
            }
            #expect(status.withLock { $0 } == 0, "round \(round)")
        }
    }
}
