import FindReviewerClient
import Foundation
import Messages
import RPC
import ToolSupport

extension Commands {
    /// `health`, `info`, `list`, `describe` and `call`: the server as a whole and any RPC as JSON.
    static let reflection: [Command] = [
        Command(
            CommandSpec(
                ["health"], summary: "Ask whether the server serves (Health/Check; needs no key).",
                discussion: "Exit status 0 when SERVING, 1 otherwise (NOT_SERVING while it shuts down).",
                options: [.value("service", "NAME", "Ask about one service, e.g. findreviewer.v1.FindReviewer."), json])
        ) { invocation throws(CLIError) in
            let answer = try invocation.call("Health/Check") { client throws(RPCError) in
                try client.check(HealthCheckRequest(service: invocation.arguments.value("service") ?? ""))
            }
            invocation.emit(answer) {
                Table.record([("server", invocation.settings.server), ("status", Format.name(answer.status))])
            }
            return answer.status == .serving ? ExitStatus.success : ExitStatus.failure
        },
        Command(CommandSpec(["info"], summary: "Show the server's name, version, limits and services.", options: [json])) {
            invocation throws(CLIError) in
            let info = try invocation.call("ServerInfoService/GetServerInfo") { client throws(RPCError) in try client.getServerInfo() }
            invocation.emit(info) {
                Table.record([
                    ("server", "\(info.name) \(info.version) at \(invocation.settings.server)"),
                    ("protocol", "version \(info.protocolVersion)"), ("started", Format.time(info.startedAt)),
                    ("test clock", info.testClock ? "yes (admins may move time)" : "no"),
                    ("max payload", "\(Format.count(info.maxPayloadBytes)) bytes"), ("max header", "\(Format.count(info.maxHeaderBytes)) bytes"),
                    ("services", info.services.map { "\($0.name) (\($0.methods.count) methods)" }.joined(separator: "\n")),
                ])
            }
            return ExitStatus.success
        },
        Command(
            CommandSpec(
                ["list"], summary: "List the methods the server serves, with the roles that may call them.",
                discussion: "Example:\n  findreviewer list Admin",
                arguments: [ArgumentSpec("SERVICE", "Only this service (full or short name, e.g. Admin).", optional: true)], options: [json])
        ) { invocation throws(CLIError) in
            let info = try invocation.call("ServerInfoService/GetServerInfo") { client throws(RPCError) in try client.getServerInfo() }
            var services = info.services
            if let wanted = invocation.arguments.positional(0) {
                services = services.filter { $0.name == wanted || $0.name.hasSuffix("." + wanted) }
                guard !services.isEmpty else {
                    throw invocation.usage(
                        "the server has no service \"\(wanted)\"",
                        hint: "Services: " + info.services.map(\.name).joined(separator: ", "))
                }
            }
            if invocation.json {
                invocation.console.print(Invocation.json(ServerInfo(services: services)))
                return ExitStatus.success
            }
            var table = Table(["METHOD", "REQUEST", "ROLES"])
            for service in services {
                for method in service.methods {
                    let roles = method.roles.isEmpty ? "(no key needed)" : method.roles.joined(separator: ", ")
                    table.append([method.fullName, Self.shortType(method.inputType), roles])
                }
            }
            invocation.console.out(table.render())
            return ExitStatus.success
        },
        Command(
            CommandSpec(
                ["describe"], summary: "Describe a service, a method or a message/enum type (from the server's reflection).",
                discussion: """
                    NAME may be a service (findreviewer.v1.FindReviewer or FindReviewer), a method
                    (FindReviewer/CreateInfoRequest, or CreateInfoRequest when the name is unique) or a
                    type (findreviewer.v1.InfoRequest or InfoRequest). For a method it shows the request
                    type's fields: the JSON that `findreviewer call` takes.

                    Examples:
                      findreviewer describe CreateInfoRequest
                      findreviewer describe RequestStatus
                    """,
                arguments: [ArgumentSpec("NAME", "A service, method or type name.")], options: [json])
        ) { invocation throws(CLIError) in
            try Self.describe(invocation)
        },
        Command(
            CommandSpec(
                ["call"], summary: "Call any method with a JSON request and print the JSON answer (like grpcurl).",
                discussion: """
                    JSON is the proto3 JSON of the method's request type (`findreviewer describe METHOD`
                    shows its fields): lowerCamelCase names, enums by name, 64-bit integers as strings.
                    Give it as the argument, as @FILE, or as - for standard input; leave it out for {}.

                    Examples:
                      findreviewer call FindReviewer/GetBusiness '{"businessId": "acme"}'
                      findreviewer call findreviewer.v1.Admin/GetClock
                    """,
                arguments: [
                    ArgumentSpec("METHOD", "Full (findreviewer.v1.FindReviewer/GetReview) or short (FindReviewer/GetReview, GetReview) name."),
                    ArgumentSpec("JSON", "The request as JSON, @FILE or - (standard input); default {}.", optional: true),
                ],
                options: [
                    .value("metadata", "KEY=VALUE", "Send a metadata entry, e.g. idempotency-key=abc.", repeatable: true),
                    .flag("emit-defaults", "Print fields that have their default value too."),
                    .flag("json", "Print the answer on one line instead of indented."),
                ])
        ) { invocation throws(CLIError) in
            try Self.callMethod(invocation)
        },
    ]

    /// `findreviewer.v1.CreateInfoRequestRequest` → `CreateInfoRequestRequest`.
    static func shortType(_ name: String) -> String { name.split(separator: ".").last.map(String.init) ?? name }

    /// The method a name stands for: full, `Service/Method` with the short service name, or a unique method name.
    static func resolveMethod(_ name: String) -> (ProtoSchema.MethodSchema?, candidates: [String]) {
        let normalized = name.contains("/") ? name : Self.slashed(name)
        if let exact = ProtoSchema.method(fullName: normalized) { return (exact, []) }
        let all = ProtoSchema.services.flatMap(\.methods)
        let matches = all.filter { method in
            method.fullName.hasSuffix("." + normalized) || (!normalized.contains("/") && method.name == normalized)
        }
        if matches.count == 1 { return (matches[0], []) }
        return (nil, matches.map(\.fullName))
    }

    /// `findreviewer.v1.FindReviewer.GetReview` (grpcurl's dotted form) → `findreviewer.v1.FindReviewer/GetReview`.
    private static func slashed(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), ProtoSchema.services.contains(where: { $0.name == String(name[..<dot]) }) else {
            return name
        }
        return String(name[..<dot]) + "/" + String(name[name.index(after: dot)...])
    }

    private static func callMethod(_ invocation: Invocation) throws(CLIError) -> Int32 {
        let name = invocation.positional(0)
        let (found, candidates) = Self.resolveMethod(name)
        guard let method = found else {
            let hint = candidates.isEmpty
                ? "`findreviewer list` shows every method."
                : "It could be any of: " + candidates.joined(separator: ", ") + "."
            throw invocation.usage("no method \"\(name)\" (this CLI knows the methods of Protos/)", hint: hint)
        }
        let json = try Self.readJSON(invocation.arguments.positional(1), invocation: invocation)
        let request: [UInt8]
        do {
            request = try ProtoJSON.wireBytes(typeName: method.inputType, json: json)
        } catch {
            throw invocation.usage(
                "the JSON is not a valid \(method.inputType): \(error.message)",
                hint: "`findreviewer describe \(method.name)` lists its fields and their JSON names.")
        }
        var metadata: [MetadataEntry] = []
        for entry in invocation.arguments.all("metadata") {
            guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex else {
                throw invocation.usage("--metadata must be KEY=VALUE, not \"\(entry)\"")
            }
            metadata.append(MetadataEntry(key: String(entry[..<equals]).lowercased(), value: String(entry[entry.index(after: equals)...])))
        }
        let answer = try invocation.call(method.fullName) { client throws(RPCError) in
            // With a shard map, routed like the typed calls (PROTOCOL.md §9.2): by the request's business id or token.
            if let router = client.shardRouter {
                return try Self.routedCall(router, method, request, metadata: metadata, timeout: invocation.settings.timeout)
            }
            return try client.rpc.callRaw(method: method.fullName, request: request, metadata: metadata, timeout: invocation.settings.timeout)
        }
        do {
            let text = try ProtoJSON.jsonString(
                typeName: method.outputType, wireBytes: answer, pretty: !invocation.json,
                emitDefaults: invocation.arguments.flag("emit-defaults"))
            invocation.console.print(text)
        } catch {
            throw CLIError(.status(.internal), "the answer is not a valid \(method.outputType): \(error.message)")
        }
        return ExitStatus.success
    }

    /// `request` (wire bytes of the method's input type) sent where the router's map routes it;
    /// the answer as wire bytes.
    private static func routedCall(
        _ router: ShardRouter, _ method: ProtoSchema.MethodSchema, _ request: [UInt8], metadata: [MetadataEntry], timeout: Duration?
    ) throws(RPCError) -> [UInt8] {
        guard let input = ProtoMessages.all.first(where: { $0.protoName == method.inputType }),
            let output = ProtoMessages.all.first(where: { $0.protoName == method.outputType })
        else { throw RPCError(.internal, "no Swift type for \(method.inputType) or \(method.outputType)") }
        return try Self.routed(router, method.fullName, request, input, output, metadata, timeout)
    }

    private static func routed<Request: ProtoMessage, Response: ProtoMessage>(
        _ router: ShardRouter, _ method: String, _ bytes: [UInt8], _ input: Request.Type, _ output: Response.Type,
        _ metadata: [MetadataEntry], _ timeout: Duration?
    ) throws(RPCError) -> [UInt8] {
        let request: Request
        do {
            request = try Request(serializedBytes: bytes)
        } catch {
            throw RPCError(.invalidArgument, error.message)
        }
        let response = try router.call(method, request, as: Response.self, metadata: metadata, timeout: timeout)
        do {
            return try response.serializedBytes()
        } catch {
            throw RPCError(.internal, error.message)
        }
    }

    /// The JSON text of `argument`: inline, `@FILE`, `-` (standard input) or nothing (`{}`).
    static func readJSON(_ argument: String?, invocation: Invocation) throws(CLIError) -> String {
        guard let argument else { return "{}" }
        if argument == "-" {
            return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        if argument.hasPrefix("@") {
            let path = String(argument.dropFirst())
            guard let data = FileManager.default.contents(atPath: path) else {
                throw invocation.usage("cannot read the JSON file \(path)")
            }
            return String(decoding: data, as: UTF8.self)
        }
        return argument
    }

    private static func describe(_ invocation: Invocation) throws(CLIError) -> Int32 {
        let name = invocation.positional(0)
        let info = try invocation.call("ServerInfoService/GetServerInfo") { client throws(RPCError) in try client.getServerInfo() }
        if let service = info.services.first(where: { $0.name == name || $0.name.hasSuffix("." + name) }) {
            if invocation.json {
                invocation.console.print(Invocation.json(service))
                return ExitStatus.success
            }
            var out = "service \(service.name)\n\n"
            var table = Table(["METHOD", "REQUEST", "RESPONSE", "ROLES", "IDEMPOTENT"])
            for method in service.methods {
                table.append([
                    method.name, Self.shortType(method.inputType), Self.shortType(method.outputType),
                    method.roles.isEmpty ? "(no key needed)" : method.roles.joined(separator: ", "), method.idempotent ? "yes" : "no",
                ])
            }
            out += table.render()
            invocation.console.out(out)
            return ExitStatus.success
        }
        let methods = info.services.flatMap(\.methods)
        let methodName = name.contains("/") ? name : Self.slashed(name)
        let methodMatches = methods.filter {
            $0.fullName == methodName || $0.fullName.hasSuffix("." + methodName) || (!methodName.contains("/") && $0.name == methodName)
        }
        if methodMatches.count > 1 {
            throw invocation.usage(
                "\"\(name)\" is more than one method", hint: "Say which: " + methodMatches.map(\.fullName).joined(separator: ", "))
        }
        if let method = methodMatches.first {
            let type = try Self.describeType(method.inputType, invocation: invocation)
            if invocation.json {
                invocation.console.print(#"{"method":"# + Invocation.json(method) + #","request":"# + Invocation.json(type) + "}")
                return ExitStatus.success
            }
            var out = Table.record([
                ("method", method.fullName), ("request", method.inputType), ("response", method.outputType),
                ("roles", method.roles.isEmpty ? "(no key needed)" : method.roles.joined(separator: ", ")),
                ("idempotent", method.idempotent ? "yes: safe to retry" : "no"),
            ])
            out += "\n" + Self.typeTable(type)
            invocation.console.out(out)
            return ExitStatus.success
        }
        let typeName = name.contains(".") ? name : "findreviewer.v1." + name
        let type = try Self.describeType(typeName, invocation: invocation)
        invocation.emit(type) { "\(type.kind) \(type.typeName)\n\n" + Self.typeTable(type) }
        return ExitStatus.success
    }

    private static func describeType(_ typeName: String, invocation: Invocation) throws(CLIError) -> DescribeTypeResponse {
        do {
            return try invocation.call("ServerInfoService/DescribeType") { client throws(RPCError) in
                try client.describeType(DescribeTypeRequest(typeName: typeName))
            }
        } catch {
            guard case .status(.notFound) = error.kind else { throw error }
            throw CLIError(
                .status(.notFound), "\"\(invocation.positional(0))\" is not a service, method or type this server knows",
                hint: "`findreviewer list` shows the services and methods; type names look like findreviewer.v1.InfoRequest.")
        }
    }

    private static func typeTable(_ type: DescribeTypeResponse) -> String {
        if type.kind == "enum" {
            var table = Table(["NUMBER", "NAME"])
            for value in type.values { table.append([String(value.number), value.name]) }
            return table.render()
        }
        var table = Table(["NUMBER", "FIELD", "JSON NAME", "TYPE"])
        for field in type.fields {
            let base = field.typeName.isEmpty ? field.type : field.typeName
            table.append([String(field.number), field.name, field.jsonName, (field.repeated ? "repeated " : "") + base])
        }
        return table.render(empty: "(no fields)")
    }
}
