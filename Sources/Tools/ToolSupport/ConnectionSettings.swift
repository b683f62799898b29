import Credentials
import Foundation
import RPC

/// Which server to call and with which key: flags first, then environment, then the defaults
/// that make the tools work right after `make run` (the server's default address,
/// `ServerOptions.defaultAddress`, and the admin key in `./data/keys.json`).
public struct ConnectionSettings: Sendable, Equatable {
    /// `HOST:PORT` of the server.
    public var server: String
    /// Whether the server was given (`--server` or `FINDREVIEWER_SERVER`) rather than defaulted.
    public var serverGiven: Bool
    /// The server's data directory as seen from here (for its keys file and outbox).
    public var dataDirectory: String
    /// The key to send, if one was found.
    public var key: String?
    /// Where the key came from, or why there is none, for error hints.
    public var keySource: String
    /// Deadline of each call.
    public var timeout: Duration
    /// A shard map JSON file (`--shard-map`, `FINDREVIEWER_SHARD_MAP`): route each call to its
    /// shard (Protos/PROTOCOL.md §9) instead of calling ``server``.
    public var shardMap: String?

    /// The default data directory, the server's own default.
    public static let defaultDataDirectory = "./data"
    /// The default per-call deadline in seconds.
    public static let defaultTimeoutSeconds = 10.0

    /// The global options every tool accepts for these settings.
    public static let options: [OptionSpec] = [
        .value("server", "HOST:PORT", "Server to call (env FINDREVIEWER_SERVER; default \(ServerOptions.defaultAddress))."),
        .value("key", "KEY", "API key to send (env FINDREVIEWER_KEY; default: the admin key in DATA-DIR/keys.json)."),
        .value("data-dir", "DIR", "The server's data directory, for its keys file and outbox (env FINDREVIEWER_DATA_DIR; default ./data)."),
        .value("timeout", "SECONDS", "Deadline of each call (default 10)."),
        .value("shard-map", "FILE", "Shard map JSON: route each call to its shard instead of --server (env FINDREVIEWER_SHARD_MAP)."),
    ]

    /// Creates settings directly.
    public init(server: String, serverGiven: Bool, dataDirectory: String, key: String?, keySource: String, timeout: Duration) {
        self.server = server
        self.serverGiven = serverGiven
        self.dataDirectory = dataDirectory
        self.key = key
        self.keySource = keySource
        self.timeout = timeout
    }

    /// Resolves the settings from parsed options and the environment.
    public static func resolve(_ arguments: ParsedArguments, environment: [String: String], path: [String]) throws(CLIError) -> ConnectionSettings {
        func nonEmpty(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
        let givenServer = nonEmpty(arguments.value("server")) ?? nonEmpty(environment["FINDREVIEWER_SERVER"])
        let dataDirectory = nonEmpty(arguments.value("data-dir")) ?? nonEmpty(environment["FINDREVIEWER_DATA_DIR"]) ?? Self.defaultDataDirectory
        var timeoutSeconds = Self.defaultTimeoutSeconds
        if let text = arguments.value("timeout") {
            guard let seconds = Double(text), seconds > 0, seconds <= 3_600 else {
                throw .usage("--timeout must be a number of seconds from 0 to 3600, not \"\(text)\"", path: path)
            }
            timeoutSeconds = seconds
        }
        let key: String?
        let source: String
        if let flag = nonEmpty(arguments.value("key")) {
            (key, source) = (flag, "the key given with --key")
        } else if let variable = nonEmpty(environment["FINDREVIEWER_KEY"]) {
            (key, source) = (variable, "the key in FINDREVIEWER_KEY")
        } else {
            (key, source) = Self.adminKey(dataDirectory: dataDirectory)
        }
        var settings = ConnectionSettings(
            server: givenServer ?? ServerOptions.defaultAddress, serverGiven: givenServer != nil, dataDirectory: dataDirectory, key: key,
            keySource: source, timeout: .milliseconds(Int64(timeoutSeconds * 1_000)))
        settings.shardMap = nonEmpty(arguments.value("shard-map")) ?? nonEmpty(environment["FINDREVIEWER_SHARD_MAP"])
        return settings
    }

    /// The first `admin` key of `<dataDirectory>/keys.json`, or nil and why.
    public static func adminKey(dataDirectory: String) -> (String?, String) {
        let path = (dataDirectory as NSString).appendingPathComponent("keys.json")
        let file: KeysFile
        do {
            file = try KeysFile.load(path: path, validate: false)
        } catch {
            switch error.reason {
            case .missing: return (nil, "no key was sent: --key and FINDREVIEWER_KEY are unset and \(path) does not exist")
            case .unreadable: return (nil, "no key was sent: \(path) cannot be read (it is mode 0600: run as the server's user)")
            case .invalid, .cannotWrite: return (nil, "no key was sent: \(path) has no admin key (\(error.message))")
            }
        }
        guard let key = file.key(for: .admin) else { return (nil, "no key was sent: \(path) has no admin key") }
        return (key, "the admin key in \(path)")
    }
}
