/// A log-linear latency histogram in nanoseconds, in the manner of HdrHistogram: values below
/// 128 are counted exactly; above, each power of two is split into 64 equal buckets, so any
/// reported value is within 1/64 (1.6 %) of a value that was recorded.
///
/// Fixed size (2,304 counters, 18 KiB), no allocation per value; per-thread histograms are
/// merged with ``merge(_:)``.
public struct LatencyHistogram: Sendable, Equatable {
    /// Buckets per power of two (2^6): the relative precision is 1/64.
    static let subBucketBits = 6
    static let subBuckets = 1 << subBucketBits
    /// Values at or above 2^41 ns (about 37 minutes) are counted in the last bucket.
    static let maxExponent = 40
    static let bucketCount = (maxExponent - subBucketBits) * subBuckets + 2 * subBuckets

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
    public mutating func record(_ value: UInt64) {
        self.counts[Self.index(of: value)] += 1
        self.min = self.count == 0 ? value : Swift.min(self.min, value)
        self.count += 1
        self.max = Swift.max(self.max, value)
        self.sum &+= value
    }

    /// Adds every value of `other`.
    public mutating func merge(_ other: LatencyHistogram) {
        guard other.count > 0 else { return }
        for index in 0..<Self.bucketCount where other.counts[index] != 0 { self.counts[index] += other.counts[index] }
        self.min = self.count == 0 ? other.min : Swift.min(self.min, other.min)
        self.count += other.count
        self.max = Swift.max(self.max, other.max)
        self.sum &+= other.sum
    }

    /// The value at `percentile` (0...100): the highest value equivalent to the recorded one at
    /// that rank (nearest rank), never above ``max``; 0 when empty.
    public func value(atPercentile percentile: Double) -> UInt64 {
        guard self.count > 0 else { return 0 }
        if percentile >= 100 { return self.max }
        let rank = Swift.max(1, UInt64((percentile / 100 * Double(self.count)).rounded(.up)))
        var seen: UInt64 = 0
        for index in 0..<Self.bucketCount {
            seen += self.counts[index]
            if seen >= rank { return Swift.min(Self.highestEquivalent(index), self.max) }
        }
        return self.max
    }

    /// Mean of the recorded values; 0 when empty.
    public var mean: Double { self.count == 0 ? 0 : Double(self.sum) / Double(self.count) }

    /// The bucket of `value`.
    static func index(of value: UInt64) -> Int {
        if value < UInt64(2 * self.subBuckets) { return Int(value) }
        let exponent = Swift.min(63 - value.leadingZeroBitCount, self.maxExponent)
        let shift = exponent - self.subBucketBits
        // The top 7 bits of the value: 64...127 (clamped for values past the last power of two).
        let mantissa = Swift.min(Int(value >> UInt64(shift)), 2 * self.subBuckets - 1)
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
