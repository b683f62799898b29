/// The naming rules every family obeys, checked at registration (a broken name is a
/// programming error, so it traps there rather than at the first scrape).
///
/// Prometheus' syntax (`[a-zA-Z_:][a-zA-Z0-9_:]*` for metrics, `[a-zA-Z_][a-zA-Z0-9_]*` for
/// labels, `__` reserved) and its guidelines: every name starts with ``prefix``, counters end in
/// `_total`, histograms do not end in a suffix of their own samples and have no `le` label.
public enum MetricNames {
    /// The namespace of every metric of this service.
    public static let prefix = "findreviewer_"

    /// Whether `name` is a valid metric name of this service.
    public static func isValidMetricName(_ name: String) -> Bool {
        guard name.hasPrefix(self.prefix) else { return false }
        return name.utf8.allSatisfy { self.isLetterOrUnderscore($0) || self.isDigit($0) || $0 == UInt8(ascii: ":") }
    }

    /// Whether `name` is a valid label name (not reserved).
    public static func isValidLabelName(_ name: String) -> Bool {
        guard let first = name.utf8.first, self.isLetterOrUnderscore(first), !name.hasPrefix("__") else { return false }
        return name.utf8.allSatisfy { self.isLetterOrUnderscore($0) || self.isDigit($0) }
    }

    /// Traps unless `name` and `labels` suit a family of `type`.
    static func check(_ name: String, _ type: MetricType, labels: [String]) {
        precondition(self.isValidMetricName(name), "metric name \"\(name)\" must match findreviewer_[a-zA-Z0-9_:]*")
        switch type {
        case .counter:
            precondition(name.hasSuffix("_total"), "counter \"\(name)\" must end in _total")
        case .gauge:
            precondition(!name.hasSuffix("_total"), "gauge \"\(name)\" must not end in _total (that marks counters)")
        case .histogram:
            for suffix in ["_bucket", "_sum", "_count", "_total"] {
                precondition(!name.hasSuffix(suffix), "histogram \"\(name)\" must not end in \(suffix)")
            }
            precondition(!labels.contains("le"), "histogram \"\(name)\" must not have a label called le")
        }
        for label in labels {
            precondition(self.isValidLabelName(label), "label name \"\(label)\" of \"\(name)\" must match [a-zA-Z_][a-zA-Z0-9_]* without a leading __")
        }
        precondition(Set(labels).count == labels.count, "\"\(name)\" repeats a label name")
    }

    private static func isLetterOrUnderscore(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_")
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
