import Dispatch
import FindReviewerClient
import FindReviewerTestSupport
import Foundation
import Glibc
import Messages
@testable import RPC
import Synchronization
import Testing
import Transport

/// PROTOCOL.md §3.5 against the real binary: SIGTERM while 50 connections pipeline writes.
@Suite("Shutdown drain, end to end", .serialized)
struct ShutdownDrainTests {
    /// What one connection saw.
    struct Seen {
        var sent: UInt32 = 0
        var answers: [UInt32: Int32] = [:]  // call id -> status code
        var goAwayLastCallId: UInt32?
        var unavailableBeforeGoAway = 0
        var reset = false
        var endedByPeer = false
        var healthAfterGoAway: Int32?
    }

    static let connections = 50
    static let callsPerConnection: UInt32 = 400
    static let window: UInt32 = 64

    static func request(_ callId: UInt32, _ method: String, _ payload: [UInt8], key: String) -> [UInt8] {
        let header = try! RequestHeader(method: method, metadata: [MetadataEntry(key: "authorization", value: "Bearer \(key)")]).serializedBytes()
        return Frame(type: .request, callId: callId, header: header, payload: payload).bytes
    }

    static func reviewerId(_ connection: Int, _ callId: UInt32) -> String { "drain-\(connection)-\(callId)" }

    /// Pipelines upserts (at most `window` in flight) until GOAWAY, then reads until the server
    /// closes; after GOAWAY it sends one Health/Check, which must answer NOT_SERVING or not at
    /// all (the connection may already be closing), never 14.
    static func drive(_ connection: Int, port: Int, key: String, answered: Counter) throws -> Seen {
        let fd = try Socket.connect(SocketAddress(host: "127.0.0.1", port: UInt16(port)))
        defer { Socket.close(fd) }
        try Socket.writeAll(fd, Preface.bytes)
        var decoder = FrameDecoder(limits: FrameLimits(maxHeaderBytes: 1 << 20, maxPayloadBytes: 64 << 20), expectingPreface: true)
        var seen = Seen()
        var healthId: UInt32 = 0
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            if seen.goAwayLastCallId == nil, seen.sent < Self.callsPerConnection, seen.sent - UInt32(seen.answers.count) < Self.window {
                var batch: [UInt8] = []
                for _ in 0..<16 where seen.sent < Self.callsPerConnection {
                    seen.sent += 1
                    let id = Self.reviewerId(connection, seen.sent)
                    let payload = try UpsertReviewerRequest(reviewer: Reviewer(id: id, displayName: id, email: "\(id)@m.example")).serializedBytes()
                    batch += Self.request(seen.sent, "findreviewer.v1.FindReviewer/UpsertReviewer", payload, key: key)
                }
                if (try? Socket.writeAll(fd, batch)) == nil { seen.reset = true; return seen }
            }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 200) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                seen.reset = errno == ECONNRESET
                return seen
            }
            if count == 0 {
                seen.endedByPeer = true
                return seen
            }
            decoder.feed(Array(buffer[..<count]))
            while let frame = try decoder.next() {
                switch frame.type {
                case .response:
                    let code = frame.header.isEmpty ? 0 : try ResponseHeader(serializedBytes: frame.header).statusCode
                    if frame.callId == healthId, healthId != 0 {
                        seen.healthAfterGoAway = code == 0 ? Int32(try HealthCheckResponse(serializedBytes: frame.payload).status.rawValue) : -code
                        continue
                    }
                    if seen.goAwayLastCallId == nil, code == Int32(StatusCode.unavailable.rawValue) { seen.unavailableBeforeGoAway += 1 }
                    seen.answers[frame.callId] = code
                    answered.add()
                case .goAway:
                    let goAway = try GoAway(serializedBytes: frame.header)
                    seen.goAwayLastCallId = goAway.lastCallId
                    healthId = seen.sent + 1
                    _ = try? Socket.writeAll(fd, Self.request(healthId, "findreviewer.v1.Health/Check", [], key: key))
                default:
                    break
                }
            }
        }
        return seen
    }

    final class Counter: Sendable {
        private let count = Atomic<Int>(0)
        func add() { self.count.wrappingAdd(1, ordering: .relaxed) }
        var value: Int { self.count.load(ordering: .relaxed) }
    }

    /// A value behind an NSLock (a pthread mutex, which ThreadSanitizer sees; it does not see
    /// Synchronization.Mutex on Linux, see Sources/Runtime/Locking/Locked.swift).
    final class Box<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var value: T
        init(_ value: T) { self.value = value }
        func withLock<R>(_ body: (inout T) throws -> R) rethrows -> R {
            self.lock.lock()
            defer { self.lock.unlock() }
            return try body(&self.value)
        }
    }

    @Test("SIGTERM under 50 pipelining connections: GOAWAY first, every call up to last_call_id answered, no reset, exit 0, every OK write kept")
    func sigtermUnderPipelinedWrites() throws {
        let directory = ServerProcess.makeDataDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try ServerProcess(dataDirectory: directory)
        let key = try server.key(role: "admin")
        let answered = Counter()
        let results = Box<[Int: Result<Seen, any Error>]>([:])
        let group = DispatchGroup()
        for connection in 0..<Self.connections {
            group.enter()
            let port = server.port
            Thread {
                let result = Result { try Self.drive(connection, port: port, key: key, answered: answered) }
                results.withLock { $0[connection] = result }
                group.leave()
            }.start()
        }
        // SIGTERM mid-stream: once a fifth of the calls are answered (a readiness figure, not a time).
        let total = Self.connections * Int(Self.callsPerConnection)
        let waitStart = Date()
        while answered.value < total / 5, Date().timeIntervalSince(waitStart) < 60 {
            usleep(1_000)  // polling a counter the readers advance, not waiting for time to pass
        }
        let answeredAtSignal = answered.value
        let signalled = Date()
        let status = server.stop()
        let toExit = Date().timeIntervalSince(signalled)
        #expect(group.wait(timeout: .now() + 60) == .success)
        #expect(status == 0)

        var pipelined = 0, answeredTotal = 0, okIds: [String] = []
        var lastIds = 0
        for connection in 0..<Self.connections {
            let seen = try #require(try results.withLock { $0[connection] }?.get())
            pipelined += Int(seen.sent)
            answeredTotal += seen.answers.count
            #expect(!seen.reset, "connection \(connection) was reset")
            #expect(seen.endedByPeer, "connection \(connection) was not closed by the server")
            let last = try #require(seen.goAwayLastCallId, "connection \(connection) got no GOAWAY")
            lastIds += Int(last)
            #expect(seen.unavailableBeforeGoAway == 0, "connection \(connection): 14 before its GOAWAY")
            let missing = (1...max(1, last)).filter { last > 0 && seen.answers[$0] == nil }
            #expect(missing.isEmpty, "connection \(connection): calls \(missing.prefix(5)) ≤ last_call_id \(last) not answered")
            for id in 1...max(1, last) where last > 0 {
                #expect(seen.answers[id] == 0, "connection \(connection) call \(id) ≤ last_call_id: status \(seen.answers[id].map(String.init) ?? "none")")
            }
            for (id, code) in seen.answers where code == 0 { okIds.append(Self.reviewerId(connection, id)) }
            if let health = seen.healthAfterGoAway {
                #expect(health == Int32(ServingStatus.notServing.rawValue), "Health/Check after GOAWAY: \(health)")
            }
        }
        print("shutdown drain: \(Self.connections) connections, \(pipelined) calls pipelined, \(answeredAtSignal) answered at SIGTERM, "
            + "\(answeredTotal) answered in all (sum of last_call_id \(lastIds)), \(okIds.count) OK, exit \(status) "
            + "\(String(format: "%.2f", toExit)) s after SIGTERM")

        let again = try ServerProcess(dataDirectory: directory)
        defer { again.stop() }
        let reader = try FindReviewerClient(address: "127.0.0.1:\(again.port)", key: again.key(role: "admin"))
        var lost: [String] = []
        for id in okIds where (try? reader.getReviewer(GetReviewerRequest(reviewerId: id))) == nil { lost.append(id) }
        #expect(lost.isEmpty, "\(lost.count) acknowledged writes missing after restart, e.g. \(lost.prefix(3))")
    }
}
