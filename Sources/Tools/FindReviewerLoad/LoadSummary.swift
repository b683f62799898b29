import Foundation
import RPC
import ToolSupport

/// The outcome of a run: throughput, errors by status, latency percentiles overall and per
/// method, the CPU the tool and the server used, and what the verification found.
public struct LoadSummary: Sendable {
    /// What was run.
    public let configuration: LoadConfiguration
    /// Event-loop threads and businesses used.
    public let threads: Int
    public let businesses: Int
    /// From the start of the measured window (after the warm-up) to the last answer.
    public let elapsedSeconds: Double
    /// Every counted call.
    public let stats: LoadStats
    /// Calls that ran another operation than the mix asked for, [asked][actual].
    let substitutions: [[Int]]
    /// CPU used in the measured window.
    public let cpu: LoadRunner.CPUFigures
    /// `--verify`'s findings.
    let verification: Verification?
    /// Whether the outbox was watched for reply tokens.
    let tokensSeen: Bool
    /// Why the run stopped early, if it did (the server went away for good).
    public let failure: String?

    /// Calls made (answered or failed).
    public var calls: UInt64 { self.stats.total.count }
    /// Calls that failed.
    public var errorCount: Int { self.stats.errorCount }
    /// Acknowledged writes the verification found missing.
    public var lostWrites: Int { self.verification?.lost ?? 0 }
    /// Calls per second.
    public var throughput: Double { self.elapsedSeconds > 0 ? Double(self.calls) / self.elapsedSeconds : 0 }
    /// Whether the run went as it should: no errors, nothing lost, not cut short.
    public var succeeded: Bool { self.errorCount == 0 && self.lostWrites == 0 && (self.verification?.unreadable ?? 0) == 0 && self.failure == nil }

    /// Latency percentiles in milliseconds: p50, p90, p99, p99.9, p99.99, max.
    public var percentiles: [(String, Double)] {
        [("p50", 50), ("p90", 90), ("p99", 99), ("p999", 99.9), ("p9999", 99.99)].map {
            ($0.0, Double(self.stats.total.value(atPercentile: $0.1)) / 1e6)
        } + [("max", Double(self.stats.total.max) / 1e6)]
    }

    /// Tool CPU per call and server CPU per call in microseconds.
    public var toolMicrosecondsPerCall: Double? { self.calls > 0 ? self.cpu.toolSeconds * 1e6 / Double(self.calls) : nil }
    public var serverMicrosecondsPerCall: Double? {
        guard self.calls > 0, let server = self.cpu.serverSeconds else { return nil }
        return server * 1e6 / Double(self.calls)
    }

    /// The share of its threads' time the tool was on a CPU (1 = every thread always busy).
    public var toolBusy: Double { self.elapsedSeconds > 0 ? self.cpu.toolSeconds / (self.elapsedSeconds * Double(self.threads)) : 0 }

    /// Operations called, in order, with their figures.
    var operationRows: [(LoadOperation, OperationStats)] {
        LoadOperation.allCases.compactMap { operation in self.stats.operations[operation.rawValue].map { (operation, $0) } }
    }

    /// (asked, actual, count) for every substitution that happened.
    var substitutionRows: [(LoadOperation, LoadOperation, Int)] {
        var rows: [(LoadOperation, LoadOperation, Int)] = []
        for asked in self.substitutions.indices {
            for actual in self.substitutions[asked].indices where self.substitutions[asked][actual] > 0 {
                rows.append((LoadOperation(rawValue: asked)!, LoadOperation(rawValue: actual)!, self.substitutions[asked][actual]))
            }
        }
        return rows
    }

    /// The human summary.
    public func text() -> String {
        let c = self.configuration
        let mode = c.rate.map { "open loop at \(Self.number($0)) calls/s" } ?? "closed loop"
        var out = "findreviewer-load: mix \(c.mix.name), \(c.connections) connection(s) x \(c.concurrency) in flight on \(self.threads) thread(s), "
        out += "\(mode), \(self.businesses) business(es), " + (c.settings.shardMap.map { "shards of \($0)" } ?? "server \(c.settings.server)") + "\n"
        let warm = c.warmup > 0 ? " after a \(Self.number(c.warmup)) s warm-up" : ""
        out += "calls       \(ToolText.count(self.calls)) in \(String(format: "%.2f", self.elapsedSeconds)) s\(warm)\n"
        out += "throughput  \(String(format: "%.1f", self.throughput)) calls/s\n"
        if self.stats.errorSamples.isEmpty {
            out += "errors      none\n"
        } else {
            out += "errors      \(ToolText.count(self.errorCount)):\n"
            for (code, count) in self.stats.errors.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                out += "            \(code.name) \(ToolText.count(count))  e.g. \(self.stats.errorSamples[code] ?? "")\n"
            }
        }
        if self.stats.retries > 0 || self.stats.reconnects > 0 {
            out += "retried     \(ToolText.count(self.stats.retries)) attempt(s) sent again; \(ToolText.count(self.stats.reconnects)) reconnect(s)\n"
        }
        if self.stats.missed > 0 {
            out += "missed      \(ToolText.count(self.stats.missed)) calls were due but never started (the server fell behind the rate)\n"
        }
        out += "latency ms  " + self.percentiles.map { "\(Self.label($0.0)) \(String(format: "%.3f", $0.1))" }.joined(separator: "  ")
        out += "  (mean \(String(format: "%.3f", self.stats.total.mean / 1e6)))\n"
        out += "cpu         " + self.cpuText() + "\n"
        out += Self.row(["method", "calls", "errors", "p50 ms", "p99 ms"])
        for (operation, stats) in self.operationRows {
            out += Self.row([
                "  " + operation.name, ToolText.count(stats.calls), ToolText.count(stats.errorCount),
                String(format: "%.3f", Double(stats.latency.value(atPercentile: 50)) / 1e6),
                String(format: "%.3f", Double(stats.latency.value(atPercentile: 99)) / 1e6),
            ])
        }
        for (asked, actual, count) in self.substitutionRows {
            out += "substituted \(asked.name) -> \(actual.name) \(ToolText.count(count)) time(s): \(Self.reason(asked, tokensSeen: self.tokensSeen))\n"
        }
        if let verification = self.verification {
            out += "verify      \(ToolText.count(verification.confirmed)) acknowledged write(s) read back: \(ToolText.count(verification.lost)) lost"
            if verification.unreadable > 0 { out += ", \(ToolText.count(verification.unreadable)) could not be read" }
            out += "\n"
            for sample in verification.samples { out += "            e.g. \(sample)\n" }
        }
        if let failure { out += "stopped     \(failure)\n" }
        for note in self.bottleneckNotes { out += "note        \(note)\n" }
        return out
    }

    private func cpuText() -> String {
        var text = "tool \(String(format: "%.2f", self.cpu.toolSeconds)) s"
        if let perCall = self.toolMicrosecondsPerCall { text += String(format: " = %.1f us/call", perCall) }
        text += String(
            format: " (%.0f %% in the kernel; its %d thread(s) %.0f %% busy)",
            self.cpu.toolSeconds > 0 ? self.cpu.toolSystemSeconds / self.cpu.toolSeconds * 100 : 0, self.threads, self.toolBusy * 100)
        if let server = self.cpu.serverSeconds, let pid = self.cpu.serverPid {
            text += "; server (pid \(pid)) \(String(format: "%.2f", server)) s"
            if let perCall = self.serverMicrosecondsPerCall { text += String(format: " = %.1f us/call", perCall) }
            if server > 0 { text += String(format: "; tool/server %.2f", self.cpu.toolSeconds / server) }
        } else {
            text += "; server not measured (not local, or its process not found: pass --server-pid)"
        }
        return text
    }

    /// When the tool itself may have limited the rate.
    var bottleneckNotes: [String] {
        var notes: [String] = []
        if self.toolBusy >= 0.9 {
            notes.append(
                String(format: "the tool's threads were on a CPU %.0f %% of the time: the tool may be what limits the rate (try more --threads, or another machine)", self.toolBusy * 100))
        }
        if let server = self.cpu.serverSeconds, server > 0, self.cpu.toolSeconds > server / 2 {
            notes.append("the tool used more than half the server's CPU: on a shared machine it competes with the server")
        }
        return notes
    }

    static func reason(_ asked: LoadOperation, tokensSeen: Bool) -> String {
        switch asked {
        case .replyToRequest, .declineRequest, .viewRequestByToken, .openReply:
            return tokensSeen ? "no request with a known reply token was free (tokens come from the outbox)"
                : "no reply tokens: the server's outbox is not readable here (remote server or SMTP); pass --data-dir for a local one"
        case .sendManualReminder: return "no expired request left to remind (more with --seed-expired; needs --test-clock on the server)"
        case .withdrawInfoRequest: return "no pending request was free"
        case .createInfoRequest: return "every review had an open request"
        default: return "what it needs was busy or missing"
        }
    }

    /// One JSON object: `throughput`, `errors`, `latency_ms` {p50, p90, p99, p999, p9999, max,
    /// mean}, `methods`, `per_method`, `cpu`, `verify`, and the run's shape.
    public func json() -> String {
        let c = self.configuration
        var perMethod: [String: Any] = [:]
        for (operation, stats) in self.operationRows {
            perMethod[operation.name] = [
                "calls": Int(stats.calls), "ok": Int(stats.calls) - stats.errorCount,
                "errors": Dictionary(uniqueKeysWithValues: stats.errors.map { ($0.key.name, $0.value) }),
                "p50_ms": Self.rounded(Double(stats.latency.value(atPercentile: 50)) / 1e6, 3),
                "p99_ms": Self.rounded(Double(stats.latency.value(atPercentile: 99)) / 1e6, 3),
            ]
        }
        var cpu: [String: Any] = [
            "tool_s": Self.rounded(self.cpu.toolSeconds, 3), "tool_system_s": Self.rounded(self.cpu.toolSystemSeconds, 3),
            "tool_busy": Self.rounded(self.toolBusy, 3),
            "tool_us_per_call": self.toolMicrosecondsPerCall.map { Self.rounded($0, 2) } ?? NSNull(),
        ]
        cpu["server_s"] = self.cpu.serverSeconds.map { Self.rounded($0, 3) } ?? NSNull()
        cpu["server_us_per_call"] = self.serverMicrosecondsPerCall.map { Self.rounded($0, 2) } ?? NSNull()
        cpu["server_pid"] = self.cpu.serverPid.map { Int($0) } ?? NSNull()
        cpu["tool_to_server"] = self.cpu.serverSeconds.flatMap { $0 > 0 ? Self.rounded(self.cpu.toolSeconds / $0, 3) : nil } ?? NSNull()
        var object: [String: Any] = [
            "mix": c.mix.name, "mode": c.rate == nil ? "closed" : "open", "server": c.settings.shardMap.map { "shards of \($0)" } ?? c.settings.server, "connections": c.connections,
            "concurrency": c.concurrency, "threads": self.threads, "businesses": self.businesses, "warmup_s": c.warmup,
            "elapsed_s": Self.rounded(self.elapsedSeconds, 3), "calls": Int(self.calls), "ok": Int(self.calls) - self.errorCount,
            "throughput": Self.rounded(self.throughput, 1),
            "errors": Dictionary(uniqueKeysWithValues: self.stats.errors.map { ($0.key.name, $0.value) }),
            "latency_ms": Dictionary(
                uniqueKeysWithValues: (self.percentiles + [("mean", self.stats.total.mean / 1e6)]).map { ($0.0, Self.rounded($0.1, 3)) }),
            "methods": Dictionary(uniqueKeysWithValues: self.operationRows.map { ($0.0.name, Int($0.1.calls)) }),
            "per_method": perMethod, "cpu": cpu, "missed": self.stats.missed, "retries": self.stats.retries,
            "reconnects": self.stats.reconnects,
            "substituted": Dictionary(uniqueKeysWithValues: self.substitutionRows.map { ("\($0.0.name)->\($0.1.name)", $0.2) }),
        ]
        object["rate"] = c.rate ?? NSNull()
        object["requests"] = c.requests ?? NSNull()
        object["duration_s"] = c.requests == nil ? c.duration : NSNull()
        object["failure"] = self.failure ?? NSNull()
        if let verification = self.verification {
            object["verify"] = [
                "confirmed": verification.confirmed, "lost": verification.lost, "unreadable": verification.unreadable,
                "samples": verification.samples,
            ]
        } else {
            object["verify"] = NSNull()
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// A table row: the first column left-aligned in 22 characters, the others right-aligned.
    static func row(_ cells: [String]) -> String {
        let widths = [22, 12, 9, 10, 10]
        var line = ""
        for (index, cell) in cells.enumerated() {
            let padding = String(repeating: " ", count: max(0, widths[index] - cell.count))
            line += index == 0 ? cell + padding : padding + cell
        }
        return line + "\n"
    }

    private static func label(_ key: String) -> String {
        switch key {
        case "p999": return "p99.9"
        case "p9999": return "p99.99"
        default: return key
        }
    }

    private static func rounded(_ value: Double, _ places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (value * scale).rounded() / scale
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
