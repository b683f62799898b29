// Durability figures for `make bench` (scripts/bench-durability.sh), release build only.
//
//   durability-bench writes ADDRESS KEY SECONDS [N…]   durable CreateInfoRequest/s, 1 and 50 clients (or N…)
//   durability-bench generate DIR REQUESTS             a data directory with that many requests, snapshotted
//   durability-bench recover DIR                       recovery time and resident memory for DIR
//   durability-bench snapshot-load ADDRESS KEY SECONDS read p99 without and during a snapshot
import BenchSupport
import Credentials
import Dispatch
import FindReviewerClient
import FindReviewerDomain
import FindReviewerEngine
import FindReviewerServer
import Foundation
import Messages
import RPC
import Transport
import Synchronization

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("durability-bench: \(message)\n".utf8))
    exit(2)
}

func seconds(since start: DispatchTime) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }

func percentile(_ sorted: [UInt64], _ p: Double) -> Double {
    sorted.isEmpty ? 0 : Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))])
}

/// Resident memory of this process in bytes (VmRSS).
func residentBytes() -> Int {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1_024
    }
    return 0
}

final class Collector: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [UInt64] = []
    private var errors = 0
    func add(_ batch: [UInt64], errors: Int) {
        self.lock.withLock {
            self.values += batch
            self.errors += errors
        }
    }
    var result: ([UInt64], Int) { self.lock.withLock { (self.values.sorted(), self.errors) } }
}

let message = "Hello! We cannot find your booking. Could you share your booking number and name?"

/// Seeds `reviews` reviews for `business` with 50 clients; returns their ids.
func seed(_ address: String, _ key: String, business: String, reviews: Int) throws -> [String] {
    let admin = try FindReviewerClient(address: address, key: key, connections: 4)
    _ = try admin.upsertBusiness(UpsertBusinessRequest(business: Business(id: business, displayName: "Bench \(business)", notificationEmail: "b@bench.example")))
    _ = try admin.acknowledgeIntroduction(AcknowledgeIntroductionRequest(businessId: business))
    _ = try admin.upsertReviewer(UpsertReviewerRequest(reviewer: Reviewer(id: "\(business)-reviewer", displayName: "R", email: "r@bench.example")))
    let ids = (0..<reviews).map { "\(business)-review-\($0)" }
    let group = DispatchGroup()
    for worker in 0..<50 {
        let thread = Thread {
            for index in stride(from: worker, to: ids.count, by: 50) {
                _ = try? admin.publishReview(PublishReviewRequest(review: Review(
                    id: ids[index], businessId: business, reviewerId: "\(business)-reviewer", rating: 2, title: "Bench",
                    text: "A review to ask about.", createdAt: 1_700_000_000, source: .organic)))
            }
            group.leave()
        }
        group.enter()
        thread.start()
    }
    group.wait()
    return ids
}

// Recovery is measured in this process: with the allocator settings the server runs with.
AllocatorTuning.reexecuteIfNeeded()
let arguments = CommandLine.arguments
guard arguments.count >= 3 else { fail("usage: see the comment at the top of Sources/Benchmarks/durability-bench/main.swift") }
/// `generate`'s one business creates every request at one test-clock time, and `recover`
/// creates more on the state it loaded: fair-use limits above any count here.
let benchSettings = DomainSettings(maxRequestsPerDayFree: 1 << 40, maxRequestsPerDayPaid: 1 << 40)

switch arguments[1] {
case "writes":
    guard arguments.count >= 5, let duration = Double(arguments[4]) else { fail("writes ADDRESS KEY SECONDS [CLIENTS...]") }
    let (address, key) = (arguments[2], arguments[3])
    let counts = arguments.count > 5 ? arguments[5...].compactMap { Int($0) } : [1, 50]
    for clients in counts {
        let business = "bench-\(clients)-\(UInt32.random(in: 0...UInt32.max))"
        let seedStart = DispatchTime.now()
        // DURABILITY_BENCH_REVIEWS: fewer reviews, for a server run under valgrind.
        let count = ProcessInfo.processInfo.environment["DURABILITY_BENCH_REVIEWS"].flatMap { Int($0) } ?? (clients == 1 ? 40_000 : 200_000)
        let reviews = try seed(address, key, business: business, reviews: count)
        let seedRate = Double(reviews.count) / seconds(since: seedStart)
        // Requests encoded up front; one event-loop thread keeps `clients` connections busy (as redis-benchmark does).
        let payloads = try reviews.map { review in
            try CreateInfoRequestRequest(
                businessId: business, reviewId: review, message: message, requestedFields: [.referenceNumber, .fullName],
                referenceLabel: "Booking number"
            ).serializedBytes()
        }
        guard let socketAddress = try? SocketAddress(parsing: address) else { fail("bad address \(address)") }
        // For profiling scripts: the measured window starts now.
        FileHandle.standardError.write(Data("measuring \(clients) client(s) for \(duration) s\n".utf8))
        let result = eventLoopLoad(
            address: socketAddress, connections: clients, inFlight: 1, seconds: duration,
            method: "findreviewer.v1.FindReviewer/CreateInfoRequest", metadata: [MetadataEntry(key: "authorization", value: "Bearer \(key)")]
        ) { call in call < payloads.count ? payloads[call] : payloads[payloads.count - 1] }
        if result.latencies.count >= payloads.count { print("warning: ran out of seeded reviews; later calls were refused") }
        // Refusals are cheap: a run that measured them is not a figure of durable writes.
        if result.errors * 100 > result.latencies.count { fail("\(result.errors) of \(result.latencies.count) creates were refused; is the server's fair-use limit (--max-requests-per-day-free) above the count?") }
        print(String(format: "durable CreateInfoRequest, %d client(s): %.0f/s p50 %llu us p99 %llu us errors %d (seeding PublishReview, 50 clients: %.0f/s)",
            clients, result.rate, result.percentile(0.5), result.percentile(0.99), result.errors, seedRate))
        print("RESULT_CREATE_\(clients) \(Int(result.rate))")
        print("RESULT_CREATE_P50_US_\(clients) \(result.percentile(0.5))")
        print("RESULT_CREATE_ERRORS_\(clients) \(result.errors) \(result.latencies.count)")
    }
case "generate":
    guard arguments.count == 4, let count = Int(arguments[3]) else { fail("generate DIR REQUESTS") }
    let logger = Logger(level: .warn, format: .text)
    let (storage, state) = try Storage.open(dataDirectory: arguments[2], settings: benchSettings, logger: logger)
    let service = FindReviewerService(state: state, clock: .test(start: 1_800_000_000), keys: KeysFile.generated(), eventLog: storage, logger: logger)
    storage.attach(service.engine)
    let start = DispatchTime.now()
    service.executeInternal(.upsertBusiness(FindReviewerDomain.Business(id: "gen", displayName: "Generated", notificationEmail: "g@gen.example")))
    service.executeInternal(.acknowledgeIntroduction(businessId: "gen"))
    for index in 0..<count {
        let reviewer = "gen-reviewer-\(index % 100_000)"
        if index < 100_000 {
            service.executeInternal(.upsertReviewer(FindReviewerDomain.Reviewer(id: reviewer, displayName: "Reviewer \(index)", email: "r\(index)@gen.example")))
        }
        let review = "gen-review-\(index)"
        service.executeInternal(.publishReview(FindReviewerDomain.Review(
            id: review, businessId: "gen", reviewerId: reviewer, rating: 2, title: "Generated", text: "A generated review.",
            createdAt: 1_700_000_000, source: .organic)))
        let result = service.executeInternal(.createRequest(DomainCommand.CreateRequest(
            businessId: "gen", reviewId: review, message: message, requestedFields: [.referenceNumber, .fullName],
            referenceLabel: "Booking number", token: TokenSource.shared.next())))
        guard case .success(let events) = result else { fail("create \(index): \(result)") }
        // Its email counts as sent, so that the server measured later has no delivery backlog.
        for case .requestCreated(let created) in events { service.executeInternal(.markDelivered(outboxId: created.outboxId)) }
    }
    print(String(format: "generated %d requests (with as many reviews) through the journal in %.1f s", count, seconds(since: start)))
    let snapshotStart = DispatchTime.now()
    let snapshot = try storage.snapshot()
    let snapshotSeconds = seconds(since: snapshotStart)
    print(String(format: "snapshot of %d requests: %.2f s, %.0f MiB (%@)", count, snapshotSeconds, Double(snapshot.sizeBytes) / 1_048_576, snapshot.path))
    print("RESULT_GENERATE_SNAPSHOT_SECONDS \(snapshotSeconds)")
    storage.stop()
case "recover":
    let before = residentBytes()
    let start = DispatchTime.now()
    let (storage, state) = try Storage.open(dataDirectory: arguments[2], settings: benchSettings, logger: Logger(level: .warn, format: .text))
    let elapsed = seconds(since: start)
    let after = residentBytes()
    let text = state.requests.values.reduce(0) { $0 + $1.message.utf8.count + $1.referenceLabel.utf8.count }
        + state.reviews.values.reduce(0) { $0 + $1.title.utf8.count + $1.text.utf8.count }
    let requests = max(1, state.requests.count)
    print(String(format: "recovery of %d requests: %.2f s", state.requests.count, elapsed))
    print(String(format: "resident memory for them: %.0f MiB = %.0f bytes per request (incl. its review); their text %.0f bytes per request; beyond the text %.0f bytes",
        Double(after - before) / 1_048_576, Double(after - before) / Double(requests), Double(text) / Double(requests),
        Double(after - before - text) / Double(requests)))
    print("RESULT_RECOVERY_SECONDS \(elapsed)")
    print("RESULT_RESIDENT_BYTES_PER_REQUEST \((after - before) / requests)")
    print("RESULT_TEXT_BYTES_PER_REQUEST \(text / requests)")
    print("RESULT_BEYOND_TEXT_BYTES_PER_REQUEST \((after - before - text) / requests)")
    // What a snapshot's copy of the state costs the writes after it: each write copies what it
    // touches while the copy is alive (chunks of tables and lists, index shards).
    // (On a directory made by `generate`: business "gen", reviewer "gen-reviewer-1".)
    var live = state
    let copy = live
    let firstWrites = state.businesses["gen"] == nil ? [] : try withExtendedLifetime(copy) {
        try (0..<3).map { index -> Double in
            let start = DispatchTime.now()
            live.apply(try live.execute(.publishReview(FindReviewerDomain.Review(
                id: "after-copy-\(index)", businessId: "gen", reviewerId: "gen-reviewer-1", rating: 2, title: "After the copy",
                text: "A review published while a snapshot is written.", createdAt: 1_700_000_000, source: .organic)), now: 1_800_000_000))
            live.apply(try live.execute(.createRequest(DomainCommand.CreateRequest(
                businessId: "gen", reviewId: "after-copy-\(index)", message: message, requestedFields: [.fullName],
                referenceLabel: "", token: TokenSource.shared.next())), now: 1_800_000_000))
            return seconds(since: start) * 1_000
        }
    }
    print(String(format: "publish + create right after a snapshot's copy of the state: %@ ms (the first pays for what it copies)",
        firstWrites.map { String(format: "%.2f", $0) }.joined(separator: ", ")))
    storage.stop()
case "snapshot-load":
    guard arguments.count == 5, let duration = Double(arguments[4]) else { fail("snapshot-load ADDRESS KEY SECONDS") }
    let (address, key) = (arguments[2], arguments[3])
    let client = try FindReviewerClient(address: address, key: key, connections: 8, timeout: .seconds(60))
    func requestId(_ number: Int) -> String {
        let digits = String(number)
        return "req_" + String(repeating: "0", count: 8 - digits.count) + digits
    }
    let ids = (0..<1_000).map { requestId($0 * 997 + 1) }
    // Reads from 16 threads; latencies tagged with their end time.
    let stop = Mutex(false)
    let samples = Mutex<[(end: UInt64, micros: UInt64)]>([])
    let group = DispatchGroup()
    for worker in 0..<16 {
        group.enter()
        Thread {
            var local: [(UInt64, UInt64)] = []
            var index = worker
            while !stop.withLock({ $0 }) {
                let begin = DispatchTime.now().uptimeNanoseconds
                _ = try? client.getInfoRequest(GetInfoRequestRequest(businessId: "gen", requestId: ids[index % ids.count]))
                let end = DispatchTime.now().uptimeNanoseconds
                local.append((end, (end - begin) / 1_000))
                index += 16
            }
            samples.withLock { $0 += local }
            group.leave()
        }.start()
    }
    let baselineStart = DispatchTime.now().uptimeNanoseconds
    Thread.sleep(forTimeInterval: duration)  // a measurement window, not a wait for logic
    let snapshotStart = DispatchTime.now().uptimeNanoseconds
    let snapshot = try client.triggerSnapshot(TriggerSnapshotRequest())
    let snapshotEnd = DispatchTime.now().uptimeNanoseconds
    stop.withLock { $0 = true }
    group.wait()
    let tagged = samples.withLock { $0 }
    let baseline = tagged.filter { $0.end >= baselineStart && $0.end < snapshotStart }.map(\.micros).sorted()
    let during = tagged.filter { $0.end >= snapshotStart && $0.end <= snapshotEnd }.map(\.micros).sorted()
    print(String(format: "snapshot while serving: %.2f s for sequence %llu (%.0f MiB)", Double(snapshotEnd - snapshotStart) / 1e9, snapshot.sequence, Double(snapshot.sizeBytes) / 1_048_576))
    print(String(format: "GetInfoRequest, 16 threads: p99 %.0f us before (%d reads), %.0f us during the snapshot (%d reads): ratio %.2f",
        percentile(baseline, 0.99), baseline.count, percentile(during, 0.99), during.count, percentile(during, 0.99) / max(1, percentile(baseline, 0.99))))
    print("RESULT_SNAPSHOT_SECONDS \(Double(snapshotEnd - snapshotStart) / 1e9)")
    print("RESULT_READ_P99_BEFORE_US \(percentile(baseline, 0.99))")
    print("RESULT_READ_P99_DURING_US \(percentile(during, 0.99))")
default:
    fail("unknown mode \(arguments[1])")
}
