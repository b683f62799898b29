// rpc-bench: calls/s and latency of a trivial method (Health/Check) against a running
// server, for 1 connection × 1 in flight, 50 × 1 and 1 × 64. Release builds only
// (`make bench`). Usage: rpc-bench HOST:PORT [seconds per scenario]
import BenchSupport
import Dispatch
import Foundation
import Messages
import RPC
import Transport

let arguments = CommandLine.arguments
guard arguments.count >= 2, let address = try? SocketAddress(parsing: arguments[1]) else {
    FileHandle.standardError.write(Data("usage: rpc-bench HOST:PORT [seconds]\n".utf8))
    exit(2)
}
let seconds = arguments.count > 2 ? Double(arguments[2]) ?? 5 : 5
let request = try HealthCheckRequest().serializedBytes()

/// Runs `threads` callers over `connections` connections for `seconds`; returns calls/s and latencies (µs).
func run(connections: Int, threads: Int) -> (rate: Double, latencies: [UInt64]) {
    let pool = (0..<connections).map { _ in ClientConnection(address: address) }
    let collected = Collected()
    let start = DispatchTime.now().uptimeNanoseconds
    let end = start + UInt64(seconds * 1e9)
    DispatchQueue.concurrentPerform(iterations: threads) { index in
        let connection = pool[index % connections]
        var mine: [UInt64] = []
        mine.reserveCapacity(1 << 20)
        while true {
            let before = DispatchTime.now().uptimeNanoseconds
            if before >= end { break }
            do {
                _ = try connection.call(method: "findreviewer.v1.Health/Check", request: request, timeout: .seconds(5))
            } catch {
                FileHandle.standardError.write(Data("call failed: \(error)\n".utf8))
                break
            }
            mine.append((DispatchTime.now().uptimeNanoseconds - before) / 1_000)
        }
        collected.add(mine)
    }
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    for connection in pool { connection.close() }
    let all = collected.values
    return (Double(all.count) / elapsed, all.sorted())
}

/// Latencies gathered from all threads.
final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var all: [UInt64] = []
    func add(_ values: [UInt64]) { self.lock.withLock { self.all += values } }
    var values: [UInt64] { self.lock.withLock { self.all } }
}

func percentile(_ sorted: [UInt64], _ p: Double) -> UInt64 {
    sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

print("event-loop load generator (one thread over epoll, like redis-benchmark):")
for (connections, inFlight) in [(1, 1), (50, 1), (1, 64)] {
    let result = eventLoopLoad(
        address: address, connections: connections, inFlight: inFlight, seconds: seconds,
        method: "findreviewer.v1.Health/Check") { _ in request }
    let (rate, latencies) = (result.rate, result.latencies)
    print(String(
        format: "  %2d connection(s) x %2d in flight: %8.0f calls/s  p50 %5d us  p99 %6d us",
        connections, inFlight, rate, percentile(latencies, 0.5), percentile(latencies, 0.99)))
}
print("blocking client library (one thread per call in flight):")
for (connections, threads) in [(1, 1), (50, 50), (1, 64)] {
    let (rate, latencies) = run(connections: connections, threads: threads)
    print(String(
        format: "  %2d connection(s) x %2d in flight: %8.0f calls/s  p50 %5d us  p99 %6d us",
        connections, threads / connections, rate, percentile(latencies, 0.5), percentile(latencies, 0.99)))
}
