import Foundation
import Glibc

/// Why a delivery failed, and whether trying again later can help.
public struct DeliveryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Retry later (4xx, connection trouble) or not without a change (5xx).
    public enum Code: String, Sendable { case retryable, permanent }
    public var code: Code
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `retryable: …`.
    public var description: String { "\(self.code.rawValue): \(self.message)" }
}

/// Something that hands a rendered email on.
public protocol EmailTransport: Sendable {
    /// Delivers one email; called from the delivery thread only.
    func deliver(_ email: RenderedEmail) throws(DeliveryError)
}

/// Writes each email as `<entry id>.eml` into a directory: temp file, fsync, rename, so a
/// repeated delivery of the same entry replaces the file instead of adding another.
public struct FileTransport: EmailTransport {
    /// Where the files go (`<data-dir>/outbox`).
    public let directory: String

    /// A transport writing into `directory` (created if needed).
    public init(directory: String) {
        self.directory = directory
    }

    /// Writes the file.
    public func deliver(_ email: RenderedEmail) throws(DeliveryError) {
        do {
            try FileManager.default.createDirectory(atPath: self.directory, withIntermediateDirectories: true)
        } catch {
            throw DeliveryError(.retryable, "cannot create \(self.directory): \(error.localizedDescription)")
        }
        let final = (self.directory as NSString).appendingPathComponent(email.entryId + ".eml")
        let temporary = final + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw DeliveryError(.retryable, "cannot create \(temporary): \(String(cString: strerror(errno)))") }
        let written = email.rfc822.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        guard written == email.rfc822.count, synced == 0, rename(temporary, final) == 0 else {
            unlink(temporary)
            throw DeliveryError(.retryable, "cannot write \(final): \(String(cString: strerror(errno)))")
        }
    }
}
