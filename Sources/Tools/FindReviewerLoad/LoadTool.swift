import Foundation
import ToolSupport

/// `findreviewer-load` as a library: arguments in, a summary out, an exit status back.
public enum LoadTool {
    /// The executable's name.
    public static let toolName = "findreviewer-load"

    static let spec = CommandSpec(
        [], summary: "Drive a mix of FindReviewer calls against a server and report throughput, errors, latency and CPU.",
        discussion: """
            --threads event-loop threads (default one per core, at most the connections) drive
            --connections non-blocking connections over epoll, each with --concurrency calls in
            flight (pipelined call ids). Closed loop by default (a new call as soon as one ends);
            with --rate, open loop: calls are due at a fixed rate and latency counts from the due
            time, so queueing is not hidden. --warmup S runs S seconds first that count nowhere.

            Before the run, it seeds its own businesses (ids unique to the run: one per connection,
            at most 64), a reviewer each, reviews and requests; every call then does valid work on
            what the server acknowledged, so a normal run has no errors. Replies, declines and
            opened replies need the reviewers' tokens: a local run reads them from the emails the
            server writes into DATA-DIR/outbox (as `findreviewer outbox` does). SendManualReminder
            needs expired requests: on a server with --test-clock it lets some expire by moving the
            clock 5 days on. When what a call needs is missing, it makes it first (a reply without
            a token creates a request) and the summary counts these. It needs an admin key
            (default: from DATA-DIR/keys.json, like findreviewer).

            Retries and reconnects: a connection the server closes or sends GOAWAY on is opened
            again (backoff 10 ms to 1 s, for --reconnect-for seconds). A call above a GOAWAY's
            last_call_id was never run, so it is sent again whatever its method. A call answered
            UNAVAILABLE or lost with its connection is sent again only when that is safe: the
            server's GetServerInfo marks the method idempotent, or it carries an idempotency-key
            (every CreateInfoRequest does); anything else counts as an error.
            --verify reads every acknowledged write back at the end and counts the lost ones.

            Mixes: read (business portal and public pages), write (ingest, the business's actions
            and the reviewer's answers, each durable), mixed (80 % reads), or METHOD=WEIGHT,... of:
            \(LoadOperation.mixable.map { "  \($0.name): \($0.explanation)" }.joined(separator: "\n"))

            Ctrl-C (SIGINT) or SIGTERM ends the run early: the calls in flight are awaited, then the
            summary (and --verify) covers what ran; a second one ends the process at once.

            A progress line each second goes to standard error; the summary to standard output:
            throughput, errors by status, latency percentiles to p99.99 (3 significant digits),
            one row per method, and the CPU the tool used per call beside the server's (a local
            server's process is found from its port, or give --server-pid), so a run shows whether
            the tool was the bottleneck. --json prints one object (throughput, errors, latency_ms,
            methods, per_method, cpu, verify, ...). The server accepts 1024 connections unless
            started with a higher --max-connections.

            Exit status: 0 without errors, 1 when any call failed or a write was lost, 2 for a bad
            command line, 64 + gRPC code when the server could not be used (78: not reachable).

            Examples:
              findreviewer-load --mix read --connections 50 --duration 10
              findreviewer-load --mix GetReview=9,SetPublicReply=1 --rate 2000 --duration 5 --json
              findreviewer-load --mix write --connections 200 --concurrency 4 --warmup 2 --verify
            """,
        options: [
            .value("mix", "MIX", "read, write, mixed (default) or METHOD=WEIGHT,..."),
            .value("connections", "N", "TCP connections (default 10)."),
            .value("concurrency", "M", "Calls in flight per connection (default 1; the server allows 256)."),
            .value("threads", "T", "Event-loop threads (default one per core, at most the connections)."),
            .value("businesses", "B", "Businesses to seed (default one per connection, at most 64)."),
            .value("duration", "SECONDS", "Run this long after the warm-up (default 10)."),
            .value("requests", "K", "Stop after K counted calls instead."),
            .value("rate", "R", "Open loop: R calls per second in total."),
            .value("warmup", "SECONDS", "Run this long first, counted nowhere (default 0)."),
            .value("seed-reviews", "N", "Reviews each business seeds before the run (default 20)."),
            .value("seed-pending", "N", "Requests each business leaves pending before the run (default 5)."),
            .value("seed-expired", "N", "Requests each business lets expire, for SendManualReminder (default 5 with a test clock)."),
            .flag("verify", "At the end, read every acknowledged write back and count the lost ones."),
            .value("server-pid", "PID", "The server's process, for its CPU time (default: found from the port when local)."),
            .value("reconnect-for", "SECONDS", "Give up a connection the server does not take back within this (default 30)."),
            .flag("json", "Print the summary as one JSON object."),
            .flag("quiet", "No progress lines."),
        ])

    /// The parser of its command line (one command, the connection settings as global options).
    public static let parser = CommandLineParser(toolName: toolName, globalOptions: ConnectionSettings.options, commands: [spec])

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
                var configuration = try self.configuration(arguments, environment: environment)
                StopFlag.installSignalHandlers()
                configuration.stop = StopFlag.interrupt
                let summary = try LoadRunner(configuration: configuration, console: console).run()
                console.out(arguments.flag("json") ? summary.json() + "\n" : summary.text())
                return summary.succeeded ? ExitStatus.success : ExitStatus.failure
            } catch {
                ToolText.report(error, console: console, toolName: self.toolName, parser: self.parser)
                return error.exitStatus
            }
        }
    }

    /// The configuration a command line asks for.
    public static func configuration(_ arguments: ParsedArguments, environment: [String: String]) throws(CLIError) -> LoadConfiguration {
        func usage(_ message: String) -> CLIError { .usage(message, path: []) }
        func number(_ name: String, _ range: ClosedRange<Int>) throws(CLIError) -> Int? {
            guard let text = arguments.value(name) else { return nil }
            guard let value = Int(text), range.contains(value) else {
                throw usage("--\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \"\(text)\"")
            }
            return value
        }
        func decimal(_ name: String, _ range: ClosedRange<Double>) throws(CLIError) -> Double? {
            guard let text = arguments.value(name) else { return nil }
            guard let value = Double(text), range.contains(value) else {
                throw usage("--\(name) must be a number from \(Self.number(range.lowerBound)) to \(Self.number(range.upperBound)), not \"\(text)\"")
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
        configuration.connections = try number("connections", 1...100_000) ?? 10
        configuration.concurrency = try number("concurrency", 1...65_535) ?? 1
        configuration.threads = try number("threads", 1...1_024)
        configuration.businesses = try number("businesses", 1...100_000)
        if arguments.value("duration") != nil && arguments.value("requests") != nil {
            throw usage("give --duration or --requests, not both")
        }
        configuration.duration = try decimal("duration", 0.1...86_400) ?? 10
        configuration.requests = try number("requests", 1...1_000_000_000)
        configuration.rate = try decimal("rate", 0.1...10_000_000)
        configuration.warmup = try decimal("warmup", 0...3_600) ?? 0
        configuration.seedReviews = try number("seed-reviews", 1...10_000) ?? 20
        configuration.seedPending = try number("seed-pending", 0...10_000) ?? min(5, configuration.seedReviews)
        configuration.seedExpired = try number("seed-expired", 0...10_000)
        if configuration.seedPending + (configuration.seedExpired ?? 0) > configuration.seedReviews {
            throw usage("--seed-pending and --seed-expired together need that many reviews: raise --seed-reviews (now \(configuration.seedReviews))")
        }
        configuration.verify = arguments.flag("verify")
        configuration.serverPid = try number("server-pid", 1...Int(Int32.max)).map { Int32($0) }
        configuration.reconnectWindow = try decimal("reconnect-for", 0.1...3_600) ?? 30
        configuration.progress = !arguments.flag("quiet")
        return configuration
    }

    private static func number(_ value: Double) -> String { LoadSummary.number(value) }
}
