import Dispatch
import Foundation
import Glibc
import Messages
@testable import RPC
import Transport

/// A frame-level client for tests: writes arbitrary bytes, reads frames with a timeout.
final class RawPeer {
    let fd: Int32
    private var decoder = FrameDecoder(limits: FrameLimits(maxHeaderBytes: 1 << 20, maxPayloadBytes: 64 << 20), expectingPreface: true)

    init(port: UInt16, sendPreface: Bool = true) throws {
        self.fd = try Socket.connect(SocketAddress(host: "127.0.0.1", port: port))
        if sendPreface { try self.send(Preface.bytes) }
    }

    deinit { Socket.close(self.fd) }

    func send(_ bytes: [UInt8]) throws { try Socket.writeAll(self.fd, bytes) }

    func send(_ frame: Frame) throws { try self.send(frame.bytes) }

    /// A REQUEST frame for `method` with `payload`.
    static func request(_ callId: UInt32, _ method: String, _ payload: [UInt8] = [], timeoutMs: UInt64 = 0, metadata: [MetadataEntry] = []) -> Frame {
        let header = try! RequestHeader(method: method, timeoutMs: timeoutMs, metadata: metadata).serializedBytes()
        return Frame(type: .request, callId: callId, header: header, payload: payload)
    }

    /// The next frame, or nil when the connection closed or nothing came within `timeout` seconds.
    func nextFrame(timeout: Double = 5) throws -> Frame? {
        let end = Date().addingTimeInterval(timeout)
        while true {
            if let frame = try self.decoder.next() { return frame }
            let remaining = end.timeIntervalSinceNow
            guard remaining > 0 else { return nil }
            var poller = pollfd(fd: self.fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(remaining * 1_000) + 1) > 0 else { return nil }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            let count = buffer.withUnsafeMutableBytes { Glibc.read(self.fd, $0.baseAddress, $0.count) }
            if count <= 0 { return nil }
            self.decoder.feed(Array(buffer[..<count]))
        }
    }

    /// Whether the server closed the connection (read returns 0) within `timeout` seconds.
    func isClosedByServer(timeout: Double = 5) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while end.timeIntervalSinceNow > 0 {
            var poller = pollfd(fd: self.fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 50) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            let count = buffer.withUnsafeMutableBytes { Glibc.read(self.fd, $0.baseAddress, $0.count) }
            if count <= 0 { return true }
        }
        return false
    }

    /// Whether the next read, within `timeout` seconds, is the end of the stream (a clean
    /// close; a reset or nothing is false). Frames before it are skipped.
    func readsEndOfStream(timeout: Double = 5) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while end.timeIntervalSinceNow > 0 {
            var poller = pollfd(fd: self.fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 50) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            let count = buffer.withUnsafeMutableBytes { Glibc.read(self.fd, $0.baseAddress, $0.count) }
            if count == 0 { return true }
            if count < 0 { return false }
        }
        return false
    }

    /// The status of a RESPONSE frame.
    static func status(_ frame: Frame) throws -> (StatusCode, String) {
        guard !frame.header.isEmpty else { return (.ok, "") }
        let header = try ResponseHeader(serializedBytes: frame.header)
        return (StatusCode(rawValue: header.statusCode), header.statusMessage)
    }
}

/// A server with test methods on an ephemeral port.
final class TestServer: @unchecked Sendable {
    let server: RPCServer
    let port: UInt16

    init(configure: (inout ServerOptions) -> Void = { _ in }, register: (RPCServer) -> Void = { _ in }) throws {
        var options = ServerOptions()
        options.address = "127.0.0.1:0"
        options.eventLoops = 2
        configure(&options)
        self.server = RPCServer(options: options)
        // Echo: answers with the request's own message.
        self.server.register("test.Echo/Echo") { (request: HealthCheckRequest, _) throws(RPCError) -> HealthCheckRequest in request }
        // Spin: keeps its loop busy for the given number of milliseconds (service = "ms").
        self.server.register("test.Echo/Spin") { (request: HealthCheckRequest, _) throws(RPCError) -> HealthCheckRequest in
            let until = Date().addingTimeInterval((Double(request.service) ?? 0) / 1_000)
            while Date() < until {}
            return request
        }
        register(self.server)
        self.port = try self.server.start().port
    }

    deinit { self.server.shutdown() }
}

extension RPCServer {
    /// `test.Echo/Hold`: each call waits on another thread until `release` is signalled, then
    /// echoes its request and signals `answered`.
    func registerHold(release: DispatchSemaphore, answered: DispatchSemaphore? = nil) {
        self.registerDeferred("test.Echo/Hold", HealthCheckRequest.self) { request, _, responder in
            DispatchQueue.global().async {
                release.wait()
                responder.respond(request)
                answered?.signal()
            }
        }
    }

    /// `test.Echo/Count`: echoes its request and counts the calls whose handler ran.
    func registerCount(_ counter: Counter) {
        self.register("test.Echo/Count") { (request: HealthCheckRequest, _) throws(RPCError) -> HealthCheckRequest in
            counter.increment()
            return request
        }
    }
}
