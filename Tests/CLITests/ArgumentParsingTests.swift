import FindReviewerCLI
import FindReviewerLoad
import ToolSupport
import Foundation
import Testing

/// The hand-written parser: subcommands, options, positionals, errors and `--help`.
@Suite("Argument parsing and help")
struct ArgumentParsingTests {
    static func make() -> CommandLineParser {
        CommandLineParser(
            toolName: "tool", globalOptions: [.value("server", "HOST:PORT", "Server.")],
            commands: [
                .group([], summary: "Root."),
                .group(["things"], summary: "Things."),
                CommandSpec(
                    ["things", "make"], summary: "Make a thing.", arguments: [ArgumentSpec("NAME", "Its name.")],
                    options: [
                        .value("size", "N", "Size.", required: true), .value("tag", "T", "Tag.", repeatable: true), .flag("loud", "Loudly."),
                    ]),
                CommandSpec(["things", "all"], summary: "All things.", arguments: [ArgumentSpec("FILE", "Files.", variadic: true)]),
                CommandSpec(["clock"], summary: "Show the clock."),
                CommandSpec(["clock", "advance"], summary: "Advance.", arguments: [ArgumentSpec("BY", "By.", optional: true)]),
            ])
    }

    static func run(_ arguments: [String]) throws(UsageError) -> (CommandSpec, ParsedArguments) {
        switch try self.make().parse(arguments) {
        case .run(let spec, let parsed): return (spec, parsed)
        case .help(let spec): throw UsageError("unexpected help for \(spec.path)", path: spec.path)
        }
    }

    @Test("options anywhere, --name=value, repeatable values, switches, -- ends options")
    func options() throws {
        let (spec, parsed) = try Self.run(["--server", "h:1", "things", "make", "--tag", "a", "widget", "--size=3", "--tag=b", "--loud"])
        #expect(spec.path == ["things", "make"])
        #expect(parsed.value("server") == "h:1")
        #expect(parsed.value("size") == "3")
        #expect(parsed.all("tag") == ["a", "b"])
        #expect(parsed.flag("loud"))
        #expect(parsed.positionals == ["widget"])
        let (_, dashed) = try Self.run(["things", "make", "--size", "1", "--", "--loud"])
        #expect(dashed.positionals == ["--loud"])
        #expect(!dashed.flag("loud"))
        // A value that looks like an option is still the value of the option before it.
        let (_, negative) = try Self.run(["things", "make", "x", "--size", "-5"])
        #expect(negative.value("size") == "-5")
    }

    @Test("a node can run and have children; variadic arguments take the rest")
    func tree() throws {
        #expect(try Self.run(["clock"]).0.path == ["clock"])
        let (advance, parsed) = try Self.run(["clock", "advance", "3d"])
        #expect(advance.path == ["clock", "advance"])
        #expect(parsed.positionals == ["3d"])
        #expect(try Self.run(["things", "all", "a", "b", "c"]).1.positionals == ["a", "b", "c"])
    }

    @Test(
        "usage errors name the input at fault",
        arguments: [
            (["things", "mak"], "unknown command \"mak\" for tool things; did you mean \"make\"?"),
            (["thing"], "unknown command \"thing\"; did you mean \"things\"?"),
            (["things", "make", "w"], "--size N is required"),
            (["things", "make", "--size", "1"], "missing argument NAME"),
            (["things", "make", "--size", "1", "a", "b"], "unexpected argument \"b\""),
            (["things", "make", "--sise", "1", "a"], "unknown option --sise for tool things make; did you mean --size?"),
            (["things", "make", "a", "--size"], "--size N needs a value"),
            (["things", "make", "a", "--size", "1", "--size", "2"], "--size was given twice"),
            (["things", "make", "a", "--size", "1", "--loud=yes"], "--loud is a switch and takes no value"),
            (["things"], "a subcommand of tool things is missing: one of make, all"),
            ([], "a command is missing"),
        ])
    func usageErrors(arguments: [String], expected: String) {
        let error = #expect(throws: UsageError.self) { try Self.make().parse(arguments) }
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "no error")")
    }

    @Test("--help, -h and `help ...` win over missing arguments")
    func help() throws {
        for arguments in [["things", "make", "--help"], ["things", "make", "-h"], ["help", "things", "make"]] {
            guard case .help(let spec) = try Self.make().parse(arguments) else {
                Issue.record("no help for \(arguments)")
                continue
            }
            #expect(spec.path == ["things", "make"])
        }
        let text = HelpFormatter(parser: Self.make()).help(Self.make().command(at: ["things", "make"])!)
        #expect(text.hasPrefix("usage: tool things make --size N NAME [options]"))
        #expect(text.contains("--tag T (repeatable)"))
        #expect(text.contains("--server HOST:PORT"))
    }

    /// Every command of both tools, as `--help` shows it.
    static let allCommands: [[String]] = CLI.commands.map(\.spec.path)

    @Test("findreviewer COMMAND --help: exit 0, its usage line, every option, on standard output", arguments: allCommands)
    func everyCommandHasHelp(path: [String]) {
        let console = Console.capture()
        let status = CLI.run(arguments: path + ["--help"], environment: [:], console: console)
        #expect(status == 0)
        #expect(console.errors.isEmpty)
        #expect(console.output.hasPrefix("usage: findreviewer" + path.map { " " + $0 }.joined()))
        let spec = CLI.parser.command(at: path)!
        #expect(!spec.summary.isEmpty)
        for option in spec.options { #expect(console.output.contains("--" + option.name), "\(path): --\(option.name)") }
        for child in CLI.parser.children(of: path) { #expect(console.output.contains(child.path.last!)) }
    }

    @Test("findreviewer-load --help lists the presets and every operation it can drive")
    func loadHelp() {
        let console = Console.capture()
        #expect(LoadTool.run(arguments: ["--help"], environment: [:], console: console) == 0)
        #expect(console.output.hasPrefix("usage: findreviewer-load [options]"))
        for name in [
            "read", "write", "mixed", "--connections", "--concurrency", "--threads", "--duration", "--requests", "--rate", "--warmup",
            "--verify", "--server-pid", "--json",
        ] {
            #expect(console.output.contains(name), "\(name)")
        }
        for operation in LoadOperation.mixable { #expect(console.output.contains("  \(operation.name): "), "\(operation.name)") }
    }

    @Test("findreviewer-load's command line: defaults, threads at most the connections, and each bad value refused by name")
    func loadConfiguration() throws {
        func configuration(_ arguments: [String]) throws -> LoadConfiguration {
            guard case .run(_, let parsed) = try LoadTool.parser.parse(arguments) else { throw UsageError("help", path: []) }
            return try LoadTool.configuration(parsed, environment: [:])
        }
        let defaults = try configuration([])
        #expect(defaults.mix == .mixed)
        #expect(defaults.connections == 10 && defaults.concurrency == 1 && defaults.duration == 10 && defaults.warmup == 0)
        #expect(defaults.requests == nil && defaults.rate == nil && !defaults.verify && defaults.seedExpired == nil)
        #expect(defaults.threadCount == min(10, ProcessInfo.processInfo.activeProcessorCount))
        let one = try configuration(["--connections", "1", "--threads", "8"])
        #expect(one.threadCount == 1)
        #expect(one.businessCount == 1)
        let many = try configuration(["--connections", "10000", "--threads", "3", "--concurrency", "8", "--warmup", "1.5", "--verify"])
        #expect(many.threadCount == 3 && many.businessCount == 64 && many.concurrency == 8 && many.warmup == 1.5 && many.verify)
        let open = try configuration(["--rate", "2500", "--requests", "100", "--mix", "GetReview=1", "--server-pid", "42"])
        #expect(open.rate == 2500 && open.requests == 100 && open.serverPid == 42 && open.mix.weights.map(\.0) == [.getReview])
        let refused: [([String], String)] = [
            (["--connections", "0"], "--connections must be a whole number from 1 to 100000"),
            (["--threads", "0"], "--threads must be"), (["--concurrency", "x"], "--concurrency must be"),
            (["--duration", "1", "--requests", "5"], "give --duration or --requests, not both"), (["--rate", "-1"], "--rate must be"),
            (["--warmup", "-2"], "--warmup must be"), (["--seed-reviews", "4", "--seed-pending", "3", "--seed-expired", "2"], "raise --seed-reviews"),
            (["--mix", "heavy"], "--mix \"heavy\""),
        ]
        for (arguments, message) in refused {
            #expect(throws: CLIError.self, "\(arguments)") { try configuration(arguments) }
            do {
                _ = try configuration(arguments)
            } catch let error as CLIError {
                #expect(error.message.contains(message), "\(arguments): \(error.message)")
                #expect(error.exitStatus == 2)
            }
        }
    }

    @Test("a usage error exits 2 with the message, the usage line and where to read more; nothing is called")
    func usageExit() {
        let console = Console.capture()
        // No server listens on port 1: had it called, the status would be UNAVAILABLE (78), not 2.
        let status = CLI.run(arguments: ["requests", "show", "--server", "127.0.0.1:1", "req_1"], environment: [:], console: console)
        #expect(status == 2)
        #expect(console.output.isEmpty)
        #expect(console.errors.contains("findreviewer: --business ID is required"))
        #expect(console.errors.contains("usage: findreviewer requests show --business ID REQUEST-ID [options]"))
        #expect(console.errors.contains("Run `findreviewer requests show --help`"))
    }

    @Test("bad values are usage errors: enums, durations, numbers, timeouts")
    func badValues() {
        let cases: [([String], String)] = [
            (["requests", "create", "--business", "b", "--review", "r", "--message", "m", "--fields", "shoe-size"], "\"shoe-size\" is not one of email"),
            (["clock", "advance", "3 weeks"], "DURATION must be 1 second to 365 days"),
            (["requests", "list", "--business", "b", "--page-size", "0"], "--page-size must be a whole number from 1 to 500"),
            (["info", "--timeout", "soon"], "--timeout must be a number of seconds"),
            (["reviews", "report", "--business", "b", "r1", "--reason", "fake", "--explanation", "x"], "--acknowledge-guidelines is required"),
            (["reviewer", "reply", "tok"], "a reply needs at least one of"),
            (["call", "NoSuchMethod"], "no method \"NoSuchMethod\""),
            (["call", "GetBusiness", "{\"nope\": 1}"], "unknown field \"nope\""),
        ]
        for (arguments, expected) in cases {
            let console = Console.capture()
            let status = CLI.run(arguments: arguments + ["--server", "127.0.0.1:1"], environment: [:], console: console)
            #expect(status == 2, "\(arguments)")
            #expect(console.errors.contains(expected), "\(arguments): \(console.errors)")
        }
    }

    @Test("server and key: flag over environment over ./data defaults; the admin key comes from the keys file")
    func connectionSettings() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("findreviewer-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let keys = #"{"keys":[{"name":"site","role":"consumer-site","key":"frk_site"},{"name":"admin","role":"admin","key":"frk_admin"}]}"#
        try Data(keys.utf8).write(to: directory.appendingPathComponent("keys.json"))

        var arguments = ParsedArguments()
        let defaults = try ConnectionSettings.resolve(arguments, environment: [:], path: [])
        #expect(defaults.server == "127.0.0.1:7450")
        #expect(!defaults.serverGiven)
        #expect(defaults.dataDirectory == "./data")

        let fromEnvironment = try ConnectionSettings.resolve(
            arguments, environment: ["FINDREVIEWER_SERVER": "10.0.0.1:9", "FINDREVIEWER_DATA_DIR": directory.path], path: [])
        #expect(fromEnvironment.server == "10.0.0.1:9")
        #expect(fromEnvironment.serverGiven)
        #expect(fromEnvironment.key == "frk_admin")
        #expect(fromEnvironment.keySource.contains("keys.json"))

        arguments.values = ["server": ["h:2"], "key": ["frk_flag"], "timeout": ["2.5"]]
        let fromFlags = try ConnectionSettings.resolve(arguments, environment: ["FINDREVIEWER_SERVER": "10.0.0.1:9", "FINDREVIEWER_KEY": "frk_env"], path: [])
        #expect(fromFlags.server == "h:2")
        #expect(fromFlags.key == "frk_flag")
        #expect(fromFlags.timeout == .milliseconds(2_500))

        let missing = try ConnectionSettings.resolve(ParsedArguments(), environment: ["FINDREVIEWER_DATA_DIR": directory.path + "/nope"], path: [])
        #expect(missing.key == nil)
        #expect(missing.keySource.contains("does not exist"))
    }
}
