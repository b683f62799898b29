/// One counter series: a cell index in every shard of its registry.
///
/// Handles are plain integers, made once at start by ``MetricsRegistry``; the hot path passes
/// them to a ``MetricsShard`` and never looks anything up by name.
public struct Counter: ShardMetric, Hashable {
    @usableFromInline let cell: Int

    @inlinable init(cell: Int) { self.cell = cell }

    /// The same kind of series `cells` further on (the next label combination).
    @inlinable public func advanced(by cells: Int) -> Counter { Counter(cell: self.cell + cells) }
}

/// One gauge series kept in shards: each shard adds signed deltas (+1 when a call starts, -1
/// when it ends, possibly on another shard); the value is their sum at scrape time.
public struct Gauge: ShardMetric, Hashable {
    @usableFromInline let cell: Int

    @inlinable init(cell: Int) { self.cell = cell }

    /// The same kind of series `cells` further on.
    @inlinable public func advanced(by cells: Int) -> Gauge { Gauge(cell: self.cell + cells) }
}

/// One histogram series: fixed upper bounds, one count cell per bucket plus +Inf, one sum cell.
///
/// Observations are integers in the histogram's raw unit (nanoseconds for a `.seconds`
/// histogram, see ``HistogramUnit``), so an observation is integer compares and two adds.
public struct Histogram: ShardMetric, Hashable {
    /// First cell of the family's bounds (raw units), copied into every shard.
    @usableFromInline let bounds: Int
    /// Number of finite bounds.
    @usableFromInline let boundCount: Int
    /// First cell of this series: `boundCount + 1` bucket counts (not cumulative), then the sum.
    @usableFromInline let buckets: Int

    @inlinable init(bounds: Int, boundCount: Int, buckets: Int) {
        self.bounds = bounds
        self.boundCount = boundCount
        self.buckets = buckets
    }

    /// The same kind of series `cells` further on.
    @inlinable public func advanced(by cells: Int) -> Histogram {
        Histogram(bounds: self.bounds, boundCount: self.boundCount, buckets: self.buckets + cells)
    }
}

/// A series handle that can name its neighbours in a family (``LabelledMetrics``).
public protocol ShardMetric: Sendable {
    /// The series `cells` cells further on in the same shard layout.
    func advanced(by cells: Int) -> Self
}

/// A label and the fixed values it takes, all known at start (e.g. every method's full name).
public struct LabelDimension: Sendable, Equatable {
    /// The label name, e.g. `method`.
    public var name: String
    /// Every value the label takes, in the order the indices of ``LabelledMetrics`` use.
    public var values: [String]

    /// Creates a dimension.
    public init(_ name: String, _ values: [String]) {
        self.name = name
        self.values = values
    }
}

/// A family with one series per combination of label values, pre-registered at start.
///
/// The subscripts turn value indices into a series handle with arithmetic only (no hashing,
/// no allocation): `calls[methodIndex, Int(code.rawValue)]`. A family is a few integers, cheap
/// to copy and to keep in a `let`.
public struct LabelledMetrics<Metric: ShardMetric>: Sendable {
    @usableFromInline let first: Metric
    /// Cells per series.
    @usableFromInline let stride: Int
    @usableFromInline let dimensionCount: Int
    /// Values of the first and second dimension (1 when absent).
    @usableFromInline let count0: Int
    @usableFromInline let count1: Int

    init(first: Metric, stride: Int, sizes: [Int]) {
        precondition(sizes.count <= 2, "a family has at most two label dimensions")
        self.first = first
        self.stride = stride
        self.dimensionCount = sizes.count
        self.count0 = sizes.first ?? 1
        self.count1 = sizes.count > 1 ? sizes[1] : 1
    }

    /// The series for value `index` of a one-label family.
    @inlinable public subscript(_ index: Int) -> Metric {
        precondition(self.dimensionCount == 1 && index >= 0 && index < self.count0, "label value index out of range")
        return self.first.advanced(by: index &* self.stride)
    }

    /// The series for values `index0` and `index1` of a two-label family.
    @inlinable public subscript(_ index0: Int, _ index1: Int) -> Metric {
        precondition(
            self.dimensionCount == 2 && index0 >= 0 && index0 < self.count0 && index1 >= 0 && index1 < self.count1,
            "label value index out of range")
        return self.first.advanced(by: (index0 &* self.count1 &+ index1) &* self.stride)
    }

    /// How many values each dimension takes.
    public var sizes: [Int] { Array([self.count0, self.count1].prefix(self.dimensionCount)) }
}
