import Foundation
import Messages
import ToolSupport

/// How values look in tables: times in UTC, enums in words, durations in days and hours.
public enum Format {
    /// `2026-05-01 09:00:00 UTC`; empty for 0 (not set).
    public static func time(_ seconds: Int64) -> String {
        guard seconds != 0 else { return "" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds))) + " UTC"
    }

    /// An enum case in words: `businessInvitation` → `business-invitation`.
    public static func name<E: ProtoEnum>(_ value: E) -> String {
        var out = ""
        for character in String(describing: value) {
            if character.isUppercase {
                out += "-" + character.lowercased()
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// `3d 4h`, `72h`, `90s`: a span of seconds for people.
    public static func span(_ seconds: Int64) -> String {
        if seconds == 0 { return "0s" }
        let sign = seconds < 0 ? "-" : ""
        var rest = abs(seconds)
        var parts: [String] = []
        for (unit, size) in [("d", Int64(86_400)), ("h", 3_600), ("m", 60), ("s", 1)] where rest >= size {
            parts.append("\(rest / size)\(unit)")
            rest %= size
        }
        return sign + parts.joined(separator: " ")
    }

    /// Parses `3d`, `72h`, `1d12h`, `90m`, `45s` or plain seconds.
    public static func parseSpan(_ text: String) -> Int64? {
        if let plain = Int64(text) { return plain }
        var total: Int64 = 0
        var digits = ""
        for character in text.lowercased() {
            if character.isNumber {
                digits.append(character)
                continue
            }
            guard let number = Int64(digits) else { return nil }
            switch character {
            case "d": total += number * 86_400
            case "h": total += number * 3_600
            case "m": total += number * 60
            case "s": total += number
            default: return nil
            }
            digits = ""
        }
        return digits.isEmpty && !text.isEmpty ? total : nil
    }

    /// The enum case whose words, Swift name or proto name match `text`, ignoring case and
    /// punctuation: `reference-number`, `referenceNumber` and `REQUESTED_FIELD_REFERENCE_NUMBER` all work.
    public static func parseEnum<E: ProtoEnum>(_ text: String, as type: E.Type, aliases: [String: E] = [:]) -> E? {
        let wanted = self.squashed(text)
        if let alias = aliases.first(where: { self.squashed($0.key) == wanted }) { return alias.value }
        let protoNames = ProtoSchema.enums[E.protoName]?.values ?? []
        for value in E.allCases where value.rawValue != 0 {
            if self.squashed(String(describing: value)) == wanted { return value }
            if let protoName = protoNames.first(where: { $0.number == value.rawValue })?.name, self.squashed(protoName) == wanted {
                return value
            }
        }
        return nil
    }

    /// The words accepted for each case of `E`, for error messages.
    public static func choices<E: ProtoEnum>(_ type: E.Type) -> String {
        E.allCases.filter { $0.rawValue != 0 }.map { self.name($0) }.joined(separator: ", ")
    }

    private static func squashed(_ text: String) -> String {
        String(text.lowercased().filter { $0.isLetter || $0.isNumber })
    }

    /// `1,234,567`.
    public static func count<T: BinaryInteger>(_ value: T) -> String { ToolText.count(value) }
}
