import FindReviewerLoad
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

/// One method with a payload per call, for ``eventLoopLoad(address:connections:inFlight:seconds:method:metadata:payload:)``.
final class FixedMethodLoad: LoadWorkload {
    let header: [UInt8]
    let payload: (Int) -> [UInt8]
    var calls = 0
    var latencies: [UInt64] = []
    var errors = 0

    init(header: [UInt8], payload: @escaping (Int) -> [UInt8]) {
        self.header = header
        self.payload = payload
        self.latencies.reserveCapacity(1 << 22)
    }

    func nextCall() -> LoadCall? {
        var frame: [UInt8] = []
        Frame.encode(type: .request, callId: 0, header: self.header, payload: self.payload(self.calls), into: &frame)
        self.calls += 1
        return LoadCall(operation: .check, frame: frame, retriable: false)
    }

    func finished(_ call: LoadCall, _ outcome: LoadOutcome) {
        if outcome.status != .ok { self.errors += 1 }
        self.latencies.append((outcome.at - call.intendedStart) / 1_000)
    }
}

/// A single-threaded load generator over epoll, shaped like redis-benchmark: `connections`
/// non-blocking sockets, `inFlight` calls outstanding on each, a new call sent the moment one
/// is answered (closed loop, on ``LoadEngine``, the engine of `findreviewer-load`).
/// `payload(n)` is the request of the n-th call (0, 1, 2, ...); the calls carry `metadata`
/// (e.g. the authorization key).
public func eventLoopLoad(
    address: SocketAddress, connections: Int, inFlight: Int, seconds: Double, method: String,
    metadata: [MetadataEntry] = [], payload: @escaping (Int) -> [UInt8]
) -> LoadResult {
    let header = (try? RequestHeader(method: method, metadata: metadata).serializedBytes()) ?? []
    guard let engine = try? LoadEngine(index: 0, address: address, connections: connections, concurrency: inFlight) else {
        return LoadResult(rate: 0, latencies: [], errors: 0)
    }
    defer { engine.close() }
    guard engine.connect(timeout: 30_000_000_000) == nil else { return LoadResult(rate: 0, latencies: [], errors: 0) }
    let workload = FixedMethodLoad(header: header, payload: payload)
    let start = engine.clock.now()
    var phase = LoadPhase()
    phase.measureFrom = start
    phase.issueUntil = start + UInt64(seconds * 1e9)
    engine.run(phase, workload: workload)
    let elapsed = Double(max(engine.lastCompletion, phase.issueUntil) - start) / 1e9
    return LoadResult(rate: Double(workload.latencies.count) / elapsed, latencies: workload.latencies.sorted(), errors: workload.errors)
}
