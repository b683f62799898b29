/// Text helpers every tool prints with: wrapped prose, grouped counts, and the error report.
public enum ToolText {
    /// Wraps prose at `width` columns with `indent` on every line; `\n` starts a new paragraph.
    public static func wrap(_ text: String, indent: String, width: Int = 100) -> String {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = indent
            for word in paragraph.split(separator: " ") {
                if line.count + word.count + 1 > width && line.count > indent.count {
                    lines.append(line)
                    line = indent
                }
                line += (line.count > indent.count ? " " : "") + word
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// `12,345`: digits in groups of three.
    public static func count<T: BinaryInteger>(_ value: T) -> String {
        let digits = String(value)
        var out = ""
        for (index, character) in digits.reversed().enumerated() {
            if index > 0 && index % 3 == 0 && character != "-" { out.append(",") }
            out.append(character)
        }
        return String(out.reversed())
    }

    /// Prints `error` the way every tool does: `tool: what went wrong`, for a usage error the
    /// command's usage line and where its help is, then the hint (what to do), wrapped.
    public static func report(_ error: CLIError, console: Console, toolName: String, parser: CommandLineParser) {
        var text = "\(toolName): \(error.message)"
        if case .usage(let path) = error.kind, let spec = parser.command(at: path) {
            text += "\n" + HelpFormatter(parser: parser).usageLine(spec)
            text += "\nRun `\(parser.displayName(path)) --help` for its options."
        }
        if !error.hint.isEmpty { text += "\n" + self.wrap(error.hint, indent: "  ") }
        console.error(text)
    }
}
