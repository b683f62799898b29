import Foundation

/// Parses a command line against a tree of ``CommandSpec``s: subcommand words first, then
/// options (`--name value`, `--name=value`, `-h`) and positionals in any order; `--` ends options.
///
/// Global options are accepted anywhere, by every command. `--help`/`-h` always wins over
/// missing arguments, so `findreviewer requests create --help` works without the required ones.
public struct CommandLineParser: Sendable {
    /// The tool's name as typed, e.g. `findreviewer`.
    public let toolName: String
    /// Options every command accepts (`--server`, `--key`, ...).
    public let globalOptions: [OptionSpec]
    /// Every node of the tree, the root (`[]`) included.
    public let commands: [CommandSpec]

    /// What the command line asks for.
    public enum Result: Sendable {
        /// Print the help of this command (`--help`, `-h` or `help ...`).
        case help(CommandSpec)
        /// Run this command with these arguments.
        case run(CommandSpec, ParsedArguments)
    }

    /// `--help`, accepted by every command.
    public static let helpOption = OptionSpec.flag("help", "Show this help and exit.", short: "h")

    /// Creates a parser; `commands` must contain the root `[]`.
    public init(toolName: String, globalOptions: [OptionSpec], commands: [CommandSpec]) {
        self.toolName = toolName
        self.globalOptions = globalOptions
        self.commands = commands
    }

    /// The node at `path`.
    public func command(at path: [String]) -> CommandSpec? { self.commands.first { $0.path == path } }

    /// The direct subcommands of `path`, in declaration order.
    public func children(of path: [String]) -> [CommandSpec] {
        self.commands.filter { $0.path.count == path.count + 1 && Array($0.path.prefix(path.count)) == path }
    }

    /// Parses `arguments` (without the tool's own name).
    public func parse(_ arguments: [String]) throws(UsageError) -> Result {
        guard var node = self.command(at: []) else { throw UsageError("no root command", path: []) }
        // `findreviewer help requests create` is `findreviewer requests create --help`.
        if arguments.first == "help" {
            var path: [String] = []
            for word in arguments.dropFirst() {
                guard let child = self.command(at: path + [word]) else {
                    throw UsageError(self.unknownCommand(word, under: path), path: path)
                }
                path = child.path
            }
            return .help(self.command(at: path)!)
        }

        var parsed = ParsedArguments()
        var index = 0
        var optionsEnded = false
        var wantsHelp = false
        while index < arguments.count {
            let token = arguments[index]
            index += 1
            if !optionsEnded && token == "--" {
                optionsEnded = true
                continue
            }
            if !optionsEnded && token.hasPrefix("-") && token != "-" {
                let (option, inlineValue) = try self.lookUpOption(token, node: node)
                if option.name == Self.helpOption.name {
                    wantsHelp = true
                    continue
                }
                if option.isFlag {
                    guard inlineValue == nil else {
                        throw UsageError("\(option.synopsis) is a switch and takes no value (got \"\(token)\")", path: node.path)
                    }
                    parsed.flags.insert(option.name)
                    continue
                }
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else {
                    guard index < arguments.count else {
                        throw UsageError("\(option.synopsis) needs a value", path: node.path)
                    }
                    value = arguments[index]
                    index += 1
                }
                if !option.repeatable, parsed.values[option.name] != nil {
                    throw UsageError("--\(option.name) was given twice; give it once", path: node.path)
                }
                parsed.values[option.name, default: []].append(value)
                continue
            }
            // A word: a subcommand while we are still choosing one, else a positional.
            if parsed.positionals.isEmpty, !optionsEnded, let child = self.command(at: node.path + [token]) {
                node = child
                continue
            }
            let children = self.children(of: node.path)
            if parsed.positionals.isEmpty && !children.isEmpty && node.arguments.isEmpty {
                throw UsageError(self.unknownCommand(token, under: node.path), path: node.path)
            }
            parsed.positionals.append(token)
        }

        if wantsHelp { return .help(node) }
        guard node.runnable else {
            let choices = self.children(of: node.path).map { $0.path.last! }.joined(separator: ", ")
            let what = node.path.isEmpty ? "a command" : "a subcommand of \(self.displayName(node.path))"
            throw UsageError("\(what) is missing: one of \(choices)", path: node.path)
        }
        try self.validate(parsed, for: node)
        return .run(node, parsed)
    }

    /// `findreviewer requests create`.
    public func displayName(_ path: [String]) -> String { ([self.toolName] + path).joined(separator: " ") }

    private func lookUpOption(_ token: String, node: CommandSpec) throws(UsageError) -> (OptionSpec, String?) {
        let all = node.options + self.globalOptions + [Self.helpOption]
        if token.hasPrefix("--") {
            let body = token.dropFirst(2)
            let name: String
            var inline: String?
            if let equals = body.firstIndex(of: "=") {
                name = String(body[..<equals])
                inline = String(body[body.index(after: equals)...])
            } else {
                name = String(body)
            }
            if let option = all.first(where: { $0.name == name }) { return (option, inline) }
            throw UsageError(self.unknownOption("--\(name)", node: node, candidates: all), path: node.path)
        }
        // Short options: `-h` only (no bundling: the tools have very few).
        if token.count == 2, let option = all.first(where: { $0.short == token.last }) { return (option, nil) }
        throw UsageError(self.unknownOption(token, node: node, candidates: all), path: node.path)
    }

    private func validate(_ parsed: ParsedArguments, for node: CommandSpec) throws(UsageError) {
        for option in node.options + self.globalOptions where option.required && parsed.values[option.name] == nil {
            throw UsageError("\(option.synopsis) is required (\(option.help.lowercasedFirst))", path: node.path)
        }
        let required = node.arguments.filter { !$0.optional }
        if parsed.positionals.count < required.count {
            let missing = required[parsed.positionals.count]
            throw UsageError("missing argument \(missing.name): \(missing.help.lowercasedFirst)", path: node.path)
        }
        if !(node.arguments.last?.variadic ?? false), parsed.positionals.count > node.arguments.count {
            let extra = parsed.positionals[node.arguments.count]
            let expected = node.arguments.isEmpty ? "no arguments" : "at most \(node.arguments.count) argument(s)"
            throw UsageError("unexpected argument \"\(extra)\": \(self.displayName(node.path)) takes \(expected)", path: node.path)
        }
    }

    private func unknownCommand(_ word: String, under path: [String]) -> String {
        let names = self.children(of: path).map { $0.path.last! }
        var message = "unknown command \"\(word)\"" + (path.isEmpty ? "" : " for \(self.displayName(path))")
        if let near = Self.nearest(word, in: names) { message += "; did you mean \"\(near)\"?" }
        return message + " (commands: \(names.joined(separator: ", ")))"
    }

    private func unknownOption(_ token: String, node: CommandSpec, candidates: [OptionSpec]) -> String {
        var message = "unknown option \(token) for \(self.displayName(node.path))"
        let bare = token.drop { $0 == "-" }.split(separator: "=").first.map(String.init) ?? ""
        if let near = Self.nearest(bare, in: candidates.map(\.name)) { message += "; did you mean --\(near)?" }
        return message
    }

    /// The closest name by edit distance, if it is close enough to be a typo.
    static func nearest(_ word: String, in names: [String]) -> String? {
        let scored = names.map { ($0, Self.editDistance(word, $0)) }.min { $0.1 < $1.1 }
        guard let (name, distance) = scored, distance <= max(1, word.count / 3) else { return nil }
        return name
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

extension String {
    /// "The business" → "the business", for quoting help text inside a sentence.
    var lowercasedFirst: String {
        guard let first = self.first else { return self }
        let rest = self.dropFirst()
        // Leave acronyms alone ("ID of ...").
        if let second = rest.first, second.isUppercase { return self }
        return first.lowercased() + rest.trimmingCharacters(in: .init(charactersIn: "."))
    }
}
