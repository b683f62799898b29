import Foundation
import RPC
import ToolSupport

/// A command of `findreviewer`: how it parses and what it does.
public struct Command: Sendable {
    /// Its place in the tree, options and help.
    public let spec: CommandSpec
    /// What it does; returns the exit status. Nil for a pure group.
    public let run: (@Sendable (Invocation) throws(CLIError) -> Int32)?

    /// A runnable command.
    public init(_ spec: CommandSpec, run: @escaping @Sendable (Invocation) throws(CLIError) -> Int32) {
        self.spec = spec
        self.run = run
    }

    /// A group of subcommands.
    public init(group spec: CommandSpec) {
        self.spec = spec
        self.run = nil
    }
}

/// `findreviewer` as a library: arguments and environment in, output and an exit status out.
public enum CLI {
    /// The executable's name.
    public static let toolName = "findreviewer"

    /// Every command, the root included.
    public static let commands: [Command] =
        [Command(group: Self.root)] + Commands.reflection + Commands.importing + Commands.requests + Commands.reviews
        + Commands.reviewer + Commands.reviewerControls + Commands.admin + Commands.moving + Commands.operations + Commands.stats + Commands.outbox + [Demo.command]

    /// The parser over ``commands`` with the connection options as global options.
    public static let parser = CommandLineParser(
        toolName: toolName, globalOptions: ConnectionSettings.options, commands: commands.map(\.spec))

    /// Runs one command line (without the program name) and returns the exit status.
    public static func run(arguments: [String], environment: [String: String], console: Console) -> Int32 {
        let help = HelpFormatter(parser: self.parser)
        let parsed: CommandLineParser.Result
        do {
            parsed = try self.parser.parse(arguments)
        } catch {
            self.report(.usage(error.message, path: error.path), console: console)
            return ExitStatus.usage
        }
        switch parsed {
        case .help(let spec):
            console.out(help.help(spec))
            return ExitStatus.success
        case .run(let spec, let arguments):
            guard let command = self.commands.first(where: { $0.spec.path == spec.path }), let run = command.run else {
                return ExitStatus.usage
            }
            do {
                let settings = try ConnectionSettings.resolve(arguments, environment: environment, path: spec.path)
                let invocation = Invocation(command: spec, arguments: arguments, console: console, environment: environment, settings: settings)
                return try run(invocation)
            } catch {
                self.report(error, console: console)
                return error.exitStatus
            }
        }
    }

    /// Prints an error the way every command does: what went wrong, then what to do.
    public static func report(_ error: CLIError, console: Console, toolName: String = CLI.toolName, parser: CommandLineParser = CLI.parser) {
        ToolText.report(error, console: console, toolName: toolName, parser: parser)
    }

    /// Wraps prose at 100 columns with `indent` on every line.
    static func wrap(_ text: String, indent: String, width: Int = 100) -> String {
        ToolText.wrap(text, indent: indent, width: width)
    }

    static let root = CommandSpec.group(
        [], summary: "Command line for a FindReviewer server: the Find Reviewer workflow, any RPC as JSON, and a demo.",
        discussion: """
            Right after `make run` it needs no setup: it calls \(ServerOptions.defaultAddress) with the admin key from
            ./data/keys.json. Elsewhere, set --server/FINDREVIEWER_SERVER and --key/FINDREVIEWER_KEY
            (or --data-dir/FINDREVIEWER_DATA_DIR for the server's data directory).

            Tables by default; --json prints the answer as one JSON object. `findreviewer help COMMAND`
            is the same as `findreviewer COMMAND --help`.

            Exit status: 0 success, 1 other failure, 2 bad command line or input (nothing sent),
            64 + the gRPC status code when a call fails (69 NOT_FOUND, 73 FAILED_PRECONDITION,
            78 UNAVAILABLE, 80 UNAUTHENTICATED, ...).
            """)
}
