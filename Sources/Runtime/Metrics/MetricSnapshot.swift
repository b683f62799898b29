/// The kind of a metric family, as `# TYPE` names it.
public enum MetricType: String, Sendable, Equatable {
    /// Only goes up (resets at restart); the name ends in `_total`.
    case counter
    /// Goes up and down.
    case gauge
    /// Cumulative buckets, a sum and a count.
    case histogram
}

/// A label name and value of one series.
public struct LabelPair: Sendable, Hashable {
    /// E.g. `method`.
    public var name: String
    /// E.g. `findreviewer.v1.FindReviewer/GetReview`; any UTF-8 (escaped in the exposition).
    public var value: String

    /// Creates a pair.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// What one histogram series holds at a scrape.
public struct HistogramSnapshot: Sendable, Equatable {
    /// Finite upper bounds, increasing, in the exposed unit (seconds, bytes, ...).
    public var upperBounds: [Double]
    /// Observations at or below each bound, then the total (+Inf): `upperBounds.count + 1` values.
    public var cumulativeCounts: [UInt64]
    /// Sum of the observations, in the exposed unit.
    public var sum: Double

    /// Creates a snapshot.
    public init(upperBounds: [Double], cumulativeCounts: [UInt64], sum: Double) {
        precondition(cumulativeCounts.count == upperBounds.count + 1)
        self.upperBounds = upperBounds
        self.cumulativeCounts = cumulativeCounts
        self.sum = sum
    }

    /// Observations in all (the +Inf bucket).
    public var count: UInt64 { self.cumulativeCounts.last ?? 0 }

    /// The `q` quantile (0...1) estimated as Prometheus' `histogram_quantile` does: linear
    /// interpolation inside the bucket that holds it, the lowest bucket starting at 0, and the
    /// highest finite bound when it falls in +Inf. Nil without observations.
    public func quantile(_ q: Double) -> Double? {
        guard self.count > 0, q >= 0, q <= 1 else { return nil }
        let rank = q * Double(self.count)
        // The first finite bucket holding the rank; none means +Inf, answered by the highest bound.
        guard let bucket = self.cumulativeCounts.dropLast().firstIndex(where: { Double($0) >= rank }) else {
            return self.upperBounds.last
        }
        let lower = bucket == 0 ? 0 : self.upperBounds[bucket - 1]
        let below = bucket == 0 ? 0 : Double(self.cumulativeCounts[bucket - 1])
        let inBucket = Double(self.cumulativeCounts[bucket]) - below
        guard inBucket > 0 else { return lower }
        return lower + (self.upperBounds[bucket] - lower) * (rank - below) / inBucket
    }
}

/// A value of one series.
public enum MetricValue: Sendable, Equatable {
    /// A counter's or gauge's value.
    case number(Double)
    /// A histogram's buckets, sum and count.
    case histogram(HistogramSnapshot)
}

/// One series of a family: its labels and value.
public struct MetricSeriesSnapshot: Sendable, Equatable {
    /// Labels, in the family's order.
    public var labels: [LabelPair]
    /// The value at the scrape.
    public var value: MetricValue

    /// Creates a series.
    public init(labels: [LabelPair] = [], value: MetricValue) {
        self.labels = labels
        self.value = value
    }

    /// The number, for a counter or gauge.
    public var number: Double? {
        if case .number(let value) = self.value { return value }
        return nil
    }

    /// The histogram, for a histogram.
    public var histogram: HistogramSnapshot? {
        if case .histogram(let value) = self.value { return value }
        return nil
    }
}

/// A family at one scrape: what the exposition renders and what `findreviewer stats` shows.
public struct MetricFamilySnapshot: Sendable, Equatable {
    /// The name (for a histogram, without `_bucket`, `_sum`, `_count`).
    public var name: String
    /// One line of help.
    public var help: String
    /// Counter, gauge or histogram.
    public var type: MetricType
    /// Its series.
    public var series: [MetricSeriesSnapshot]

    /// Creates a family.
    public init(name: String, help: String, type: MetricType, series: [MetricSeriesSnapshot]) {
        self.name = name
        self.help = help
        self.type = type
        self.series = series
    }

    /// The series with exactly these label values (in the family's label order), if any.
    public func series(_ labelValues: String...) -> MetricSeriesSnapshot? {
        self.series.first { $0.labels.map(\.value) == labelValues }
    }
}

extension Array where Element == MetricFamilySnapshot {
    /// The family called `name`, if any.
    public func family(_ name: String) -> MetricFamilySnapshot? { self.first { $0.name == name } }
}
