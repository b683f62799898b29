import CSystemShims
import Glibc

/// Thin, throwing wrappers over the socket calls the transport needs.
public enum Socket {
    /// A non-blocking listening TCP socket bound to `address` (SO_REUSEADDR; port 0 picks one).
    public static func listen(_ address: SocketAddress, backlog: Int32 = 1_024) throws(SystemError) -> Int32 {
        let fd = try blockingSyscall("socket") {
            Glibc.socket(address.isIPv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
        do throws(SystemError) {
            var one: Int32 = 1
            try blockingSyscall("setsockopt SO_REUSEADDR") {
                setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            }
            try address.withSockaddr { (pointer, length) throws(SystemError) in
                try blockingSyscall("bind \(address)") { Glibc.bind(fd, pointer, length) }
            }
            try blockingSyscall("listen") { Glibc.listen(fd, backlog) }
            try blockingSyscall("fcntl O_NONBLOCK") { cshim_set_nonblocking(fd) }
        } catch {
            Glibc.close(fd)
            throw error
        }
        return fd
    }

    /// Accepts one connection as a non-blocking socket with TCP_NODELAY, or `.wouldBlock`.
    public static func accept(_ listener: Int32) throws(SystemError) -> IOResult<Int32> {
        let result = try syscall("accept4") { cshim_accept(listener) }
        if case .done(let fd) = result { self.setNoDelay(fd) }
        return result
    }

    /// A blocking TCP connection to `address`, with TCP_NODELAY; gives up after `timeoutMilliseconds`.
    public static func connect(_ address: SocketAddress, timeoutMilliseconds: Int32 = 5_000) throws(SystemError) -> Int32 {
        let fd = try blockingSyscall("socket") {
            Glibc.socket(address.isIPv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
        do throws(SystemError) {
            try blockingSyscall("fcntl O_NONBLOCK") { cshim_set_nonblocking(fd) }
            let started = try address.withSockaddr { (pointer, length) throws(SystemError) -> Int32 in
                Glibc.connect(fd, pointer, length)
            }
            if started != 0 {
                guard errno == EINPROGRESS else { throw SystemError("connect \(address)") }
                var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                let ready = try blockingSyscall("poll") { poll(&poller, 1, timeoutMilliseconds) }
                guard ready == 1 else { throw SystemError("connect \(address)", errno: ETIMEDOUT) }
                var error: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
                guard error == 0 else { throw SystemError("connect \(address)", errno: error) }
            }
            // Back to blocking: client threads wait in poll/read themselves.
            let flags = fcntlGetFlags(fd)
            _ = fcntlSetFlags(fd, flags & ~O_NONBLOCK)
            self.setNoDelay(fd)
        } catch {
            Glibc.close(fd)
            throw error
        }
        return fd
    }

    /// Starts a non-blocking TCP connection to `address` with TCP_NODELAY, for callers that wait
    /// in epoll themselves: the socket, and whether the connect is still in progress (then it is
    /// done when the socket turns writable; ``pendingError(_:)`` tells how it ended).
    public static func startConnect(_ address: SocketAddress) throws(SystemError) -> (fd: Int32, inProgress: Bool) {
        let fd = try blockingSyscall("socket") {
            Glibc.socket(
                address.isIPv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        }
        self.setNoDelay(fd)
        do throws(SystemError) {
            let started = try address.withSockaddr { (pointer, length) throws(SystemError) -> Int32 in Glibc.connect(fd, pointer, length) }
            if started == 0 { return (fd, false) }
            guard errno == EINPROGRESS else { throw SystemError("connect \(address)") }
            return (fd, true)
        } catch {
            Glibc.close(fd)
            throw error
        }
    }

    /// How a non-blocking connect ended: 0, or its errno (SO_ERROR).
    public static func pendingError(_ fd: Int32) -> Int32 {
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 else { return errno }
        return error
    }

    /// Disables Nagle's algorithm: frames are written whole, and latency matters more than packets.
    public static func setNoDelay(_ fd: Int32) {
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// The local address of a socket.
    public static func localAddress(_ fd: Int32) -> SocketAddress? { SocketAddress.of(fd, peer: false) }

    /// The remote address of a socket.
    public static func peerAddress(_ fd: Int32) -> SocketAddress? { SocketAddress.of(fd, peer: true) }

    /// Reads into `buffer`; `.done(0)` is end of stream.
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> IOResult<Int> {
        try syscall("read") { Glibc.read(fd, buffer.baseAddress, buffer.count) }
    }

    /// Writes from `buffer` without raising SIGPIPE.
    public static func write(_ fd: Int32, from buffer: UnsafeRawBufferPointer) throws(SystemError) -> IOResult<Int> {
        try syscall("send") { Glibc.send(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Writes all of `bytes` to a socket, waiting in poll when it is full.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws(SystemError) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { buffer in
                Glibc.send(fd, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent >= 0 {
                offset += sent
                continue
            }
            let error = errno
            if error == EINTR { continue }
            guard error == EAGAIN || error == EWOULDBLOCK else { throw SystemError("send", errno: error) }
            var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            _ = poll(&poller, 1, 1_000)
        }
    }

    /// Closes a descriptor.
    public static func close(_ fd: Int32) { _ = Glibc.close(fd) }

    /// Ignores SIGPIPE process-wide: a peer that vanished must be an error value, not a crash.
    public static func ignoreSIGPIPE() { signal(SIGPIPE, SIG_IGN) }

    private static func fcntlGetFlags(_ fd: Int32) -> Int32 { fcntl(fd, F_GETFL) }
    private static func fcntlSetFlags(_ fd: Int32, _ flags: Int32) -> Int32 { fcntl(fd, F_SETFL, flags) }
}
