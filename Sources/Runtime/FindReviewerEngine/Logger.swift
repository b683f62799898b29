import Foundation
import Locking

/// Severity of a log line.
public enum LogLevel: String, Sendable, CaseIterable, Comparable {
    case debug, info, warn, error

    private var rank: Int { Self.allCases.firstIndex(of: self)! }

    /// Orders by severity.
    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rank < rhs.rank }
}

/// How log lines are written.
public enum LogFormat: String, Sendable, CaseIterable {
    /// `2026-11-24T14:00:00.123Z info msg key=value ...`
    case text
    /// One JSON object per line.
    case json
}

/// One-line structured logs on standard error, safe to call from any thread.
public final class Logger: Sendable {
    private let level: LogLevel
    private let format: LogFormat
    private let sink: @Sendable (String) -> Void
    /// Lines written; its lock also keeps lines from interleaving.
    private let lines = Locked<UInt64>(0)

    /// A logger writing lines at `level` or above to `sink` (standard error by default).
    public init(level: LogLevel, format: LogFormat, sink: (@Sendable (String) -> Void)? = nil) {
        self.level = level
        self.format = format
        self.sink = sink ?? { line in FileHandle.standardError.write(Data(line.utf8)) }
    }

    /// True when lines at `level` are written; check before building expensive fields.
    public func enabled(_ level: LogLevel) -> Bool { level >= self.level }

    /// Writes one line with `message` and the fields in order.
    public func log(_ level: LogLevel, _ message: String, _ fields: KeyValuePairs<String, String> = [:]) {
        guard self.enabled(level) else { return }
        let time = Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true))
        var line: String
        switch self.format {
        case .text:
            line = "\(time) \(level.rawValue) \(message)"
            for (key, value) in fields {
                let quoted = value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) || value.isEmpty
                line += " \(key)=" + (quoted ? "\"\(value.replacingOccurrences(of: "\"", with: "\\\""))\"" : value)
            }
        case .json:
            var members: [(String, String)] = [("ts", time), ("level", level.rawValue), ("msg", message)]
            members.append(contentsOf: fields.map { ($0.key, $0.value) })
            line = "{" + members.map { "\(Self.quote($0.0)):\(Self.quote($0.1))" }.joined(separator: ",") + "}"
        }
        line += "\n"
        self.lines.withLock { count in
            count &+= 1
            self.sink(line)
        }
    }

    private static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
