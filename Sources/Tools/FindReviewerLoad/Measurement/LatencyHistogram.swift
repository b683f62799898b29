/// A latency histogram in nanoseconds in the manner of HdrHistogram with 3 significant digits:
/// values below 2,048 ns are counted exactly; above, each power of two is split into 1,024 equal
/// buckets, so a reported value is at most 1/1,024 (under 0.1 %) above a value that was recorded.
/// Values up to 2^36 ns (68.7 s) are tracked; larger ones count in the last bucket (``max``
/// stays exact).
///
/// Fixed size (27,648 counters, 216 KiB), no allocation per value; per-thread histograms are
/// merged with ``merge(_:)``.
public struct LatencyHistogram: Sendable, Equatable {
    /// Buckets per power of two (2^10): the relative precision is 1/1024, three significant digits.
    static let subBucketBits = 10
    static let subBuckets = 1 << subBucketBits
    /// The highest power of two tracked: 2^35 ns ≤ v < 2^36 ns covers 34 s to 68.7 s, so 60 s fits.
    static let maxExponent = 35
    static let bucketCount = (maxExponent - subBucketBits) * subBuckets + 2 * subBuckets
    /// The largest value with a bucket of its own range; larger ones are counted in the last bucket.
    public static let highestTrackable: UInt64 = (1 << UInt64(maxExponent + 1)) - 1

    private var counts: [UInt64]
    /// Values recorded.
    public private(set) var count: UInt64 = 0
    /// Largest value recorded (exact).
    public private(set) var max: UInt64 = 0
    /// Smallest value recorded (exact); 0 when empty.
    public private(set) var min: UInt64 = 0
    /// Sum of the values (for the mean).
    public private(set) var sum: UInt64 = 0

    /// An empty histogram.
    public init() { self.counts = [UInt64](repeating: 0, count: Self.bucketCount) }

    /// Counts one value.
    @inline(__always)
    public mutating func record(_ value: UInt64) {
        self.counts[Self.index(of: value)] &+= 1
        self.min = self.count == 0 ? value : Swift.min(self.min, value)
        self.count &+= 1
        self.max = Swift.max(self.max, value)
        self.sum &+= value
    }

    /// Adds every value of `other`.
    public mutating func merge(_ other: LatencyHistogram) {
        guard other.count > 0 else { return }
        self.counts.withUnsafeMutableBufferPointer { mine in
            other.counts.withUnsafeBufferPointer { theirs in
                for index in 0..<Self.bucketCount where theirs[index] != 0 { mine[index] &+= theirs[index] }
            }
        }
        self.min = self.count == 0 ? other.min : Swift.min(self.min, other.min)
        self.count += other.count
        self.max = Swift.max(self.max, other.max)
        self.sum &+= other.sum
    }

    /// Forgets every value, keeping the memory.
    public mutating func reset() {
        guard self.count > 0 else { return }
        self.counts.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        self.count = 0
        self.max = 0
        self.min = 0
        self.sum = 0
    }

    /// The value at `percentile` (0...100) by nearest rank: the highest value equivalent to the
    /// recorded one at that rank (as HdrHistogram reports), never above ``max``; 0 when empty.
    public func value(atPercentile percentile: Double) -> UInt64 {
        guard self.count > 0 else { return 0 }
        if percentile >= 100 { return self.max }
        let rank = Swift.max(1, UInt64((percentile / 100 * Double(self.count)).rounded(.up)))
        var seen: UInt64 = 0
        return self.counts.withUnsafeBufferPointer { counts in
            for index in 0..<Self.bucketCount {
                seen += counts[index]
                if seen >= rank { return Swift.min(Self.highestEquivalent(index), self.max) }
            }
            return self.max
        }
    }

    /// Mean of the recorded values; 0 when empty.
    public var mean: Double { self.count == 0 ? 0 : Double(self.sum) / Double(self.count) }

    /// The bucket of `value`.
    @inline(__always)
    static func index(of value: UInt64) -> Int {
        if value < UInt64(2 * self.subBuckets) { return Int(value) }
        let exponent = Swift.min(63 - value.leadingZeroBitCount, self.maxExponent)
        let shift = exponent - self.subBucketBits
        // The top 11 bits of the value: 1024...2047 (clamped for values past the last power of two).
        let mantissa = Swift.min(Int(truncatingIfNeeded: value >> UInt64(shift)), 2 * self.subBuckets - 1)
        return shift * self.subBuckets + mantissa
    }

    /// Smallest value that lands in bucket `index`.
    static func lowestEquivalent(_ index: Int) -> UInt64 {
        if index < 2 * self.subBuckets { return UInt64(index) }
        let shift = index / self.subBuckets - 1
        let mantissa = UInt64(index % self.subBuckets + self.subBuckets)
        return mantissa << UInt64(shift)
    }

    /// Largest value that lands in bucket `index`.
    static func highestEquivalent(_ index: Int) -> UInt64 {
        index + 1 >= self.bucketCount ? UInt64.max : self.lowestEquivalent(index + 1) - 1
    }
}
