/// The unit a histogram exposes and the integer unit its observations arrive in.
///
/// Observations are integers so that the hot path never converts to floating point:
/// latencies arrive as nanoseconds (what `DispatchTime` and `clock_gettime` give) and are
/// exposed in seconds, Prometheus' base unit.
public enum HistogramUnit: Sendable, Equatable {
    /// Observed in nanoseconds, exposed in seconds (the name ends in `_seconds`).
    case seconds
    /// Observed and exposed as they are: bytes (`_bytes`) or a plain count (records per fsync).
    case plain

    /// Exposed value per raw unit.
    public var scale: Double {
        switch self {
        case .seconds: 1e-9
        case .plain: 1
        }
    }
}

/// Bucket bounds, in the exposed unit, used by the service's histograms.
public enum Buckets {
    /// Call, fsync and timer latency in seconds: 50 µs to 10 s, about 2.5x apart. A read call
    /// takes tens of µs on the loop; an fsync one to tens of ms; a timer lag up to seconds.
    public static let latencySeconds: [Double] = [
        0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]

    /// Long operations in seconds (snapshots, recovery): 10 ms to 5 min.
    public static let durationSeconds: [Double] = [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300]

    /// Powers of two from 1 to 4096 (records per fsync, batch sizes).
    public static let powersOfTwo: [Double] = (0...12).map { Double(1 << $0) }

    /// `count` bounds starting at `start`, each `factor` times the last.
    public static func exponential(start: Double, factor: Double, count: Int) -> [Double] {
        precondition(start > 0 && factor > 1 && count > 0)
        var bounds: [Double] = []
        var bound = start
        for _ in 0..<count {
            bounds.append(bound)
            bound *= factor
        }
        return bounds
    }
}
