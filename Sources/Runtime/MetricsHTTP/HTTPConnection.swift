import Glibc
import Transport

/// One accepted connection of the ``HTTPServer``: read one request head, answer it, close.
/// Touched only on the server's loop thread.
final class HTTPConnection: EventHandler {
    private enum Phase {
        case reading
        case writing
        case lingering
        case closed
    }

    let fd: Int32
    private unowned let server: HTTPServer
    private let loop: EventLoop
    private var parser: HTTPRequestParser
    private var phase = Phase.reading
    /// When the current phase ends (request head, write, linger), clock nanoseconds.
    private var deadline: UInt64
    private var output: [UInt8] = []
    private var written = 0
    private var discarded = 0

    init(fd: Int32, server: HTTPServer, loop: EventLoop, now: UInt64) {
        self.fd = fd
        self.server = server
        self.loop = loop
        self.parser = HTTPRequestParser(limits: server.options.limits)
        self.deadline = now &+ Self.nanoseconds(server.options.requestTimeoutSeconds)
    }

    func handle(events: UInt32) {
        switch self.phase {
        case .reading: self.readRequest()
        case .writing: self.flush()
        case .lingering: self.drain()
        case .closed: break
        }
    }

    /// Timeouts, about every tick.
    func tick(now: UInt64) {
        guard now >= self.deadline else { return }
        switch self.phase {
        case .reading:
            let seconds = self.server.options.requestTimeoutSeconds
            self.respond(.text(.requestTimeout, "the request head did not arrive within \(seconds) s"), includeBody: true)
        case .writing, .lingering:
            self.close()
        case .closed:
            break
        }
    }

    private func readRequest() {
        var outcome = HTTPRequestParser.Outcome.incomplete
        var ended = false
        self.loop.withReadBuffer { buffer in
            // The parser refuses a head beyond the limits, so this reads a bounded amount.
            while outcome == .incomplete {
                do throws(SystemError) {
                    switch try Socket.read(self.fd, into: buffer) {
                    case .wouldBlock: return
                    case .done(0):
                        ended = true
                        return
                    case .done(let count):
                        outcome = self.parser.feed(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
                    }
                } catch {
                    ended = true
                    return
                }
            }
        }
        switch outcome {
        case .complete(let head):
            // A client that half-closed after its request still reads the answer.
            self.respond(self.server.handler(head), includeBody: head.method != "HEAD")
        case .refused(let status, let reason):
            self.respond(.text(status, "\(status): \(reason)"), includeBody: true)
        case .incomplete:
            // Gone before a whole request: nobody to answer.
            if ended { self.close() }
        }
    }

    private func respond(_ response: HTTPResponse, includeBody: Bool) {
        self.output = response.serialized(includeBody: includeBody)
        self.written = 0
        self.phase = .writing
        self.deadline = self.server.options.clock() &+ Self.nanoseconds(self.server.options.writeTimeoutSeconds)
        // Counted once the write deadline runs (tests wait for the count before moving the clock).
        self.server.answered(response.status)
        // Input is not read while writing: interest in writability only.
        self.loop.modify(self.fd, events: EventLoop.writable)
        self.flush()
    }

    private func flush() {
        while self.written < self.output.count {
            let result: IOResult<Int>
            do {
                result = try self.output.withUnsafeBytes { buffer in
                    try Socket.write(self.fd, from: UnsafeRawBufferPointer(rebasing: buffer[self.written...]))
                }
            } catch {
                return self.close()
            }
            switch result {
            case .done(let count): self.written += count
            case .wouldBlock: return  // EPOLLOUT calls again
            }
        }
        self.output = []
        // Done: say so (FIN), then drop what the client still sends until it closes too.
        Glibc.shutdown(self.fd, Int32(SHUT_WR))
        self.phase = .lingering
        self.deadline = self.server.options.clock() &+ Self.nanoseconds(self.server.options.lingerSeconds)
        self.loop.modify(self.fd, events: EventLoop.readable | EventLoop.hangup)
        self.drain()
    }

    private func drain() {
        let ended = self.loop.withReadBuffer { buffer -> Bool in
            while true {
                do throws(SystemError) {
                    switch try Socket.read(self.fd, into: buffer) {
                    case .wouldBlock: return false
                    case .done(0): return true
                    case .done(let count):
                        self.discarded += count
                        if self.discarded > self.server.options.maxLingerBytes { return true }
                    }
                } catch {
                    return true
                }
            }
        }
        if ended { self.close() }
    }

    func close() {
        guard self.phase != .closed else { return }
        self.phase = .closed
        self.loop.deregister(self.fd)
        Socket.close(self.fd)
        self.server.connectionClosed(self)
    }

    static func nanoseconds(_ seconds: Double) -> UInt64 { UInt64(max(0, seconds) * 1e9) }
}
