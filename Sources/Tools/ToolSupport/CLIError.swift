import RPC

/// Why a command stopped, and what a person should do about it.
public struct CLIError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure; it decides the exit status.
    public enum Kind: Sendable, Equatable {
        /// The command line or an input file is wrong (exit 2).
        case usage(path: [String])
        /// A call ended with this status (exit 64 + code).
        case status(StatusCode)
        /// Anything else (exit 1).
        case failure
    }

    /// The kind of failure.
    public var kind: Kind
    /// What went wrong, with the input at fault.
    public var message: String
    /// What to do about it; may be several lines.
    public var hint: String

    /// Creates an error.
    public init(_ kind: Kind, _ message: String, hint: String = "") {
        self.kind = kind
        self.message = message
        self.hint = hint
    }

    /// A usage error of the command at `path`.
    public static func usage(_ message: String, path: [String], hint: String = "") -> CLIError {
        CLIError(.usage(path: path), message, hint: hint)
    }

    /// A failure that is not a call's status.
    public static func failure(_ message: String, hint: String = "") -> CLIError { CLIError(.failure, message, hint: hint) }

    /// The process exit status.
    public var exitStatus: Int32 {
        switch self.kind {
        case .usage: return ExitStatus.usage
        case .status(let code): return ExitStatus.forStatus(code)
        case .failure: return ExitStatus.failure
        }
    }

    /// The message.
    public var description: String { self.message }
}
