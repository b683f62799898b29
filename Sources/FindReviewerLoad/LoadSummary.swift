import Foundation
import RPC
import ToolSupport

/// The outcome of a run: throughput, errors by status and latency percentiles.
public struct LoadSummary: Sendable {
    /// What was run.
    public let configuration: LoadConfiguration
    /// From the first call to the last answer.
    public let elapsedSeconds: Double
    /// Every call's latency (from its due time in open loop).
    public let latency: LatencyHistogram
    /// Failed calls by status.
    public let errors: [StatusCode: Int]
    /// One message per status, to say what failed.
    public let errorSamples: [StatusCode: String]
    /// Calls by operation actually made.
    public let methods: [LoadOperation: Int]
    /// Open loop with a duration: calls that were due but never started (the server fell behind).
    public let missed: Int

    /// Calls made (answered or failed).
    public var calls: UInt64 { self.latency.count }
    /// Calls that failed.
    public var errorCount: Int { self.errors.values.reduce(0, +) }
    /// Calls per second.
    public var throughput: Double { self.elapsedSeconds > 0 ? Double(self.calls) / self.elapsedSeconds : 0 }

    /// Latency percentiles in milliseconds: p50, p90, p99, p99.9, max.
    public var percentiles: [(String, Double)] {
        [("p50", 50), ("p90", 90), ("p99", 99), ("p999", 99.9)].map { ($0.0, Double(self.latency.value(atPercentile: $0.1)) / 1e6) }
            + [("max", Double(self.latency.max) / 1e6)]
    }

    /// The human summary.
    public func text() -> String {
        let c = self.configuration
        let mode = c.rate.map { "open loop at \(Self.number($0)) calls/s" } ?? "closed loop"
        var out = "findreviewer-load: mix \(c.mix.name), \(c.connections) connection(s) x \(c.concurrency) in flight, \(mode), "
        out += "server \(c.settings.server)\n"
        out += "calls       \(ToolText.count(self.calls)) in \(String(format: "%.2f", self.elapsedSeconds)) s\n"
        out += "throughput  \(String(format: "%.1f", self.throughput)) calls/s\n"
        if self.errors.isEmpty {
            out += "errors      none\n"
        } else {
            out += "errors      \(ToolText.count(self.errorCount)):\n"
            for (code, count) in self.errors.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                out += "            \(code.name) \(ToolText.count(count))  e.g. \(self.errorSamples[code] ?? "")\n"
            }
        }
        if self.missed > 0 { out += "missed      \(ToolText.count(self.missed)) calls were due but never started (the server fell behind the rate)\n" }
        out += "latency ms  " + self.percentiles.map { "\($0.0 == "p999" ? "p99.9" : $0.0) \(String(format: "%.3f", $0.1))" }.joined(separator: "  ")
        out += "  (mean \(String(format: "%.3f", self.latency.mean / 1e6)))\n"
        let methods = self.methods.sorted { $0.value > $1.value }.map { "\($0.key.rawValue) \(ToolText.count($0.value))" }
        out += "by method   " + methods.joined(separator: ", ") + "\n"
        return out
    }

    /// One JSON object: `throughput`, `errors`, `latency_ms` {p50, p90, p99, p999, max, mean}, and the run's shape.
    public func json() -> String {
        let c = self.configuration
        var object: [String: Any] = [
            "mix": c.mix.name, "mode": c.rate == nil ? "closed" : "open", "server": c.settings.server, "connections": c.connections,
            "concurrency": c.concurrency, "elapsed_s": Self.rounded(self.elapsedSeconds, 3), "calls": Int(self.calls),
            "ok": Int(self.calls) - self.errorCount, "throughput": Self.rounded(self.throughput, 1),
            "errors": Dictionary(uniqueKeysWithValues: self.errors.map { ($0.key.name, $0.value) }),
            "latency_ms": Dictionary(uniqueKeysWithValues: (self.percentiles + [("mean", self.latency.mean / 1e6)]).map { ($0.0, Self.rounded($0.1, 3)) }),
            "methods": Dictionary(uniqueKeysWithValues: self.methods.map { ($0.key.rawValue, $0.value) }),
            "missed": self.missed,
        ]
        object["rate"] = c.rate ?? NSNull()
        object["requests"] = c.requests ?? NSNull()
        object["duration_s"] = c.requests == nil ? c.duration : NSNull()
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    private static func rounded(_ value: Double, _ places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (value * scale).rounded() / scale
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
