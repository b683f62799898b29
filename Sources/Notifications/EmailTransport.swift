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

/// Writes each email as `<entry id>.eml` into a directory, so a repeated delivery of the same
/// entry replaces the file instead of adding another. A batch is made durable together: every
/// file is written as `<name>.tmp`, one `syncfs` makes their contents durable, then each is
/// renamed into place and the directory is fsynced once, before any is reported delivered.
public struct FileTransport: EmailTransport {
    /// Where the files go (`<data-dir>/outbox`).
    public let directory: String

    /// A transport writing into `directory` (created if needed).
    public init(directory: String) {
        self.directory = directory
    }

    /// Writes the file.
    public func deliver(_ email: RenderedEmail) throws(DeliveryError) {
        if let error = self.deliver(batch: [email]).first ?? nil { throw error }
    }

    /// Writes the files, durably, with two syncs for the whole batch.
    public func deliver(batch emails: [RenderedEmail]) -> [DeliveryError?] {
        do {
            try FileManager.default.createDirectory(atPath: self.directory, withIntermediateDirectories: true)
        } catch {
            return emails.map { _ in DeliveryError(.retryable, "cannot create \(self.directory): \(error.localizedDescription)") }
        }
        var outcomes: [DeliveryError?] = Array(repeating: nil, count: emails.count)
        var written: [(index: Int, temporary: String, final: String)] = []
        for (index, email) in emails.enumerated() {
            let final = (self.directory as NSString).appendingPathComponent(email.entryId + ".eml")
            let temporary = final + ".tmp"
            let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                outcomes[index] = DeliveryError(.retryable, "cannot create \(temporary): \(String(cString: strerror(errno)))")
                continue
            }
            let count = email.rfc822.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            close(fd)
            guard count == email.rfc822.count else {
                outcomes[index] = DeliveryError(.retryable, "cannot write \(temporary): \(String(cString: strerror(errno)))")
                unlink(temporary)
                continue
            }
            written.append((index, temporary, final))
        }
        guard !written.isEmpty else { return outcomes }
        let directoryFD = open(self.directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { if directoryFD >= 0 { close(directoryFD) } }
        guard directoryFD >= 0, cshim_syncfs(directoryFD) == 0 else {
            let error = DeliveryError(.retryable, "cannot sync \(self.directory): \(String(cString: strerror(errno)))")
            for file in written {
                unlink(file.temporary)
                outcomes[file.index] = error
            }
            return outcomes
        }
        for file in written where rename(file.temporary, file.final) != 0 {
            outcomes[file.index] = DeliveryError(.retryable, "cannot rename \(file.temporary): \(String(cString: strerror(errno)))")
            unlink(file.temporary)
        }
        if fsync(directoryFD) != 0 {
            let error = DeliveryError(.retryable, "cannot sync \(self.directory): \(String(cString: strerror(errno)))")
            for file in written { outcomes[file.index] = error }
        }
        return outcomes
    }
}
