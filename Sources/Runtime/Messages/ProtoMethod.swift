/// One rpc of `Protos/` with what its method options say: the generated method table
/// (``ProtoMethods/all``, Sources/Runtime/Messages/Generated/Methods.generated.swift, written by
/// `make protos` from `protoc --descriptor_set_out`) holds one per rpc. The server authorizes
/// and GetServerInfo answers from it; clients retry from it.
public struct ProtoMethod: Sendable, Equatable {
    /// e.g. `findreviewer.v1.FindReviewer`.
    public let service: String
    /// e.g. `CreateInfoRequest`.
    public let name: String
    /// Full name of the request message type.
    public let inputType: String
    /// Full name of the response message type.
    public let outputType: String
    /// `(findreviewer.v1.roles)`, sorted; empty only with ``noKey``.
    public let roles: [String]
    /// `(findreviewer.v1.idempotent)`: a retry can never apply the call twice.
    public let idempotent: Bool
    /// `(findreviewer.v1.no_key)`: callable without a key (Health/Check).
    public let noKey: Bool

    /// `package.Service/Method`.
    public var fullName: String { "\(self.service)/\(self.name)" }

    /// A table entry (the generated table calls this once per rpc).
    public init(
        service: String, name: String, inputType: String, outputType: String, roles: [String], idempotent: Bool, noKey: Bool
    ) {
        self.service = service
        self.name = name
        self.inputType = inputType
        self.outputType = outputType
        self.roles = roles
        self.idempotent = idempotent
        self.noKey = noKey
    }
}

extension ProtoMethods {
    /// The table by full name (`package.Service/Method`).
    public static let byFullName: [String: ProtoMethod] = Dictionary(uniqueKeysWithValues: all.map { ($0.fullName, $0) })

    /// The full names of the idempotent methods (what a client retries after UNAVAILABLE).
    public static var idempotentFullNames: Set<String> { Set(all.filter(\.idempotent).map(\.fullName)) }
}
