import Foundation
import Testing

@testable import FindReviewerLoad

/// The load tool's histogram, mixes and open-loop schedule, without a server.
@Suite("Latency histogram, load mixes and the open-loop schedule")
struct HistogramAndMixTests {
    @Test("buckets: exact below 2048, contiguous, each value inside its bucket's bounds, none wider than 1/1024 of its values")
    func buckets() {
        for value in UInt64(0)..<2_048 { #expect(LatencyHistogram.index(of: value) == Int(value)) }
        var previous = LatencyHistogram.index(of: 2_047)
        var value: UInt64 = 2_048
        while value <= LatencyHistogram.highestTrackable {
            let index = LatencyHistogram.index(of: value)
            #expect(index == previous || index == previous + 1, "\(value)")
            let low = LatencyHistogram.lowestEquivalent(index)
            let high = LatencyHistogram.highestEquivalent(index)
            #expect(low <= value && value <= high, "\(value)")
            // The last bucket also takes everything beyond 2^36 ns.
            if index < LatencyHistogram.bucketCount - 1 {
                #expect(Double(high - low + 1) <= Double(low) / 1_024, "\(value): bucket \(low)...\(high)")
            }
            previous = index
            value += max(1, value / 3_000)
        }
        // 60 s has a bucket of its own range; beyond 2^36 ns everything lands in the last one.
        #expect(LatencyHistogram.index(of: 60_000_000_000) < LatencyHistogram.bucketCount - 1)
        #expect(LatencyHistogram.index(of: UInt64.max) == LatencyHistogram.bucketCount - 1)
    }

    @Test(
        "every percentile to p99.99 agrees with the exact nearest-rank percentile of the sorted values within 3 significant digits",
        arguments: [1, 7, 1_000, 200_000])
    func percentiles(count: Int) {
        var generator = SeededGenerator(seed: UInt64(count))
        // Latency-like values spread over every decade from 1 µs to 60 s: 10^(3 + 7.78 u) ns.
        let values = (0..<count).map { _ -> UInt64 in
            let u = Double(generator.next() >> 11) / Double(1 << 53)
            return UInt64(pow(10, 3 + 7.778 * u))
        }
        var histogram = LatencyHistogram()
        for value in values { histogram.record(value) }
        let sorted = values.sorted()
        for percentile in [0.0, 1, 25, 50, 75, 90, 99, 99.9, 99.99, 100] {
            let rank = max(1, Int((percentile / 100 * Double(count)).rounded(.up)))
            let exact = sorted[rank - 1]
            let reported = histogram.value(atPercentile: percentile)
            #expect(reported >= exact, "p\(percentile): \(reported) below \(exact)")
            #expect(Double(reported - exact) <= Double(exact) / 1_000, "p\(percentile): \(reported) vs \(exact)")
        }
        #expect(histogram.max == sorted.last)
        #expect(histogram.min == sorted.first)
        #expect(histogram.count == UInt64(count))
        #expect(abs(histogram.mean - Double(values.reduce(0, +)) / Double(count)) < 1)
    }

    @Test("merging equals recording everything in one histogram; reset empties it")
    func merge() {
        var generator = SeededGenerator(seed: 42)
        var one = LatencyHistogram()
        var parts = [LatencyHistogram(), LatencyHistogram(), LatencyHistogram()]
        for index in 0..<3_000 {
            let value = generator.next() % 10_000_000_000
            one.record(value)
            parts[index % 3].record(value)
        }
        var merged = LatencyHistogram()
        for part in parts { merged.merge(part) }
        #expect(merged == one)
        merged.reset()
        #expect(merged == LatencyHistogram())
        #expect(LatencyHistogram().value(atPercentile: 99) == 0)
    }

    @Test("presets: read only, write only and the whole workflow, mixed 80/20; custom mixes parsed and checked")
    func mixes() throws {
        #expect(LoadMix.read.weights.allSatisfy { !$0.0.isWrite })
        #expect(LoadMix.write.weights.allSatisfy { $0.0.isWrite })
        for operation in [LoadOperation.replyToRequest, .declineRequest, .openReply, .sendManualReminder, .withdrawInfoRequest] {
            #expect(LoadMix.write.contains(operation) && LoadMix.mixed.contains(operation), "\(operation.name)")
        }
        let writes = LoadMix.mixed.weights.filter { $0.0.isWrite }.map(\.1).reduce(0, +)
        #expect(writes * 5 == LoadMix.mixed.totalWeight)

        let custom = try LoadMix.parse("GetReview=3, findreviewer.v1.FindReviewer/SetPublicReply=1,Check=1").get()
        #expect(custom.weights.map(\.0) == [.getReview, .setPublicReply, .check])
        #expect(LoadOperation.check.method == "findreviewer.v1.Health/Check")
        var generator = SeededGenerator(seed: 7)
        var counts: [LoadOperation: Int] = [:]
        for _ in 0..<50_000 { counts[custom.pick(generator.next()), default: 0] += 1 }
        #expect(counts.keys.count == 3)
        #expect((29_000...31_000).contains(counts[.getReview] ?? 0))

        for bad in ["heavy", "GetReview", "GetReview=0", "GetReview=x", "Frobnicate=1", "GetReview=1,GetReview=2", "UpsertBusiness=1"] {
            guard case .failure(let error) = LoadMix.parse(bad) else {
                Issue.record("\(bad) parsed")
                continue
            }
            #expect(error.message.hasPrefix("--mix"), "\(bad): \(error.message)")
        }
    }

    @Test("open-loop schedule: threads interleave evenly, a call is taken only once due, the untaken ones before the end are missed")
    func pacer() {
        // 1000 calls/s over two threads: thread 0 at 0, 2, 4 ms; thread 1 at 1, 3, 5 ms.
        var zero = OpenLoopPacer(start: 1_000, rate: 1_000, thread: 0, threads: 2)
        let one = OpenLoopPacer(start: 1_000, rate: 1_000, thread: 1, threads: 2)
        #expect((0..<3).map { zero.dueTime($0) } == [1_000, 2_001_000, 4_001_000])
        #expect((0..<3).map { one.dueTime($0) } == [1_001_000, 3_001_000, 5_001_000])
        #expect(zero.take(now: 999, end: .max) == nil)
        #expect(zero.take(now: 5_000_000, end: .max) == 1_000)
        #expect(zero.take(now: 5_000_000, end: .max) == 2_001_000)
        // Due before the end but not taken: missed. Past the end: never taken.
        #expect(zero.missed(before: 6_001_000) == 1)
        #expect(zero.take(now: 9_000_000, end: 4_001_000) == nil)
        var limited = OpenLoopPacer(start: 0, rate: 1_000, thread: 0, threads: 1, limit: 2)
        #expect(limited.take(now: 10_000_000, end: .max) == 0)
        #expect(limited.take(now: 10_000_000, end: .max) == 1_000_000)
        #expect(limited.take(now: 10_000_000, end: .max) == nil)
        #expect(limited.nextDue == nil)
    }
}

/// SplitMix64: reproducible test data.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { self.state = seed }
    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
