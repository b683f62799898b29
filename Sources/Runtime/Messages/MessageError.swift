/// A message that could not be encoded, decoded or converted, and why.
public struct MessageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable {
        /// The bytes are not a valid protobuf encoding of the type (truncated, wrong wire type, bad UTF-8, ...).
        case malformed
        /// Decoding would allocate more memory than the budget allows.
        case budgetExceeded
        /// JSON text is not valid JSON or does not fit the message type.
        case invalidJSON
        /// A value does not fit its field (unknown enum number, NUL in a string, ...).
        case invalidValue
        /// The Swift type and the .proto disagree; regenerate with `make protos`.
        case schemaMismatch
        /// No message type with that name exists in Protos/.
        case unknownType
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong, naming the type and field where known.
    public var message: String
    /// The field at fault (proto3 JSON name), if known.
    public var field: String?

    /// Creates an error.
    public init(_ code: Code, _ message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    /// `code: message`.
    public var description: String { "\(self.code.rawValue): \(self.message)" }
}
