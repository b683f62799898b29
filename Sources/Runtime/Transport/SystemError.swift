import Glibc

/// A failed system call: its name and errno.
public struct SystemError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The call that failed, e.g. `bind`.
    public var call: String
    /// `errno` right after the call.
    public var errno: Int32

    /// Creates an error from the current `errno`.
    public init(_ call: String, errno: Int32 = Glibc.errno) {
        self.call = call
        self.errno = errno
    }

    /// `bind: Address already in use (errno 98)`.
    public var description: String { "\(self.call): \(String(cString: strerror(self.errno))) (errno \(self.errno))" }
}

/// The outcome of a non-blocking I/O call.
public enum IOResult<Value: Sendable>: Sendable {
    case done(Value)
    /// EAGAIN / EWOULDBLOCK: try again when the descriptor is ready.
    case wouldBlock
}

/// Runs a system call, retrying on EINTR; EAGAIN becomes `.wouldBlock`; other failures throw
/// a ``SystemError`` naming the call.
@inline(__always)
public func syscall<T: BinaryInteger & Sendable>(_ name: String, _ body: () -> T) throws(SystemError) -> IOResult<T> {
    while true {
        let result = body()
        if result >= 0 { return .done(result) }
        let error = errno
        if error == EINTR { continue }
        if error == EAGAIN || error == EWOULDBLOCK { return .wouldBlock }
        throw SystemError(name, errno: error)
    }
}

/// Like ``syscall(_:_:)`` for calls that never return EAGAIN.
@inline(__always)
@discardableResult
public func blockingSyscall<T: BinaryInteger & Sendable>(_ name: String, _ body: () -> T) throws(SystemError) -> T {
    while true {
        let result = body()
        if result >= 0 { return result }
        let error = errno
        if error == EINTR { continue }
        throw SystemError(name, errno: error)
    }
}
