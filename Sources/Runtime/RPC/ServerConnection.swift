import Dispatch
import Glibc
import Messages
import Transport

/// One accepted connection, owned by one event loop and touched only on its thread.
final class ServerConnection: EventHandler, @unchecked Sendable {
    let fd: Int32
    let peer: String
    unowned let server: RPCServer
    let loop: EventLoop
    /// This loop's metrics, if the server has any.
    let recorder: RPCMetricsRecorder?
    private var decoder: FrameDecoder
    private var output: [UInt8] = []
    private var outputStart = 0
    /// Calls accepted and not yet answered, with their deadlines.
    private var inFlight: [UInt32: PendingCall] = [:]
    private var cancelled: Set<UInt32> = []
    private var highestCallId: UInt32 = 0
    private var processing = false
    private var readingPaused = false
    private var wantsWrite = false
    private(set) var closed = false
    /// Close once the output is written (after GOAWAY or CONNECTION_ERROR).
    private var closeAfterFlush = false
    private var draining = false
    private var lastActivity: UInt64
    private var midFrameSince: UInt64?
    private var closeDeadline: UInt64?
    /// Set once the output is written and the write side shut down ("linger close"): input is
    /// read and dropped until the peer closes or `closeDeadline`, so that closing with unread
    /// input never makes the kernel reset the connection (which would drop answers the peer
    /// has received but not yet read).
    private var lingering = false

    /// A call being handled: when it must be answered by, and what its metrics need.
    private struct PendingCall {
        var deadline: UInt64?
        var method: Int
        var start: UInt64
    }

    init(fd: Int32, peer: String, server: RPCServer, loop: EventLoop, recorder: RPCMetricsRecorder? = nil) {
        self.recorder = recorder
        self.fd = fd
        self.peer = peer
        self.server = server
        self.loop = loop
        self.decoder = FrameDecoder(limits: server.options.frameLimits, expectingPreface: true)
        self.lastActivity = DispatchTime.now().uptimeNanoseconds
        self.output.append(contentsOf: Preface.bytes)
    }

    // MARK: events

    func handle(events: UInt32) {
        if events & (EventLoop.readable | EventLoop.hangup) != 0 { self.readAvailable() }
        if events & EventLoop.writable != 0, !self.closed { self.flush() }
    }

    private func readAvailable() {
        guard !self.closed, !self.readingPaused else { return }
        if self.lingering { return self.discardInput() }
        var total = 0
        let chunk = EventLoop.readBufferSize
        var peerClosed = false
        var failure: SystemError?
        self.loop.withReadBuffer { buffer in
            // Bounded per wake-up so one busy connection cannot starve the others on the loop.
            while total < 8 * chunk {
                do throws(SystemError) {
                    switch try Socket.read(self.fd, into: buffer) {
                    case .wouldBlock: return
                    case .done(0): peerClosed = true; return
                    case .done(let count):
                        total += count
                        self.decoder.feed(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
                        // Less than asked for: the socket is drained, and another read would only
                        // say EAGAIN (epoll is level-triggered, so anything arriving later wakes us).
                        if count < chunk { return }
                    }
                } catch {
                    failure = error
                    return
                }
            }
        }
        let now = DispatchTime.now().uptimeNanoseconds
        if total > 0 { self.lastActivity = now }
        self.processing = true
        do throws(FrameError) {
            while !self.closed, !self.closeAfterFlush, let frame = try self.decoder.next() {
                self.handle(frame, receivedAt: now)
            }
        } catch {
            self.connectionError(error.code, error.message, error.reason)
        }
        self.processing = false
        self.midFrameSince = self.decoder.isMidFrame ? (self.midFrameSince ?? now) : nil
        if peerClosed || failure != nil {
            // The peer is gone: answers still owed cannot be delivered.
            self.close()
            return
        }
        self.flush()
    }

    private func handle(_ frame: Frame, receivedAt now: UInt64) {
        switch frame.type {
        case .request:
            self.handleRequest(frame, receivedAt: now)
        case .cancel:
            if self.inFlight[frame.callId] != nil { self.cancelled.insert(frame.callId) }
        case .ping:
            guard frame.payload.count <= 64 else {
                return self.connectionError(.invalidArgument, "PING payload of \(frame.payload.count) bytes exceeds 64", .pingTooLarge)
            }
            Frame.encode(type: .pong, callId: frame.callId, header: [], payload: frame.payload, into: &self.output)
        case .pong:
            break
        case .goAway, .connectionError:
            self.closeAfterFlush = true
        case .response:
            self.connectionError(.invalidArgument, "a client may not send RESPONSE frames", .clientResponse)
        }
    }

    private func handleRequest(_ frame: Frame, receivedAt now: UInt64) {
        let callId = frame.callId
        guard callId != 0, self.inFlight[callId] == nil else {
            return self.connectionError(.invalidArgument, "call id \(callId) is zero or already in flight on this connection", .duplicateCallId)
        }
        let unknown = self.recorder?.metrics.unknownMethod ?? 0
        // Before this connection's GOAWAY every REQUEST is accepted for processing (it gets its
        // own answer, never the drain's 14), and `last_call_id` counts it; after it, only
        // Health/Check is served (NOT_SERVING) and the rest are refused with 14.
        if !self.draining { self.highestCallId = max(self.highestCallId, callId) }
        let header: RequestHeader
        do {
            header = try RequestHeader(serializedBytes: frame.header)
        } catch {
            return self.answer(callId, .failure(RPCError(.invalidArgument, "unreadable request header: \(error.message)")), method: unknown, start: now)
        }
        let registration = self.server.registration(for: header.method)
        let method = registration?.metricsIndex ?? unknown
        if self.draining && header.method != RPCServer.healthCheckMethod {
            return self.answer(
                callId, .failure(RPCError(.unavailable, "the server is shutting down; retry on a new connection")), method: method, start: now)
        }
        guard self.inFlight.count < self.server.options.maxCallsPerConnection else {
            return self.answer(
                callId, .failure(RPCError(.resourceExhausted, "more than \(self.server.options.maxCallsPerConnection) calls in flight on one connection")),
                method: method, start: now)
        }
        guard let registration else {
            return self.answer(callId, .failure(RPCError(.unimplemented, "unknown method \"\(header.method)\"")), method: method, start: now)
        }
        let deadline: UInt64? = header.timeoutMs == 0 ? nil : now &+ min(header.timeoutMs, 365 * 86_400_000) &* 1_000_000
        if let deadline, DispatchTime.now().uptimeNanoseconds >= deadline {
            return self.answer(callId, .failure(RPCError(.deadlineExceeded, "the deadline passed before the call could start")), method: method, start: now)
        }
        var context = CallContext(method: header.method, entries: header.metadata, deadline: deadline, peer: self.peer, callId: callId)
        if let interceptor = self.server.interceptor {
            do throws(RPCError) {
                try interceptor(&context, registration)
            } catch {
                return self.answer(callId, .failure(error), method: method, start: now)
            }
        }
        self.inFlight[callId] = PendingCall(deadline: deadline, method: method, start: now)
        self.server.callStarted()
        self.recorder?.callStarted()
        let loop = self.loop
        let responder = Responder { [self] result in
            if loop.inLoop {
                self.finish(callId, result)
            } else {
                loop.execute { self.finish(callId, result) }
            }
        }
        registration.handler(frame.payload, context, responder)
    }

    /// Delivers a handler's outcome (loop thread).
    private func finish(_ callId: UInt32, _ result: Result<[UInt8], RPCError>) {
        guard let call = self.inFlight.removeValue(forKey: callId) else { return }
        self.server.callFinished()
        self.recorder?.callFinished()
        guard !self.closed else { return }
        if self.cancelled.remove(callId) != nil {
            self.recorder?.answered(method: call.method, code: .cancelled, start: call.start)
            return
        }
        if let deadline = call.deadline, DispatchTime.now().uptimeNanoseconds >= deadline {
            self.answer(callId, .failure(RPCError(.deadlineExceeded, "the call did not finish before its deadline")), method: call.method, start: call.start)
        } else {
            self.answer(callId, result, method: call.method, start: call.start)
        }
        // Draining: the last answer owed is out with this flush, then the linger close.
        if self.draining, self.inFlight.isEmpty { self.closeAfterFlush = true }
        if !self.processing { self.flush() }
    }

    /// Writes the answer and counts it.
    private func answer(_ callId: UInt32, _ result: Result<[UInt8], RPCError>, method: Int, start: UInt64) {
        if let recorder = self.recorder {
            let code: StatusCode
            switch result {
            case .success: code = .ok
            case .failure(let error): code = error.code
            }
            recorder.answered(method: method, code: code, start: start)
        }
        self.writeResponse(callId, result)
    }

    private func writeResponse(_ callId: UInt32, _ result: Result<[UInt8], RPCError>) {
        switch result {
        case .success(let payload):
            // An OK header is the empty message: zero bytes.
            Frame.encode(type: .response, callId: callId, header: [], payload: payload, into: &self.output)
        case .failure(let error):
            let header = (try? error.responseHeader.serializedBytes()) ?? []
            Frame.encode(type: .response, callId: callId, header: header, payload: [], into: &self.output)
        }
    }

    private func connectionError(_ code: StatusCode, _ message: String, _ reason: FrameRefusal) {
        guard !self.closeAfterFlush else { return }
        self.recorder?.frameRefused(reason)
        let header = (try? ConnectionError(statusCode: code.rawValue, message: message).serializedBytes()) ?? []
        Frame.encode(type: .connectionError, callId: 0, header: header, payload: [], into: &self.output)
        self.server.log?("connection error", self.peer, code, message)
        self.closeAfterFlush = true
        self.closeDeadline = DispatchTime.now().uptimeNanoseconds + 2_000_000_000
    }

    // MARK: writing

    func flush() {
        guard !self.closed, !self.lingering else { return }
        while self.outputStart < self.output.count {
            let result: IOResult<Int>
            do {
                result = try self.output.withUnsafeBytes { buffer in
                    try Socket.write(self.fd, from: UnsafeRawBufferPointer(rebasing: buffer[self.outputStart...]))
                }
            } catch {
                self.close()
                return
            }
            switch result {
            case .done(let count): self.outputStart += count
            case .wouldBlock:
                self.updateInterest(wantsWrite: true)
                return
            }
        }
        self.output.removeAll(keepingCapacity: self.output.capacity <= 1 << 20)
        self.outputStart = 0
        if self.closeAfterFlush {
            self.lingerClose()
            return
        }
        self.updateInterest(wantsWrite: false)
    }

    /// Reads pause while queued output exceeds the limit: a client that does not read its
    /// answers stops being served until it does.
    private func updateInterest(wantsWrite: Bool) {
        let queued = self.output.count - self.outputStart
        let pause = queued > self.server.options.maxQueuedOutputBytes
        guard wantsWrite != self.wantsWrite || pause != self.readingPaused else { return }
        self.wantsWrite = wantsWrite
        let wasPaused = self.readingPaused
        self.readingPaused = pause
        var events = EventLoop.hangup
        if !pause { events |= EventLoop.readable }
        if wantsWrite { events |= EventLoop.writable }
        self.loop.modify(self.fd, events: events)
        if wasPaused && !pause { self.readAvailable() }
    }

    // MARK: lifecycle

    /// Lingering: reads and drops what the peer still sends; closes at its end of stream.
    private func discardInput() {
        var ended = false
        self.loop.withReadBuffer { buffer in
            for _ in 0..<8 {
                switch try? Socket.read(self.fd, into: buffer) {
                case .wouldBlock?: return
                case .done(let count)? where count > 0: continue
                default: ended = true; return  // end of stream or an error: the peer is done
                }
            }
        }
        if ended { self.close() }
    }

    /// The output is written: shut down the write side and linger (see `lingering`), at most
    /// until the drain deadline the server set or two seconds.
    private func lingerClose() {
        guard !self.closed, !self.lingering else { return }
        self.lingering = true
        _ = Glibc.shutdown(self.fd, Int32(SHUT_WR))
        let limit = DispatchTime.now().uptimeNanoseconds + 2_000_000_000
        self.closeDeadline = min(self.closeDeadline ?? limit, limit)
        self.readingPaused = false
        self.wantsWrite = false
        self.loop.modify(self.fd, events: EventLoop.readable | EventLoop.hangup)
        self.discardInput()
    }

    /// Sends GOAWAY: calls already accepted finish; new ones get UNAVAILABLE.
    func goAway(_ message: String) {
        guard !self.closed, !self.draining else { return }
        self.draining = true
        let header = (try? GoAway(lastCallId: self.highestCallId, statusCode: StatusCode.unavailable.rawValue, message: message).serializedBytes()) ?? []
        Frame.encode(type: .goAway, callId: 0, header: header, payload: [], into: &self.output)
        if self.inFlight.isEmpty { self.closeAfterFlush = true }
        self.flush()
    }

    /// Timeouts, checked about every 250 ms.
    func tick(now: UInt64) {
        guard !self.closed else { return }
        let options = self.server.options
        if let closeDeadline, now >= closeDeadline { return self.close() }
        if let since = self.midFrameSince, now - since >= UInt64(options.frameTimeoutSeconds) * 1_000_000_000 {
            self.connectionError(.deadlineExceeded, "a frame started but did not complete within \(options.frameTimeoutSeconds) s", .frameTimeout)
            return self.flush()
        }
        if self.inFlight.isEmpty, now - self.lastActivity >= UInt64(options.idleTimeoutSeconds) * 1_000_000_000 {
            self.goAway("idle for \(options.idleTimeoutSeconds) s")
        }
        if self.draining, self.inFlight.isEmpty, !self.closeAfterFlush {
            self.closeAfterFlush = true
            self.flush()
        }
    }

    func close() {
        guard !self.closed else { return }
        self.closed = true
        // Counted before the descriptor closes: a peer that saw the close sees the gauge lowered.
        self.recorder?.connectionClosed()
        self.loop.deregister(self.fd)
        Socket.close(self.fd)
        for _ in self.inFlight {
            self.server.callFinished()
            self.recorder?.callFinished()
        }
        self.inFlight.removeAll()
        self.server.connectionClosed(self)
    }
}
