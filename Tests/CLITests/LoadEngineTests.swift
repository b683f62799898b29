import Foundation
import Glibc
import Messages
import RPC
import Synchronization
import Testing
import Transport

@testable import FindReviewerLoad

/// The load engine against a fake server it cannot tell from a real one, on a manual clock.
@Suite("Load engine on a manual clock against a controllable fake server")
struct LoadEngineTests {
    /// Records every call's intended start and end, in the order they end; every second call is
    /// retriable when `alternate` (the first is).
    final class RecordingLoad: LoadWorkload {
        let frame: [UInt8]
        let alternate: Bool
        var made = 0
        var ended: [(intended: UInt64, at: UInt64, status: StatusCode)] = []
        var outcomes: [Int32: (status: StatusCode, message: String, attempts: UInt16)] = [:]
        init(alternate: Bool = false) {
            self.alternate = alternate
            var frame: [UInt8] = []
            Frame.encode(type: .request, callId: 0, header: CallEncoder.encode(RequestHeader(method: "findreviewer.v1.Health/Check")), payload: [], into: &frame)
            self.frame = frame
        }
        func nextCall() -> LoadCall? {
            defer { self.made += 1 }
            return LoadCall(operation: .check, frame: self.frame, retriable: self.alternate && self.made % 2 == 0, entity: Int32(self.made))
        }
        func finished(_ call: LoadCall, _ outcome: LoadOutcome) {
            self.ended.append((call.intendedStart, outcome.at, outcome.status))
            self.outcomes[call.entity] = (outcome.status, outcome.message, call.attempts)
        }
    }

    /// A fake server and one connection to it (one call in flight) on a manual clock at 5 s.
    static func connectedEngine() throws -> (FakeServer, ManualLoadClock, LoadEngine) {
        let server = try FakeServer()
        let clock = ManualLoadClock(start: 5_000_000_000)
        let engine = try LoadEngine(index: 0, address: server.address, connections: 1, concurrency: 1, clock: clock)
        #expect(engine.connect(timeout: 10_000_000_000) == nil)
        return (server, clock, engine)
    }

    @Test(
        "open loop under a 200 ms stall: calls due during the stall count from their due time, not from when a slot let them go"
    )
    func openLoopStall() throws {
        let (server, clock, engine) = try Self.connectedEngine()
        defer {
            engine.close()
            server.stop()
        }

        let t0 = clock.now()
        let millisecond: UInt64 = 1_000_000
        var phase = LoadPhase()
        phase.pacing = .open(OpenLoopPacer(start: t0, rate: 1_000, thread: 0, threads: 1))
        phase.measureFrom = t0
        phase.issueUntil = t0 + 300 * millisecond
        let load = RecordingLoad()
        engine.begin(phase, workload: load)
        func settle() {
            // Real time passes only for the loopback round trip; the manual clock stands still.
            let deadline = Date().addingTimeInterval(10)
            repeat { engine.step(maxWait: 5_000_000) } while engine.callsInFlight > 0 && Date() < deadline
        }
        // 0-99 ms: each call is answered before the clock moves on.
        for ms in UInt64(0)..<100 {
            clock.set(t0 + ms * millisecond)
            settle()
        }
        // 100-299 ms: the server holds the call due at 100 ms; the ones due after it wait for the one slot.
        server.hold()
        for ms in UInt64(100)..<300 {
            clock.set(t0 + ms * millisecond)
            engine.step(maxWait: 0)
        }
        #expect(engine.callsInFlight == 1)
        clock.set(t0 + 300 * millisecond)
        server.release()
        let deadline = Date().addingTimeInterval(20)
        while !engine.step(maxWait: 5_000_000) && Date() < deadline {}
        engine.end()

        #expect(load.ended.count == 300)
        #expect(load.ended.allSatisfy { $0.status == .ok })
        let latencies = load.ended.map { $0.at - $0.intended }
        // Before the stall: no time passed. From 100 ms on: every call ends at 300 ms, so its
        // latency is 300 ms minus its due time: 200, 199, ..., 1 ms.
        let expected = [UInt64](repeating: 0, count: 100) + (100..<300).map { (300 - UInt64($0)) * millisecond }
        #expect(latencies == expected)
        #expect(load.ended.map(\.intended) == (0..<300).map { t0 + UInt64($0) * millisecond })
        // The engine's figures say the same, within the histogram's 3 significant digits.
        let histogram = engine.stats.total
        #expect(histogram.count == 300)
        #expect(histogram.max == 200 * millisecond)
        let p50 = histogram.value(atPercentile: 50)
        #expect(p50 >= 50 * millisecond && Double(p50 - 50 * millisecond) <= 50e6 / 1_000, "p50 \(p50)")
        let p99 = histogram.value(atPercentile: 99)
        #expect(p99 >= 197 * millisecond && Double(p99 - 197 * millisecond) <= 197e6 / 1_000, "p99 \(p99)")
        #expect(engine.stats.missed == 0)
    }

    @Test("a phase without progress reports still waits: past its first second the next deadline stays ahead of now")
    func quietPhaseDoesNotSpin() throws {
        let (server, clock, engine) = try Self.connectedEngine()
        defer {
            engine.close()
            server.stop()
        }
        let t0 = clock.now()
        var phase = LoadPhase()
        phase.measureFrom = t0
        phase.issueUntil = t0 + 10_000_000_000
        #expect(!phase.reportsProgress)
        let load = RecordingLoad()
        engine.begin(phase, workload: load)
        for second in UInt64(0)..<4 {
            clock.set(t0 + second * 1_000_000_000 + 500_000_000)
            let deadline = Date().addingTimeInterval(10)
            repeat { engine.step(maxWait: 5_000_000) } while engine.callsInFlight > 0 && Date() < deadline
            engine.step(maxWait: 0)
            // The loop's next wake-up is in the future (a past one is a zero timeout: a spin).
            #expect(engine.nextDeadline(clock.now()) > clock.now(), "second \(second)")
        }
        #expect(!load.ended.isEmpty)
    }

    @Test("closed loop keeps --concurrency calls in flight on every connection, pipelined with increasing call ids")
    func closedLoopPipelines() throws {
        let server = try FakeServer()
        defer { server.stop() }
        let clock = ManualLoadClock()
        let engine = try LoadEngine(index: 0, address: server.address, connections: 3, concurrency: 4, clock: clock)
        defer { engine.close() }
        #expect(engine.connect(timeout: 10_000_000_000) == nil)
        #expect(engine.openConnections == 3)
        server.hold()
        var phase = LoadPhase()
        phase.measureFrom = clock.now()
        phase.callLimit = 40
        let load = RecordingLoad()
        engine.begin(phase, workload: load)
        engine.step(maxWait: 0)
        #expect(engine.callsInFlight == 12)
        // Wait (real time) until the server holds all 12, then let everything through.
        let deadline = Date().addingTimeInterval(10)
        while server.heldCount < 12 && Date() < deadline { engine.step(maxWait: 1_000_000) }
        #expect(server.heldCount == 12)
        server.release()
        while !engine.step(maxWait: 5_000_000) && Date() < deadline {}
        engine.end()
        #expect(load.ended.count == 40)
        #expect(engine.stats.total.count == 40)
        // Per connection the ids run 1, 2, 3, ... (GOAWAY's last_call_id relies on their order).
        let sequences = server.callIdsByConnection
        #expect(sequences.count == 3)
        #expect(sequences.allSatisfy { $0 == Array(1...UInt32($0.count)) }, "\(sequences)")
        #expect(sequences.map(\.count).reduce(0, +) == 40)
    }
}

extension LoadEngineTests {
    /// Four calls in flight on one connection, held by the server; then `disrupt` happens.
    static func disrupted(_ disrupt: (FakeServer) -> Void) throws -> (RecordingLoad, LoadStats) {
        let server = try FakeServer()
        defer { server.stop() }
        let clock = MonotonicLoadClock()
        let engine = try LoadEngine(index: 0, address: server.address, connections: 1, concurrency: 4, clock: clock)
        defer { engine.close() }
        #expect(engine.connect(timeout: 10_000_000_000) == nil)
        server.hold()
        var phase = LoadPhase()
        phase.measureFrom = clock.now()
        phase.callLimit = 4
        let load = RecordingLoad(alternate: true)
        engine.begin(phase, workload: load)
        let deadline = Date().addingTimeInterval(10)
        while server.heldCount < 4 && Date() < deadline { engine.step(maxWait: 1_000_000) }
        #expect(server.heldCount == 4)
        disrupt(server)
        while !engine.step(maxWait: 5_000_000) && Date() < deadline {}
        engine.end()
        return (load, engine.stats)
    }

    @Test("GOAWAY with last_call_id 2: calls 1 and 2 are answered; 3 and 4, never run, are sent again on a new connection whether retriable or not (PROTOCOL.md §3.5)")
    func goAway() throws {
        let (load, stats) = try Self.disrupted { $0.goAway(lastCallId: 2) }
        #expect(load.outcomes.count == 4)
        // Calls are made in order 0, 1, 2, 3 with call ids 1, 2, 3, 4; even ones are retriable.
        #expect(load.outcomes[0]?.status == .ok && load.outcomes[0]?.attempts == 1)
        #expect(load.outcomes[1]?.status == .ok && load.outcomes[1]?.attempts == 1)
        #expect(load.outcomes[2]?.status == .ok && load.outcomes[2]?.attempts == 2)
        #expect(load.outcomes[3]?.status == .ok && load.outcomes[3]?.attempts == 2, "\(load.outcomes[3]?.message ?? "")")
        #expect(stats.retries == 2)
        #expect(stats.reconnects == 1)
        #expect(stats.errors.isEmpty)
    }

    @Test("the server closes the connection with 4 calls unanswered: the retriable ones are sent again after the reconnect, the others fail")
    func connectionLost() throws {
        let (load, stats) = try Self.disrupted { $0.dropConnections() }
        #expect(load.outcomes.count == 4)
        #expect(load.outcomes[0]?.status == .ok && load.outcomes[0]?.attempts == 2)
        #expect(load.outcomes[2]?.status == .ok && load.outcomes[2]?.attempts == 2)
        for lost in [Int32(1), 3] {
            #expect(load.outcomes[lost]?.status == .unavailable)
            #expect(load.outcomes[lost]?.message.contains("connection lost before the answer") == true)
        }
        #expect(stats.retries == 2)
        #expect(stats.reconnects == 1)
    }
}

/// A server that speaks just enough of PROTOCOL.md for the engine: the preface, PONG for PING,
/// and an empty OK RESPONSE for every REQUEST — at once, or, while held, when released.
final class FakeServer: @unchecked Sendable {
    let address: SocketAddress
    private let listener: Int32
    private let state = Mutex(State())
    private let stopping = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)

    struct State {
        var holding = false
        var held: [(fd: Int32, callId: UInt32)] = []
        var ids: [Int32: [UInt32]] = [:]
        /// Connections the serving thread closes next.
        var closing: Set<Int32> = []
    }

    init() throws {
        self.listener = try Socket.listen(SocketAddress(host: "127.0.0.1", port: 0))
        self.address = Socket.localAddress(self.listener)!
        let thread = Thread { [self] in
            self.serve()
            self.done.signal()
        }
        thread.start()
    }

    func hold() { self.state.withLock { $0.holding = true } }
    var heldCount: Int { self.state.withLock { $0.held.count } }
    /// The call ids each connection sent, in order.
    var callIdsByConnection: [[UInt32]] { self.state.withLock { Array($0.ids.values) } }

    func release() {
        let held = self.state.withLock { state -> [(fd: Int32, callId: UInt32)] in
            state.holding = false
            defer { state.held.removeAll() }
            return state.held
        }
        for (fd, id) in held { Self.answer(fd, id) }
    }

    /// GOAWAY on every connection held calls came from: the held calls up to `lastCallId` are
    /// answered, the others dropped unanswered, and nothing is held any more.
    func goAway(lastCallId: UInt32) {
        let held = self.state.withLock { state -> [(fd: Int32, callId: UInt32)] in
            state.holding = false
            defer { state.held.removeAll() }
            return state.held
        }
        let header = (try? GoAway(lastCallId: lastCallId, statusCode: 14, message: "shutting down").serializedBytes()) ?? []
        for fd in Set(held.map(\.fd)) { try? Socket.writeAll(fd, Frame(type: .goAway, callId: 0, header: header).bytes) }
        for (fd, id) in held where id <= lastCallId { Self.answer(fd, id) }
    }

    /// Closes every connection that has held calls, answering none of them.
    func dropConnections() {
        let held = self.state.withLock { state -> [(fd: Int32, callId: UInt32)] in
            state.holding = false
            defer { state.held.removeAll() }
            return state.held
        }
        self.state.withLock { $0.closing.formUnion(held.map(\.fd)) }
    }

    func stop() {
        self.stopping.store(true, ordering: .relaxed)
        self.done.wait()
        Socket.close(self.listener)
    }

    static func answer(_ fd: Int32, _ callId: UInt32) {
        try? Socket.writeAll(fd, Frame(type: .response, callId: callId).bytes)
    }

    private func serve() {
        var clients: [Int32: FrameDecoder] = [:]
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while !self.stopping.load(ordering: .relaxed) {
            var polls = [pollfd(fd: self.listener, events: Int16(POLLIN), revents: 0)] + clients.keys.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            for fd in self.state.withLock({ state -> Set<Int32> in
                defer { state.closing.removeAll() }
                return state.closing
            }) {
                clients[fd] = nil
                Socket.close(fd)
            }
            guard poll(&polls, nfds_t(polls.count), 20) > 0 else { continue }
            if polls[0].revents != 0, case .done(let fd)? = try? Socket.accept(self.listener) {
                clients[fd] = FrameDecoder(expectingPreface: true)
                try? Socket.writeAll(fd, Preface.bytes)
            }
            for entry in polls.dropFirst() where entry.revents != 0 {
                let fd = entry.fd
                let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if count == 0 || (count < 0 && errno != EAGAIN) {
                    clients[fd] = nil
                    Socket.close(fd)
                    continue
                }
                guard count > 0 else { continue }
                clients[fd]!.feed(Array(buffer[..<count]))
                while let frame = try? clients[fd]!.next() {
                    switch frame.type {
                    case .ping: try? Socket.writeAll(fd, Frame(type: .pong, callId: 0, payload: frame.payload).bytes)
                    case .request:
                        let holding = self.state.withLock { state -> Bool in
                            state.ids[fd, default: []].append(frame.callId)
                            if state.holding { state.held.append((fd, frame.callId)) }
                            return state.holding
                        }
                        if !holding { Self.answer(fd, frame.callId) }
                    default: break
                    }
                }
            }
        }
        for fd in clients.keys { Socket.close(fd) }
    }
}
