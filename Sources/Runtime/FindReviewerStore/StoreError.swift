/// A journal that cannot be written or read, naming the file and byte offset where known.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure.
    public enum Code: String, Sendable {
        /// Writing failed (disk full, I/O error): nothing was acknowledged; retry later.
        case unavailable
        /// The files are damaged where a crash cannot explain it; the server must not start.
        case corrupt
        /// A format version this build does not know.
        case unsupportedVersion
    }

    public var code: Code
    public var message: String
    public var path: String
    public var offset: Int

    /// Creates an error.
    public init(_ code: Code, _ message: String, path: String = "", offset: Int = 0) {
        self.code = code
        self.message = message
        self.path = path
        self.offset = offset
    }

    /// `corrupt: checksum mismatch (data/journal/…log at byte 4096)`.
    public var description: String {
        self.path.isEmpty ? "\(self.code.rawValue): \(self.message)" : "\(self.code.rawValue): \(self.message) (\(self.path) at byte \(self.offset))"
    }
}
