import Dispatch
import Foundation
import Glibc
import Messages
import Locking
import Synchronization
import Transport

/// A method the server serves.
public struct MethodRegistration: Sendable {
    /// Full name, `package.Service/Method`.
    public var method: String
    /// Whether clients may retry it after UNAVAILABLE (GetServerInfo lists the method table's
    /// value for a method of Protos/).
    public var idempotent: Bool
    /// Roles allowed to call it, for ServerInfoService when the method is not in the method table
    /// (``ProtoMethods``), whose roles it lists otherwise; the interceptor enforces them.
    public var roles: [String]
    /// Request payload, context, responder.
    public var handler: @Sendable ([UInt8], CallContext, Responder) -> Void
    /// The `method` label's index in ``RPCServer/metrics`` (set at start).
    var metricsIndex = 0
}

/// The gRPC-style server of PROTOCOL.md over epoll event loops.
///
/// Calls run to completion on the event-loop thread that read them: read, decode, handle,
/// encode, write, with no hop to another thread. A handler that must wait completes its
/// ``Responder`` later from any thread.
public final class RPCServer: @unchecked Sendable {
    /// Limits and identity.
    public let options: ServerOptions
    /// Runs before every handler (after the method is known); a thrown error is the answer.
    /// It may set the context's ``CallContext/principal`` (who is calling) for the handler.
    public var interceptor: (@Sendable (inout CallContext, MethodRegistration) throws(RPCError) -> Void)?
    /// Connection-level events for the operator's log: (event, peer, code, message).
    public var log: (@Sendable (String, String, StatusCode, String) -> Void)?
    /// Where calls, connections and refused frames are counted; set before ``start()``.
    public var metrics: RPCMetrics?

    private var registrations: [String: MethodRegistration] = [:]
    private var loops: [EventLoop] = []
    private var listener: Int32 = -1
    private let connectionCount = Atomic<Int>(0)
    private let callCount = Atomic<Int>(0)
    private let draining = Atomic<Bool>(false)
    private let nextLoop = Atomic<Int>(0)
    let startTime = Int64(Date().timeIntervalSince1970)
    private let lifecycle = Locked(State.idle)
    /// Every open connection (each owned by its loop's thread; the table itself is shared).
    private let connections = Locked([ObjectIdentifier: ServerConnection]())
    /// Signalled whenever a connection closes (shutdown waits on it while draining).
    private let drained = NSCondition()

    private enum State { case idle, running, stopped }

    /// A server with `options`; register methods, then ``start()``.
    public init(options: ServerOptions = ServerOptions()) {
        self.options = options
        self.registerBuiltins()
    }

    // MARK: registration

    /// Serves `method` with a raw handler: payload bytes in, a ``Responder`` to answer.
    public func register(
        _ method: String, idempotent: Bool = false, roles: [String] = [],
        handler: @escaping @Sendable ([UInt8], CallContext, Responder) -> Void
    ) {
        precondition(self.lifecycle.withLock { $0 } == .idle, "register methods before start()")
        self.registrations[method] = MethodRegistration(method: method, idempotent: idempotent, roles: roles, handler: handler)
    }

    /// Serves `method` with a handler that answers at once on the event-loop thread.
    public func register<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: String, idempotent: Bool = false, roles: [String] = [],
        _ handler: @escaping @Sendable (Request, CallContext) throws(RPCError) -> Response
    ) {
        self.register(method, idempotent: idempotent, roles: roles) { payload, context, responder in
            do throws(RPCError) {
                let request = try Self.decode(Request.self, payload)
                responder.respond(try handler(request, context))
            } catch {
                responder.fail(error)
            }
        }
    }

    /// Serves `method` with a handler that may answer later, from any thread.
    public func registerDeferred<Request: ProtoMessage>(
        _ method: String, _ requestType: Request.Type, idempotent: Bool = false, roles: [String] = [],
        _ handler: @escaping @Sendable (Request, CallContext, Responder) -> Void
    ) {
        self.register(method, idempotent: idempotent, roles: roles) { payload, context, responder in
            do throws(RPCError) {
                handler(try Self.decode(Request.self, payload), context, responder)
            } catch {
                responder.fail(error)
            }
        }
    }

    /// Unparsable payloads are INVALID_ARGUMENT; the connection stays open.
    static func decode<Request: ProtoMessage>(_ type: Request.Type, _ payload: [UInt8]) throws(RPCError) -> Request {
        do {
            return try Request(serializedBytes: payload)
        } catch {
            throw RPCError.undecodable(error, as: Request.protoName)
        }
    }

    func registration(for method: String) -> MethodRegistration? { self.registrations[method] }

    /// Every registered method, sorted.
    public var methods: [MethodRegistration] { self.registrations.values.sorted { $0.method < $1.method } }

    // MARK: lifecycle

    /// Binds, starts the event loops, and returns the address actually bound (port 0 resolved).
    @discardableResult
    public func start() throws(SystemError) -> SocketAddress {
        Socket.ignoreSIGPIPE()
        let address = try SocketAddress(parsing: self.options.address)
        self.listener = try Socket.listen(address)
        let count = self.options.eventLoops > 0 ? self.options.eventLoops : max(1, ProcessInfo.processInfo.activeProcessorCount)
        if let metrics = self.metrics {
            for name in Array(self.registrations.keys) { self.registrations[name]!.metricsIndex = metrics.index(of: name) }
        }
        for index in 0..<count {
            // unowned, as the acceptor and the connections hold the server: a weak reference gave
            // the server a side table, and every retain and release of it on every call (from
            // each connection's unowned reference) took the slow, shared path.
            let loop = try EventLoop(name: "rpc-loop-\(index)") { [unowned self] loop in self.tick(loop) }
            let recorder = self.metrics?.recorder(for: "rpc-loop-\(index)")
            let acceptor = Acceptor(server: self, loop: loop, listener: self.listener, recorder: recorder)
            // Every loop waits on the shared listener; EPOLLEXCLUSIVE wakes one per connection.
            try loop.register(self.listener, events: EventLoop.readable | EventLoop.exclusive, handler: acceptor)
            self.loops.append(loop)
        }
        self.lifecycle.withLock { $0 = .running }
        for loop in self.loops { loop.start() }
        return Socket.localAddress(self.listener) ?? address
    }

    /// Runs `task` on one of the event loops (its journal appends then join that loop's group
    /// commit) and returns true; false, without running it, unless the server is running.
    public func executeOnLoop(_ task: @escaping @Sendable () -> Void) -> Bool {
        // Under the lifecycle lock: shutdown() marks the server stopped before it stops the
        // loops, and a loop runs what is in its mailbox before its thread ends.
        self.lifecycle.withLock { state -> Bool in
            guard state == .running, !self.loops.isEmpty else { return false }
            let index = self.nextLoop.wrappingAdd(1, ordering: .relaxed).oldValue
            self.loops[index % self.loops.count].execute(task)
            return true
        }
    }

    /// Whether shutdown has begun.
    public var isDraining: Bool { self.draining.load(ordering: .relaxed) }

    /// Open connections now.
    public var openConnections: Int { self.connectionCount.load(ordering: .relaxed) }

    /// Graceful shutdown (PROTOCOL.md §3.5): stop accepting, GOAWAY to every connection (the
    /// first frame each gets once its loop handles the shutdown), let every call accepted
    /// before it finish and its answer be written, then close each connection without a reset
    /// (shut down writing, read and drop until the peer closes). Returns when every connection
    /// is closed, or at the drain timeout (then the rest are closed as they are), with the
    /// loops stopped.
    public func shutdown() {
        guard self.lifecycle.withLock({ state -> Bool in
            guard state == .running else { return false }
            state = .stopped
            return true
        }) else { return }
        self.draining.store(true, ordering: .sequentiallyConsistent)
        // Stop accepting: every loop lets go of the listener, then it is closed, so that a new
        // connection is refused at once (ECONNREFUSED: the client tries elsewhere) instead of
        // waiting in the backlog to be reset when the process exits.
        let released = DispatchSemaphore(value: 0)
        for loop in self.loops {
            loop.execute { [self] in
                loop.deregister(self.listener)
                released.signal()
            }
        }
        for _ in self.loops { released.wait() }
        Socket.close(self.listener)
        for loop in self.loops {
            loop.execute { [self] in
                for connection in self.connections(on: loop) { connection.goAway("the server is shutting down") }
            }
        }
        // Connections close themselves once drained (connectionClosed signals): a wait, no polling.
        let deadline = Date(timeIntervalSinceNow: Double(self.options.drainTimeoutSeconds))
        self.drained.lock()
        while self.connections.withLock({ !$0.isEmpty }) {
            if !self.drained.wait(until: deadline) { break }
        }
        self.drained.unlock()
        let closed = DispatchSemaphore(value: 0)
        for loop in self.loops {
            loop.execute { [self] in
                for connection in self.connections(on: loop) {
                    connection.flush()
                    connection.close()
                }
                closed.signal()
            }
        }
        for _ in self.loops { closed.wait() }
        for loop in self.loops { loop.stop() }
    }

    // MARK: connection bookkeeping

    fileprivate func accepted(_ fd: Int32, loop: EventLoop, recorder: RPCMetricsRecorder?) {
        let peer = Socket.peerAddress(fd)?.description ?? "unknown"
        if self.connectionCount.wrappingAdd(1, ordering: .relaxed).newValue > self.options.maxConnections || self.isDraining {
            self.connectionCount.wrappingSubtract(1, ordering: .relaxed)
            let reason = self.isDraining ? "the server is shutting down" : "too many connections (limit \(self.options.maxConnections))"
            let code: StatusCode = self.isDraining ? .unavailable : .resourceExhausted
            var bytes = Preface.bytes
            let header = (try? ConnectionError(statusCode: code.rawValue, message: reason).serializedBytes()) ?? []
            Frame.encode(type: .connectionError, callId: 0, header: header, payload: [], into: &bytes)
            _ = bytes.withUnsafeBytes { try? Socket.write(fd, from: $0) }
            Socket.close(fd)
            recorder?.connectionRefused(draining: code == .unavailable)
            self.log?("connection refused", peer, code, reason)
            return
        }
        let connection = ServerConnection(fd: fd, peer: peer, server: self, loop: loop, recorder: recorder)
        recorder?.connectionOpened()
        self.connections.withLock { $0[ObjectIdentifier(connection)] = connection }
        do {
            try loop.register(fd, events: EventLoop.readable | EventLoop.hangup, handler: connection)
        } catch {
            connection.close()
            return
        }
        connection.flush()  // the server's preface
    }

    func connectionClosed(_ connection: ServerConnection) {
        self.connectionCount.wrappingSubtract(1, ordering: .relaxed)
        self.connections.withLock { $0[ObjectIdentifier(connection)] = nil }
        self.drained.withLock { self.drained.broadcast() }
    }

    func callStarted() { self.callCount.wrappingAdd(1, ordering: .relaxed) }
    func callFinished() { self.callCount.wrappingSubtract(1, ordering: .relaxed) }

    private func connections(on loop: EventLoop) -> [ServerConnection] {
        self.connections.withLock { table in table.values.filter { $0.loop === loop } }
    }

    private func tick(_ loop: EventLoop) {
        let now = DispatchTime.now().uptimeNanoseconds
        for connection in self.connections(on: loop) { connection.tick(now: now) }
    }
}

/// Accepts connections on one loop.
private final class Acceptor: EventHandler {
    unowned let server: RPCServer
    let loop: EventLoop
    let listener: Int32
    let recorder: RPCMetricsRecorder?

    init(server: RPCServer, loop: EventLoop, listener: Int32, recorder: RPCMetricsRecorder?) {
        self.server = server
        self.loop = loop
        self.listener = listener
        self.recorder = recorder
    }

    func handle(events: UInt32) {
        for _ in 0..<64 {
            guard case .done(let fd)? = try? Socket.accept(self.listener) else { return }
            self.server.accepted(fd, loop: self.loop, recorder: self.recorder)
        }
    }
}
