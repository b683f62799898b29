import Foundation
import Glibc

/// A response as it came off the wire, parsed loosely (tests check it, so the parser
/// trusts nothing).
public struct RawHTTPResponse: Sendable {
    /// Every byte received before the server closed.
    public var bytes: [UInt8]

    /// The status code of the status line, if there is one.
    public var statusCode: Int? {
        guard let line = self.text.split(separator: "\r\n", maxSplits: 1).first, line.hasPrefix("HTTP/1.") else { return nil }
        let parts = line.split(separator: " ")
        return parts.count >= 2 ? Int(parts[1]) : nil
    }

    /// Everything as text.
    public var text: String { String(decoding: self.bytes, as: UTF8.self) }

    /// The header fields, names lowercased.
    public var fields: [String: String] {
        guard let end = self.text.range(of: "\r\n\r\n") else { return [:] }
        var fields: [String: String] = [:]
        for line in self.text[..<end.lowerBound].split(separator: "\r\n").dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return fields
    }

    /// The body (after the empty line).
    public var body: String {
        guard let end = self.text.range(of: "\r\n\r\n") else { return "" }
        return String(self.text[end.upperBound...])
    }
}

/// A blocking loopback TCP connection for tests that speak HTTP, well or badly.
public final class TestConnection {
    /// The descriptor.
    public let fd: Int32

    /// Connects to 127.0.0.1:`port`.
    public init(port: Int) throws {
        self.fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard self.fd >= 0 else { throw TestConnectionError("socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(self.fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            let error = errno
            Glibc.close(self.fd)
            throw TestConnectionError("connect 127.0.0.1:\(port): errno \(error)")
        }
    }

    deinit { Glibc.close(self.fd) }

    /// Sends all of `bytes`; false if the server closed or reset the connection first.
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { Glibc.send(self.fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    /// Sends `text` as UTF-8.
    @discardableResult
    public func send(_ text: String) -> Bool { self.send(Array(text.utf8)) }

    /// Ends the sending direction (the server sees end of stream).
    public func finishSending() { Glibc.shutdown(self.fd, Int32(SHUT_WR)) }

    /// Reads until the server closes the connection, giving up after `timeout` seconds of the
    /// whole read. `closed` is false if time ran out first; a reset counts as closed.
    public func readUntilClosed(timeout: TimeInterval = 5) -> (response: RawHTTPResponse, closed: Bool) {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let left = Int32(max(0, deadline.timeIntervalSinceNow * 1_000))
            var poller = pollfd(fd: self.fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, left)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { return (RawHTTPResponse(bytes: bytes), false) }
            let count = buffer.withUnsafeMutableBytes { Glibc.read(self.fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return (RawHTTPResponse(bytes: bytes), true) }
            bytes += buffer[..<count]
        }
    }

    /// Whether the server has sent nothing and kept the connection open for `seconds`.
    public func staysSilent(for seconds: TimeInterval) -> Bool {
        var poller = pollfd(fd: self.fd, events: Int16(POLLIN), revents: 0)
        return poll(&poller, 1, Int32(seconds * 1_000)) == 0
    }
}

/// A failure of a test connection.
public struct TestConnectionError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// One-shot HTTP requests for tests.
public enum HTTPTestClient {
    /// `GET path` with a Host header; the whole response, read until the server closes.
    public static func get(port: Int, _ path: String, method: String = "GET", timeout: TimeInterval = 10) throws -> RawHTTPResponse {
        try self.exchange(port: port, "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUser-Agent: findreviewer-tests\r\nConnection: close\r\n\r\n", timeout: timeout)
    }

    /// Sends `request` as is and reads until the server closes (or throws after `timeout`).
    public static func exchange(port: Int, _ request: String, timeout: TimeInterval = 10) throws -> RawHTTPResponse {
        try self.exchange(port: port, Array(request.utf8), timeout: timeout)
    }

    /// Sends `bytes` as they are and reads until the server closes (or throws after `timeout`).
    public static func exchange(port: Int, _ bytes: [UInt8], timeout: TimeInterval = 10) throws -> RawHTTPResponse {
        let connection = try TestConnection(port: port)
        connection.send(bytes)
        let (response, closed) = connection.readUntilClosed(timeout: timeout)
        guard closed else { throw TestConnectionError("the server did not close within \(timeout) s; got \(response.text.prefix(200))") }
        return response
    }
}
