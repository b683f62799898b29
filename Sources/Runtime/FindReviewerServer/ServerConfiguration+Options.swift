import FindReviewerEngine
import Foundation
import RPC
import ToolSupport

extension ServerConfiguration {
    /// One command-line option and how it sets the configuration.
    struct Option: Sendable {
        let flag: String
        let metavar: String
        let help: String
        let isSwitch: Bool
        let apply: @Sendable (String, inout ServerConfiguration) throws(ConfigurationError) -> Void

        /// The option as the tools' parser sees it. Given twice, the last one wins (a wrapper
        /// may append its own flags to a default command line, as the tests' ServerProcess does).
        var spec: OptionSpec {
            let name = String(self.flag.dropFirst(2))
            return self.isSwitch ? .flag(name, self.help) : .value(name, self.metavar, self.help, repeatable: true)
        }

        var environmentName: String {
            "FINDREVIEWER_" + self.flag.dropFirst(2).uppercased().replacingOccurrences(of: "-", with: "_")
        }

        static func text(
            _ flag: String, _ metavar: String, _ help: String,
            _ set: @escaping @Sendable (inout ServerConfiguration, String) -> Void
        ) -> Option {
            Option(flag: flag, metavar: metavar, help: help, isSwitch: false) { (value, configuration) throws(ConfigurationError) in
                guard !value.isEmpty else { throw ConfigurationError("\(flag) must not be empty") }
                set(&configuration, value)
            }
        }

        static func number(
            _ flag: String, _ help: String, range: ClosedRange<Int>,
            _ set: @escaping @Sendable (inout ServerConfiguration, Int) -> Void
        ) -> Option {
            Option(flag: flag, metavar: "N", help: help, isSwitch: false) { (value, configuration) throws(ConfigurationError) in
                guard let number = Int(value), range.contains(number) else {
                    throw ConfigurationError("\(flag) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \"\(value)\"")
                }
                set(&configuration, number)
            }
        }

        static func choice<T: RawRepresentable & CaseIterable & Sendable>(
            _ flag: String, _ help: String, _ type: T.Type,
            _ set: @escaping @Sendable (inout ServerConfiguration, T) -> Void
        ) -> Option where T.RawValue == String {
            let names = T.allCases.map(\.rawValue).joined(separator: "|")
            return Option(flag: flag, metavar: names, help: help, isSwitch: false) { (value, configuration) throws(ConfigurationError) in
                guard let choice = T(rawValue: value) else {
                    throw ConfigurationError("\(flag) must be one of \(names), not \"\(value)\"")
                }
                set(&configuration, choice)
            }
        }

        static let all: [Option] = [
            .text("--listen", "HOST:PORT", "Address to listen on (default \(ServerOptions.defaultAddress); port 0 picks one).") {
                $0.listen = $1
            },
            .text("--data-dir", "DIR", "Data directory: journal, snapshots, keys, outbox (default ./data).") {
                $0.dataDirectory = $1
            },
            .text("--keys-file", "PATH", "Keys file (default DATA-DIR/keys.json, created on first start).") {
                $0.keysFile = $1
            },
            .text("--shard", "NAME", "This process's shard in --shard-map; it serves only that shard's slots (default: every slot).") {
                $0.shard = $1
            },
            .text("--shard-map", "FILE", "Shard map JSON: which shard (name, address) owns which slots; needs --shard.") {
                $0.shardMapFile = $1
            },
            .text("--port-file", "PATH", "Write the port listened on to PATH once it accepts connections.") {
                $0.portFile = $1
            },
            .number("--max-payload-bytes", "Largest request payload in bytes (default 4194304).", range: 1_024...(64 << 20)) {
                $0.maxPayloadBytes = $1
            },
            .number("--max-connections", "Open connections at most (default 1024).", range: 1...65_536) {
                $0.maxConnections = $1
            },
            .number("--max-calls-per-connection", "Calls in flight per connection (default 256).", range: 1...65_536) {
                $0.maxCallsPerConnection = $1
            },
            .number("--idle-timeout", "Seconds before a silent connection is closed (default 300).", range: 1...86_400) {
                $0.idleTimeoutSeconds = $1
            },
            .number("--frame-timeout", "Seconds a started frame may take to arrive (default 10).", range: 1...3_600) {
                $0.frameTimeoutSeconds = $1
            },
            .number("--drain-timeout", "Seconds in-flight calls get on shutdown (default 10).", range: 0...3_600) {
                $0.drainTimeoutSeconds = $1
            },
            .number(
                "--shutdown-delay", "Seconds between a stop signal and GOAWAY; /readyz says draining meanwhile (default 0).",
                range: 0...3_600
            ) {
                $0.shutdownDelaySeconds = $1
            },
            .text("--metrics-listen", "HOST:PORT", "Serve /metrics, /healthz and /readyz over HTTP here (default: off).") {
                $0.metricsListen = $1
            },
            .text("--metrics-port-file", "PATH", "Write the metrics port to PATH once it accepts connections.") {
                $0.metricsPortFile = $1
            },
            .number("--event-loops", "Event-loop threads; 0 = one per core (default 0).", range: 0...64) {
                $0.eventLoops = $1
            },
            .choice("--log-level", "Least severe log level written (default info).", LogLevel.self) { $0.logLevel = $1 },
            .choice("--log-format", "Log lines as text or JSON (default text).", LogFormat.self) { $0.logFormat = $1 },
            .text("--smtp", "HOST:PORT", "SMTP relay; without it emails go to DATA-DIR/outbox/*.mbox.") { $0.smtp = $1 },
            .text("--mail-from", "ADDRESS", "From address of every email.") { $0.mailFrom = $1 },
            .text("--reply-base-url", "URL", "Base of the reviewer's reply link.") { $0.replyBaseURL = $1 },
            Option(
                flag: "--test-clock", metavar: "", help: "Let admins set and advance the clock (tests, demos).",
                isSwitch: true
            ) { (value, configuration) throws(ConfigurationError) in
                guard let flag = Bool(value) else { throw ConfigurationError("--test-clock is true or false, not \"\(value)\"") }
                configuration.testClock = flag
            },
            .number("--test-clock-start", "Test clock start, Unix seconds (default: now).", range: 0...Int(Int32.max) * 2) {
                $0.testClockStart = Int64($1)
            },
            .number("--snapshot-every-bytes", "Snapshot after this much journal growth (default 64 MiB).", range: 4_096...(1 << 40)) {
                $0.snapshotEveryBytes = $1
            },
            .number("--snapshot-every-seconds", "Snapshot at least this often while writing (default 3600).", range: 1...(1 << 30)) {
                $0.snapshotEverySeconds = $1
            },
            .number("--reply-retention-days", "Days a reply's details are kept after the answer (default 90).", range: 1...3_650) {
                $0.replyRetentionDays = $1
            },
            .number("--max-requests-per-day-free", "Requests per free business in any 24 h (default 200).", range: 1...1_000_000) {
                $0.maxRequestsPerDayFree = $1
            },
            .number("--max-requests-per-day-paid", "Requests per paid business in any 24 h (default 2000).", range: 1...1_000_000) {
                $0.maxRequestsPerDayPaid = $1
            },
        ]
    }
}
