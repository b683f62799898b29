import RPC

/// One call the engine sends: its whole REQUEST frame (encoded once, the call id patched in at
/// send time), whether it may be sent again after UNAVAILABLE or a lost connection, and the
/// workload's own references to what it is about.
public struct LoadCall: Sendable {
    /// What it is, for the figures.
    public var operation: LoadOperation
    /// What the mix asked for, when the workload had to call something else first (a withdrawal
    /// with nothing pending to withdraw creates a request instead).
    public var asked: LoadOperation
    /// The REQUEST frame with call id 0; bytes 8..<12 get the call id when it is sent.
    public var frame: [UInt8]
    /// True when a retry can never apply the call twice: the server marks the method idempotent,
    /// or the call carries an idempotency-key.
    public var retriable: Bool
    /// The workload's references (a business, an entity, anything).
    public var business: Int32
    public var entity: Int32
    public var detail: Int32
    /// When it was meant to start: the due time in open loop, the send time in closed loop.
    /// Latency counts from here, across retries.
    public internal(set) var intendedStart: UInt64 = 0
    /// When the current attempt was written.
    var sentAt: UInt64 = 0
    /// Attempts made so far.
    public internal(set) var attempts: UInt16 = 0
    /// Whether it counts in the figures (started after the warm-up, in the measured phase).
    var measured = false

    /// A call of `operation` sending `frame`.
    public init(operation: LoadOperation, frame: [UInt8], retriable: Bool, business: Int32 = 0, entity: Int32 = 0, detail: Int32 = 0) {
        self.operation = operation
        self.asked = operation
        self.frame = frame
        self.retriable = retriable
        self.business = business
        self.entity = entity
        self.detail = detail
    }
}

/// How a call ended, as the workload is told.
public struct LoadOutcome {
    /// OK, the server's status, or a local one (UNAVAILABLE for a lost connection,
    /// DEADLINE_EXCEEDED for no answer in time).
    public var status: StatusCode
    /// The status message; empty for OK.
    public var message: String
    /// The response message for OK (valid only during the call that receives it).
    public var payload: UnsafeRawBufferPointer
    /// When the answer (or the failure) arrived.
    public var at: UInt64
}

/// What the engine drives: a source of calls and a sink for their outcomes. One workload per
/// engine thread, called only on that thread.
public protocol LoadWorkload: AnyObject {
    /// The next call to start, or nil when none can start until another call finishes.
    func nextCall() -> LoadCall?
    /// `call` ended (finally: after retries).
    func finished(_ call: LoadCall, _ outcome: LoadOutcome)
    /// For phases that run until their work is done (seeding, verification): nothing more will come.
    var isDone: Bool { get }
    /// Called once per loop iteration, for work that arrives from other threads.
    func poll()
}

extension LoadWorkload {
    public var isDone: Bool { false }
    public func poll() {}
}
