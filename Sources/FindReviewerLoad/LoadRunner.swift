import Dispatch
import FindReviewerClient
import Foundation
import Glibc
import RPC
import Synchronization
import ToolSupport

/// What to run: where, which mix, how many callers, for how long, at which rate.
public struct LoadConfiguration: Sendable {
    /// Server, key, deadline.
    public var settings: ConnectionSettings
    /// The operations and their weights.
    public var mix: LoadMix
    /// TCP connections.
    public var connections: Int = 10
    /// Calls in flight on each connection (one thread each).
    public var concurrency: Int = 1
    /// Run for this long (seconds), unless ``requests`` is set.
    public var duration: Double = 10
    /// Stop after this many calls instead of after ``duration``.
    public var requests: Int?
    /// Open loop: start calls at this fixed rate (per second, all threads together); nil is closed loop.
    public var rate: Double?
    /// Reviews (and requests on them) each worker seeds before the run.
    public var seedReviews: Int = 20
    public var seedRequests: Int = 5
    /// Print a progress line each second on standard error.
    public var progress: Bool = true

    /// Creates a configuration.
    public init(settings: ConnectionSettings, mix: LoadMix) {
        self.settings = settings
        self.mix = mix
    }

    /// Threads the run uses: one per call in flight.
    public var workers: Int { self.connections * self.concurrency }
}

/// Runs a load test: seeds, then drives the mix from one dedicated thread per call in flight
/// (blocking calls, never on Swift's cooperative pool), and gathers the statistics.
///
/// Closed loop: each thread starts its next call when the previous one ends. Open loop
/// (`rate`): call `i` is due at `start + i / rate`; a thread takes the next due call, waits for
/// its time if early, and its latency counts from the due time, so a server that falls behind
/// shows its queueing in the figures instead of slowing the arrivals.
public final class LoadRunner: Sendable {
    /// What it runs.
    public let configuration: LoadConfiguration
    private let console: Console

    /// Creates a runner writing progress to `console`.
    public init(configuration: LoadConfiguration, console: Console) {
        self.configuration = configuration
        self.console = console
    }

    /// Seeds, runs and returns the summary; throws when seeding fails (the server is not usable).
    public func run() throws(CLIError) -> LoadSummary {
        let configuration = self.configuration
        let clients: [FindReviewerClient]
        do {
            clients = try (0..<configuration.connections).map { _ throws(RPCError) in
                try FindReviewerClient(address: configuration.settings.server, key: configuration.settings.key, timeout: configuration.settings.timeout)
            }
        } catch {
            throw .usage("the server address \"\(configuration.settings.server)\" is not HOST:PORT", path: [])
        }
        defer { for client in clients { client.rpc.close() } }
        // Ids unique per run, so runs against one server never collide.
        let runId = "load-" + String(UInt64.random(in: 0..<(1 << 40)), radix: 36)
        let workers = (0..<configuration.workers).map { index in
            LoadWorker(index: index, client: clients[index % configuration.connections], runId: runId)
        }
        try self.seed(workers)

        let shared = SharedState()
        let startNanos = DispatchTime.now().uptimeNanoseconds
        let endNanos = configuration.requests == nil ? startNanos + UInt64(configuration.duration * 1e9) : UInt64.max
        let intervalNanos = configuration.rate.map { 1e9 / $0 }
        let finished = DispatchSemaphore(value: 0)
        for worker in workers {
            let thread = Thread {
                self.drive(worker, shared: shared, start: startNanos, end: endNanos, interval: intervalNanos)
                finished.signal()
            }
            thread.stackSize = 512 << 10
            thread.start()
        }

        // Progress once a second until every worker has stopped.
        var running = workers.count
        var tick = 1
        var lastTotal: UInt64 = 0
        while running > 0 {
            let tickAt = startNanos + UInt64(tick) * 1_000_000_000
            while running > 0, finished.wait(timeout: DispatchTime(uptimeNanoseconds: tickAt)) == .success { running -= 1 }
            if DispatchTime.now().uptimeNanoseconds >= endNanos { shared.stop.store(true, ordering: .relaxed) }
            guard running > 0 || DispatchTime.now().uptimeNanoseconds >= tickAt else { break }
            var interval = LatencyHistogram()
            var errors = 0
            for worker in workers {
                worker.stats.withLock { stats in
                    interval.merge(stats.interval)
                    stats.interval = LatencyHistogram()
                    errors += stats.errors.values.reduce(0, +)
                }
            }
            lastTotal += interval.count
            if configuration.progress && running > 0 {
                self.console.error(
                    String(
                        format: "[%3ds] %@ calls/s  p50 %@ ms  p99 %@ ms  errors %d  total %@", tick, ToolText.count(interval.count),
                        Self.milliseconds(interval.value(atPercentile: 50)), Self.milliseconds(interval.value(atPercentile: 99)), errors,
                        ToolText.count(lastTotal)))
            }
            tick += 1
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - startNanos) / 1e9

        var total = LoadStats()
        for worker in workers {
            worker.stats.withLock { stats in
                total.total.merge(stats.total)
                for (code, count) in stats.errors { total.errors[code, default: 0] += count }
                for (code, sample) in stats.errorSamples where total.errorSamples[code] == nil { total.errorSamples[code] = sample }
                for (operation, count) in stats.methods { total.methods[operation, default: 0] += count }
            }
        }
        var missed = 0
        if let rate = configuration.rate, configuration.requests == nil {
            let due = Int((configuration.duration * rate).rounded(.up))
            missed = max(0, due - Int(total.total.count))
        }
        return LoadSummary(
            configuration: configuration, elapsedSeconds: elapsed, latency: total.total, errors: total.errors,
            errorSamples: total.errorSamples, methods: total.methods, missed: missed)
    }

    /// Seeds every worker's data in parallel, on the workers' own threads-to-be.
    private func seed(_ workers: [LoadWorker]) throws(CLIError) {
        let failure = Mutex<RPCError?>(nil)
        let done = DispatchSemaphore(value: 0)
        let configuration = self.configuration
        for worker in workers {
            let thread = Thread {
                do throws(RPCError) {
                    try worker.seed(reviews: configuration.seedReviews, requests: configuration.seedRequests)
                } catch {
                    failure.withLock { if $0 == nil { $0 = error } }
                }
                done.signal()
            }
            thread.stackSize = 512 << 10
            thread.start()
        }
        for _ in workers { done.wait() }
        if let error = failure.withLock({ $0 }) {
            var cliError = CLIError(.status(error.code), "seeding the load test's data failed: \(error.code.name): \(error.message)")
            switch error.code {
            case .unavailable: cliError.hint = "Is the server running at \(configuration.settings.server)? Start it with `make run`, or pass --server."
            case .unauthenticated, .permissionDenied:
                cliError.hint = "The load tool calls ingest and business methods: it needs an admin key (\(configuration.settings.keySource))."
            default: break
            }
            throw cliError
        }
    }

    /// One worker's loop.
    private func drive(_ worker: LoadWorker, shared: SharedState, start: UInt64, end: UInt64, interval: Double?) {
        let configuration = self.configuration
        while !shared.stop.load(ordering: .relaxed) {
            var began: UInt64
            if let limit = configuration.requests {
                let ticket = shared.issued.wrappingAdd(1, ordering: .relaxed).oldValue
                if ticket >= limit { break }
                began = interval.map { start + UInt64(Double(ticket) * $0) } ?? DispatchTime.now().uptimeNanoseconds
            } else if let interval {
                let ticket = shared.issued.wrappingAdd(1, ordering: .relaxed).oldValue
                began = start + UInt64(Double(ticket) * interval)
                if began >= end { break }
            } else {
                began = DispatchTime.now().uptimeNanoseconds
                if began >= end { break }
            }
            if interval != nil {
                // Open loop: wait for the call's due time; if late, start at once and count from due.
                let now = DispatchTime.now().uptimeNanoseconds
                if began > now {
                    var pause = timespec(tv_sec: Int((began - now) / 1_000_000_000), tv_nsec: Int((began - now) % 1_000_000_000))
                    var rest = timespec()
                    while nanosleep(&pause, &rest) == -1 && errno == EINTR { pause = rest }
                }
            }
            let operation = configuration.mix.pick(worker.nextRandom())
            let (actual, error) = worker.execute(operation)
            let finished = DispatchTime.now().uptimeNanoseconds
            worker.stats.withLock { $0.record(actual, nanoseconds: finished &- began, error: error) }
        }
    }

    /// `1.234`.
    static func milliseconds(_ nanoseconds: UInt64) -> String { String(format: "%.3f", Double(nanoseconds) / 1e6) }

    /// Counters all worker threads share.
    private final class SharedState: Sendable {
        let issued = Atomic<Int>(0)
        let stop = Atomic<Bool>(false)
    }
}
