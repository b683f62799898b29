import Foundation
import Glibc
import Transport

/// Sends through an SMTP relay (RFC 5321): EHLO (HELO if refused), MAIL FROM, RCPT TO, DATA
/// with dot-stuffing, QUIT. Every reply code is checked: 4xx and connection trouble are
/// retryable, 5xx permanent. No STARTTLS: the relay is on a trusted network.
public struct SMTPTransport: EmailTransport {
    /// The relay.
    public let address: SocketAddress
    /// Our name in EHLO.
    public let heloName: String
    /// Seconds to wait for each reply.
    public let timeoutSeconds: Int32

    /// A transport for the relay at `relay` (`HOST:PORT`).
    public init(relay: String, heloName: String = "findreviewer.localdomain", timeoutSeconds: Int32 = 30) throws(DeliveryError) {
        do {
            self.address = try SocketAddress(parsing: relay)
        } catch {
            throw DeliveryError(.permanent, "\"\(relay)\" is not HOST:PORT")
        }
        self.heloName = heloName
        self.timeoutSeconds = timeoutSeconds
    }

    /// Delivers one email in one SMTP session.
    public func deliver(_ email: RenderedEmail) throws(DeliveryError) {
        let fd: Int32
        do {
            fd = try Socket.connect(self.address, timeoutMilliseconds: self.timeoutSeconds * 1_000)
        } catch {
            throw DeliveryError(.retryable, "cannot connect to SMTP relay \(self.address): \(error)")
        }
        defer { Socket.close(fd) }
        var session = Session(fd: fd, timeoutMilliseconds: self.timeoutSeconds * 1_000)
        try session.expect([220], after: "connect")
        if (try? session.command("EHLO \(self.heloName)", expect: [250])) == nil {
            try session.command("HELO \(self.heloName)", expect: [250])
        }
        try session.command("MAIL FROM:<\(Self.address(in: email.from))>", expect: [250])
        try session.command("RCPT TO:<\(email.to)>", expect: [250, 251])
        try session.command("DATA", expect: [354])
        try session.send(Self.dotStuffed(email.rfc822) + Array("\r\n.\r\n".utf8))
        try session.expect([250], after: "end of DATA")
        _ = try? session.command("QUIT", expect: [221])
    }

    /// `Name <a@b>` → `a@b`.
    static func address(in mailbox: String) -> String {
        guard let open = mailbox.lastIndex(of: "<"), let close = mailbox.lastIndex(of: ">"), open < close else { return mailbox }
        return String(mailbox[mailbox.index(after: open)..<close])
    }

    /// RFC 5321 §4.5.2: a line starting with "." gets another "."; the message ends with CRLF.
    static func dotStuffed(_ message: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(message.count + 16)
        var atLineStart = true
        for byte in message {
            if atLineStart && byte == UInt8(ascii: ".") { out.append(UInt8(ascii: ".")) }
            out.append(byte)
            atLineStart = byte == UInt8(ascii: "\n")
        }
        if !(out.suffix(2) == [13, 10]) { out += [13, 10] }
        // The terminator adds its own CRLF before ".": drop ours so the body is not changed.
        out.removeLast(2)
        return out
    }

    /// One SMTP conversation: commands out, replies (possibly multi-line) in.
    struct Session {
        let fd: Int32
        let timeoutMilliseconds: Int32
        var buffer: [UInt8] = []

        init(fd: Int32, timeoutMilliseconds: Int32) {
            self.fd = fd
            self.timeoutMilliseconds = timeoutMilliseconds
        }

        mutating func command(_ line: String, expect codes: Set<Int>) throws(DeliveryError) {
            try self.send(Array((line + "\r\n").utf8))
            try self.expect(codes, after: String(line.prefix(4)))
        }

        func send(_ bytes: [UInt8]) throws(DeliveryError) {
            do {
                try Socket.writeAll(self.fd, bytes)
            } catch {
                throw DeliveryError(.retryable, "SMTP connection lost while sending: \(error)")
            }
        }

        /// Reads one reply; its code must be in `codes`.
        mutating func expect(_ codes: Set<Int>, after what: String) throws(DeliveryError) {
            var lines: [String] = []
            while true {
                let line = try self.readLine()
                lines.append(line)
                // "250-..." continues, "250 ..." ends a reply.
                if line.count < 4 || line[line.index(line.startIndex, offsetBy: 3)] != "-" { break }
            }
            let last = lines.last ?? ""
            guard let code = Int(last.prefix(3)) else {
                throw DeliveryError(.retryable, "SMTP relay sent an unreadable reply after \(what): \(last)")
            }
            guard codes.contains(code) else {
                let kind: DeliveryError.Code = code >= 500 ? .permanent : .retryable
                throw DeliveryError(kind, "SMTP relay answered \(lines.joined(separator: " / ")) after \(what)")
            }
        }

        mutating func readLine() throws(DeliveryError) -> String {
            while true {
                if let end = self.buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: self.buffer[..<end], as: UTF8.self).trimmingCharacters(in: .newlines)
                    self.buffer.removeSubrange(...end)
                    return line
                }
                var poller = pollfd(fd: self.fd, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, self.timeoutMilliseconds) > 0 else {
                    throw DeliveryError(.retryable, "SMTP relay did not answer within \(self.timeoutMilliseconds / 1_000) s")
                }
                var chunk = [UInt8](repeating: 0, count: 4_096)
                let count = chunk.withUnsafeMutableBytes { Glibc.read(self.fd, $0.baseAddress, $0.count) }
                guard count > 0 else { throw DeliveryError(.retryable, "SMTP relay closed the connection") }
                self.buffer += chunk[..<count]
            }
        }
    }
}
