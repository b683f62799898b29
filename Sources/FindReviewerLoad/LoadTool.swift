import Foundation
import ToolSupport

/// `findreviewer-load` as a library: arguments in, a summary out, an exit status back.
public enum LoadTool {
    /// The executable's name.
    public static let toolName = "findreviewer-load"

    static let spec = CommandSpec(
        [], summary: "Drive a mix of FindReviewer calls against a server and report throughput, errors and latency.",
        discussion: """
            Each of --connections connections carries --concurrency calls in flight, one thread per
            call. Closed loop by default (a thread starts its next call when one ends); with --rate,
            open loop: calls are due at a fixed rate and latency counts from the due time, so
            queueing is not hidden. Before the run, every thread seeds its own business (ids unique
            to the run), a reviewer, reviews and requests; every call then does valid work on them,
            so a normal run has no errors at all. It needs an admin key (default: from
            DATA-DIR/keys.json, like findreviewer).

            Mixes: read (business portal and public pages), write (ingest and the business's
            actions, each durable), mixed (80 % reads), or METHOD=WEIGHT,... of:
            \(LoadOperation.allCases.map { "  \($0.rawValue): \($0.explanation)" }.joined(separator: "\n"))

            A progress line each second goes to standard error; the summary to standard output
            (--json: one object with throughput, errors, latency_ms {p50, p90, p99, p999, max}).
            Exit status: 0 without errors, 1 when any call failed, 2 for a bad command line,
            64 + gRPC code when seeding failed.

            Examples:
              findreviewer-load --mix read --connections 50 --duration 10
              findreviewer-load --mix GetReview=9,SetPublicReply=1 --rate 2000 --duration 5 --json
            """,
        options: [
            .value("mix", "MIX", "read, write, mixed (default) or METHOD=WEIGHT,..."),
            .value("connections", "N", "TCP connections (default 10)."),
            .value("concurrency", "M", "Calls in flight per connection (default 1)."),
            .value("duration", "SECONDS", "Run this long (default 10)."),
            .value("requests", "K", "Stop after K calls instead."),
            .value("rate", "R", "Open loop: R calls per second in total."),
            .value("seed-reviews", "N", "Reviews each thread seeds before the run (default 20; 5 get a request)."),
            .flag("json", "Print the summary as one JSON object."),
            .flag("quiet", "No progress lines."),
        ])

    static let parser = CommandLineParser(toolName: toolName, globalOptions: ConnectionSettings.options, commands: [spec])

    /// Runs one command line (without the program name); returns the exit status.
    public static func run(arguments: [String], environment: [String: String], console: Console) -> Int32 {
        let parsed: CommandLineParser.Result
        do {
            parsed = try self.parser.parse(arguments)
        } catch {
            ToolText.report(.usage(error.message, path: []), console: console, toolName: self.toolName, parser: self.parser)
            return ExitStatus.usage
        }
        switch parsed {
        case .help(let spec):
            console.out(HelpFormatter(parser: self.parser).help(spec))
            return ExitStatus.success
        case .run(_, let arguments):
            do {
                let configuration = try self.configuration(arguments, environment: environment)
                let summary = try LoadRunner(configuration: configuration, console: console).run()
                console.out(arguments.flag("json") ? summary.json() + "\n" : summary.text())
                return summary.errorCount == 0 ? ExitStatus.success : ExitStatus.failure
            } catch {
                ToolText.report(error, console: console, toolName: self.toolName, parser: self.parser)
                return error.exitStatus
            }
        }
    }

    /// The configuration a command line asks for.
    public static func configuration(_ arguments: ParsedArguments, environment: [String: String]) throws(CLIError) -> LoadConfiguration {
        func usage(_ message: String) -> CLIError { .usage(message, path: []) }
        func number(_ name: String, _ range: ClosedRange<Int>, _ fallback: Int) throws(CLIError) -> Int {
            guard let text = arguments.value(name) else { return fallback }
            guard let value = Int(text), range.contains(value) else {
                throw usage("--\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \"\(text)\"")
            }
            return value
        }
        func decimal(_ name: String, _ range: ClosedRange<Double>) throws(CLIError) -> Double? {
            guard let text = arguments.value(name) else { return nil }
            guard let value = Double(text), range.contains(value) else {
                throw usage("--\(name) must be a number from \(range.lowerBound) to \(range.upperBound), not \"\(text)\"")
            }
            return value
        }
        let settings = try ConnectionSettings.resolve(arguments, environment: environment, path: [])
        let mix: LoadMix
        switch LoadMix.parse(arguments.value("mix") ?? "mixed") {
        case .success(let parsed): mix = parsed
        case .failure(let error): throw usage(error.message)
        }
        var configuration = LoadConfiguration(settings: settings, mix: mix)
        configuration.connections = try number("connections", 1...1_000, 10)
        configuration.concurrency = try number("concurrency", 1...256, 1)
        guard configuration.workers <= 4_096 else {
            throw usage("--connections x --concurrency is \(configuration.workers) threads; at most 4096")
        }
        if arguments.value("duration") != nil && arguments.value("requests") != nil {
            throw usage("give --duration or --requests, not both")
        }
        configuration.duration = try decimal("duration", 0.1...86_400) ?? 10
        configuration.requests = arguments.value("requests") == nil ? nil : try number("requests", 1...1_000_000_000, 0)
        configuration.rate = try decimal("rate", 0.1...10_000_000)
        configuration.seedReviews = try number("seed-reviews", 1...10_000, 20)
        configuration.seedRequests = min(5, configuration.seedReviews)
        configuration.progress = !arguments.flag("quiet")
        return configuration
    }
}
