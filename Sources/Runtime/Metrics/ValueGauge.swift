import Synchronization

/// A gauge holding one value that any thread may set at any time (last snapshot size, time
/// of the last success, recovery duration): one atomic store.
public final class ValueGauge: Sendable {
    private let bits = Atomic<UInt64>(0.0.bitPattern)

    init() {}

    /// Sets the value.
    public func set(_ value: Double) { self.bits.store(value.bitPattern, ordering: .relaxed) }

    /// The value now.
    public var value: Double { Double(bitPattern: self.bits.load(ordering: .relaxed)) }
}
