import Foundation
import Testing

@testable import FindReviewerLoad

/// The load tool's histogram and mixes, without a server.
@Suite("Latency histogram and load mixes")
struct HistogramAndMixTests {
    @Test("buckets: exact below 128, contiguous, and each value inside its bucket's bounds")
    func buckets() {
        for value in UInt64(0)..<128 { #expect(LatencyHistogram.index(of: value) == Int(value)) }
        var previous = LatencyHistogram.index(of: 127)
        var value: UInt64 = 128
        while value < 1 << 41 {
            let index = LatencyHistogram.index(of: value)
            #expect(index == previous || index == previous + 1, "\(value)")
            #expect(LatencyHistogram.lowestEquivalent(index) <= value && value <= LatencyHistogram.highestEquivalent(index), "\(value)")
            previous = index
            value += max(1, value / 200)
        }
        #expect(LatencyHistogram.index(of: UInt64.max) == LatencyHistogram.bucketCount - 1)
    }

    @Test("percentiles agree with exact nearest-rank percentiles within 1/64", arguments: [1, 7, 1_000, 50_000])
    func percentiles(count: Int) {
        var generator = SeededGenerator(seed: UInt64(count))
        // Latency-like values: mostly 50 µs..2 ms, a tail up to 2 s.
        let values = (0..<count).map { _ -> UInt64 in
            let tail = generator.next() % 100 == 0
            return tail ? 1_000_000 + generator.next() % 2_000_000_000 : 50_000 + generator.next() % 2_000_000
        }
        var histogram = LatencyHistogram()
        for value in values { histogram.record(value) }
        let sorted = values.sorted()
        for percentile in [0.0, 50, 90, 99, 99.9, 100] {
            let rank = max(1, Int((percentile / 100 * Double(count)).rounded(.up)))
            let exact = sorted[rank - 1]
            let reported = histogram.value(atPercentile: percentile)
            #expect(reported >= exact, "p\(percentile)")
            #expect(Double(reported - exact) <= Double(exact) / 64 + 1, "p\(percentile): \(reported) vs \(exact)")
        }
        #expect(histogram.max == sorted.last)
        #expect(histogram.min == sorted.first)
        #expect(histogram.count == UInt64(count))
        #expect(abs(histogram.mean - Double(values.reduce(0, +)) / Double(count)) < 1)
    }

    @Test("merging equals recording everything in one histogram")
    func merge() {
        var generator = SeededGenerator(seed: 42)
        var one = LatencyHistogram()
        var parts = [LatencyHistogram(), LatencyHistogram(), LatencyHistogram()]
        for index in 0..<3_000 {
            let value = generator.next() % 10_000_000
            one.record(value)
            parts[index % 3].record(value)
        }
        var merged = LatencyHistogram()
        for part in parts { merged.merge(part) }
        #expect(merged == one)
        #expect(LatencyHistogram().value(atPercentile: 99) == 0)
    }

    @Test("presets read only, write only, mixed 80/20; custom mixes parsed and checked")
    func mixes() throws {
        #expect(LoadMix.read.weights.allSatisfy { !$0.0.isWrite })
        #expect(LoadMix.write.weights.allSatisfy { $0.0.isWrite })
        let writes = LoadMix.mixed.weights.filter { $0.0.isWrite }.map(\.1).reduce(0, +)
        #expect(writes * 5 == LoadMix.mixed.totalWeight)

        let custom = try LoadMix.parse("GetReview=3, findreviewer.v1.FindReviewer/SetPublicReply=1").get()
        #expect(custom.weights.map(\.0) == [.getReview, .setPublicReply])
        var generator = SeededGenerator(seed: 7)
        var counts: [LoadOperation: Int] = [:]
        for _ in 0..<40_000 { counts[custom.pick(generator.next()), default: 0] += 1 }
        #expect(counts.keys.count == 2)
        #expect((29_000...31_000).contains(counts[.getReview] ?? 0))

        for bad in ["heavy", "GetReview", "GetReview=0", "GetReview=x", "Frobnicate=1", "GetReview=1,GetReview=2", "ReplyToRequest=1"] {
            guard case .failure(let error) = LoadMix.parse(bad) else {
                Issue.record("\(bad) parsed")
                continue
            }
            #expect(error.message.hasPrefix("--mix"), "\(bad): \(error.message)")
        }
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
