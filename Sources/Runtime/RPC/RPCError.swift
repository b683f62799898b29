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
        // At most 1,024 characters. A message of at most 1,024 bytes has no more characters than
        // that: it goes as it is, without walking its characters (1 % of a refused create's cost).
        let message = self.message.utf8.count <= 1_024 ? self.message : String(self.message.prefix(1_024))
        return ResponseHeader(statusCode: self.code.rawValue, statusMessage: message, details: self.details)
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

/// An error that says its own status: code, message and details (grpc-swift's
/// `RPCErrorConvertible` is the model). Each layer's error type conforms (RPCError itself, the
/// domain's refusals, authorization failures, the store's write failures), so a handler turns
/// any error into a status with one conversion, ``RPCError/init(converting:)``.
public protocol RPCErrorConvertible: Error {
    /// The status code the caller sees.
    var rpcErrorCode: StatusCode { get }
    /// The status message.
    var rpcErrorMessage: String { get }
    /// `details` of the response header (empty by default).
    var rpcErrorDetails: [ErrorDetail] { get }
}

extension RPCErrorConvertible {
    /// No details.
    public var rpcErrorDetails: [ErrorDetail] { [] }
}

extension RPCError: RPCErrorConvertible {
    /// The code.
    public var rpcErrorCode: StatusCode { self.code }
    /// The message.
    public var rpcErrorMessage: String { self.message }
    /// The details.
    public var rpcErrorDetails: [ErrorDetail] { self.details }

    /// `error` as a status: what it says of itself, or INTERNAL for an error that says nothing.
    public init(converting error: any Error) {
        if let error = error as? RPCError {
            self = error
        } else if let error = error as? any RPCErrorConvertible {
            self.init(error.rpcErrorCode, error.rpcErrorMessage, details: error.rpcErrorDetails)
        } else {
            self.init(.internal, "unexpected error: \(error)")
        }
    }
}
