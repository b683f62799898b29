/// The Prometheus text exposition format, version 0.0.4.
///
/// Per family: `# HELP name text`, `# TYPE name type`, then one line per sample,
/// `name{label="value",...} number`. A histogram series gives `name_bucket{...,le="b"}` lines
/// with cumulative counts ending in `le="+Inf"`, then `name_sum` and `name_count`.
/// Help text escapes `\` and newline; label values escape `\`, `"` and newline.
public enum Exposition {
    /// The `Content-Type` of a response carrying this format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Renders `families` in order.
    public static func render(_ families: [MetricFamilySnapshot]) -> String {
        var text = ""
        text.reserveCapacity(families.count * 256)
        for family in families {
            text += "# HELP \(family.name) \(self.escapeHelp(family.help))\n"
            text += "# TYPE \(family.name) \(family.type.rawValue)\n"
            for series in family.series {
                switch series.value {
                case .number(let value):
                    self.appendSample(&text, family.name, series.labels, nil, value)
                case .histogram(let histogram):
                    for (index, count) in histogram.cumulativeCounts.enumerated() {
                        let bound = index < histogram.upperBounds.count ? self.format(histogram.upperBounds[index]) : "+Inf"
                        self.appendSample(&text, family.name + "_bucket", series.labels, LabelPair("le", bound), Double(count))
                    }
                    self.appendSample(&text, family.name + "_sum", series.labels, nil, histogram.sum)
                    self.appendSample(&text, family.name + "_count", series.labels, nil, Double(histogram.count))
                }
            }
        }
        return text
    }

    private static func appendSample(_ text: inout String, _ name: String, _ labels: [LabelPair], _ extra: LabelPair?, _ value: Double) {
        text += name
        if !labels.isEmpty || extra != nil {
            text += "{"
            var first = true
            for label in labels + (extra.map { [$0] } ?? []) {
                if !first { text += "," }
                first = false
                text += label.name
                text += "=\""
                text += self.escapeLabelValue(label.value)
                text += "\""
            }
            text += "}"
        }
        text += " "
        text += self.format(value)
        text += "\n"
    }

    /// `\` -> `\\`, newline -> `\n` (help text).
    public static func escapeHelp(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\n") }) else { return text }
        var escaped = ""
        for character in text.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// `\` -> `\\`, `"` -> `\"`, newline -> `\n` (label values).
    public static func escapeLabelValue(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\"") }) else {
            return text
        }
        var escaped = ""
        for character in text.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\"": escaped += "\\\""
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// A sample value or `le` bound as Prometheus parses it (Go's `ParseFloat`): integers
    /// without a fraction, `+Inf`, `-Inf`, `NaN`, otherwise the shortest exact decimal
    /// (`0.00025`, `5e-05`).
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value == .infinity { return "+Inf" }
        if value == -.infinity { return "-Inf" }
        // Integers up to 2^53 print exactly as integers; beyond, the exponent form is shorter.
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 { return String(Int64(value)) }
        return value.description
    }
}
