import CSystemShims
import Dispatch
import Glibc
import Messages
import RPC
import Transport

/// What a load run measured.
public struct LoadResult: Sendable {
    /// Answered calls per second.
    public var rate: Double
    /// Latencies of answered calls in microseconds, sorted.
    public var latencies: [UInt64]
    /// Answers with a non-OK status.
    public var errors: Int

    /// The latency at `fraction` (0.5, 0.99) in microseconds.
    public func percentile(_ fraction: Double) -> UInt64 {
        self.latencies.isEmpty ? 0 : self.latencies[min(self.latencies.count - 1, Int(Double(self.latencies.count) * fraction))]
    }
}

/// A single-threaded load generator over epoll, shaped like redis-benchmark: `connections`
/// non-blocking sockets, `inFlight` calls outstanding on each, a new call sent the moment one
/// is answered. `payload(n)` is the request of the n-th call (0, 1, 2, ...); the calls carry
/// `metadata` (e.g. the authorization key).
public func eventLoopLoad(
    address: SocketAddress, connections: Int, inFlight: Int, seconds: Double, method: String,
    metadata: [MetadataEntry] = [], payload: (Int) -> [UInt8]
) -> LoadResult {
    let header = (try? RequestHeader(method: method, metadata: metadata).serializedBytes()) ?? []
    var calls = 0
    func frame(_ id: UInt32) -> [UInt8] {
        var bytes: [UInt8] = []
        Frame.encode(type: .request, callId: id, header: header, payload: payload(calls), into: &bytes)
        calls += 1
        return bytes
    }
    let epoll = cshim_epoll_create()
    var sockets: [Int32] = []
    var decoders: [Int32: FrameDecoder] = [:]
    var sentAt: [Int32: [UInt64]] = [:]
    for _ in 0..<connections {
        guard let fd = try? Socket.connect(address) else { continue }
        _ = cshim_set_nonblocking(fd)
        var first = Preface.bytes
        for id in 1...inFlight { first += frame(UInt32(id)) }
        try? Socket.writeAll(fd, first)
        let now = DispatchTime.now().uptimeNanoseconds
        sentAt[fd] = [UInt64](repeating: now, count: inFlight + 1)
        decoders[fd] = FrameDecoder(expectingPreface: true)
        _ = cshim_epoll_add(epoll, fd, cshim_EPOLLIN, UInt64(fd))
        sockets.append(fd)
    }
    var latencies: [UInt64] = []
    latencies.reserveCapacity(1 << 22)
    var errors = 0
    var tags = [UInt64](repeating: 0, count: 256)
    var events = [UInt32](repeating: 0, count: 256)
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    let start = DispatchTime.now().uptimeNanoseconds
    let end = start + UInt64(seconds * 1e9)
    var now = start
    while now < end {
        let count = cshim_epoll_wait(epoll, &tags, &events, 256, 100)
        now = DispatchTime.now().uptimeNanoseconds
        for index in 0..<max(0, Int(count)) {
            let fd = Int32(truncatingIfNeeded: tags[index])
            let read = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            guard read > 0 else { continue }
            buffer.withUnsafeBytes { decoders[fd]!.feed(UnsafeRawBufferPointer(rebasing: $0[..<read])) }
            var out: [UInt8] = []
            while let response = try? decoders[fd]!.next() {
                guard response.type == .response else { continue }
                if let status = try? ResponseHeader(serializedBytes: response.header), status.statusCode != 0 { errors += 1 }
                let id = Int(response.callId)
                latencies.append((now - sentAt[fd]![id]) / 1_000)
                sentAt[fd]![id] = now
                out += frame(UInt32(id))
            }
            if !out.isEmpty { _ = out.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } }
        }
    }
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    for fd in sockets { close(fd) }
    close(epoll)
    return LoadResult(rate: Double(latencies.count) / elapsed, latencies: latencies.sorted(), errors: errors)
}
