import FindReviewerEngine
import Foundation
import Locking
import Testing

@Suite("Logger: one line per event, whatever the values hold")
struct LoggerTests {
    /// A logger at `level` in `format` and the lines it wrote.
    static func logger(_ format: LogFormat, level: LogLevel = .info) -> (Logger, @Sendable () -> [String]) {
        let lines = Locked<[String]>([])
        let logger = Logger(level: level, format: format) { line in lines.withLock { $0.append(line) } }
        return (logger, { lines.withLock { $0 } })
    }

    @Test("text: time, level, message, then key=value; values with spaces, quotes, = or nothing are quoted")
    func text() throws {
        let (logger, lines) = Self.logger(.text)
        logger.log(.info, "listening", ["address": "127.0.0.1:7450", "note": "two words", "empty": "", "eq": "a=b", "q": "say \"hi\""])
        let line = try #require(lines().first)
        #expect(line.hasSuffix("\n") && line.dropLast().contains("\n") == false)
        let pattern = #/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z info listening /#
        #expect(line.prefixMatch(of: pattern) != nil, "\(line)")
        #expect(line.hasSuffix(#" address=127.0.0.1:7450 note="two words" empty="" eq="a=b" q="say \"hi\""\#n"#), "\(line)")
    }

    @Test("text: a value with a newline, a tab, a backslash or another control character stays on its line, escaped")
    func textInjection() throws {
        let (logger, lines) = Self.logger(.text)
        logger.log(.info, "call refused", ["message": "unknown method x\n2026-01-01T00:00:00.000Z error forged=1", "c": "a\tb\\c\u{1}d\u{7f}"])
        #expect(lines().count == 1)
        let line = try #require(lines().first)
        #expect(line.filter { $0 == "\n" }.count == 1)
        #expect(line.hasSuffix(#" message="unknown method x\n2026-01-01T00:00:00.000Z error forged=1" c="a\tb\\c\u0001d\u007f""# + "\n"), "\(line)")
    }

    @Test("json: one object per line that JSON reads back to the same values, control characters included")
    func json() throws {
        let (logger, lines) = Self.logger(.json)
        let tricky = "line\nbreak \"quoted\" back\\slash \u{1} ünïcødé 🙂 \u{7f}"
        logger.log(.warn, "odd \"message\"", ["detail": tricky, "n": "3"])
        let line = try #require(lines().first)
        #expect(line.hasSuffix("}\n") && line.dropLast().contains("\n") == false)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["level"] == "warn")
        #expect(object["msg"] == "odd \"message\"")
        #expect(object["detail"] == tricky)
        #expect(object["n"] == "3")
        let time = try #require(object["ts"])
        let parsed = try #require(ISO8601DateFormatter.withFractionalSeconds.date(from: time))
        #expect(abs(parsed.timeIntervalSinceNow) < 3600, "\(time)")
    }

    @Test("lines below the level are not written")
    func level() {
        let (logger, lines) = Self.logger(.text, level: .warn)
        logger.log(.info, "quiet")
        logger.log(.debug, "quieter")
        logger.log(.error, "loud")
        #expect(lines().count == 1 && lines()[0].contains(" error loud"))
        #expect(!logger.enabled(.info) && logger.enabled(.warn))
    }
}

extension ISO8601DateFormatter {
    fileprivate static var withFractionalSeconds: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
