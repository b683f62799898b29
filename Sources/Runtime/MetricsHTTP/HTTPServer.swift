import Glibc
import Metrics
import Locking
import Synchronization
import Transport

/// A small HTTP/1.1 server on a thread and epoll loop of its own: one request per connection,
/// answered by a handler, then the connection is closed (`Connection: close`).
///
/// It shares nothing with the RPC port but the process: its own thread, listener, connection
/// limit and timeouts, so nothing sent to it can slow or stop an RPC loop. Every bound is in
/// ``HTTPServerOptions``: request head size and time, write time, connections.
///
/// One request per connection keeps it simple and is what scrapers and probes need (one GET
/// every few seconds); the cost is a TCP handshake per request, tens of microseconds on the
/// networks it serves.
public final class HTTPServer: @unchecked Sendable {
    /// Limits and address.
    public let options: HTTPServerOptions
    /// Answers a request; runs on the server's thread.
    let handler: @Sendable (HTTPRequestHead) -> HTTPResponse

    private var loop: EventLoop?
    private var listener: Int32 = -1
    /// Open connections by descriptor (loop thread only).
    private var connections: [Int32: HTTPConnection] = [:]
    /// Accepting stopped until the next tick after accept failed (out of descriptors).
    private var acceptPaused = false
    private let open = Atomic<Int>(0)
    private let refused = Atomic<UInt64>(0)
    private let answers = Locked<[Int: UInt64]>([:])
    private let lifecycle = Locked(Lifecycle.idle)

    private enum Lifecycle { case idle, running, stopped }

    /// A server answering with `handler` (on the server's thread); call ``start()``.
    public init(options: HTTPServerOptions = HTTPServerOptions(), handler: @escaping @Sendable (HTTPRequestHead) -> HTTPResponse) {
        self.options = options
        self.handler = handler
    }

    /// The metrics port: `/metrics` of `registry`, `/healthz`, `/readyz` from `readiness`
    /// (see ``MetricsEndpoint``). Also registers the port's own metrics in `registry`, so one
    /// registry serves one such port.
    public convenience init(metrics registry: MetricsRegistry, readiness: ServiceReadiness, options: HTTPServerOptions = HTTPServerOptions()) {
        let endpoint = MetricsEndpoint(registry: registry, readiness: readiness)
        self.init(options: options) { endpoint.respond(to: $0) }
        self.registerMetrics(in: registry)
    }

    /// Binds, starts the thread, and returns the address bound (port 0 resolved).
    @discardableResult
    public func start() throws(SystemError) -> SocketAddress {
        precondition(self.lifecycle.withLock { $0 } == .idle, "start an HTTPServer once")
        Socket.ignoreSIGPIPE()
        let address = try SocketAddress(parsing: self.options.address)
        let loop = try EventLoop(name: self.options.threadName, tickMilliseconds: self.options.tickMilliseconds) { [weak self] _ in
            self?.tick()
        }
        let listener = try Socket.listen(address, backlog: 64)
        do throws(SystemError) {
            try loop.register(listener, events: EventLoop.readable, handler: Acceptor(server: self))
        } catch {
            Socket.close(listener)
            throw error
        }
        self.loop = loop
        self.listener = listener
        self.lifecycle.withLock { $0 = .running }
        loop.start()
        return Socket.localAddress(listener) ?? address
    }

    /// Closes every connection and the listener, and stops the thread. A started server stays
    /// alive (its thread holds it) until this is called.
    public func stop() {
        guard let loop = self.loop, self.lifecycle.withLock({ state -> Bool in
            defer { state = .stopped }
            return state == .running
        }) else { return }
        loop.execute { [self] in
            for connection in Array(self.connections.values) { connection.close() }
            loop.deregister(self.listener)
            Socket.close(self.listener)
        }
        loop.stop()
    }

    /// Connections open now.
    public var openConnections: Int { self.open.load(ordering: .relaxed) }

    /// Connections refused at the limit so far.
    public var connectionsRefused: UInt64 { self.refused.load(ordering: .relaxed) }

    /// Responses sent so far by status code.
    public var responsesByStatus: [Int: UInt64] { self.answers.withLock { $0 } }

    /// `findreviewer_metrics_http_responses_total{code}`, `..._connections_refused_total`,
    /// `..._connections_open`: how the port itself fares (failing probes show here).
    public func registerMetrics(in registry: MetricsRegistry) {
        registry.counter(
            MetricNames.prefix + "metrics_http_responses_total", help: "Responses of the metrics port, by HTTP status code.",
            labelNames: ["code"],
            samples: { [weak self] in
                (self?.responsesByStatus ?? [:]).sorted { $0.key < $1.key }.map { MetricsRegistry.Sample([String($0.key)], Double($0.value)) }
            })
        registry.counter(
            MetricNames.prefix + "metrics_http_connections_refused_total", help: "Connections to the metrics port refused at its limit.",
            value: { [weak self] in Double(self?.connectionsRefused ?? 0) })
        registry.gauge(
            MetricNames.prefix + "metrics_http_connections_open", help: "Open connections of the metrics port.",
            value: { [weak self] in Double(self?.openConnections ?? 0) })
    }

    // MARK: loop thread

    fileprivate func acceptAvailable() {
        guard let loop = self.loop else { return }
        for _ in 0..<64 {
            let fd: Int32
            do throws(SystemError) {
                guard case .done(let accepted) = try Socket.accept(self.listener) else { return }
                fd = accepted
            } catch {
                // Out of descriptors, most likely: stop asking until the next tick instead of
                // spinning on a listener that stays readable.
                self.acceptPaused = true
                loop.modify(self.listener, events: 0)
                return
            }
            guard self.connections.count < self.options.maxConnections else {
                self.refused.wrappingAdd(1, ordering: .relaxed)
                self.answered(.serviceUnavailable)
                let bytes = HTTPResponse.text(.serviceUnavailable, "too many connections (limit \(self.options.maxConnections))").serialized()
                _ = bytes.withUnsafeBytes { try? Socket.write(fd, from: $0) }
                Socket.close(fd)
                continue
            }
            let connection = HTTPConnection(fd: fd, server: self, loop: loop, now: self.options.clock())
            do throws(SystemError) {
                try loop.register(fd, events: EventLoop.readable | EventLoop.hangup, handler: connection)
            } catch {
                Socket.close(fd)
                continue
            }
            self.connections[fd] = connection
            self.open.wrappingAdd(1, ordering: .relaxed)
        }
    }

    func answered(_ status: HTTPStatus) {
        self.answers.withLock { $0[status.code, default: 0] += 1 }
    }

    func connectionClosed(_ connection: HTTPConnection) {
        guard self.connections.removeValue(forKey: connection.fd) != nil else { return }
        self.open.wrappingSubtract(1, ordering: .relaxed)
    }

    private func tick() {
        if self.acceptPaused, let loop = self.loop {
            self.acceptPaused = false
            loop.modify(self.listener, events: EventLoop.readable)
        }
        let now = self.options.clock()
        for connection in Array(self.connections.values) { connection.tick(now: now) }
    }
}

/// Accepts connections for the server. It holds the server strongly: a running server lives
/// until ``HTTPServer/stop()`` deregisters the listener, so its connections' unowned
/// references never outlive it.
private final class Acceptor: EventHandler {
    let server: HTTPServer

    init(server: HTTPServer) { self.server = server }

    func handle(events: UInt32) { self.server.acceptAvailable() }
}
