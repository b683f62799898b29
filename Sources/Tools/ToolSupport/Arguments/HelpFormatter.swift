/// The text of `--help` and of the usage line printed after a usage error.
public struct HelpFormatter: Sendable {
    /// The parser whose commands it describes.
    public let parser: CommandLineParser

    /// Creates a formatter.
    public init(parser: CommandLineParser) { self.parser = parser }

    /// `usage: findreviewer requests show --business ID REQUEST-ID [options]`.
    public func usageLine(_ command: CommandSpec) -> String {
        var words = [self.parser.displayName(command.path)]
        if !self.parser.children(of: command.path).isEmpty && !command.runnable { words.append("<command>") }
        words += command.options.filter(\.required).map(\.synopsis)
        words += command.arguments.map(\.synopsis)
        words.append("[options]")
        return "usage: " + words.joined(separator: " ")
    }

    /// The full help of a command or group.
    public func help(_ command: CommandSpec) -> String {
        var out = self.usageLine(command) + "\n\n" + command.summary + "\n"
        if !command.discussion.isEmpty { out += "\n" + command.discussion.trimmingTrailingNewlines + "\n" }
        let children = self.parser.children(of: command.path)
        if !children.isEmpty {
            out += "\nCommands:\n"
            out += Self.twoColumns(children.map { (($0.path.last ?? ""), $0.summary) })
        }
        if !command.arguments.isEmpty {
            out += "\nArguments:\n"
            out += Self.twoColumns(command.arguments.map { ($0.synopsis, $0.help) })
        }
        if !command.options.isEmpty {
            out += "\nOptions:\n"
            out += Self.twoColumns(command.options.map { (Self.optionLabel($0), $0.help + ($0.required ? " Required." : "")) })
        }
        out += "\nGlobal options:\n"
        out += Self.twoColumns((self.parser.globalOptions + [CommandLineParser.helpOption]).map { (Self.optionLabel($0), $0.help) })
        if !children.isEmpty {
            out += "\nRun `\(self.parser.displayName(command.path)) <command> --help` for the options of one command.\n"
        }
        return out
    }

    private static func optionLabel(_ option: OptionSpec) -> String {
        (option.short.map { "-\($0), " } ?? "") + option.synopsis + (option.repeatable ? " (repeatable)" : "")
    }

    /// Left column padded to the widest entry (capped), help text beside it.
    static func twoColumns(_ rows: [(String, String)]) -> String {
        let width = min(34, rows.map { $0.0.count }.max() ?? 0)
        var out = ""
        for (left, right) in rows {
            if left.count > width {
                out += "  \(left)\n" + String(repeating: " ", count: width + 4) + right + "\n"
            } else {
                out += "  " + left + String(repeating: " ", count: width - left.count + 2) + right + "\n"
            }
        }
        return out
    }
}

extension String {
    var trimmingTrailingNewlines: String {
        var copy = self
        while copy.hasSuffix("\n") { copy.removeLast() }
        return copy
    }
}
