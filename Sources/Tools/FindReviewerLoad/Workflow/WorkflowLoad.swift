import Messages
import RPC

/// What every thread's workflow needs to know about the run.
struct WorkflowSettings: Sendable {
    /// Unique per run: business ids and idempotency keys start with it, so runs never collide.
    var runId: String
    var mix: LoadMix
    /// Reviews each business publishes while seeding.
    var seedReviews: Int
    /// Requests each business creates after the clock was advanced (left pending).
    var seedPending: Int
    /// Requests each business creates before the test clock is advanced by 5 days (they expire).
    var seedExpired: Int
    /// Full names of the methods the server's GetServerInfo marks idempotent.
    var idempotentMethods: Set<String>
    /// The API key, and the deadline each call carries.
    var key: String?
    var timeoutMs: UInt64
}

/// The Find Reviewer workflow as a ``LoadWorkload``, for one engine thread and the businesses
/// it owns: seeding in stages, the measured mix (every call valid against what the server
/// acknowledged so far), and the verification of every acknowledged write.
final class WorkflowLoad: LoadWorkload {
    /// What the workload does now.
    enum Phase {
        /// Businesses, reviewer, reviews; requests that are to expire.
        case seed
        /// Pending requests, after the clock was advanced.
        case seedAfterClock
        /// The measured mix.
        case run
        /// Reading back every acknowledged write.
        case verify
    }

    let thread: Int
    let settings: WorkflowSettings
    var businesses: [LoadBusiness]
    var encoder: CallEncoder
    var phase = Phase.seed
    private var random: UInt64
    var cursor = 0
    /// Tokens the outbox reader found, handed over from its thread.
    let inbox: TokenInbox
    /// Why seeding failed (the first failed seed call).
    var seedFailure: (status: StatusCode, message: String)?
    /// Calls that ran another operation than the mix asked for: [asked][actual], counted calls only.
    var substitutions: [[Int]] = Array(
        repeating: Array(repeating: 0, count: LoadOperation.allCases.count), count: LoadOperation.allCases.count)
    /// The verification's checks and findings.
    var verification = Verification()
    private var checkFrame: [UInt8] = []
    /// Whether the server marks each operation's method idempotent, by ``LoadOperation/rawValue``.
    private let idempotent: [Bool]

    /// `ownedByLane`: with a shard map, whether a business id belongs to the shard this lane's engine calls.
    init(thread: Int, businesses: Int, settings: WorkflowSettings, inbox: TokenInbox, ownedByLane: ((String) -> Bool)? = nil) {
        self.thread = thread
        self.settings = settings
        self.inbox = inbox
        self.businesses = (0..<businesses).map { LoadBusiness(index: Int32($0), runId: settings.runId, thread: thread, owned: ownedByLane) }
        self.encoder = CallEncoder(key: settings.key, timeoutMs: settings.timeoutMs)
        self.idempotent = LoadOperation.allCases.map { settings.idempotentMethods.contains($0.method) }
        // xorshift64* seeded per thread; any non-zero seed works.
        self.random = 0x9E37_79B9_7F4A_7C15 &* UInt64(thread + 1) | 1
        self.checkFrame = self.encoder.frame(.check, HealthCheckRequest())
    }

    /// A fast pseudo-random number (xorshift64*): the mix needs spread, not security.
    @inline(__always)
    func nextRandom() -> UInt64 {
        self.random ^= self.random >> 12
        self.random ^= self.random << 25
        self.random ^= self.random >> 27
        return self.random &* 0x2545_F491_4F6C_DD1D
    }

    /// Whether a call of `operation` (with or without an idempotency key) may be sent again.
    @inline(__always)
    func retriable(_ operation: LoadOperation, keyed: Bool = false) -> Bool {
        keyed || self.idempotent[operation.rawValue]
    }

    func call(_ operation: LoadOperation, _ frame: [UInt8], business: LoadBusiness, entity: Int32 = 0, detail: Int32 = 0, keyed: Bool = false)
        -> LoadCall
    {
        LoadCall(
            operation: operation, frame: frame, retriable: self.retriable(operation, keyed: keyed), business: business.index, entity: entity,
            detail: detail)
    }

    // MARK: LoadWorkload

    var isDone: Bool {
        switch self.phase {
        case .seed: return self.seedFailure != nil || self.businesses.allSatisfy { $0.stage >= 4 }
        case .seedAfterClock: return self.seedFailure != nil || self.businesses.allSatisfy { $0.stage >= 5 }
        case .run: return false
        case .verify: return self.verification.isDone
        }
    }

    func poll() {
        guard self.inbox.hasMail else { return }
        for note in self.inbox.take() where Int(note.business) < self.businesses.count {
            self.businesses[Int(note.business)].tokenArrived(note.request, note.token)
        }
    }

    func nextCall() -> LoadCall? {
        switch self.phase {
        case .seed, .seedAfterClock: return self.nextSeedCall()
        case .run:
            let business = self.businesses[Int(self.nextRandom() % UInt64(self.businesses.count))]
            let operation = self.settings.mix.pick(self.nextRandom())
            var call = self.makeCall(operation, business)
            call.asked = operation
            return call
        case .verify: return self.nextCheck()
        }
    }

    func finished(_ call: LoadCall, _ outcome: LoadOutcome) {
        switch self.phase {
        case .seed, .seedAfterClock: self.seedFinished(call, outcome)
        case .run:
            if call.measured && call.asked != call.operation { self.substitutions[call.asked.rawValue][call.operation.rawValue] += 1 }
            self.applied(call, outcome)
        case .verify: self.checkFinished(call, outcome)
        }
    }

    /// The Health/Check frame (no key needed, no business).
    var healthCheckCall: LoadCall { LoadCall(operation: .check, frame: self.checkFrame, retriable: true) }

    /// Requests to expire: after the clock moved, the tool knows them as expired.
    func clockAdvanced() {
        for business in self.businesses {
            for index in business.requests.indices where business.requests[index].seededToExpire && business.requests[index].status == .pending {
                business.requests[index].status = .expired
                business.pending.remove(Int32(index))
                business.replyable.remove(Int32(index))
                business.expired.insert(Int32(index))
            }
        }
    }

    /// Seeded requests whose token has arrived so far.
    var seededTokens: Int { self.businesses.reduce(0) { $0 + $1.requests.filter { !$0.token.isEmpty }.count } }

    /// Seeded requests (all of them want a token).
    var seededRequests: Int { self.businesses.reduce(0) { $0 + $1.requests.count } }
}
