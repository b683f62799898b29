import Dispatch
import Foundation
import Messages
@testable import RPC
import Testing
import Transport

/// PROTOCOL.md §3 on the frames a client author asked about: call id 0, PONG's call id, CANCEL
/// of an unknown id, a client's GOAWAY, from when a deadline counts, which check wins.
@Suite("Connection rules of PROTOCOL.md §3 and §4.1", .serialized)
struct ConnectionRulesTests {
    @Test("a REQUEST with call id 0 is a connection error (3 INVALID_ARGUMENT), then close")
    func callIdZero() throws {
        let server = try TestServer()
        let peer = try RawPeer(port: server.port)
        try peer.send(RawPeer.request(0, "test.Echo/Echo"))
        let frame = try #require(try peer.nextFrame())
        #expect(frame.type == .connectionError)
        #expect(try ConnectionError(serializedBytes: frame.header).statusCode == StatusCode.invalidArgument.rawValue)
        #expect(peer.isClosedByServer())
    }

    @Test("PONG carries the PING's call id and payload")
    func pongCallId() throws {
        let server = try TestServer()
        let peer = try RawPeer(port: server.port)
        try peer.send(Frame(type: .ping, callId: 7, payload: [1, 2]))
        try peer.send(Frame(type: .ping, callId: 0, payload: []))
        let first = try #require(try peer.nextFrame())
        let second = try #require(try peer.nextFrame())
        #expect(first.type == .pong && first.callId == 7 && first.payload == [1, 2])
        #expect(second.type == .pong && second.callId == 0 && second.payload.isEmpty)
    }

    @Test("CANCEL of an id not in flight is ignored: nothing is sent back and the connection serves on")
    func cancelUnknown() throws {
        let server = try TestServer()
        let peer = try RawPeer(port: server.port)
        try peer.send(Frame(type: .cancel, callId: 42))
        try peer.send(RawPeer.request(1, "test.Echo/Echo", try HealthCheckRequest(service: "after").serializedBytes()))
        let frame = try #require(try peer.nextFrame())
        #expect(frame.type == .response && frame.callId == 1)
        #expect(try HealthCheckRequest(serializedBytes: frame.payload).service == "after")
    }

    @Test("CANCEL of a call in flight: no RESPONSE ever comes for it, even once its handler answers")
    func cancelInFlight() throws {
        let release = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let server = try TestServer(register: { $0.registerHold(release: release, answered: finished) })
        let peer = try RawPeer(port: server.port)
        try peer.send(RawPeer.request(5, "test.Echo/Hold"))
        try peer.send(Frame(type: .cancel, callId: 5))
        // The CANCEL was read once this later call is answered (frames are handled in order).
        try peer.send(RawPeer.request(6, "test.Echo/Echo"))
        #expect(try peer.nextFrame()?.callId == 6)
        release.signal()
        #expect(finished.wait(timeout: .now() + 5) == .success)
        // The handler's answer reaches the loop before call 8 is even sent: two round trips later,
        // only 7 and 8 have come back. (Call id 5 stays in use until then: a client picks new ids.)
        try peer.send(RawPeer.request(7, "test.Echo/Echo"))
        let seventh = try #require(try peer.nextFrame())
        try peer.send(RawPeer.request(8, "test.Echo/Echo"))
        let eighth = try #require(try peer.nextFrame())
        #expect([seventh.callId, eighth.callId] == [7, 8])
        #expect(try peer.nextFrame(timeout: 0.2) == nil)
    }

    @Test("a client's GOAWAY: answers already made are sent, later frames are not read, the server closes")
    func clientGoAway() throws {
        let server = try TestServer()
        let peer = try RawPeer(port: server.port)
        var batch = RawPeer.request(1, "test.Echo/Echo", try HealthCheckRequest(service: "first").serializedBytes()).bytes
        Frame(type: .goAway, callId: 0, header: try GoAway(lastCallId: 0, statusCode: 0).serializedBytes()).encode(into: &batch)
        RawPeer.request(2, "test.Echo/Echo").encode(into: &batch)
        try peer.send(batch)
        let frame = try #require(try peer.nextFrame())
        #expect(frame.callId == 1)
        #expect(try HealthCheckRequest(serializedBytes: frame.payload).service == "first")
        #expect(try peer.nextFrame(timeout: 2) == nil)
        #expect(peer.isClosedByServer())
    }

    @Test("a deadline counts from when the frame's last byte was read, not its first")
    func deadlineFromCompletion() throws {
        let ran = Counter()
        let server = try TestServer(configure: { $0.eventLoops = 1 }, register: { $0.registerCount(ran) })
        let peer = try RawPeer(port: server.port)
        let counted = RawPeer.request(2, "test.Echo/Count", [], timeoutMs: 100).bytes
        // A 300 ms spin with the first half of a 100 ms call behind it, in one write...
        var batch = RawPeer.request(1, "test.Echo/Spin", try HealthCheckRequest(service: "300").serializedBytes()).bytes
        batch += counted.prefix(10)
        try peer.send(batch)
        // ...and the rest once the spin is over: 300 ms after the first half arrived.
        let spun = try #require(try peer.nextFrame())
        #expect(spun.callId == 1)
        try peer.send(Array(counted.dropFirst(10)))
        let frame = try #require(try peer.nextFrame())
        #expect(frame.callId == 2)
        #expect(try RawPeer.status(frame).0 == .ok)
        #expect(ran.value == 1)
    }

    @Test("the deadline is checked before the key: an expired call gets DEADLINE_EXCEEDED, not UNAUTHENTICATED")
    func deadlineBeforeKey() throws {
        let server = try TestServer(configure: { $0.eventLoops = 1 }, register: { server in
            server.interceptor = { (context, _) throws(RPCError) in
                guard context.method.hasSuffix("/Spin") else { throw RPCError(.unauthenticated, "no key") }
            }
        })
        let peer = try RawPeer(port: server.port)
        var batch = RawPeer.request(1, "test.Echo/Spin", try HealthCheckRequest(service: "200").serializedBytes()).bytes
        RawPeer.request(2, "test.Echo/Echo", [], timeoutMs: 20).encode(into: &batch)
        RawPeer.request(3, "test.Echo/Echo").encode(into: &batch)
        RawPeer.request(4, "nope.Service/Call").encode(into: &batch)
        try peer.send(batch)
        var statuses: [UInt32: StatusCode] = [:]
        while statuses.count < 4, let frame = try peer.nextFrame() { statuses[frame.callId] = try RawPeer.status(frame).0 }
        #expect(statuses == [1: .ok, 2: .deadlineExceeded, 3: .unauthenticated, 4: .unimplemented])
    }

    @Test("a NUL in the request header (method name, metadata) is INVALID_ARGUMENT, never cut at the NUL")
    func nulInHeader() throws {
        let server = try TestServer()
        let peer = try RawPeer(port: server.port)
        for (callId, method, metadata) in [
            (UInt32(1), "test.Echo/Echo\u{1}junk", [MetadataEntry]()),
            (2, "test.Echo/Echo", [MetadataEntry(key: "authorization", value: "Bearer key\u{1}junk")]),
        ] {
            var header = try RequestHeader(method: method, metadata: metadata).serializedBytes()
            let at = try #require((0..<header.count).first { header[$0] == 0x01 })
            header[at] = 0
            try peer.send(Frame(type: .request, callId: callId, header: header, payload: []))
            let frame = try #require(try peer.nextFrame())
            #expect(frame.callId == callId)
            #expect(try RawPeer.status(frame).0 == .invalidArgument, "\(method)")
        }
        try peer.send(RawPeer.request(3, "test.Echo/Echo"))
        #expect(try RawPeer.status(try #require(try peer.nextFrame())).0 == .ok)
    }
}
