import Foundation
import Locking
import Messages

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
    ///
    /// Text lines quote a value that is empty or holds a space, `"`, `=`, `\` or a control
    /// character, with the escapes JSON uses inside the quotes, so that no value (an RPC error
    /// message may quote what a caller sent) can break a line in two or forge a field.
    public func log(_ level: LogLevel, _ message: String, _ fields: KeyValuePairs<String, String> = [:]) {
        guard self.enabled(level) else { return }
        var line = ""
        line.reserveCapacity(96)
        switch self.format {
        case .text:
            Self.appendTime(to: &line)
            line += " "
            line += level.rawValue
            line += " "
            JSONValue.appendEscaped(message, to: &line, escapingQuotes: false)
            for (key, value) in fields {
                line += " "
                line += key
                line += "="
                if value.isEmpty || value.utf8.contains(where: { $0 <= 0x20 || $0 == 0x22 || $0 == 0x3D || $0 == 0x5C || $0 == 0x7F }) {
                    Self.appendQuoted(value, to: &line)
                } else {
                    line += value
                }
            }
        case .json:
            line += "{\"ts\":\""
            Self.appendTime(to: &line)
            line += "\",\"level\":\""
            line += level.rawValue
            line += "\",\"msg\":"
            Self.appendQuoted(message, to: &line)
            for (key, value) in fields {
                line += ","
                Self.appendQuoted(key, to: &line)
                line += ":"
                Self.appendQuoted(value, to: &line)
            }
            line += "}"
        }
        line += "\n"
        self.lines.withLock { count in
            count &+= 1
            self.sink(line)
        }
    }

    /// `2026-11-24T14:00:00.123Z`, UTC, from the real-time clock (no formatter: a log line
    /// costs a few thousand instructions, not tens of thousands).
    static func appendTime(to line: inout String) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func digits(_ value: Int32, _ width: Int) {
            var text = String(value)
            while text.utf8.count < width { text = "0" + text }
            line += text
        }
        digits(parts.tm_year + 1900, 4)
        line += "-"
        digits(parts.tm_mon + 1, 2)
        line += "-"
        digits(parts.tm_mday, 2)
        line += "T"
        digits(parts.tm_hour, 2)
        line += ":"
        digits(parts.tm_min, 2)
        line += ":"
        digits(parts.tm_sec, 2)
        line += "."
        digits(Int32(now.tv_nsec / 1_000_000), 3)
        line += "Z"
    }

    /// `text` between double quotes with JSON's escapes.
    static func appendQuoted(_ text: String, to line: inout String) {
        line += "\""
        JSONValue.appendEscaped(text, to: &line)
        line += "\""
    }
}
