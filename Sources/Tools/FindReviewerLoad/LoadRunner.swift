import Dispatch
import FindReviewerClient
import Foundation
import Messages
import RPC
import Sharding
import Synchronization
import ToolSupport
import Transport

/// Runs a load test on ``LoadEngine`` threads: connects, seeds (through the engines, in
/// stages), advances a test clock when the mix reminds, runs the mix (closed or open loop,
/// warm-up excluded), optionally reads every acknowledged write back, and gathers the figures,
/// its own CPU time and — for a local server — the server's.
public final class LoadRunner: Sendable {
    /// What it runs.
    public let configuration: LoadConfiguration
    private let console: Console

    /// Creates a runner writing progress to `console`.
    public init(configuration: LoadConfiguration, console: Console) {
        self.configuration = configuration
        self.console = console
    }

    /// How long a test clock is moved so that requests seeded to expire do (5 days and an hour).
    static let expiryAdvance: Int64 = 121 * 3_600

    /// One engine, its workload and the thread-safe hand-over between phases (each phase runs on
    /// a fresh thread; the semaphores order the memory).
    final class Lane: @unchecked Sendable {
        let engine: LoadEngine
        let workload: WorkflowLoad
        init(engine: LoadEngine, workload: WorkflowLoad) {
            self.engine = engine
            self.workload = workload
        }
    }

    /// Seeds, runs and returns the summary; throws when the server is not usable for the run.
    public func run() throws(CLIError) -> LoadSummary {
        let configuration = self.configuration
        let settings = configuration.settings
        let address: SocketAddress
        do {
            address = try SocketAddress(parsing: settings.server)
        } catch {
            throw .usage("the server address \"\(settings.server)\" is not HOST:PORT", path: [])
        }
        // With a shard map, one lane (at least) per shard, each connected to its shard and
        // driving businesses whose ids hash to that shard's slots (PROTOCOL.md §9).
        var shardMap: ShardMap?
        if let path = settings.shardMap {
            do {
                shardMap = try ShardMap.load(path: path)
            } catch {
                throw .usage("--shard-map: \(error.message)", path: [])
            }
        }
        let shards = shardMap?.shards ?? []
        let threads = max(configuration.threadCount, shards.count)
        guard configuration.connections >= threads else {
            throw .usage("--connections \(configuration.connections) is fewer than the \(shards.count) shards: every shard needs a connection", path: [])
        }
        var laneAddresses: [SocketAddress] = []
        for shard in shards {
            do {
                laneAddresses.append(try SocketAddress(parsing: shard.address))
            } catch {
                throw .usage("the shard map's address \"\(shard.address)\" is not HOST:PORT", path: [])
            }
        }
        let businessCount = max(configuration.businessCount, threads)
        if let problem = DescriptorLimit.raise(to: UInt64(configuration.connections + 64 + 4 * threads)) {
            throw CLIError.failure(
                "--connections \(configuration.connections) cannot be opened: \(problem)",
                hint: "Raise the limit first (`ulimit -n \(configuration.connections + 1_000)`, or LimitNOFILE= for a service), or use fewer connections.")
        }
        Socket.ignoreSIGPIPE()
        let server = try self.describeServer(address: address)
        let seedExpired =
            configuration.seedExpired ?? (configuration.mix.contains(.sendManualReminder) && server.testClock ? min(5, configuration.seedReviews / 2) : 0)
        guard seedExpired == 0 || server.testClock else {
            throw .usage("--seed-expired needs a server started with --test-clock: only its clock can be moved 5 days on", path: [])
        }
        // Ids unique per run, so runs against one server never collide.
        let runId = "load" + String(UInt64.random(in: 0..<(1 << 40)), radix: 36)
        let workflow = WorkflowSettings(
            runId: runId, mix: configuration.mix, seedReviews: configuration.seedReviews,
            seedPending: min(configuration.seedPending, configuration.seedReviews - seedExpired), seedExpired: seedExpired,
            idempotentMethods: server.idempotentMethods, key: settings.key,
            timeoutMs: UInt64(settings.timeout.components.seconds * 1_000 + settings.timeout.components.attoseconds / 1_000_000_000_000_000))
        let inboxes = (0..<threads).map { _ in TokenInbox() }
        let lanes: [Lane]
        do {
            lanes = try (0..<threads).map { (thread) throws(SystemError) in
                let engine = try LoadEngine(
                    index: thread, address: laneAddresses.isEmpty ? address : laneAddresses[thread % laneAddresses.count], connections: Self.share(configuration.connections, thread, threads),
                    concurrency: configuration.concurrency)
                engine.reconnectWindow = UInt64(configuration.reconnectWindow * 1e9)
                engine.callTimeout = UInt64(workflow.timeoutMs) * 1_000_000 + 1_000_000_000
                var owned: (@Sendable (String) -> Bool)?
                if let shardMap {
                    let name = shards[thread % shards.count].name
                    owned = { shardMap.owner(ofBusiness: $0).name == name }
                }
                let workload = WorkflowLoad(
                    thread: thread, businesses: Self.share(businessCount, thread, threads), settings: workflow, inbox: inboxes[thread],
                    ownedByLane: owned)
                return Lane(engine: engine, workload: workload)
            }
        } catch {
            throw CLIError.failure("cannot set up the event loops: \(error)")
        }
        defer { for lane in lanes { lane.engine.close() } }
        // Tokens come from the outbox of a local server whose data directory is here.
        // Sharded: each shard's outbox is DATA-DIR/<shard name>/outbox (README "Running shards").
        let hosts = laneAddresses.isEmpty ? [address] : laneAddresses
        let wantsTokens = configuration.mix.weights.contains { $0.0.needsToken } && hosts.allSatisfy { ProcessCPU.isLocal($0.host) }
            && FileManager.default.fileExists(atPath: settings.dataDirectory)
        let tokenDirectories = shards.isEmpty ? [settings.dataDirectory] : shards.map { (settings.dataDirectory as NSString).appendingPathComponent($0.name) }
        let harvesters = wantsTokens
            ? tokenDirectories.filter { FileManager.default.fileExists(atPath: $0) }.compactMap {
                TokenHarvester(dataDirectory: $0, runId: runId, inboxes: inboxes)
            } : []
        for harvester in harvesters { harvester.start() }
        defer { for harvester in harvesters { harvester.stop() } }

        // Connect.
        let failures = Self.onThreads(lanes) { lane in lane.engine.connect(timeout: 60_000_000_000) ?? "" }
        for (lane, failure) in zip(lanes, failures) where !(failure ?? "").isEmpty {
            throw self.connectError(failure!, status: lane.engine.failureStatus)
        }

        // Seed, advance the test clock, seed what must stay pending.
        let seedingStarted = DispatchTime.now()
        try self.seed(lanes, phase: .seed)
        if seedExpired > 0 {
            do {
                _ = try server.client.advanceClock(AdvanceClockRequest(seconds: Self.expiryAdvance))
            } catch {
                throw CLIError(.status(error.code), "moving the test clock 5 days on (for expired requests to remind) failed: \(error.message)")
            }
            for lane in lanes { lane.workload.clockAdvanced() }
        }
        try self.seed(lanes, phase: .seedAfterClock)
        // Idle from here on: closed, so that a server stopping during the run does not wait for it.
        server.client.close()
        if !harvesters.isEmpty {
            // Delivery runs in the server's background: wait (bounded) for the seeded requests' tokens.
            let wanted = lanes.reduce(0) { $0 + $1.workload.seededRequests }
            let deadline = DispatchTime.now() + 5
            func delivered() -> Int { harvesters.reduce(0) { $0 + $1.delivered.load(ordering: .relaxed) } }
            while delivered() < wanted && DispatchTime.now() < deadline { usleep(10_000) }
        }

        if configuration.progress {
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - seedingStarted.uptimeNanoseconds) / 1e9
            var what = "\(configuration.businessCount) business(es) with \(workflow.seedReviews) reviews, \(workflow.seedPending) pending"
            what += seedExpired > 0 ? " and \(seedExpired) expired requests each (the test clock moved 5 days on)" : " requests each"
            if !harvesters.isEmpty {
                let count = harvesters.reduce(0) { $0 + $1.delivered.load(ordering: .relaxed) }
                what += "; \(count) reply tokens read from \(harvesters.map(\.directory).joined(separator: ", "))"
            }
            self.console.error(String(format: "seeded %@ in %.2f s", what, seconds))
        }

        // The measured run.
        let measured = self.measure(lanes)

        var verification: Verification?
        if configuration.verify {
            for lane in lanes { lane.workload.startVerification() }
            _ = Self.onThreads(lanes) { lane in
                var phase = LoadPhase()
                phase.untilWorkloadDone = true
                lane.engine.run(phase, workload: lane.workload)
                return nil as Int?
            }
            var all = Verification()
            for lane in lanes { all.merge(lane.workload.verification) }
            verification = all
        }

        var stats = LoadStats()
        var substitutions: [[Int]] = lanes.first?.workload.substitutions ?? []
        for (index, lane) in lanes.enumerated() {
            stats.merge(lane.engine.stats)
            if index > 0 {
                for asked in substitutions.indices {
                    for actual in substitutions[asked].indices { substitutions[asked][actual] += lane.workload.substitutions[asked][actual] }
                }
            }
        }
        let failure = lanes.compactMap(\.engine.failure).first
        return LoadSummary(
            configuration: configuration, threads: threads, businesses: businessCount, elapsedSeconds: measured.elapsed,
            stats: stats, substitutions: substitutions, cpu: measured.cpu, verification: verification, tokensSeen: !harvesters.isEmpty,
            failure: failure)
    }

    /// `total` split over `parts`: the share of part `index`.
    static func share(_ total: Int, _ index: Int, _ parts: Int) -> Int { total / parts + (index < total % parts ? 1 : 0) }

    // MARK: phases

    /// Runs `body` for every lane on its own thread and returns their results in order;
    /// `meanwhile` is called on this thread every 100 ms until they are done.
    static func onThreads<Result: Sendable>(
        _ lanes: [Lane], meanwhile second: (() -> Void)? = nil, _ body: @escaping @Sendable (Lane) -> Result
    ) -> [Result?] {
        let results = Mutex<[Result?]>(Array(repeating: nil, count: lanes.count))
        let done = DispatchSemaphore(value: 0)
        for (index, lane) in lanes.enumerated() {
            let thread = Thread {
                let value = body(lane)
                results.withLock { $0[index] = value }
                done.signal()
            }
            thread.name = "findreviewer-load \(index)"
            thread.stackSize = 1 << 20
            thread.start()
        }
        var remaining = lanes.count
        while remaining > 0 {
            if done.wait(timeout: .now() + .milliseconds(100)) == .success { remaining -= 1 } else { second?() }
        }
        return results.withLock { $0 }
    }

    private func seed(_ lanes: [Lane], phase: WorkflowLoad.Phase) throws(CLIError) {
        for lane in lanes { lane.workload.phase = phase }
        _ = Self.onThreads(lanes) { lane in
            var seeding = LoadPhase()
            seeding.untilWorkloadDone = true
            lane.engine.run(seeding, workload: lane.workload)
            return nil as Int?
        }
        if let failure = lanes.compactMap(\.engine.failure).first { throw self.connectError(failure, status: .unavailable) }
        if let (status, message) = lanes.compactMap(\.workload.seedFailure).first {
            var error = CLIError(.status(status), "seeding the load test's data failed: \(status.name): \(message)")
            switch status {
            case .unauthenticated, .permissionDenied:
                error.hint = "The load tool calls ingest and business methods: it needs an admin key (\(self.configuration.settings.keySource))."
            case .resourceExhausted:
                error.hint = "The server refused calls: --concurrency may exceed its --max-calls-per-connection (default 256)."
            default: break
            }
            throw error
        }
    }

    /// CPU used in the measured window.
    public struct CPUFigures: Sendable {
        /// This process, every thread.
        public var toolSeconds: Double
        /// Of which in the kernel (system calls: mostly loopback TCP).
        public var toolSystemSeconds: Double
        /// The server's process, when it is local and known.
        public var serverSeconds: Double?
        public var serverPid: Int32?
    }

    private func measure(_ lanes: [Lane]) -> (elapsed: Double, cpu: CPUFigures) {
        let configuration = self.configuration
        let clock = lanes[0].engine.clock
        let start = clock.now() + 2_000_000
        let measureFrom = start + UInt64(configuration.warmup * 1e9)
        let issueUntil = configuration.requests == nil ? measureFrom + UInt64(configuration.duration * 1e9) : UInt64.max
        let pid = self.serverPid
        for lane in lanes { lane.workload.phase = .run }

        final class Window: @unchecked Sendable {
            var toolAtStart = (user: 0.0, system: 0.0)
            var serverAtStart: Double?
            var started = false
            var tick = 1
            var total: UInt64 = 0
        }
        let window = Window()
        let sampleStart = {
            window.toolAtStart = ProcessCPU.ownUserAndSystemSeconds()
            window.serverAtStart = pid.flatMap { ProcessCPU.seconds(of: $0) }
            window.started = true
        }
        if configuration.warmup == 0 { sampleStart() }
        let threads = lanes.count
        _ = Self.onThreads(
            lanes,
            meanwhile: {
                let now = clock.now()
                if !window.started && now >= measureFrom { sampleStart() }
                guard now >= start + UInt64(window.tick) * 1_000_000_000 else { return }
                var interval = LatencyHistogram()
                var errors = 0
                for lane in lanes { errors += lane.engine.progress.collect(into: &interval) }
                window.total += interval.count
                if configuration.progress {
                    let warm = start + UInt64(window.tick) * 1_000_000_000 <= measureFrom ? "  (warm-up)" : ""
                    self.console.error(
                        String(
                            format: "[%3ds] %@ calls/s  p50 %@ ms  p99 %@ ms  errors %d  total %@%@", window.tick, ToolText.count(interval.count),
                            Self.milliseconds(interval.value(atPercentile: 50)), Self.milliseconds(interval.value(atPercentile: 99)), errors,
                            ToolText.count(window.total), warm))
                }
                window.tick = Int((now - start) / 1_000_000_000) + 1
            }
        ) { lane in
            var phase = LoadPhase()
            if let rate = configuration.rate {
                let schedule = OpenLoopPacer(start: start, rate: rate, thread: lane.engine.index, threads: threads)
                // --requests counts calls after the warm-up: the warm-up's due calls come on top.
                let limit = configuration.requests.map { Self.share($0, lane.engine.index, threads) + schedule.missed(before: measureFrom) }
                phase.pacing = .open(OpenLoopPacer(start: start, rate: rate, thread: lane.engine.index, threads: threads, limit: limit))
            }
            phase.measureFrom = measureFrom
            phase.issueUntil = issueUntil
            phase.callLimit = configuration.requests.map { Self.share($0, lane.engine.index, threads) }
            phase.drainTimeout = lane.engine.callTimeout
            phase.reportsProgress = true
            phase.stop = configuration.stop
            lane.engine.run(phase, workload: lane.workload)
            return nil as Int?
        }
        if !window.started { sampleStart() }
        let toolNow = ProcessCPU.ownUserAndSystemSeconds()
        let tool = (user: toolNow.user - window.toolAtStart.user, system: toolNow.system - window.toolAtStart.system)
        let server = window.serverAtStart.flatMap { before in pid.flatMap { ProcessCPU.seconds(of: $0) }.map { $0 - before } }
        let last = lanes.map(\.engine.lastCompletion).max() ?? 0
        let elapsed = last > measureFrom ? Double(last - measureFrom) / 1e9 : configuration.duration
        return (elapsed, CPUFigures(toolSeconds: tool.user + tool.system, toolSystemSeconds: tool.system, serverSeconds: server, serverPid: server == nil ? nil : pid))
    }

    // MARK: the server

    /// What the run needs from the server before it starts.
    struct ServerFacts {
        var client: FindReviewerClient
        var idempotentMethods: Set<String>
        var testClock: Bool
    }

    /// The server's idempotent methods (GetServerInfo) and, when the mix reminds, whether it
    /// has a test clock (GetClock).
    private func describeServer(address: SocketAddress) throws(CLIError) -> ServerFacts {
        let settings = self.configuration.settings
        let client: FindReviewerClient
        do {
            if let path = settings.shardMap {
                // The test clock moves on every shard; GetServerInfo asks the first.
                client = try FindReviewerClient(router: ShardRouter(mapFile: path, key: settings.key), timeout: settings.timeout)
            } else {
                client = try FindReviewerClient(address: settings.server, key: settings.key, timeout: settings.timeout)
            }
        } catch {
            throw .usage("the server address \"\(settings.server)\" is not HOST:PORT", path: [])
        }
        do {
            let info = try client.getServerInfo()
            let idempotent = Set(info.services.flatMap { $0.methods.filter(\.idempotent).map(\.fullName) })
            var testClock = false
            if self.configuration.mix.contains(.sendManualReminder) { testClock = try client.getClock(GetClockRequest()).testClock }
            return ServerFacts(client: client, idempotentMethods: idempotent, testClock: testClock)
        } catch {
            var cliError = CLIError(.status(error.code), "asking the server what it serves (GetServerInfo) failed: \(error.code.name): \(error.message)")
            switch error.code {
            case .unavailable: cliError.hint = "Is the server running at \(settings.server)? Start it with `make run`, or pass --server."
            case .unauthenticated, .permissionDenied:
                cliError.hint = "The load tool calls ingest and business methods: it needs an admin key (\(settings.keySource))."
            default: break
            }
            throw cliError
        }
    }

    /// The server's process id: given, or found from the listening port when the server is local.
    private var serverPid: Int32? {
        if let pid = self.configuration.serverPid { return pid }
        // Several shard processes: no one server's CPU time to report.
        if self.configuration.settings.shardMap != nil { return nil }
        guard let address = try? SocketAddress(parsing: self.configuration.settings.server), ProcessCPU.isLocal(address.host) else { return nil }
        return ProcessCPU.listeningProcess(port: address.port)
    }

    private func connectError(_ message: String, status: StatusCode) -> CLIError {
        var error = CLIError(.status(status), message)
        switch status {
        case .resourceExhausted:
            error.hint = "The server limits its connections (--max-connections, default 1024): start it with a higher one, or use fewer --connections."
        case .unavailable:
            error.hint = "Is the server running at \(self.configuration.settings.server)? Start it with `make run`, or pass --server."
        default: break
        }
        return error
    }

    /// `1.234`.
    static func milliseconds(_ nanoseconds: UInt64) -> String { String(format: "%.3f", Double(nanoseconds) / 1e6) }
}
