import FindReviewerDomain
import FindReviewerStore
import Messages
import RPC

// The one error model: each layer's error type says its own status through
// `RPCErrorConvertible` (Sources/Runtime/RPC/RPCError.swift), and handlers convert any error with
// `RPCError(converting:)`. The domain and the store do not import RPC, so their conformances
// live here, in the layer that sees both; an error that says nothing is INTERNAL.

extension DomainError: RPCErrorConvertible {
    /// The domain's refusal codes, one to one.
    public var rpcErrorCode: StatusCode {
        switch self.code {
        case .invalidArgument: .invalidArgument
        case .notFound: .notFound
        case .failedPrecondition: .failedPrecondition
        case .alreadyExists: .alreadyExists
        case .resourceExhausted: .resourceExhausted
        }
    }

    /// The refusal's message.
    public var rpcErrorMessage: String { self.message }

    /// One detail when the refusal names a field, a reason or more: an invalid argument
    /// without a reason of its own is `INVALID_FIELD`.
    public var rpcErrorDetails: [ErrorDetail] {
        guard self.field != nil || self.reason != nil || self.detail != nil else { return [] }
        return [
            ErrorDetail(
                reason: self.reason?.rawValue ?? (self.code == .invalidArgument ? "INVALID_FIELD" : ""),
                field: self.field ?? "", description: self.detail ?? "")
        ]
    }
}

extension AuthorizationFailure: RPCErrorConvertible {
    /// UNAUTHENTICATED or PERMISSION_DENIED.
    public var rpcErrorCode: StatusCode {
        switch self {
        case .unauthenticated: .unauthenticated
        case .permissionDenied: .permissionDenied
        }
    }

    /// What the caller is told.
    public var rpcErrorMessage: String {
        switch self {
        case .unauthenticated(let message), .permissionDenied(let message): message
        }
    }
}

extension StoreError: RPCErrorConvertible {
    /// A write the store could not make durable: nothing was changed, retry later.
    public var rpcErrorCode: StatusCode { .unavailable }

    /// `not stored: <what failed>`.
    public var rpcErrorMessage: String { "not stored: \(self.message)" }
}

/// Kept for code written against the former mapping: the same conversion as
/// `RPCError(converting:)`, no ladder of its own.
enum ErrorMapping {
    static func rpcError(_ error: any Error) -> RPCError { RPCError(converting: error) }
}
