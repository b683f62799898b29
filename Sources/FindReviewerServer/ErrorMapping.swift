import FindReviewerDomain
import Messages
import RPC

/// The one place where domain and authorization failures become RPC statuses.
enum ErrorMapping {
    static func rpcError(_ error: DomainError) -> RPCError {
        let code: StatusCode
        switch error.code {
        case .invalidArgument: code = .invalidArgument
        case .notFound: code = .notFound
        case .failedPrecondition: code = .failedPrecondition
        case .alreadyExists: code = .alreadyExists
        case .resourceExhausted: code = .resourceExhausted
        }
        var details: [ErrorDetail] = []
        if error.field != nil || error.reason != nil || error.detail != nil {
            details.append(
                ErrorDetail(
                    reason: error.reason?.rawValue ?? (error.code == .invalidArgument ? "INVALID_FIELD" : ""),
                    field: error.field ?? "", description: error.detail ?? ""))
        }
        return RPCError(code, error.message, details: details)
    }

    static func rpcError(_ failure: AuthorizationFailure) -> RPCError {
        switch failure {
        case .unauthenticated(let message): return RPCError(.unauthenticated, message)
        case .permissionDenied(let message): return RPCError(.permissionDenied, message)
        }
    }

    /// Any error a handler throws, as a status; unexpected ones are INTERNAL.
    static func rpcError(_ error: any Error) -> RPCError {
        if let error = error as? RPCError { return error }
        if let error = error as? DomainError { return self.rpcError(error) }
        if let error = error as? AuthorizationFailure { return self.rpcError(error) }
        return RPCError(.internal, "unexpected error: \(error)")
    }
}
