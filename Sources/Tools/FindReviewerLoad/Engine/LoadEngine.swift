import CSystemShims
import Glibc
import Messages
import RPC
import Transport

/// What one phase of a run asks of an engine: how calls are paced, which of them count, when
/// to stop starting calls and how long to wait for the last answers.
public struct LoadPhase: Sendable {
    /// Closed loop (a new call as soon as a slot frees) or open loop (calls due on a schedule).
    public enum Pacing: Sendable {
        case closed
        case open(OpenLoopPacer)
    }

    public var pacing: Pacing = .closed
    /// Calls meant to start at or after this time count in the figures; nil: none count.
    public var measureFrom: UInt64?
    /// No call starts at or after this time.
    public var issueUntil: UInt64 = .max
    /// Closed loop: at most this many counted calls start.
    public var callLimit: Int?
    /// Run until the workload says it is done and every call has ended (seeding, verification).
    public var untilWorkloadDone = false
    /// Once no more calls start, answers are awaited this long; calls still open then fail.
    public var drainTimeout: UInt64 = 30_000_000_000
    /// Hand the last second's figures to ``LoadEngine/progress`` once a second.
    public var reportsProgress = false
    /// When raised, no more calls start (the phase ends once the calls in flight did).
    public var stop: StopFlag?

    /// A phase with the defaults: closed loop, nothing measured, no end.
    public init() {}
}

/// One load-generating thread: `connections` non-blocking TCP connections over one epoll
/// instance, `concurrency` calls in flight on each (pipelined call ids), driven by a
/// ``LoadWorkload``. Everything but ``progress`` is touched only on the thread that runs it.
///
/// The hot path sends pre-encoded frames (the call id patched in), reads answers in place
/// (``FrameDecoder/nextView(_:)``) and records latencies into fixed histograms: no allocation
/// per call. Connections the server closes or sends GOAWAY on are opened again with backoff;
/// calls it never answered are sent again only when ``LoadCall/retriable``.
public final class LoadEngine {
    /// Which thread it is (0-based).
    public let index: Int
    /// Where every time comes from.
    public let clock: LoadClock
    /// The server.
    public let address: SocketAddress
    /// Calls in flight per connection at most.
    public let concurrency: Int
    /// A call without an answer this long (nanoseconds) fails with DEADLINE_EXCEEDED.
    public var callTimeout: UInt64 = 30_000_000_000
    /// A connection that cannot be reopened for this long (nanoseconds) is given up; a call is
    /// retried at most this long after it was meant to start.
    public var reconnectWindow: UInt64 = 30_000_000_000
    /// What it measured in the phases that measure.
    public private(set) var stats = LoadStats()
    /// The last second's figures, for the progress line (any thread may collect).
    let progress = ProgressMailbox()

    private var connections: [LoadConnection]
    private let epoll: Int32
    private var slots = SlotQueue()
    /// Slots the workload had nothing for; offered again after the next answer.
    private var parked: [UInt64] = []
    private var answeredSinceParking = false
    /// Calls waiting to be sent again, with the time they may go.
    private var retries: [(at: UInt64, call: LoadCall)] = []
    /// Connections to (re)connect, each with its `retryAt`.
    private var reconnects: [Int32] = []
    private var connecting = 0
    private var dirty: [Int32] = []
    private var inFlight = 0
    private let readBuffer: UnsafeMutableRawBufferPointer
    private let tags: UnsafeMutablePointer<UInt64>
    private let events: UnsafeMutablePointer<UInt32>

    // The phase being run.
    private var phase = LoadPhase()
    private var workload: LoadWorkload?
    private var pacer: OpenLoopPacer?
    private var countedStarts = 0
    private var issuingEndedAt: UInt64?
    /// The latest end of a counted call.
    public private(set) var lastCompletion: UInt64 = 0
    private var intervalLatency = LatencyHistogram()
    private var intervalErrors = 0
    private var nextProgress: UInt64 = 0
    private var nextSweep: UInt64 = 0
    /// While connecting for the first time, a failed connection fails the setup instead of being retried.
    private var settingUp = false
    /// Why the phase cannot go on (the server is gone, or refused the connections at setup).
    public private(set) var failure: String?
    /// The status that goes with ``failure``.
    public private(set) var failureStatus: StatusCode = .unavailable

    /// Connects at most this many sockets at once (a listen backlog is finite).
    static let maxConnecting = 256
    static let pingPayload: [UInt8] = Array("loadping".utf8)

    /// An engine for `connections` connections to `address`; nothing is connected yet.
    public init(index: Int, address: SocketAddress, connections: Int, concurrency: Int, clock: LoadClock = MonotonicLoadClock()) throws(SystemError) {
        self.index = index
        self.address = address
        self.concurrency = concurrency
        self.clock = clock
        self.epoll = try blockingSyscall("epoll_create1") { cshim_epoll_create() }
        self.connections = (0..<connections).map { LoadConnection(index: Int32($0), reserve: concurrency) }
        self.slots.reserve(connections * concurrency * 2)
        self.readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        self.tags = .allocate(capacity: 256)
        self.events = .allocate(capacity: 256)
    }

    deinit {
        for connection in self.connections where connection.fd >= 0 { Glibc.close(connection.fd) }
        Glibc.close(self.epoll)
        self.readBuffer.deallocate()
        self.tags.deallocate()
        self.events.deallocate()
    }

    /// Connections now open.
    public var openConnections: Int { self.connections.reduce(0) { $0 + ($1.state == .open ? 1 : 0) } }
    /// Calls sent and not answered yet.
    public var callsInFlight: Int { self.inFlight }

    // MARK: phases

    /// Opens every connection (preface, then a PING answered proves the server took it); returns
    /// nil, or why it failed: the first connection refused or not open within `timeout` ns.
    public func connect(timeout: UInt64) -> String? {
        self.settingUp = true
        defer { self.settingUp = false }
        let now = self.clock.now()
        for connection in self.connections where connection.state == .closed {
            connection.retryAt = now
            self.queueConnect(connection)
        }
        let deadline = now + timeout
        while self.failure == nil {
            let now = self.clock.now()
            self.serviceConnects(now)
            self.flush()
            if self.connections.allSatisfy({ $0.state == .open }) { return nil }
            if now >= deadline {
                let waiting = self.connections.filter { $0.state != .open }.count
                return "\(waiting) of \(self.connections.count) connection(s) to \(self.address) did not open within \(timeout / 1_000_000_000) s"
            }
            self.wait(until: min(deadline, now + 50_000_000), maxWait: nil)
        }
        return self.failure
    }

    /// Runs `phase` with `workload` to its end; ``stats`` gains what it measured.
    public func run(_ phase: LoadPhase, workload: LoadWorkload) {
        self.begin(phase, workload: workload)
        while !self.step() {}
        self.end()
    }

    /// Starts `phase`; drive it with ``step(maxWait:)`` until that returns true, then ``end()``.
    public func begin(_ phase: LoadPhase, workload: LoadWorkload) {
        self.phase = phase
        self.workload = workload
        if case .open(let pacer) = phase.pacing { self.pacer = pacer } else { self.pacer = nil }
        self.countedStarts = 0
        self.issuingEndedAt = nil
        let now = self.clock.now()
        self.nextProgress = now + 1_000_000_000
        self.nextSweep = now + 1_000_000_000
        self.intervalLatency.reset()
        self.intervalErrors = 0
        // Every open connection offers all its free slots again.
        self.slots = SlotQueue()
        self.slots.reserve(self.connections.count * self.concurrency * 2)
        self.parked.removeAll()
        for connection in self.connections where connection.state == .open { self.offerSlots(connection) }
    }

    /// One iteration: starts what is due, writes, and unless the phase is over waits for I/O (at
    /// most until the next deadline, and at most `maxWait` ns) and handles it. True when over.
    @discardableResult
    public func step(maxWait: UInt64? = nil) -> Bool {
        guard let workload = self.workload else { return true }
        let now = self.clock.now()
        workload.poll()
        self.serviceConnects(now)
        self.serviceTimers(now)
        self.fill(now)
        self.flush()
        if self.isOver(now) { return true }
        self.wait(until: self.nextDeadline(now), maxWait: maxWait)
        return false
    }

    /// Closes the phase: open-loop calls that never started are counted as missed.
    public func end() {
        if let pacer = self.pacer, self.phase.measureFrom != nil, self.phase.issueUntil != .max {
            self.stats.missed += pacer.missed(before: self.phase.issueUntil)
        }
        self.depositProgress()
        self.workload = nil
    }

    /// Closes every connection.
    public func close() {
        for connection in self.connections where connection.fd >= 0 {
            Glibc.close(connection.fd)
            connection.fd = -1
            connection.state = .closed
        }
    }

    /// Hands the figures since the last hand-over to ``progress``.
    private func depositProgress() {
        self.progress.deposit(self.intervalLatency, errors: self.intervalErrors)
        self.intervalLatency.reset()
        self.intervalErrors = 0
    }

    // MARK: starting calls

    private func canStart(_ now: UInt64) -> Bool {
        if self.phase.untilWorkloadDone { return !(self.workload?.isDone ?? true) }
        if let stop = self.phase.stop, stop.isRaised { return false }
        // Open loop: a call due before the end still starts after it (late, its latency counting
        // from its due time), so that a server that fell behind shows in the figures.
        if let pacer = self.pacer { return pacer.nextDue.map { $0 < self.phase.issueUntil } ?? false }
        if now >= self.phase.issueUntil { return false }
        if let limit = self.phase.callLimit, self.countedStarts >= limit { return false }
        return true
    }

    /// Starts every call that may start now, on free slots: retries first, then new calls.
    private func fill(_ now: UInt64) {
        if !self.parked.isEmpty && self.answeredSinceParking {
            self.slots.append(contentsOf: self.parked)
            self.parked.removeAll(keepingCapacity: true)
        }
        self.answeredSinceParking = false
        var starting = self.canStart(now)
        if !starting && self.issuingEndedAt == nil { self.issuingEndedAt = now }
        while starting || !self.retries.isEmpty {
            let retryIndex = self.readyRetry(now)
            if retryIndex == nil && !starting { break }
            guard let (connection, slot) = self.takeSlot() else { break }
            if let retryIndex {
                let call = self.retries.remove(at: retryIndex).call
                self.send(call, on: connection, now: now)
                self.stats.retries += 1
                continue
            }
            var intended = now
            if self.pacer != nil {
                guard let due = self.pacer!.take(now: now, end: self.phase.issueUntil) else {
                    self.slots.unpop()
                    break
                }
                intended = due
            }
            guard var call = self.workload?.nextCall() else {
                self.parked.append(slot)
                if self.pacer == nil { break }
                continue
            }
            call.intendedStart = intended
            call.measured = self.phase.measureFrom.map { intended >= $0 } ?? false
            if call.measured { self.countedStarts += 1 }
            self.send(call, on: connection, now: now)
            starting = self.canStart(now)
            if !starting && self.issuingEndedAt == nil { self.issuingEndedAt = now }
        }
    }

    private func readyRetry(_ now: UInt64) -> Int? {
        guard !self.retries.isEmpty else { return nil }
        var best: Int?
        for index in self.retries.indices where self.retries[index].at <= now {
            if best == nil || self.retries[index].at < self.retries[best!].at { best = index }
        }
        return best
    }

    /// A free slot on an open connection, or nil.
    @inline(__always)
    private func takeSlot() -> (LoadConnection, UInt64)? {
        while let slot = self.slots.pop() {
            let (index, generation) = SlotQueue.unpack(slot)
            let connection = self.connections[Int(index)]
            if connection.state == .open, connection.generation == generation, connection.inFlight.count < self.concurrency {
                return (connection, slot)
            }
        }
        return nil
    }

    private func offerSlots(_ connection: LoadConnection) {
        let slot = SlotQueue.pack(connection: connection.index, generation: connection.generation)
        for _ in connection.inFlight.count..<self.concurrency { self.slots.push(slot) }
    }

    @inline(__always)
    private func send(_ call: LoadCall, on connection: LoadConnection, now: UInt64) {
        var call = call
        var id = connection.nextCallId
        if id == 0 { id = 1 }
        connection.nextCallId = id &+ 1
        let base = connection.out.count
        connection.out.append(contentsOf: call.frame)
        connection.out.withUnsafeMutableBufferPointer { bytes in
            bytes[base + 8] = UInt8(truncatingIfNeeded: id >> 24)
            bytes[base + 9] = UInt8(truncatingIfNeeded: id >> 16)
            bytes[base + 10] = UInt8(truncatingIfNeeded: id >> 8)
            bytes[base + 11] = UInt8(truncatingIfNeeded: id)
        }
        call.sentAt = now
        call.attempts &+= 1
        connection.inFlight[id] = call
        self.inFlight += 1
        self.markDirty(connection)
    }

    @inline(__always)
    private func markDirty(_ connection: LoadConnection) {
        if !connection.dirty {
            connection.dirty = true
            self.dirty.append(connection.index)
        }
    }

    // MARK: ending calls

    /// The final outcome of `call`: counted, handed to the workload.
    private func finish(_ call: LoadCall, status: StatusCode, message: String, payload: UnsafeRawBufferPointer, at now: UInt64) {
        let latency = now &- call.intendedStart
        let latencyValue = now >= call.intendedStart ? latency : 0
        if call.measured {
            self.stats.record(call.operation, latency: latencyValue, status: status, message: message)
            if now > self.lastCompletion { self.lastCompletion = now }
        }
        if self.phase.reportsProgress {
            self.intervalLatency.record(latencyValue)
            if status != .ok { self.intervalErrors += 1 }
        }
        self.workload?.finished(call, LoadOutcome(status: status, message: message, payload: payload, at: now))
    }

    private func mayRetry(_ call: LoadCall, now: UInt64) -> Bool {
        call.retriable && self.maySendAgain(call, now: now)
    }

    /// Whether there is still time and budget to send `call` again (for a call the server never
    /// ran, whatever its method).
    private func maySendAgain(_ call: LoadCall, now: UInt64) -> Bool {
        call.attempts < 64 && now &- call.intendedStart < self.reconnectWindow && self.failure == nil
    }

    /// A call whose connection went away before its answer: sent again if that is safe, else failed.
    private func lost(_ call: LoadCall, reason: String, now: UInt64) {
        if self.mayRetry(call, now: now) {
            self.retries.append((now, call))
        } else {
            self.finish(call, status: .unavailable, message: reason, payload: UnsafeRawBufferPointer(start: nil, count: 0), at: now)
        }
    }

    // MARK: I/O

    private func wait(until deadline: UInt64, maxWait: UInt64?) {
        let now = self.clock.now()
        var timeout = deadline > now ? deadline - now : 0
        if let maxWait { timeout = min(timeout, maxWait) }
        let count = cshim_epoll_wait_ns(self.epoll, self.tags, self.events, 256, Int64(min(timeout, 250_000_000)))
        guard count > 0 else { return }
        for index in 0..<Int(count) {
            let connection = self.connections[Int(self.tags[index])]
            self.handle(connection, events: self.events[index])
        }
    }

    func nextDeadline(_ now: UInt64) -> UInt64 {
        var deadline = min(self.nextProgress, self.nextSweep)
        if let pacer = self.pacer, let due = pacer.nextDue, !self.slots.isEmpty, due < self.phase.issueUntil { deadline = min(deadline, due) }
        if self.phase.issueUntil > now { deadline = min(deadline, self.phase.issueUntil) }
        for retry in self.retries { deadline = min(deadline, retry.at) }
        for index in self.reconnects { deadline = min(deadline, self.connections[Int(index)].retryAt) }
        if let ended = self.issuingEndedAt { deadline = min(deadline, ended + self.phase.drainTimeout) }
        if !self.parked.isEmpty && self.answeredSinceParking { deadline = now }
        return deadline
    }

    private func isOver(_ now: UInt64) -> Bool {
        if self.failure != nil {
            self.failRemaining(now, status: self.failureStatus, reason: self.failure!)
            return true
        }
        if !self.phase.untilWorkloadDone && self.phase.issueUntil != .max && now >= self.phase.issueUntil
            && now - self.phase.issueUntil >= self.phase.drainTimeout
        {
            // A backlog of due calls or answers that never come: the run ends anyway.
            self.failRemaining(now, status: .deadlineExceeded, reason: "no answer within the drain timeout after the run")
            return true
        }
        if self.canStart(now) { return false }
        if self.inFlight == 0 && self.retries.isEmpty { return true }
        if let ended = self.issuingEndedAt, now >= ended + self.phase.drainTimeout {
            self.failRemaining(now, status: .deadlineExceeded, reason: "no answer within the drain timeout after the run")
            return true
        }
        return false
    }

    private func failRemaining(_ now: UInt64, status: StatusCode, reason: String) {
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        for connection in self.connections where !connection.inFlight.isEmpty {
            let calls = connection.inFlight.values
            connection.inFlight.removeAll(keepingCapacity: true)
            self.inFlight -= calls.count
            for call in calls { self.finish(call, status: status, message: reason, payload: empty, at: now) }
        }
        let waiting = self.retries
        self.retries.removeAll()
        for retry in waiting { self.finish(retry.call, status: status, message: reason, payload: empty, at: now) }
    }

    private func flush() {
        for index in self.dirty {
            let connection = self.connections[Int(index)]
            connection.dirty = false
            self.write(connection)
        }
        self.dirty.removeAll(keepingCapacity: true)
    }

    private func write(_ connection: LoadConnection) {
        guard connection.fd >= 0, connection.pendingOutput > 0, connection.state != .connecting else { return }
        let sent = connection.out.withUnsafeBytes { bytes in
            Glibc.send(connection.fd, bytes.baseAddress! + connection.outOffset, bytes.count - connection.outOffset, Int32(MSG_NOSIGNAL))
        }
        if sent > 0 { connection.outOffset += sent }
        if connection.pendingOutput == 0 {
            connection.out.removeAll(keepingCapacity: true)
            connection.outOffset = 0
            if connection.watchingWritable { self.watch(connection, writable: false) }
            return
        }
        if sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
            self.drop(connection, reason: "cannot send to \(self.address): \(String(cString: strerror(errno)))", now: self.clock.now())
            return
        }
        if !connection.watchingWritable { self.watch(connection, writable: true) }
    }

    private func watch(_ connection: LoadConnection, writable: Bool) {
        connection.watchingWritable = writable
        let events = cshim_EPOLLIN | cshim_EPOLLRDHUP | (writable ? cshim_EPOLLOUT : 0)
        _ = cshim_epoll_modify(self.epoll, connection.fd, events, UInt64(connection.index))
    }

    private func handle(_ connection: LoadConnection, events: UInt32) {
        if connection.state == .connecting {
            self.finishConnect(connection)
            return
        }
        if events & cshim_EPOLLOUT != 0 { self.write(connection) }
        if events & (cshim_EPOLLIN | cshim_EPOLLHUP | cshim_EPOLLERR | cshim_EPOLLRDHUP) != 0 { self.read(connection) }
    }

    /// What a frame asks for beyond its own call, done once the decoder is not being read.
    private enum FrameAction {
        case none
        case goAway(lastCallId: UInt32, message: String)
        case connectionError(StatusCode, String)
        case handshakeDone
        /// The last answer after a GOAWAY arrived.
        case drained
    }

    private func read(_ connection: LoadConnection) {
        while connection.fd >= 0 {
            let count = Glibc.read(connection.fd, self.readBuffer.baseAddress, self.readBuffer.count)
            if count == 0 {
                self.drop(connection, reason: "the server closed the connection", now: self.clock.now())
                return
            }
            if count < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { return }
                self.drop(connection, reason: "the connection failed: \(String(cString: strerror(errno)))", now: self.clock.now())
                return
            }
            connection.decoder.feed(UnsafeRawBufferPointer(rebasing: self.readBuffer[..<count]))
            let now = self.clock.now()
            let generation = connection.generation
            // Every complete frame is handled; what one asks of the connection is done before the next.
            while connection.generation == generation {
                var action = FrameAction.none
                let more: Void?
                do {
                    more = try connection.decoder.nextView { frame in self.handle(frame, on: connection, now: now, action: &action) }
                } catch {
                    self.drop(connection, reason: "unreadable frames from the server: \(error.message)", now: now)
                    return
                }
                if more == nil { break }
                switch action {
                case .none: break
                case .goAway(let last, let message): self.goAway(connection, lastCallId: last, message: message, now: now)
                case .connectionError(let code, let message):
                    if self.settingUp || !connection.everOpened {
                        self.failure = "the server refused a connection: \(code.name): \(message)"
                        self.failureStatus = code
                    }
                    self.drop(connection, reason: "\(code.name): \(message)", now: now)
                case .handshakeDone: self.opened(connection, now: now)
                case .drained:
                    self.close(connection, now: now, reason: "GOAWAY")
                    connection.retryAt = now
                    self.queueConnect(connection)
                }
            }
            if connection.generation != generation { return }
            if count < self.readBuffer.count { return }
        }
    }

    @inline(__always)
    private func handle(_ frame: FrameView, on connection: LoadConnection, now: UInt64, action: inout FrameAction) {
        switch frame.type {
        case .response:
            guard let call = connection.inFlight.removeValue(forKey: frame.callId) else { return }
            self.inFlight -= 1
            self.answeredSinceParking = true
            var status = StatusCode.ok
            var message = ""
            if frame.header.count > 0 {
                do {
                    let header = try ResponseHeader(serializedBytes: frame.header)
                    status = StatusCode(rawValue: header.statusCode)
                    message = header.statusMessage
                } catch {
                    status = .internal
                    message = "unreadable response header: \(error.message)"
                }
            }
            if status == .unavailable && self.mayRetry(call, now: now) {
                // Backoff: 10 ms, 20 ms, ... up to 640 ms.
                self.retries.append((now + (10_000_000 << UInt64(min(6, Int(call.attempts) - 1))), call))
            } else {
                self.finish(call, status: status, message: message, payload: frame.payload, at: now)
            }
            if connection.state == .open {
                self.slots.push(SlotQueue.pack(connection: connection.index, generation: connection.generation))
            } else if connection.state == .goingAway && connection.inFlight.isEmpty {
                action = .drained
            }
        case .goAway:
            let goAway = try? GoAway(serializedBytes: frame.header)
            action = .goAway(lastCallId: goAway?.lastCallId ?? 0, message: goAway?.message ?? "")
        case .connectionError:
            let error = try? ConnectionError(serializedBytes: frame.header)
            action = .connectionError(StatusCode(rawValue: error?.statusCode ?? StatusCode.unavailable.rawValue), error?.message ?? "connection error")
        case .ping:
            Frame.encode(type: .pong, callId: frame.callId, header: [], payload: Array(frame.payload), into: &connection.out)
            self.markDirty(connection)
        case .pong:
            if connection.state == .handshaking { action = .handshakeDone }
        case .request, .cancel:
            break
        }
    }

    /// GOAWAY: calls after `lastCallId` were never taken; the rest are still answered, then the
    /// connection closes and opens again.
    private func goAway(_ connection: LoadConnection, lastCallId: UInt32, message: String, now: UInt64) {
        if connection.state == .open || connection.state == .handshaking { connection.state = .goingAway }
        let beyond = connection.inFlight.filter { $0.key > lastCallId }
        for (id, call) in beyond {
            connection.inFlight[id] = nil
            self.inFlight -= 1
            // Never run (PROTOCOL.md §3.5): sending it again cannot apply it twice, whatever the method.
            if self.maySendAgain(call, now: now) {
                self.retries.append((now, call))
            } else {
                self.finish(
                    call, status: .unavailable, message: "not processed: sent after the server's GOAWAY (last_call_id \(lastCallId))",
                    payload: UnsafeRawBufferPointer(start: nil, count: 0), at: now)
            }
        }
        if connection.inFlight.isEmpty {
            self.close(connection, now: now, reason: "GOAWAY" + (message.isEmpty ? "" : ": \(message)"))
            connection.retryAt = now
            self.queueConnect(connection)
        }
    }

    /// The connection failed or the server closed it: its unanswered calls are retried or failed,
    /// and it is opened again after a backoff.
    private func drop(_ connection: LoadConnection, reason: String, now: UInt64) {
        let calls = connection.inFlight.values
        connection.inFlight.removeAll(keepingCapacity: true)
        self.inFlight -= calls.count
        let wasConnected = [.open, .goingAway, .handshaking].contains(connection.state)
        self.close(connection, now: now, reason: reason)
        for call in calls { self.lost(call, reason: "connection lost before the answer: \(reason)", now: now) }
        if self.settingUp {
            if self.failure == nil { self.failure = "cannot connect to \(self.address): \(reason)" }
            return
        }
        if wasConnected { connection.failures = 0 }
        connection.failures += 1
        connection.retryAt = now + Self.backoff(connection.failures, connection: connection.index)
        self.queueConnect(connection)
    }

    private func close(_ connection: LoadConnection, now: UInt64, reason: String) {
        if connection.fd >= 0 {
            _ = cshim_epoll_remove(self.epoll, connection.fd)
            Glibc.close(connection.fd)
        }
        if connection.state == .connecting { self.connecting -= 1 }
        connection.fd = -1
        connection.state = .closed
        connection.generation &+= 1
        connection.decoder = FrameDecoder(expectingPreface: true)
        connection.out.removeAll(keepingCapacity: true)
        connection.outOffset = 0
        connection.watchingWritable = false
        connection.lastError = reason
        if connection.outageSince == nil { connection.outageSince = now }
    }

    /// 10 ms, 20 ms, ... up to 1 s, plus a few ms that differ per connection (no thundering herd).
    static func backoff(_ failures: Int, connection: Int32) -> UInt64 {
        min(1_000_000_000, 10_000_000 << UInt64(min(7, max(0, failures - 1)))) + UInt64(connection % 8) * 1_000_000
    }

    // MARK: connecting

    private func queueConnect(_ connection: LoadConnection) {
        guard !connection.queuedForConnect else { return }
        connection.queuedForConnect = true
        self.reconnects.append(connection.index)
    }

    private func serviceConnects(_ now: UInt64) {
        guard !self.reconnects.isEmpty else { return }
        var waiting: [Int32] = []
        for index in self.reconnects {
            let connection = self.connections[Int(index)]
            if let since = connection.outageSince, connection.everOpened, now - since > self.reconnectWindow {
                connection.state = .dead
                connection.queuedForConnect = false
                continue
            }
            guard connection.retryAt <= now, self.connecting < Self.maxConnecting else {
                waiting.append(index)
                continue
            }
            connection.queuedForConnect = false
            self.startConnect(connection, now: now)
        }
        self.reconnects = waiting
        if self.connections.allSatisfy({ $0.state == .dead }) && self.failure == nil {
            self.failure = "lost the server at \(self.address): no connection could be opened again for \(self.reconnectWindow / 1_000_000_000) s (\(self.connections.first?.lastError ?? ""))"
        }
    }

    private func startConnect(_ connection: LoadConnection, now: UInt64) {
        let started: (fd: Int32, inProgress: Bool)
        do {
            started = try Socket.startConnect(self.address)
        } catch {
            connection.lastError = error.description
            self.drop(connection, reason: error.description, now: now)
            return
        }
        connection.fd = started.fd
        connection.state = .connecting
        self.connecting += 1
        let events = cshim_EPOLLIN | cshim_EPOLLOUT | cshim_EPOLLRDHUP
        if cshim_epoll_add(self.epoll, started.fd, events, UInt64(connection.index)) != 0 {
            self.drop(connection, reason: "epoll_ctl: \(String(cString: strerror(errno)))", now: now)
            return
        }
        connection.watchingWritable = true
        if !started.inProgress { self.finishConnect(connection) }
    }

    private func finishConnect(_ connection: LoadConnection) {
        let now = self.clock.now()
        let error = Socket.pendingError(connection.fd)
        guard error == 0 else {
            self.drop(connection, reason: "connect \(self.address): \(String(cString: strerror(error)))", now: now)
            return
        }
        self.connecting -= 1
        connection.state = .handshaking
        connection.out.append(contentsOf: Preface.bytes)
        Frame.encode(type: .ping, callId: 0, header: [], payload: Self.pingPayload, into: &connection.out)
        self.watch(connection, writable: false)
        self.write(connection)
    }

    private func opened(_ connection: LoadConnection, now: UInt64) {
        connection.state = .open
        connection.failures = 0
        if connection.everOpened { self.stats.reconnects += 1 }
        connection.everOpened = true
        connection.outageSince = nil
        if self.workload != nil { self.offerSlots(connection) }
    }

    // MARK: timers

    private func serviceTimers(_ now: UInt64) {
        // The progress tick moves on whether or not the phase reports it: it is one of the
        // deadlines the loop waits for, and one left behind made every later wait a zero
        // timeout (a phase without progress reports, e.g. `durability-bench writes`, spun on
        // epoll from its second second on: 38 waits per call, most of a core).
        if now >= self.nextProgress {
            if self.phase.reportsProgress { self.depositProgress() }
            self.nextProgress += 1_000_000_000
            if self.nextProgress <= now { self.nextProgress = now + 1_000_000_000 }
        }
        if now >= self.nextSweep {
            self.nextSweep = now + 1_000_000_000
            self.expireOverdueCalls(now)
        }
    }

    /// Calls in flight longer than ``callTimeout`` fail (DEADLINE_EXCEEDED) and are cancelled.
    private func expireOverdueCalls(_ now: UInt64) {
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        for connection in self.connections where !connection.inFlight.isEmpty {
            let overdue = connection.inFlight.filter { now &- $0.value.sentAt > self.callTimeout }
            for (id, call) in overdue {
                connection.inFlight[id] = nil
                self.inFlight -= 1
                Frame.encode(type: .cancel, callId: id, header: [], payload: [], into: &connection.out)
                self.markDirty(connection)
                self.finish(
                    call, status: .deadlineExceeded, message: "no answer within \(self.callTimeout / 1_000_000_000) s", payload: empty, at: now)
                if connection.state == .open {
                    self.slots.push(SlotQueue.pack(connection: connection.index, generation: connection.generation))
                }
            }
        }
    }
}
