/// A command line, environment variable or file the server cannot start with.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, with which input, and what to do.
    public var message: String

    /// Creates an error with a message for the operator.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { self.message }
}
