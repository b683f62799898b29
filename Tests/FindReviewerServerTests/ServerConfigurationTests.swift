import FindReviewerDomain
import FindReviewerServer
import Testing

@Suite("Server configuration from flags and environment")
struct ServerConfigurationTests {
    @Test("defaults: 127.0.0.1:7450, ./data, keys in the data directory")
    func defaults() throws {
        let configuration = try #require(try ServerConfiguration.parse(arguments: [], environment: [:]))
        #expect(configuration.listen == "127.0.0.1:7450")
        #expect(configuration.dataDirectory == "./data")
        #expect(configuration.resolvedKeysFile == "./data/keys.json")
        #expect(configuration.maxPayloadBytes == 4 << 20)
        #expect(!configuration.testClock)
    }

    @Test("flags override environment variables")
    func flagsWin() throws {
        let configuration = try #require(
            try ServerConfiguration.parse(
                arguments: ["--listen", "[::1]:0", "--data-dir=/tmp/x", "--test-clock", "--log-format", "json"],
                environment: ["FINDREVIEWER_LISTEN": "127.0.0.1:1", "FINDREVIEWER_MAX_CONNECTIONS": "7"]))
        #expect(configuration.listen == "[::1]:0")
        #expect(configuration.dataDirectory == "/tmp/x")
        #expect(configuration.resolvedKeysFile == "/tmp/x/keys.json")
        #expect(configuration.maxConnections == 7)
        #expect(configuration.testClock)
        #expect(configuration.logFormat == .json)
    }

    @Test("the domain's settings: defaults 90 days, 200 and 2000; flags and FINDREVIEWER_* variables set them, a flag winning")
    func domainSettings() throws {
        let defaults = try #require(try ServerConfiguration.parse(arguments: [], environment: [:])).domainSettings
        #expect(defaults == DomainSettings())
        #expect(defaults.replyRetention == 90 * 86_400)
        #expect(defaults.maxRequestsPerDayFree == 200)
        #expect(defaults.maxRequestsPerDayPaid == 2_000)
        let configuration = try #require(
            try ServerConfiguration.parse(
                arguments: ["--reply-retention-days", "30", "--max-requests-per-day-paid=5000"],
                environment: [
                    "FINDREVIEWER_REPLY_RETENTION_DAYS": "7", "FINDREVIEWER_MAX_REQUESTS_PER_DAY_FREE": "50",
                    "FINDREVIEWER_MAX_REQUESTS_PER_DAY_PAID": "10",
                ]))
        #expect(configuration.domainSettings == DomainSettings(replyRetention: 30 * 86_400, maxRequestsPerDayFree: 50, maxRequestsPerDayPaid: 5_000))
        for flag in ["--reply-retention-days", "--max-requests-per-day-free", "--max-requests-per-day-paid"] {
            #expect(ServerConfiguration.usage.contains(flag))
        }
    }

    @Test("the metrics port is off by default, set by --metrics-listen or FINDREVIEWER_METRICS_LISTEN (the flag wins)")
    func metricsListen() throws {
        let defaults = try #require(try ServerConfiguration.parse(arguments: [], environment: [:]))
        #expect(defaults.metricsListen == nil)
        #expect(defaults.metricsPortFile == nil)
        #expect(defaults.shutdownDelaySeconds == 0)
        let fromEnvironment = try #require(
            try ServerConfiguration.parse(
                arguments: [], environment: ["FINDREVIEWER_METRICS_LISTEN": "0.0.0.0:7451", "FINDREVIEWER_METRICS_PORT_FILE": "/tmp/m"]))
        #expect(fromEnvironment.metricsListen == "0.0.0.0:7451")
        #expect(fromEnvironment.metricsPortFile == "/tmp/m")
        let flag = try #require(
            try ServerConfiguration.parse(
                arguments: ["--metrics-listen", "127.0.0.1:0", "--shutdown-delay", "5"], environment: ["FINDREVIEWER_METRICS_LISTEN": "0.0.0.0:7451"]))
        #expect(flag.metricsListen == "127.0.0.1:0")
        #expect(flag.shutdownDelaySeconds == 5)
        #expect(throws: ConfigurationError.self) { try ServerConfiguration.parse(arguments: ["--metrics-listen", ""], environment: [:]) }
    }

    @Test("a flag given twice: the last one wins (wrappers append to a default command line)")
    func lastWins() throws {
        let parsed = try #require(try ServerConfiguration.parse(arguments: ["--listen", "127.0.0.1:1", "--listen", "127.0.0.1:2"], environment: [:]))
        #expect(parsed.listen == "127.0.0.1:2")
    }

    @Test("--help returns nil and the usage names every option")
    func help() throws {
        #expect(try ServerConfiguration.parse(arguments: ["--help"], environment: [:]) == nil)
        for flag in ["--listen", "--data-dir", "--keys-file", "--smtp", "--test-clock", "--log-level"] {
            #expect(ServerConfiguration.usage.contains(flag))
        }
    }

    @Test(
        "bad input names the option and what is expected",
        arguments: [
            (["--colour", "red"], "unknown option --colour"),
            (["--max-connections", "many"], "--max-connections must be a whole number"),
            (["--max-connections", "0"], "from 1 to 65536"),
            (["--log-level", "loud"], "--log-level must be one of debug|info|warn|error"),
            (["--listen"], "--listen HOST:PORT needs a value"),
            (["--test-clock=yes"], "--test-clock is a switch and takes no value"),
            (["--data-dir="], "--data-dir must not be empty"),
            (["--reply-retention-days", "0"], "--reply-retention-days must be a whole number from 1 to 3650, not \"0\""),
            (["--reply-retention-days", "3651"], "from 1 to 3650"),
            (["--max-requests-per-day-free", "-5"], "--max-requests-per-day-free must be a whole number from 1 to 1000000"),
            (["--max-requests-per-day-paid", "lots"], "--max-requests-per-day-paid must be a whole number from 1 to 1000000"),
        ])
    func rejects(arguments: [String], fragment: String) {
        let error = #expect(throws: ConfigurationError.self) {
            _ = try ServerConfiguration.parse(arguments: arguments, environment: [:])
        }
        #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "")")
    }
}
