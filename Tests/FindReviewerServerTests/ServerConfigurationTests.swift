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
            (["--listen"], "--listen needs a value"),
            (["--data-dir="], "--data-dir must not be empty"),
        ])
    func rejects(arguments: [String], fragment: String) {
        let error = #expect(throws: ConfigurationError.self) {
            _ = try ServerConfiguration.parse(arguments: arguments, environment: [:])
        }
        #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "")")
    }
}
