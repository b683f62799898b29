import Messages

/// A call that ended with a non-OK status: what the server (or the client runtime) said.
public struct RPCError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The gRPC status code.
    public var code: StatusCode
    /// What went wrong, for a person.
    public var message: String
    /// Machine-readable details (reason, field, description).
    public var details: [ErrorDetail]

    /// Creates an error.
    public init(_ code: StatusCode, _ message: String, details: [ErrorDetail] = []) {
        self.code = code
        self.message = message
        self.details = details
    }

    /// `NOT_FOUND: no review with id "r-9"`.
    public var description: String { "\(self.code.name): \(self.message)" }

    /// The response header that carries this error.
    var responseHeader: ResponseHeader {
        ResponseHeader(statusCode: self.code.rawValue, statusMessage: String(self.message.prefix(1_024)), details: self.details)
    }
}

extension RPCError {
    /// A request payload that does not decode as `typeName`: INVALID_ARGUMENT for that call (the
    /// connection stays open), `details[0].field` naming the field where known. Bytes that are not
    /// protobuf are reason `MALFORMED_REQUEST`; a value its field cannot hold (a NUL in a string,
    /// a number that is not a value of the field's enum) is `INVALID_FIELD`, like any other field
    /// a rule refuses.
    public static func undecodable(_ error: MessageError, as typeName: String) -> RPCError {
        let reason = error.code == .invalidValue ? "INVALID_FIELD" : "MALFORMED_REQUEST"
        return RPCError(
            .invalidArgument, "request is not a valid \(typeName): \(error.message)",
            details: [ErrorDetail(reason: reason, field: error.field ?? "")])
    }
}
