import Dispatch
import Foundation
import Messages
@testable import RPC
import Testing
import Transport

@Suite("RPC over real loopback TCP", .serialized)
struct LoopbackTests {
    @Test("typed client call; health check; unknown method is UNIMPLEMENTED")
    func basics() throws {
        let server = try TestServer()
        let client = try RPCClient(address: "127.0.0.1:\(server.port)")
        let echo = try client.call("test.Echo/Echo", HealthCheckRequest(service: "héllo"), as: HealthCheckRequest.self)
        #expect(echo.service == "héllo")
        let health = try client.call("findreviewer.v1.Health/Check", HealthCheckRequest(), as: HealthCheckResponse.self)
        #expect(health.status == .serving)
        let unknown = try client.call("findreviewer.v1.Health/Check", HealthCheckRequest(service: "nope.Service"), as: HealthCheckResponse.self)
        #expect(unknown.status == .serviceUnknown)
        #expect(throws: RPCError(.unimplemented, "unknown method \"nope.Service/Call\"")) {
            _ = try client.callRaw(method: "nope.Service/Call", request: [])
        }
        let info = try client.call("findreviewer.v1.ServerInfoService/GetServerInfo", GetServerInfoRequest(), as: ServerInfo.self)
        #expect(info.services.map(\.name).contains("test.Echo"))
        #expect(info.maxPayloadBytes == 4 << 20)
    }

    @Test("async client call, from Swift concurrency")
    func asyncCall() async throws {
        let server = try TestServer()
        let client = try RPCClient(address: "127.0.0.1:\(server.port)")
        let answers = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<20 {
                group.addTask {
                    try await client.call("test.Echo/Echo", HealthCheckRequest(service: "\(index)"), as: HealthCheckRequest.self).service
                }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(answers.count == 20)
    }

    @Test("1,000 concurrent calls on one connection, answered out of order")
    func thousandOutOfOrder() throws {
        let held = Held()
        let server = try TestServer(configure: { $0.maxCallsPerConnection = 1_000 }, register: { server in
            server.registerDeferred("test.Echo/Later", HealthCheckRequest.self) { request, _, responder in
                // Hold every call; once all 1,000 are in, answer them newest first from another thread.
                if let all = held.add(request, responder, until: 1_000) {
                    DispatchQueue.global().async {
                        for (request, responder) in all.reversed() { responder.respond(request) }
                    }
                }
            }
        })
        let peer = try RawPeer(port: server.port)
        var batch: [UInt8] = []
        for index in 0..<1_000 {
            RawPeer.request(UInt32(index + 1), "test.Echo/Later", try HealthCheckRequest(service: "\(index)").serializedBytes()).encode(into: &batch)
        }
        try peer.send(batch)
        var order: [UInt32] = []
        while order.count < 1_000, let frame = try peer.nextFrame() {
            guard frame.type == .response else { continue }
            #expect(try RawPeer.status(frame).0 == .ok)
            #expect(try HealthCheckRequest(serializedBytes: frame.payload).service == "\(frame.callId - 1)")
            order.append(frame.callId)
        }
        #expect(Set(order) == Set(1...1_000))
        #expect(order == Array((1...1_000).reversed()))
    }

    @Test("too many calls in flight on one connection: RESOURCE_EXHAUSTED for the extra call only")
    func callsInFlightLimit() throws {
        let gate = DispatchSemaphore(value: 0)
        let server = try TestServer(configure: { $0.maxCallsPerConnection = 2 }, register: { $0.registerHold(release: gate) })
        let peer = try RawPeer(port: server.port)
        for id in 1...3 { try peer.send(RawPeer.request(UInt32(id), "test.Echo/Hold")) }
        let refused = try #require(try peer.nextFrame())
        #expect(refused.callId == 3)
        #expect(try RawPeer.status(refused).0 == .resourceExhausted)
        gate.signal()
        gate.signal()
        let answered = [try peer.nextFrame(), try peer.nextFrame()].compactMap { $0 }.map(\.callId)
        #expect(Set(answered) == [1, 2])
    }

    @Test("oversized frame: CONNECTION_ERROR RESOURCE_EXHAUSTED, closed; other connections keep being served")
    func oversizedFrame() throws {
        let server = try TestServer(configure: { $0.frameLimits = FrameLimits(maxHeaderBytes: 8 << 10, maxPayloadBytes: 1 << 20) })
        let bystander = try RPCClient(address: "127.0.0.1:\(server.port)")
        _ = try bystander.call("test.Echo/Echo", HealthCheckRequest(service: "before"), as: HealthCheckRequest.self)
        let peer = try RawPeer(port: server.port)
        // Announce 2 MiB + 1 but send only the fixed part: refused before anything is allocated.
        try peer.send([0x00, 0x20, 0x00, 0x01, 1, 0, 0, 0, 0, 0, 0, 1])
        let frame = try #require(try peer.nextFrame())
        #expect(frame.type == .connectionError)
        let error = try ConnectionError(serializedBytes: frame.header)
        #expect(error.statusCode == StatusCode.resourceExhausted.rawValue)
        #expect(peer.isClosedByServer())
        #expect(try bystander.call("test.Echo/Echo", HealthCheckRequest(service: "after"), as: HealthCheckRequest.self).service == "after")
    }

    @Test("unparsable payload: INVALID_ARGUMENT and the connection stays usable")
    func badPayload() throws {
        let server = try TestServer()
        let peer = try RawPeer(port: server.port)
        try peer.send(RawPeer.request(1, "test.Echo/Echo", [0x0A, 0x05, 0x61]))
        let bad = try #require(try peer.nextFrame())
        #expect(try RawPeer.status(bad).0 == .invalidArgument)
        try peer.send(RawPeer.request(2, "test.Echo/Echo", try HealthCheckRequest(service: "ok").serializedBytes()))
        let good = try #require(try peer.nextFrame())
        #expect(good.callId == 2)
        #expect(try RawPeer.status(good).0 == .ok)
    }

    @Test("an unreadable request header: INVALID_ARGUMENT for that call")
    func badHeader() throws {
        let server = try TestServer()
        let peer = try RawPeer(port: server.port)
        try peer.send(Frame(type: .request, callId: 5, header: [0x0A, 0xFF], payload: []))
        let frame = try #require(try peer.nextFrame())
        #expect(frame.callId == 5)
        #expect(try RawPeer.status(frame).0 == .invalidArgument)
    }

    @Test("a call whose deadline passed while queued gets DEADLINE_EXCEEDED without running")
    func deadlineBeforeRunning() throws {
        let ran = Counter()
        let server = try TestServer(configure: { $0.eventLoops = 1 }, register: { $0.registerCount(ran) })
        let peer = try RawPeer(port: server.port)
        // One write: a 200 ms spin, then a call with a 20 ms deadline queued behind it.
        var batch = RawPeer.request(1, "test.Echo/Spin", try HealthCheckRequest(service: "200").serializedBytes()).bytes
        RawPeer.request(2, "test.Echo/Count", [], timeoutMs: 20).encode(into: &batch)
        try peer.send(batch)
        var statuses: [UInt32: StatusCode] = [:]
        while statuses.count < 2, let frame = try peer.nextFrame() { statuses[frame.callId] = try RawPeer.status(frame).0 }
        #expect(statuses[1] == .ok)
        #expect(statuses[2] == .deadlineExceeded)
        #expect(ran.value == 0)
    }

    @Test("client-side deadline: DEADLINE_EXCEEDED and the call is cancelled")
    func clientDeadline() throws {
        let server = try TestServer(register: { server in
            server.registerDeferred("test.Echo/Never", HealthCheckRequest.self) { _, _, _ in }
        })
        let client = try RPCClient(address: "127.0.0.1:\(server.port)")
        #expect(throws: RPCError.self) {
            _ = try client.callRaw(method: "test.Echo/Never", request: [], timeout: .milliseconds(50))
        }
        #expect(try client.call("test.Echo/Echo", HealthCheckRequest(service: "still"), as: HealthCheckRequest.self).service == "still")
    }

    @Test("garbage bytes and a wrong preface: a clear CONNECTION_ERROR, then close")
    func garbage() throws {
        let server = try TestServer()
        let peer = try RawPeer(port: server.port, sendPreface: false)
        try peer.send(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        let frame = try #require(try peer.nextFrame())
        #expect(frame.type == .connectionError)
        #expect(try ConnectionError(serializedBytes: frame.header).message.contains("preface"))
        #expect(peer.isClosedByServer())
        // After a valid preface, an unknown frame type is also a connection error.
        let second = try RawPeer(port: server.port)
        try second.send([0, 0, 0, 0, 0xEE, 0, 0, 0, 0, 0, 0, 1])
        #expect(try second.nextFrame()?.type == .connectionError)
    }

    @Test("a peer that vanishes mid-frame does not disturb the server")
    func vanishMidFrame() throws {
        let server = try TestServer()
        do {
            let peer = try RawPeer(port: server.port)
            let bytes = RawPeer.request(1, "test.Echo/Echo", [UInt8](repeating: 1, count: 1_000)).bytes
            try peer.send(Array(bytes.prefix(500)))
        }
        let client = try RPCClient(address: "127.0.0.1:\(server.port)")
        #expect(try client.call("test.Echo/Echo", HealthCheckRequest(service: "fine"), as: HealthCheckRequest.self).service == "fine")
    }

    @Test("a slow sender, one byte at a time, is served")
    func slowSender() throws {
        let server = try TestServer()
        let peer = try RawPeer(port: server.port)
        for byte in RawPeer.request(9, "test.Echo/Echo", try HealthCheckRequest(service: "slow").serializedBytes()).bytes {
            try peer.send([byte])
        }
        let frame = try #require(try peer.nextFrame())
        #expect(try HealthCheckRequest(serializedBytes: frame.payload).service == "slow")
    }

    @Test("a half-received frame times out with DEADLINE_EXCEEDED")
    func halfFrameTimeout() throws {
        let server = try TestServer(configure: { $0.frameTimeoutSeconds = 1 })
        let peer = try RawPeer(port: server.port)
        try peer.send([0, 0, 0, 10, 1, 0])
        let frame = try #require(try peer.nextFrame(timeout: 5))
        #expect(frame.type == .connectionError)
        #expect(try ConnectionError(serializedBytes: frame.header).statusCode == StatusCode.deadlineExceeded.rawValue)
    }

    @Test("ping is answered with a pong carrying the same payload")
    func ping() throws {
        let server = try TestServer()
        let peer = try RawPeer(port: server.port)
        try peer.send(Frame(type: .ping, callId: 0, payload: [9, 8, 7]))
        let pong = try #require(try peer.nextFrame())
        #expect(pong.type == .pong)
        #expect(pong.payload == [9, 8, 7])
    }

    @Test("connection limit: the extra connection gets RESOURCE_EXHAUSTED; existing ones keep working")
    func connectionLimit() throws {
        let server = try TestServer(configure: { $0.maxConnections = 2 })
        let first = try RawPeer(port: server.port)
        let second = try RawPeer(port: server.port)
        try first.send(RawPeer.request(1, "test.Echo/Echo"))
        try second.send(RawPeer.request(1, "test.Echo/Echo"))
        #expect(try first.nextFrame()?.type == .response)
        #expect(try second.nextFrame()?.type == .response)
        let third = try RawPeer(port: server.port)
        let frame = try #require(try third.nextFrame())
        #expect(frame.type == .connectionError)
        #expect(try ConnectionError(serializedBytes: frame.header).statusCode == StatusCode.resourceExhausted.rawValue)
        try first.send(RawPeer.request(2, "test.Echo/Echo"))
        #expect(try first.nextFrame()?.callId == 2)
    }

    @Test("shutdown with calls in flight: GOAWAY, the calls finish, new calls are UNAVAILABLE")
    func shutdownDrains() throws {
        let release = DispatchSemaphore(value: 0)
        let server = try TestServer(register: { server in
            server.registerDeferred("test.Echo/Hold", HealthCheckRequest.self) { request, _, responder in
                DispatchQueue.global().async {
                    release.wait()
                    responder.respond(request)
                }
            }
        })
        let peer = try RawPeer(port: server.port)
        try peer.send(RawPeer.request(1, "test.Echo/Hold", try HealthCheckRequest(service: "in flight").serializedBytes()))
        usleep(100_000)  // let the call reach the handler before shutdown begins
        let stopped = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            server.server.shutdown()
            stopped.signal()
        }
        let goAway = try #require(try peer.nextFrame())
        #expect(goAway.type == .goAway)
        #expect(try GoAway(serializedBytes: goAway.header).lastCallId == 1)
        try peer.send(RawPeer.request(2, "test.Echo/Echo"))
        let refused = try #require(try peer.nextFrame())
        #expect(refused.callId == 2)
        #expect(try RawPeer.status(refused).0 == .unavailable)
        // Health/Check on the draining connection: NOT_SERVING, not 14 (PROTOCOL.md §3.5, §5).
        try peer.send(RawPeer.request(3, "findreviewer.v1.Health/Check", try HealthCheckRequest().serializedBytes()))
        let health = try #require(try peer.nextFrame())
        #expect(health.callId == 3)
        #expect(try RawPeer.status(health).0 == .ok)
        #expect(try HealthCheckResponse(serializedBytes: health.payload).status == .notServing)
        // A new connection is refused at once: the listener is closed.
        #expect(throws: (any Error).self) { _ = try Socket.connect(SocketAddress(host: "127.0.0.1", port: server.port)) }
        release.signal()
        let finished = try #require(try peer.nextFrame())
        #expect(finished.callId == 1)
        #expect(try HealthCheckRequest(serializedBytes: finished.payload).service == "in flight")
        // Then the linger close: the server shuts down writing (end of stream, not a reset)
        // while it still reads what the client sends.
        try peer.send(RawPeer.request(4, "test.Echo/Echo"))
        #expect(peer.readsEndOfStream(), "the drained connection was reset or not closed")
        #expect(stopped.wait(timeout: .now() + 10) == .success)
    }

    @Test("IPv6 loopback")
    func ipv6() throws {
        let server = try TestServer(configure: { $0.address = "[::1]:0" })
        let client = try RPCClient(address: "[::1]:\(server.port)")
        #expect(try client.call("test.Echo/Echo", HealthCheckRequest(service: "v6"), as: HealthCheckRequest.self).service == "v6")
    }

    @Test("the client reconnects after the server closed its connection")
    func reconnect() throws {
        let server = try TestServer(configure: { $0.frameLimits = FrameLimits(maxHeaderBytes: 8 << 10, maxPayloadBytes: 100) })
        let client = try RPCClient(address: "127.0.0.1:\(server.port)")
        #expect(throws: RPCError.self) { _ = try client.callRaw(method: "test.Echo/Echo", request: [UInt8](repeating: 0, count: 200)) }
        #expect(try client.call("test.Echo/Echo", HealthCheckRequest(service: "again"), as: HealthCheckRequest.self).service == "again")
    }
}

/// A thread-safe counter for handlers.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { self.lock.withLock { self.count += 1 } }
    var value: Int { self.lock.withLock { self.count } }
}

/// Calls held by a test handler until enough have arrived.
final class Held: @unchecked Sendable {
    private let lock = NSLock()
    private var calls: [(HealthCheckRequest, Responder)] = []

    /// Adds a call; returns all of them once `count` have arrived.
    func add(_ request: HealthCheckRequest, _ responder: Responder, until count: Int) -> [(HealthCheckRequest, Responder)]? {
        self.lock.withLock {
            self.calls.append((request, responder))
            return self.calls.count == count ? self.calls : nil
        }
    }
}
