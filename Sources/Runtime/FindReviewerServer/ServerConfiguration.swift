import FindReviewerDomain
import FindReviewerEngine
import Foundation
import ToolSupport
import RPC
import Sharding

/// Everything `findreviewer-server` can be told, with its defaults in one place.
///
/// Each option is a flag and an environment variable (`--data-dir` / `FINDREVIEWER_DATA_DIR`);
/// a flag wins over the environment.
public struct ServerConfiguration: Sendable, Equatable {
    /// Where to listen: `HOST:PORT`, `[IPv6]:PORT`; port 0 picks a free port (tests).
    public var listen = ServerOptions.defaultAddress
    /// Directory of the journal, snapshots, keys and outbox.
    public var dataDirectory = "./data"
    /// The keys file; default `<data-dir>/keys.json`, created on first start.
    public var keysFile: String?
    /// Where to write the port listened on (decimal, one line) once it accepts connections, for
    /// callers that start the server on port 0; nil writes none.
    public var portFile: String?
    /// Largest request payload in bytes; larger frames get RESOURCE_EXHAUSTED.
    public var maxPayloadBytes = 4 << 20
    /// Largest frame header in bytes.
    public var maxHeaderBytes = 8 << 10
    /// Open connections at most; further ones are refused.
    public var maxConnections = 1_024
    /// Calls in flight on one connection at most.
    public var maxCallsPerConnection = 256
    /// Seconds a connection may stay silent before it is closed.
    public var idleTimeoutSeconds = 300
    /// Seconds a started frame may take to arrive completely.
    public var frameTimeoutSeconds = 10
    /// Seconds in-flight calls get to finish on shutdown.
    public var drainTimeoutSeconds = 10
    /// Seconds between the stop signal and GOAWAY, during which `/readyz` says `draining` (503)
    /// and calls are still served, so that load balancers stop sending first.
    public var shutdownDelaySeconds = 0
    /// The metrics port's address `HOST:PORT` (`/metrics`, `/healthz`, `/readyz`); nil: none.
    public var metricsListen: String?
    /// Where to write the metrics port (like ``portFile``) once it accepts connections.
    public var metricsPortFile: String?
    /// Event-loop threads; 0 means one per core.
    public var eventLoops = 0
    /// `debug`, `info`, `warn` or `error`.
    public var logLevel = LogLevel.info
    /// `text` or `json` lines on standard error.
    public var logFormat = LogFormat.text
    /// SMTP relay `HOST:PORT`; without it emails are written as mbox files (one per batch) under `<data-dir>/outbox/`.
    public var smtp: String?
    /// The From address of every email.
    public var mailFrom = "FindReviewer <no-reply@findreviewer.invalid>"
    /// Base of the reviewer's reply link; the token is appended as `?token=`.
    public var replyBaseURL = "https://reviews.example/find-reviewer/reply"
    /// Let admins set and advance the clock (tests and demos only).
    public var testClock = false
    /// Start time of the test clock, Unix seconds; 0 means the real time at start.
    public var testClockStart: Int64 = 0
    /// Take a snapshot once the journal has grown by this many bytes since the last one.
    public var snapshotEveryBytes = 64 << 20
    /// Take a snapshot at least this often (seconds) while the journal grows.
    public var snapshotEverySeconds = 3_600
    /// Days a reply's shared details are kept after the answer before they are erased.
    public var replyRetentionDays = 90
    /// Requests one business on the free plan may create in any 24 hours.
    public var maxRequestsPerDayFree = DomainSettings.defaultMaxRequestsPerDayFree
    /// Requests one business on the paid plan may create in any 24 hours.
    public var maxRequestsPerDayPaid = DomainSettings.defaultMaxRequestsPerDayPaid

    /// This process's shard name in ``shardMapFile`` (`--shard`); nil: one process owns every slot.
    public var shard: String?
    /// The shard map JSON file (`--shard-map`, README "Running shards"); only with ``shard``.
    public var shardMapFile: String?
    /// The map read from ``shardMapFile`` by ``parse(arguments:environment:)``.
    public var shardMap: ShardMap?

    /// The defaults.
    public init() {}

    /// Who owns which slots, for the service.
    public var ownership: ShardOwnership {
        if let shard, let shardMap { return ShardOwnership(name: shard, map: shardMap) }
        return ShardOwnership(listen: self.listen)
    }

    /// `--shard` and `--shard-map` come together; the map must be valid and name the shard.
    mutating func loadShardMap() throws(ConfigurationError) {
        switch (self.shard, self.shardMapFile) {
        case (nil, nil): return
        case (.some, nil): throw ConfigurationError("--shard needs --shard-map FILE (the map that says which slots the shard owns)")
        case (nil, .some): throw ConfigurationError("--shard-map needs --shard NAME (which shard of the map this process is)")
        case (.some(let name), .some(let path)):
            let map: ShardMap
            do {
                map = try ShardMap.load(path: path)
            } catch {
                throw ConfigurationError("--shard-map: \(error.message)")
            }
            guard map.shard(named: name) != nil else {
                let names = map.shards.map(\.name).joined(separator: ", ")
                throw ConfigurationError("--shard \"\(name)\" is not in the shard map \(path) (it names \(names))")
            }
            self.shardMap = map
        }
    }

    /// The domain's settings from the flags (configuration, not data: DomainSettings).
    public var domainSettings: DomainSettings {
        DomainSettings(
            replyRetention: Int64(self.replyRetentionDays) * 86_400, maxRequestsPerDayFree: self.maxRequestsPerDayFree,
            maxRequestsPerDayPaid: self.maxRequestsPerDayPaid)
    }

    /// The keys file path in effect.
    public var resolvedKeysFile: String {
        self.keysFile ?? (self.dataDirectory as NSString).appendingPathComponent("keys.json")
    }

    /// Reads flags and `FINDREVIEWER_*` environment variables; `nil` means `--help` was asked for.
    public static func parse(
        arguments: [String], environment: [String: String]
    ) throws(ConfigurationError) -> ServerConfiguration? {
        var configuration = ServerConfiguration()
        var values: [String: String] = [:]
        for option in Option.all {
            if let value = environment[option.environmentName] { values[option.flag] = value }
        }
        // The command line is read by the tools' parser (ToolSupport), as `findreviewer`'s is.
        let parser = CommandLineParser(
            toolName: "findreviewer-server", globalOptions: [],
            commands: [CommandSpec([], summary: "Runs the FindReviewer RPC service.", options: Option.all.map(\.spec))])
        let parsed: ParsedArguments
        do {
            switch try parser.parse(arguments) {
            case .help: return nil
            case .run(_, let arguments): parsed = arguments
            }
        } catch {
            throw ConfigurationError("\(error.message); see findreviewer-server --help")
        }
        for option in Option.all {
            let name = option.spec.name
            if option.isSwitch {
                if parsed.flag(name) { values[option.flag] = "true" }
            } else if let value = parsed.value(name) {
                values[option.flag] = value
            }
        }
        for (flag, value) in values {
            try Option.all.first { $0.flag == flag }!.apply(value, &configuration)
        }
        try configuration.loadShardMap()
        return configuration
    }

    /// The `--help` text.
    public static var usage: String {
        var text = """
            Usage: findreviewer-server [options]

            Runs the FindReviewer RPC service. Every option can also be given as an
            environment variable (shown in brackets); a flag wins over the environment.

            Options:

            """
        for option in Option.all {
            let flag = option.isSwitch ? option.flag : "\(option.flag) \(option.metavar)"
            text += "  \(flag.padding(toLength: 30, withPad: " ", startingAt: 0)) \(option.help) [\(option.environmentName)]\n"
        }
        text += "  --help                         Show this text.\n"
        return text
    }
}
