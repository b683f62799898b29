import Dispatch
import Foundation
import Glibc
import Messages
import Transport

/// One client connection that multiplexes many calls (PROTOCOL.md).
///
/// Reading is leader/follower: a thread waiting for an answer becomes the reader if nobody is,
/// reads frames and hands each answer to its waiter. With one call in flight the caller reads
/// its own answer, so there is no wake-up handed across threads.
public final class ClientConnection: @unchecked Sendable {
    /// The server's address.
    public let address: SocketAddress
    private let limits: FrameLimits
    private let condition = NSCondition()
    private let writeLock = NSLock()
    private var fd: Int32 = -1
    private var decoder: FrameDecoder
    private var pending: [UInt32: Waiter] = [:]
    private var nextCallId: UInt32 = 1
    private var readerActive = false
    private var goAwayReceived = false

    private final class Waiter {
        var result: Result<[UInt8], RPCError>?
    }

    /// A connection to `address`; it connects on first use and reconnects after it was closed.
    public init(address: SocketAddress, limits: FrameLimits = FrameLimits(maxHeaderBytes: 8 << 10, maxPayloadBytes: 64 << 20)) {
        self.address = address
        self.limits = limits
        self.decoder = FrameDecoder(limits: limits, expectingPreface: true)
    }

    deinit { if self.fd >= 0 { Socket.close(self.fd) } }

    /// Sends a call and waits for its answer. Throws the server's status, DEADLINE_EXCEEDED when
    /// `timeout` passes (and cancels the call), or UNAVAILABLE with `sent == false` in
    /// ``ClientCallError`` terms when it could not be sent at all.
    public func call(
        method: String, request: [UInt8], metadata: [MetadataEntry] = [], timeout: Duration? = nil,
        isCancelled: (@Sendable () -> Bool)? = nil
    ) throws(ClientCallError) -> [UInt8] {
        let timeoutMs = timeout.map { UInt64(max(1, $0.components.seconds * 1_000 + $0.components.attoseconds / 1_000_000_000_000_000)) }
        let deadline = timeoutMs.map { DispatchTime.now().uptimeNanoseconds + $0 * 1_000_000 }
        let header: [UInt8]
        do {
            header = try RequestHeader(method: method, timeoutMs: timeoutMs ?? 0, metadata: metadata).serializedBytes()
        } catch {
            throw ClientCallError(RPCError(.invalidArgument, "cannot encode the request header: \(error.message)"), sent: false)
        }
        self.condition.lock()
        let callId: UInt32
        let waiter = Waiter()
        do throws(SystemError) {
            try self.connectIfNeeded()
        } catch {
            self.condition.unlock()
            throw ClientCallError(RPCError(.unavailable, "cannot connect to \(self.address): \(error)"), sent: false)
        }
        callId = self.nextCallId
        self.nextCallId = self.nextCallId == UInt32.max ? 1 : self.nextCallId + 1
        self.pending[callId] = waiter
        let fd = self.fd
        self.condition.unlock()

        var frame: [UInt8] = []
        frame.reserveCapacity(Frame.fixedSize + header.count + request.count)
        Frame.encode(type: .request, callId: callId, header: header, payload: request, into: &frame)
        do throws(SystemError) {
            self.writeLock.lock()
            defer { self.writeLock.unlock() }
            try Socket.writeAll(fd, frame)
        } catch {
            self.condition.lock()
            self.pending[callId] = nil
            self.dropConnection(fd, RPCError(.unavailable, "connection to \(self.address) failed: \(error)"))
            self.condition.unlock()
            throw ClientCallError(RPCError(.unavailable, "cannot send to \(self.address): \(error)"), sent: false)
        }

        self.condition.lock()
        defer { self.condition.unlock() }
        while true {
            if let result = waiter.result {
                self.pending[callId] = nil
                switch result {
                case .success(let payload): return payload
                case .failure(let error): throw ClientCallError(error, sent: true)
                }
            }
            let now = DispatchTime.now().uptimeNanoseconds
            let timedOut = deadline.map { now >= $0 } ?? false
            if timedOut || isCancelled?() == true {
                self.pending[callId] = nil
                self.sendCancel(callId, fd: fd)
                throw ClientCallError(
                    timedOut ? RPCError(.deadlineExceeded, "no answer within the deadline") : RPCError(.cancelled, "the call was cancelled"),
                    sent: true)
            }
            let waitNanos = min(deadline.map { $0 - now } ?? 100_000_000, 100_000_000)
            if !self.readerActive {
                self.readerActive = true
                self.condition.unlock()
                self.readOnce(fd: fd, timeoutMs: Int32(max(1, waitNanos / 1_000_000)))
                self.condition.lock()
                self.readerActive = false
                self.condition.broadcast()
            } else {
                _ = self.condition.wait(until: Date(timeIntervalSinceNow: Double(waitNanos) / 1e9))
            }
        }
    }

    /// Closes the connection; calls in flight fail with UNAVAILABLE.
    public func close() {
        self.condition.lock()
        defer { self.condition.unlock() }
        if self.fd >= 0 { self.dropConnection(self.fd, RPCError(.unavailable, "the connection was closed by the client")) }
    }

    // MARK: internals (condition locked unless said otherwise)

    private func connectIfNeeded() throws(SystemError) {
        if self.fd >= 0 && !(self.goAwayReceived && self.pending.isEmpty) { return }
        if self.fd >= 0 { self.dropConnection(self.fd, RPCError(.unavailable, "server sent GOAWAY")) }
        let fd = try Socket.connect(self.address)
        try Socket.writeAll(fd, Preface.bytes)
        self.fd = fd
        self.decoder = FrameDecoder(limits: self.limits, expectingPreface: true)
        self.goAwayReceived = false
    }

    private func dropConnection(_ fd: Int32, _ error: RPCError) {
        guard fd == self.fd, fd >= 0 else { return }
        Socket.close(fd)
        self.fd = -1
        for waiter in self.pending.values where waiter.result == nil { waiter.result = .failure(error) }
        self.condition.broadcast()
    }

    private func sendCancel(_ callId: UInt32, fd: Int32) {
        guard fd == self.fd, fd >= 0 else { return }
        self.writeLock.lock()
        defer { self.writeLock.unlock() }
        try? Socket.writeAll(fd, Frame(type: .cancel, callId: callId).bytes)
    }

    /// Reads what is available (unlocked, as the single reader) and dispatches the frames.
    private func readOnce(fd: Int32, timeoutMs: Int32) {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, timeoutMs) > 0 else { return }
        var bytes = [UInt8](repeating: 0, count: 65_536)
        let count = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        self.condition.lock()
        defer { self.condition.unlock() }
        guard fd == self.fd else { return }
        if count <= 0 {
            if count < 0 && (errno == EINTR || errno == EAGAIN) { return }
            self.dropConnection(fd, RPCError(.unavailable, "the server closed the connection"))
            return
        }
        bytes.withUnsafeBytes { self.decoder.feed(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
        do throws(FrameError) {
            while let frame = try self.decoder.next() { self.dispatch(frame, fd: fd) }
        } catch {
            self.dropConnection(fd, RPCError(.internal, "unreadable frames from the server: \(error.message)"))
        }
    }

    private func dispatch(_ frame: Frame, fd: Int32) {
        switch frame.type {
        case .response:
            guard let waiter = self.pending[frame.callId] else { return }
            if frame.header.isEmpty {
                waiter.result = .success(frame.payload)
                return
            }
            do {
                let header = try ResponseHeader(serializedBytes: frame.header)
                waiter.result = header.statusCode == 0
                    ? .success(frame.payload)
                    : .failure(RPCError(StatusCode(rawValue: header.statusCode), header.statusMessage, details: header.details))
            } catch {
                waiter.result = .failure(RPCError(.internal, "unreadable response header: \(error.message)"))
            }
        case .goAway:
            self.goAwayReceived = true
        case .connectionError:
            let error = (try? ConnectionError(serializedBytes: frame.header)).map {
                RPCError(StatusCode(rawValue: $0.statusCode), $0.message)
            } ?? RPCError(.unavailable, "connection error")
            self.dropConnection(fd, error)
        case .ping:
            try? Socket.writeAll(fd, Frame(type: .pong, callId: frame.callId, payload: frame.payload).bytes)
        case .pong, .request, .cancel:
            break
        }
    }
}

/// A failed call, and whether the request reached the server (retries depend on it).
public struct ClientCallError: Error, Sendable, CustomStringConvertible {
    /// The status.
    public var error: RPCError
    /// False when the request was never written: retrying it cannot apply it twice.
    public var sent: Bool

    /// Creates the error.
    public init(_ error: RPCError, sent: Bool) {
        self.error = error
        self.sent = sent
    }

    /// The status text.
    public var description: String { self.error.description }
}
