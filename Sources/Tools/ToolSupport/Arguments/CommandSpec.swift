/// One `--name` option of a command: a switch, or an option that takes a value.
public struct OptionSpec: Sendable, Equatable {
    /// The long name without dashes, e.g. `business` for `--business`.
    public let name: String
    /// A one-letter alias, e.g. `h` for `-h`.
    public let short: Character?
    /// What the value looks like in help (`ID`, `HOST:PORT`); `nil` for a switch.
    public let metavar: String?
    /// One line for `--help`.
    public let help: String
    /// Whether the command refuses to run without it.
    public let required: Bool
    /// Whether it may be given more than once (all values are kept).
    public let repeatable: Bool

    /// An option with a value.
    public static func value(
        _ name: String, _ metavar: String, _ help: String, required: Bool = false, repeatable: Bool = false, short: Character? = nil
    ) -> OptionSpec {
        OptionSpec(name: name, short: short, metavar: metavar, help: help, required: required, repeatable: repeatable)
    }

    /// A switch: present or not.
    public static func flag(_ name: String, _ help: String, short: Character? = nil) -> OptionSpec {
        OptionSpec(name: name, short: short, metavar: nil, help: help, required: false, repeatable: false)
    }

    /// Whether it is a switch.
    public var isFlag: Bool { self.metavar == nil }

    /// `--business ID` or `--json`.
    public var synopsis: String { "--\(self.name)" + (self.metavar.map { " \($0)" } ?? "") }
}

/// One positional argument of a command.
public struct ArgumentSpec: Sendable, Equatable {
    /// What it looks like in help, e.g. `REQUEST-ID`.
    public let name: String
    /// One line for `--help`.
    public let help: String
    /// Whether it may be left out.
    public let optional: Bool
    /// Whether it takes every remaining argument (last argument only).
    public let variadic: Bool

    /// Creates an argument.
    public init(_ name: String, _ help: String, optional: Bool = false, variadic: Bool = false) {
        self.name = name
        self.help = help
        self.optional = optional
        self.variadic = variadic
    }

    /// `REQUEST-ID`, `[JSON]` or `FILE...`.
    public var synopsis: String {
        let base = self.variadic ? "\(self.name)..." : self.name
        return self.optional ? "[\(base)]" : base
    }
}

/// A command or a group of commands, as the parser and `--help` see it.
///
/// Commands form a tree by `path`: `["requests", "create"]` is a child of `["requests"]`, and
/// `[]` is the tool itself. A node may be runnable and have children (`clock` and `clock advance`).
public struct CommandSpec: Sendable {
    /// The words that select it, e.g. `["requests", "create"]`.
    public let path: [String]
    /// One line for the parent's command list and the top of `--help`.
    public let summary: String
    /// More text for `--help`: details and examples.
    public let discussion: String
    /// Positional arguments in order.
    public let arguments: [ArgumentSpec]
    /// The command's own options (global ones come from the parser).
    public let options: [OptionSpec]
    /// False for a pure group such as `requests`: it needs a subcommand.
    public let runnable: Bool

    /// Creates a spec.
    public init(
        _ path: [String], summary: String, discussion: String = "", arguments: [ArgumentSpec] = [], options: [OptionSpec] = [],
        runnable: Bool = true
    ) {
        self.path = path
        self.summary = summary
        self.discussion = discussion
        self.arguments = arguments
        self.options = options
        self.runnable = runnable
    }

    /// A group that only holds subcommands.
    public static func group(_ path: [String], summary: String, discussion: String = "") -> CommandSpec {
        CommandSpec(path, summary: summary, discussion: discussion, runnable: false)
    }
}

/// What the command line asked for, after parsing.
public struct ParsedArguments: Sendable, Equatable {
    /// Values of options that take one, by long name, in the order given.
    public var values: [String: [String]] = [:]
    /// Switches that were given, by long name.
    public var flags: Set<String> = []
    /// Positional arguments in order.
    public var positionals: [String] = []

    /// Creates an empty set of arguments.
    public init() {}

    /// The last value of `--name`, if given.
    public func value(_ name: String) -> String? { self.values[name]?.last }

    /// Every value of a repeatable `--name`.
    public func all(_ name: String) -> [String] { self.values[name] ?? [] }

    /// Whether the switch `--name` was given.
    public func flag(_ name: String) -> Bool { self.flags.contains(name) }

    /// The positional argument at `index`, if given.
    public func positional(_ index: Int) -> String? { index < self.positionals.count ? self.positionals[index] : nil }
}

/// A command line that cannot be run as given; nothing was sent anywhere.
public struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, with the input at fault.
    public var message: String
    /// The command it concerns (its `--help` explains the fix).
    public var path: [String]

    /// Creates an error.
    public init(_ message: String, path: [String]) {
        self.message = message
        self.path = path
    }

    /// The message.
    public var description: String { self.message }
}
