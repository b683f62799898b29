import FindReviewerClient
import Foundation
import Messages
import RPC
import ToolSupport

/// One run of one command: its arguments, where to write, and a client made on first use.
///
/// Calls block the calling thread; the executable runs commands on its main thread, never on
/// Swift's cooperative pool.
public final class Invocation: @unchecked Sendable {
    /// The command being run.
    public let command: CommandSpec
    /// Its parsed arguments.
    public let arguments: ParsedArguments
    /// Where it writes.
    public let console: Console
    /// The process environment.
    public let environment: [String: String]
    /// Server, key and deadline.
    public let settings: ConnectionSettings
    /// `--json`: one JSON document on standard output instead of tables.
    public let json: Bool
    private var cachedClient: FindReviewerClient?

    /// Creates an invocation.
    public init(command: CommandSpec, arguments: ParsedArguments, console: Console, environment: [String: String], settings: ConnectionSettings) {
        self.command = command
        self.arguments = arguments
        self.console = console
        self.environment = environment
        self.settings = settings
        self.json = arguments.flag("json")
    }

    deinit { self.cachedClient?.rpc.close() }

    /// The client for ``settings``.
    public func client() throws(CLIError) -> FindReviewerClient {
        if let client = self.cachedClient { return client }
        if let mapFile = self.settings.shardMap {
            do {
                let client = try FindReviewerClient(router: ShardRouter(mapFile: mapFile, key: self.settings.key), timeout: self.settings.timeout)
                self.cachedClient = client
                return client
            } catch {
                throw .usage(error.message, path: self.command.path, hint: "Pass --shard-map FILE with a valid shard map (README \"Running shards\").")
            }
        }
        do {
            let client = try FindReviewerClient(address: self.settings.server, key: self.settings.key, timeout: self.settings.timeout)
            self.cachedClient = client
            return client
        } catch {
            throw .usage(
                "the server address \"\(self.settings.server)\" is not HOST:PORT (\(error.message))", path: self.command.path,
                hint: "Pass --server HOST:PORT, e.g. --server \(ServerOptions.defaultAddress), or set FINDREVIEWER_SERVER.")
        }
    }

    /// Runs one call of `method`, turning a failure into a ``CLIError`` with advice.
    /// `flags` maps request fields to the options that set them, for INVALID_ARGUMENT hints.
    public func call<Result>(
        _ method: String, flags: [String: String] = [:], _ body: (FindReviewerClient) throws(RPCError) -> Result
    ) throws(CLIError) -> Result {
        let client = try self.client()
        do {
            return try body(client)
        } catch {
            throw ErrorAdvice.cliError(error, method: method, settings: self.settings, flags: flags)
        }
    }

    // MARK: arguments

    /// The value of a required option (the parser already checked it is there).
    public func required(_ name: String) -> String { self.arguments.value(name) ?? "" }

    /// The positional at `index`, or empty.
    public func positional(_ index: Int) -> String { self.arguments.positional(index) ?? "" }

    /// The value of `--name` as a whole number in `range`.
    public func integer(_ name: String, in range: ClosedRange<Int>, default value: Int) throws(CLIError) -> Int {
        guard let text = self.arguments.value(name) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw self.usage("--\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \"\(text)\"")
        }
        return number
    }

    /// Comma-separated and repeated values of `--name` as enum cases.
    public func enums<E: ProtoEnum>(_ name: String, as type: E.Type, aliases: [String: E] = [:]) throws(CLIError) -> [E] {
        var values: [E] = []
        for word in self.arguments.all(name).flatMap({ $0.split(separator: ",") }).map({ $0.trimmingCharacters(in: .whitespaces) })
        where !word.isEmpty {
            guard let value = Format.parseEnum(word, as: E.self, aliases: aliases) else {
                throw self.usage("--\(name): \"\(word)\" is not one of \(Format.choices(E.self))")
            }
            if !values.contains(value) { values.append(value) }
        }
        return values
    }

    /// A usage error of this command.
    public func usage(_ message: String, hint: String = "") -> CLIError { .usage(message, path: self.command.path, hint: hint) }

    // MARK: output

    /// Prints `message` as proto3 JSON (all fields) with `--json`, else the text `table` makes.
    public func emit<Message: ProtoMessage>(_ message: Message, table: () -> String) {
        if self.json {
            self.console.print(Self.json(message))
        } else {
            self.console.out(table())
        }
    }

    /// The proto3 JSON of `message`, every field present.
    public static func json<Message: ProtoMessage>(_ message: Message) -> String {
        (try? message.jsonString(emitDefaults: true)) ?? "{}"
    }
}
