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
