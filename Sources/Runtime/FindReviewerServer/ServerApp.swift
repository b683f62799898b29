import Credentials
import Dispatch
import FindReviewerDomain
import FindReviewerEngine
import Foundation
import Glibc
import FindReviewerStore
import Metrics
import MetricsHTTP
import Notifications
import RPC
import ServiceLifecycle
import Transport

/// `findreviewer-server` as a library: configuration in, a running service, exit status out.
public enum ServerApp {
    /// Runs until SIGTERM or SIGINT; returns the process exit status (0 clean, 1 failed start,
    /// 2 bad configuration).
    public static func main(arguments: [String], environment: [String: String]) -> Int32 {
        // Before any thread exists (they inherit the mask): a stop signal sent at any moment,
        // even while starting, stays pending until waitForSignal takes it; none is lost.
        let stopSignals = Self.blockStopSignals()
        let configuration: ServerConfiguration
        do {
            guard let parsed = try ServerConfiguration.parse(arguments: arguments, environment: environment) else {
                print(ServerConfiguration.usage, terminator: "")
                return 0
            }
            configuration = parsed
        } catch {
            FileHandle.standardError.write(Data("findreviewer-server: \(error.message)\n".utf8))
            return 2
        }
        let logger = Logger(level: configuration.logLevel, format: configuration.logFormat)
        do {
            let running = try self.start(configuration, logger: logger)
            self.waitForSignal(stopSignals)
            logger.log(.info, "shutting down", ["drain_timeout_s": String(configuration.drainTimeoutSeconds)])
            running.stop()
            logger.log(.info, "stopped")
            return 0
        } catch {
            logger.log(.error, "cannot start", ["error": "\(error)"])
            FileHandle.standardError.write(Data("findreviewer-server: cannot start: \(error)\n".utf8))
            return 1
        }
    }

    /// A started server and what it runs.
    public final class Running: Sendable {
        /// The RPC server.
        public let server: RPCServer
        /// The service.
        public let service: FindReviewerService
        /// The address actually bound.
        public let address: SocketAddress
        /// Sends the outbox.
        public let delivery: DeliveryWorker
        /// The journal and snapshots.
        public let storage: Storage
        /// The metrics and what `/readyz` says.
        public let observability: Observability
        /// The background services, in their stop order: timer, delivery, snapshot policy, journal writer.
        let services: [any Service]
        let group: ServiceGroup
        let logger: Logger

        init(
            server: RPCServer, service: FindReviewerService, address: SocketAddress, delivery: DeliveryWorker, storage: Storage,
            observability: Observability, services: [any Service], group: ServiceGroup, logger: Logger
        ) {
            self.logger = logger
            self.server = server
            self.service = service
            self.address = address
            self.delivery = delivery
            self.storage = storage
            self.observability = observability
            self.services = services
            self.group = group
        }

        /// Graceful stop (PROTOCOL.md §3.5): `/readyz` 503 and the shutdown delay; stop
        /// accepting, GOAWAY on every connection, drain (RPCServer.shutdown); then the services,
        /// each stopped and joined in turn: the timer, delivery (its last pass), the snapshot
        /// policy, the journal writer (its last commit); the metrics port last.
        public func stop() {
            self.observability.readiness.set(.draining)
            if self.observability.shutdownDelaySeconds > 0 { sleep(UInt32(self.observability.shutdownDelaySeconds)) }
            defer { self.observability.port?.stop() }
            var stage = DispatchTime.now().uptimeNanoseconds
            // Each stage's duration in the log: a slow stop shows where it waited.
            func took(_ what: String) {
                let now = DispatchTime.now().uptimeNanoseconds
                self.logger.log(.info, what, ["seconds": String(format: "%.3f", Double(now - stage) / 1e9)])
                stage = now
            }
            self.server.shutdown()
            took("connections drained")
            for service in self.services {
                if service === self.delivery {
                    // The worker runs at nice 10: on a busy machine its pass can take seconds.
                    // It gets one second; the last pass runs here, at normal priority.
                    if self.group.stop(service, waitingAtMost: 1) {
                        self.delivery.lastPass()
                        took("\(service.name) stopped after its last pass")
                    } else {
                        self.delivery.abandon()
                        took("\(service.name) left mid-pass; its emails stay in the outbox for the next start")
                    }
                    continue
                }
                self.group.stop(service)
                took("\(service.name) stopped")
            }
        }
    }

    /// Starts everything and prints `listening on ADDRESS` and `keys file: PATH`.
    public static func start(_ configuration: ServerConfiguration, logger: Logger) throws -> Running {
        try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
        let observability = try Observability.start(configuration, logger: logger)
        let keysPath = configuration.resolvedKeysFile
        let (keys, created) = try KeysFile.loadOrCreate(path: keysPath)
        if created { logger.log(.info, "created a keys file with a fresh key per role", ["path": keysPath]) }
        let clock: ServiceClock
        if configuration.testClock {
            let start = configuration.testClockStart > 0 ? configuration.testClockStart : Int64(Date().timeIntervalSince1970)
            clock = .test(start: start)
            logger.log(.warn, "test clock enabled: admins can move time", ["now": String(start)])
        } else {
            clock = .system()
        }
        observability.readiness.set(.recovering)
        let recoveryStart = DispatchTime.now().uptimeNanoseconds
        let (storage, state) = try Storage.open(
            dataDirectory: configuration.dataDirectory, settings: configuration.domainSettings, logger: logger)
        let recoveryNanos = DispatchTime.now().uptimeNanoseconds - recoveryStart
        let service = FindReviewerService(
            state: state, clock: clock, keys: keys, eventLog: storage, logger: logger, ownership: configuration.ownership)
        storage.attach(service.engine)
        // Transitions that fell due while the server was down (reminders, expiries, retention
        // erasures) are applied before it listens, each at its own due time.
        let caughtUp = service.engine.applyDueTransitions()
        if caughtUp > 0 { logger.log(.info, "caught up after downtime", ["transitions": String(caughtUp)]) }

        var options = ServerOptions()
        options.address = configuration.listen
        options.frameLimits = FrameLimits(maxHeaderBytes: configuration.maxHeaderBytes, maxPayloadBytes: configuration.maxPayloadBytes)
        options.maxConnections = configuration.maxConnections
        options.maxCallsPerConnection = configuration.maxCallsPerConnection
        options.idleTimeoutSeconds = configuration.idleTimeoutSeconds
        options.frameTimeoutSeconds = configuration.frameTimeoutSeconds
        options.drainTimeoutSeconds = configuration.drainTimeoutSeconds
        options.eventLoops = configuration.eventLoops
        options.serverVersion = Release.version
        options.testClock = configuration.testClock
        let server = RPCServer(options: options)
        server.log = { event, peer, code, message in
            logger.log(.info, event, ["peer": peer, "status": code.name, "message": message])
        }
        let outboxDirectory = (configuration.dataDirectory as NSString).appendingPathComponent("outbox")
        service.install(on: server, outboxDirectory: outboxDirectory) { () throws(RPCError) in
            do { return try storage.snapshot() } catch { throw RPCError(converting: error) }
        }
        let delivery = try self.makeDelivery(configuration, service: service, server: server, logger: logger)
        let timer = TimerService(service.engine)
        let snapshots = SnapshotPolicyService(
            storage, everyBytes: configuration.snapshotEveryBytes, everySeconds: configuration.snapshotEverySeconds)
        let journalWriter = JournalWriterService(storage)
        service.onEventsApplied = { _ in delivery.wake() }
        service.engine.onNextDueTime = { timer.dueTimeMayHaveMoved(to: $0) }
        service.setStats { observability.stats() }
        // Every handler has its method-table entry (roles, idempotency) and every entry a handler.
        try MethodPolicy.verify(registered: server.methods.map(\.method))
        let metrics = ServerMetrics(registry: observability.registry, methods: server.methods.map(\.method), version: Release.version)
        metrics.attach(server: server, storage: storage, service: service, delivery: delivery, transport: configuration.smtp == nil ? "file" : "smtp")
        metrics.recovered(inNanoseconds: recoveryNanos)
        observability.metrics.withLock { $0 = metrics }
        let address = try server.start()
        service.ownership.setListenAddress(address.description)
        let services: [any Service] = [timer, delivery, snapshots, journalWriter]
        let group = ServiceGroup(services)
        group.start()
        observability.readiness.set(.serving)
        if let path = configuration.portFile { try PortFile.write(address.port, to: path) }
        var out = "listening on \(address)\nkeys file: \(keysPath)\n"
        if let metricsAddress = observability.portAddress { out += "metrics on \(metricsAddress)\n" }
        FileHandle.standardOutput.write(Data(out.utf8))
        logger.log(.info, "listening", ["address": address.description, "keys_file": keysPath, "data_dir": configuration.dataDirectory])
        return Running(
            server: server, service: service, address: address, delivery: delivery, storage: storage, observability: observability,
            services: services, group: group, logger: logger)
    }

    /// The outbox delivery: mbox files under `<data-dir>/outbox/` by default, one per batch.
    static func makeDelivery(
        _ configuration: ServerConfiguration, service: FindReviewerService, server: RPCServer, logger: Logger
    ) throws -> DeliveryWorker {
        let renderer = EmailRenderer(from: configuration.mailFrom, replyBaseURL: configuration.replyBaseURL)
        let transport: EmailTransport
        if let relay = configuration.smtp {
            transport = try SMTPTransport(relay: relay)
            logger.log(.info, "emails go to an SMTP relay", ["relay": relay])
        } else {
            transport = FileTransport(directory: (configuration.dataDirectory as NSString).appendingPathComponent("outbox"))
        }
        let outbox = (configuration.dataDirectory as NSString).appendingPathComponent("outbox")
        // The delivery thread runs at idle priority, so it takes the state lock only through an
        // event loop: a thread that any other can preempt must not hold a lock the loops wait
        // for. Collecting a page of entries and marking a group are a few microseconds per email
        // on the loop; rendering and writing the files stay on the delivery thread.
        /// Runs `task` on an event loop and waits for it; inline when the server is not running
        /// (start-up, shutdown).
        @Sendable func onLoop<T>(_ task: @escaping @Sendable () -> T) -> T {
            let result = LoopResult<T>()
            if server.executeOnLoop({
                result.value = task()
                result.done.signal()
            }) {
                result.done.wait()
                return result.value!
            }
            return task()
        }
        return DeliveryWorker(
            renderer: renderer, transport: transport, pending: { onLoop { service.undeliveredNotifications(limit: DeliveryWorker.passSize) } },
            markDelivered: { id in
                service.executeInternal(.markDelivered(outboxId: id))
                service.deleteCancelledEmailFiles([id], outboxDirectory: outbox)
            },
            markDeliveredBatch: { ids in
                // On an event loop: the marks join that loop's group commit (no fsync of their
                // own). The delivery thread waits for them, so its next pass sees them applied;
                // the files of entries cancelled meanwhile are then removed on this thread.
                let cancelled = onLoop {
                    service.executeInternal(ids.map { .markDelivered(outboxId: $0) })
                    return service.cancelledOutboxIds(ids)
                }
                OutboxFiles.remove(entryIds: cancelled, from: outbox)
            },
            now: { Int64(DispatchTime.now().uptimeNanoseconds / 1_000_000_000) },
            log: { message, detail in logger.log(.warn, message, ["detail": detail]) })
    }

    /// Blocks SIGTERM and SIGINT in the calling thread (and so in every thread it starts later);
    /// returns the set for ``waitForSignal(_:)``.
    static func blockStopSignals() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_BLOCK, &set, nil)
        return set
    }

    /// Blocks until SIGTERM or SIGINT is pending (sent before the call or after it).
    ///
    /// A signal handler installed only now would miss a signal sent while the server was
    /// starting (it was ignored meanwhile): a test that stopped a freshly started server
    /// right after it printed its address waited forever for it to exit.
    static func waitForSignal(_ stopSignals: sigset_t) {
        var set = stopSignals
        var received: Int32 = 0
        while sigwait(&set, &received) != 0 {}
    }
}

/// What a task run on an event loop returned, for the thread waiting for it (the semaphore
/// orders the write before the read).
private final class LoopResult<T>: @unchecked Sendable {
    var value: T?
    let done = DispatchSemaphore(value: 0)
}
