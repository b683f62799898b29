import CSystemShims
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
    /// Delivers several, returning one outcome per email (nil: delivered). Called from the
    /// delivery thread only; the default delivers them one by one.
    func deliver(batch emails: [RenderedEmail]) -> [DeliveryError?]
}

extension EmailTransport {
    /// One by one.
    public func deliver(batch emails: [RenderedEmail]) -> [DeliveryError?] {
        emails.map { email in
            do throws(DeliveryError) {
                try self.deliver(email)
                return nil
            } catch {
                return error
            }
        }
    }
}

/// Writes each batch of emails as one mbox file into a directory (``OutboxFiles`` has the
/// format and the name), durably before any is reported delivered: the file is written as
/// `<name>.tmp`, `fdatasync`ed, renamed into place, and the directory is fsynced. One file and
/// two syncs per batch, whatever its size: creating an inode per email (and a file-system
/// wide `syncfs` to make them durable together) cost more than the rest of an email.
public struct FileTransport: EmailTransport {
    /// Where the files go (`<data-dir>/outbox`).
    public let directory: String
    /// The wall clock in nanoseconds, for the file names' stamps and the separator lines.
    private let clock: @Sendable () -> UInt64

    /// A transport writing into `directory` (created if needed).
    public init(directory: String) {
        self.init(directory: directory) {
            var time = timespec()
            clock_gettime(CLOCK_REALTIME, &time)
            return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
        }
    }

    /// A transport reading the time from `clock` (nanoseconds since 1970), for tests.
    public init(directory: String, clock: @escaping @Sendable () -> UInt64) {
        self.directory = directory
        self.clock = clock
    }

    /// Writes the email (a batch of one).
    public func deliver(_ email: RenderedEmail) throws(DeliveryError) {
        if let error = self.deliver(batch: [email]).first ?? nil { throw error }
    }

    /// Writes the batch as one file, durably; every email has the same outcome.
    public func deliver(batch emails: [RenderedEmail]) -> [DeliveryError?] {
        guard let first = emails.first, let last = emails.last else { return [] }
        func failed(_ message: String) -> [DeliveryError?] {
            let error = DeliveryError(.retryable, message + ": " + String(cString: strerror(errno)))
            return emails.map { _ in error }
        }
        if mkdir(self.directory, 0o755) != 0 && errno != EEXIST {
            do {
                try FileManager.default.createDirectory(atPath: self.directory, withIntermediateDirectories: true)
            } catch {
                return emails.map { _ in DeliveryError(.retryable, "cannot create \(self.directory): \(error.localizedDescription)") }
            }
        }
        let now = self.clock()
        var content: [UInt8] = []
        content.reserveCapacity(emails.reduce(0) { $0 + $1.rfc822.count + $1.rfc822.count / 64 + 40 })
        let separator = OutboxFiles.separator(at: Int64(now / 1_000_000_000))
        for email in emails { OutboxFiles.append(email.rfc822, separator: separator, to: &content) }
        let final = self.directory + "/" + OutboxFiles.batchName(first: first.entryId, last: last.entryId, nanoseconds: now)
        let temporary = final + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return failed("cannot create \(temporary)") }
        guard OutboxFiles.writeAll(fd, content) else {
            let outcome = failed("cannot write \(temporary)")
            close(fd)
            unlink(temporary)
            return outcome
        }
        guard fdatasync(fd) == 0 else {
            let outcome = failed("cannot sync \(temporary)")
            close(fd)
            unlink(temporary)
            return outcome
        }
        close(fd)
        guard rename(temporary, final) == 0 else {
            let outcome = failed("cannot rename \(temporary)")
            unlink(temporary)
            return outcome
        }
        let directoryFD = open(self.directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directoryFD >= 0 else { return failed("cannot open \(self.directory)") }
        defer { close(directoryFD) }
        // Not durable without the directory entry; a retry writes the batch again (readers
        // show a repeated entry once).
        guard fsync(directoryFD) == 0 else { return failed("cannot sync \(self.directory)") }
        return emails.map { _ in nil }
    }
}
