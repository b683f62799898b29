import Foundation

/// Where a tool writes: standard output for results, standard error for errors and progress.
///
/// Tests capture both into strings; the executables write straight to the file descriptors, so
/// the demo's and the load tool's lines appear as they happen.
public final class Console: @unchecked Sendable {
    private let lock = NSLock()
    private let writeOut: (String) -> Void
    private let writeError: (String) -> Void
    private var capturedOut = ""
    private var capturedError = ""
    private let capturing: Bool

    private init(capturing: Bool, out: @escaping (String) -> Void, error: @escaping (String) -> Void) {
        self.capturing = capturing
        self.writeOut = out
        self.writeError = error
    }

    /// The process's standard output and standard error.
    public static func standard() -> Console {
        Console(
            capturing: false, out: { FileHandle.standardOutput.write(Data($0.utf8)) },
            error: { FileHandle.standardError.write(Data($0.utf8)) })
    }

    /// A console that keeps everything for ``output`` and ``errors``.
    public static func capture() -> Console {
        Console(capturing: true, out: { _ in }, error: { _ in })
    }

    /// Writes `text` and a newline to standard output.
    public func print(_ text: String = "") { self.out(text + "\n") }

    /// Writes `text` as is to standard output.
    public func out(_ text: String) {
        self.lock.withLock {
            if self.capturing { self.capturedOut += text } else { self.writeOut(text) }
        }
    }

    /// Writes `text` and a newline to standard error.
    public func error(_ text: String) {
        self.lock.withLock {
            if self.capturing { self.capturedError += text + "\n" } else { self.writeError(text + "\n") }
        }
    }

    /// What was written to standard output (capturing consoles only).
    public var output: String { self.lock.withLock { self.capturedOut } }

    /// What was written to standard error (capturing consoles only).
    public var errors: String { self.lock.withLock { self.capturedError } }
}
