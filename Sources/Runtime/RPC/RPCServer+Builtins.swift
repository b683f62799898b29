import Messages

extension RPCServer {
    /// Health/Check and ServerInfoService, served by every server.
    /// Served on a connection after its GOAWAY too (answering NOT_SERVING), PROTOCOL.md §3.5.
    static let healthCheckMethod = "findreviewer.v1.Health/Check"

    func registerBuiltins() {
        self.register(Self.healthCheckMethod, idempotent: true) {
            [unowned self] (request: HealthCheckRequest, _) throws(RPCError) -> HealthCheckResponse in
            if !request.service.isEmpty { try Self.checkName(request.service, field: "service") }
            if !request.service.isEmpty && !self.methods.contains(where: { $0.method.hasPrefix(request.service + "/") }) {
                return HealthCheckResponse(status: .serviceUnknown)
            }
            return HealthCheckResponse(status: self.isDraining ? .notServing : .serving)
        }
        self.register("findreviewer.v1.ServerInfoService/GetServerInfo", idempotent: true) {
            [unowned self] (_: GetServerInfoRequest, _) throws(RPCError) -> ServerInfo in
            self.serverInfo()
        }
        self.register("findreviewer.v1.ServerInfoService/DescribeType", idempotent: true) {
            (request: DescribeTypeRequest, _) throws(RPCError) -> DescribeTypeResponse in
            try Self.checkName(request.typeName, field: "typeName")
            guard let description = ProtoSchema.describe(typeName: request.typeName) else {
                throw RPCError(.notFound, "no message or enum type named \"\(request.typeName)\"")
            }
            return description
        }
    }

    /// A full proto name (`findreviewer.v1.InfoRequest`, `findreviewer.v1.FindReviewer`): 1 to
    /// 256 bytes of letters, digits, `_` and `.` (info.proto, health.proto), else INVALID_ARGUMENT
    /// naming the field. A well-formed name that names nothing is the method's own answer.
    static func checkName(_ name: String, field: String) throws(RPCError) {
        let bytes = name.utf8
        let wellFormed = (1...256).contains(bytes.count) && bytes.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
                || byte == 0x2E
        }
        guard wellFormed else {
            throw RPCError(
                .invalidArgument, "\(field): must be a full proto name of 1 to 256 letters, digits, _ and . (e.g. findreviewer.v1.InfoRequest)",
                details: [ErrorDetail(reason: "INVALID_FIELD", field: field)])
        }
    }

    /// What GetServerInfo answers: identity, limits and every served method with its types, roles
    /// and idempotency: a method of Protos/ as the method table (its method options) says, any
    /// other as it was registered.
    func serverInfo() -> ServerInfo {
        var services: [String: [MethodInfo]] = [:]
        for registration in self.methods {
            let parts = registration.method.split(separator: "/", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let info: MethodInfo
            if let entry = ProtoMethods.byFullName[registration.method] {
                info = MethodInfo(
                    name: entry.name, fullName: entry.fullName, inputType: entry.inputType, outputType: entry.outputType,
                    idempotent: entry.idempotent, roles: entry.roles)
            } else {
                let schema = ProtoSchema.method(fullName: registration.method)
                info = MethodInfo(
                    name: String(parts[1]), fullName: registration.method, inputType: schema?.inputType ?? "",
                    outputType: schema?.outputType ?? "", idempotent: registration.idempotent, roles: registration.roles)
            }
            services[String(parts[0]), default: []].append(info)
        }
        return ServerInfo(
            name: self.options.serverName, version: self.options.serverVersion, protocolVersion: UInt32(Preface.version),
            startedAt: self.startTime, services: services.keys.sorted().map { ServiceInfo(name: $0, methods: services[$0]!) },
            maxPayloadBytes: UInt64(self.options.frameLimits.maxPayloadBytes),
            maxHeaderBytes: UInt32(self.options.frameLimits.maxHeaderBytes), testClock: self.options.testClock)
    }
}
