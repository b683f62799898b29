// Cost of a metrics update on the hot path: one call counted by method and status code plus
// its latency observed, on a single-writer shard (what an event loop does per call), beside
// the same on a concurrent shard (atomic adds). Release build: `make bench-metrics`.
//
// `metrics-bench` prints ns per update pair; `metrics-bench loop N` runs N pairs and nothing
// else, for instruction counts under callgrind (run with two N: the difference divided by the
// difference of N is the cost of one pair, free of start-up).
import Dispatch
import Foundation
import Metrics

/// The registry phase B will build: 32 methods and "unknown", 17 status codes.
let methods = (0..<32).map { "findreviewer.v1.FindReviewer/Method\($0)" } + ["unknown"]
let codes = (0...16).map { "CODE_\($0)" }
let registry = MetricsRegistry()
let calls = registry.counters(
    "findreviewer_rpc_calls_total", help: "Calls.", labels: [LabelDimension("method", methods), LabelDimension("code", codes)])
let latency = registry.histograms(
    "findreviewer_rpc_call_duration_seconds", help: "Latency.", unit: .seconds, buckets: Buckets.latencySeconds,
    labels: [LabelDimension("method", methods)])
let shard = registry.makeShard(name: "rpc-loop-0")
let concurrent = registry.makeConcurrentShard(name: "shared")

/// Inputs drawn before timing: method, code (mostly OK) and a latency of 20 µs to ~2 ms,
/// spread over 8 buckets at random (the bucket search's branch mispredicts: the worst case).
struct Call {
    var method: Int
    var code: Int
    var nanoseconds: UInt64
}
var state: UInt64 = 0x9E37_79B9_7F4A_7C15
@MainActor func next() -> UInt64 {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return state >> 33
}
let inputs: [Call] = (0..<4_096).map { _ in
    let code = next() % 10 == 0 ? Int(next() % 17) : 0
    return Call(method: Int(next() % 33), code: code, nanoseconds: 20_000 + (next() % 100) * (next() % 20) * 1_000)
}

/// The same calls with latencies of 20-45 µs: one bucket, as a steady read load gives.
let steadyInputs = inputs.map { Call(method: $0.method, code: $0.code, nanoseconds: 20_000 + $0.nanoseconds % 25_000) }

@MainActor @inline(never)
func recordSingleWriter(_ count: Int) { record(inputs, count) }

@MainActor @inline(never)
func recordSteady(_ count: Int) { record(steadyInputs, count) }

@MainActor @inline(never)
func record(_ inputs: [Call], _ count: Int) {
    inputs.withUnsafeBufferPointer { calls_ in
        for index in 0..<count {
            let call = calls_[index & 4_095]
            shard.increment(calls[call.method, call.code])
            shard.observe(latency[call.method], call.nanoseconds)
        }
    }
}

@MainActor @inline(never)
func recordConcurrent(_ count: Int) {
    inputs.withUnsafeBufferPointer { calls_ in
        for index in 0..<count {
            let call = calls_[index & 4_095]
            concurrent.increment(calls[call.method, call.code])
            concurrent.observe(latency[call.method], call.nanoseconds)
        }
    }
}

var sink: UInt64 = 0
@MainActor @inline(never)
func readInputsOnly(_ count: Int) {
    inputs.withUnsafeBufferPointer { calls_ in
        for index in 0..<count {
            let call = calls_[index & 4_095]
            sink &+= UInt64(call.method &+ call.code) &+ call.nanoseconds
        }
    }
}

/// Best of five rounds, ns per iteration.
@MainActor func measure(_ iterations: Int, _ body: (Int) -> Void) -> Double {
    var best = UInt64.max
    for _ in 0..<5 {
        let start = DispatchTime.now().uptimeNanoseconds
        body(iterations)
        best = min(best, DispatchTime.now().uptimeNanoseconds - start)
    }
    return Double(best) / Double(iterations)
}

let arguments = CommandLine.arguments.dropFirst()
if arguments.first == "loop", let count = arguments.dropFirst().first.flatMap({ Int($0) }) {
    recordSingleWriter(count)
    print("recorded \(count) pairs")
} else {
    let iterations = 20_000_000
    let baseline = measure(iterations, readInputsOnly)
    let single = measure(iterations, recordSingleWriter)
    let steady = measure(iterations, recordSteady)
    let atomic = measure(iterations, recordConcurrent)
    func line(_ name: String, _ value: Double) {
        print("\(name.padding(toLength: 58, withPad: " ", startingAt: 0)) \(String(format: "%6.2f", value)) ns")
    }
    line("loop reading the inputs only (subtracted below)", baseline)
    line("counter increment + histogram observe, MetricsShard", single - baseline)
    line("the same, latencies in one bucket (steady reads)", steady - baseline)
    line("the same as the first, ConcurrentMetricsShard (lock xadd)", atomic - baseline)
    print(String(format: "ratio concurrent / single-writer: %.2f", (atomic - baseline) / (single - baseline)))
    // A scrape of these two families (the bulk of phase B's exposition) summed over two shards.
    let text = registry.exposition()
    let lines = text.split(separator: "\n").count
    let scrape = measure(200) { count in for _ in 0..<count { sink &+= UInt64(registry.exposition().utf8.count) } }
    print(String(format: "scrape: %d lines, %d bytes, %.0f µs per exposition", lines, text.utf8.count, scrape / 1_000))
    let total = registry.snapshot().family("findreviewer_rpc_calls_total")?.series.compactMap(\.number).reduce(0, +) ?? 0
    print("(calls counted: \(Int(total)), checksum \(sink))")
}
