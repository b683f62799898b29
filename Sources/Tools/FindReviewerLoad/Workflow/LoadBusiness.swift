import Messages

/// One business the load tool seeded, as the tool knows it: its reviews and requests, which of
/// them a call may act on now, and the ledger of what the server acknowledged (for `--verify`).
/// Owned by one engine thread.
final class LoadBusiness {
    /// A review the tool published (or is publishing).
    struct Review {
        let id: String
        /// The server acknowledged the publish.
        var acknowledged = false
        /// A SetPublicReply on it is in flight (one at a time, so the last acknowledged text is the one stored).
        var replyBusy = false
        /// Counter in the newest acknowledged public reply text; 0 for none.
        var acknowledgedReply = 0
        var getReview: [UInt8] = []
        var getPublicReview: [UInt8] = []
        var createReport: [UInt8] = []
    }

    /// A request the tool created (or is creating), keyed by the idempotency-key it carries.
    struct Request {
        /// The idempotency-key, also quoted in the message so the reviewer's email names it.
        let key: String
        /// The review (index in `reviews`).
        let review: Int32
        /// The server's id, once the create was acknowledged.
        var id = ""
        /// The reviewer's reply token, once the email with it was read.
        var token = ""
        /// What the tool believes the status is.
        var status = RequestStatus.unspecified
        /// A call on it is in flight (it is in no pool meanwhile).
        var busy = false
        /// An outcome on it is unknown (a call failed after it may have been applied): not verified beyond existence.
        var uncertain = false
        /// Seeded to expire when the test clock is advanced.
        var seededToExpire = false
        /// Acknowledged facts, for the verification.
        var reminded = false
        var opened = false
        var getInfoRequest: [UInt8] = []
        var getTimeline: [UInt8] = []
        var viewByToken: [UInt8] = []
    }

    let index: Int32
    let id: String
    let reviewerId: String
    let reviewerEmail: String
    var reviews: [Review] = []
    var requests: [Request] = []
    /// Acknowledged reviews (reads pick from these).
    var publishedReviews: [Int32] = []
    /// Acknowledged reviews without an open (or reserved) request: a create on them is valid.
    var requestable = IndexPool()
    /// Acknowledged requests (reads pick from these).
    var createdRequests: [Int32] = []
    /// Pending requests no call is working on: withdrawable.
    var pending = IndexPool()
    /// Pending requests with a known token: the reviewer may reply or decline.
    var replyable = IndexPool()
    /// Expired requests never reminded: SendManualReminder reopens them.
    var expired = IndexPool()
    /// Answered requests not yet opened.
    var answered = IndexPool()
    /// Answered or declined requests with a token: the reviewer's page stays viewable.
    var viewable: [Int32] = []
    /// An UpsertReviewer is in flight (one at a time).
    var reviewerBusy = false
    /// Counter in the newest acknowledged reviewer name; 0 for the seeded one.
    var acknowledgedReviewerName = 0
    /// Report ids the server acknowledged.
    var reports: [String] = []
    /// Numbers names and texts so every write differs.
    var counter = 0
    var getBusiness: [UInt8] = []
    var listReviews: [UInt8] = []
    var listInfoRequests: [UInt8] = []

    // Seeding: the stage, and its calls sent and acknowledged.
    var stage = 0
    var stageSent = 0
    var stageAcknowledged = 0

    /// `owned`: with a shard map, the id gets the first suffix `sN` that puts it on the lane's shard.
    init(index: Int32, runId: String, thread: Int, owned: ((String) -> Bool)? = nil) {
        self.index = index
        var id = "\(runId)-t\(thread)b\(index)"
        if let owned {
            let base = id
            var suffix = 0
            while !owned(id) {
                id = "\(base)s\(suffix)"
                suffix += 1
            }
        }
        self.id = id
        self.reviewerId = self.id + "-rv"
        self.reviewerEmail = "rv-\(runId)-t\(thread)b\(index)@load.example"
    }

    /// A request stops being pickable while a call works on it.
    func reserve(_ request: Int32) {
        self.requests[Int(request)].busy = true
        self.pending.remove(request)
        self.replyable.remove(request)
        self.expired.remove(request)
        self.answered.remove(request)
    }

    /// The request is pending and free again: pickable for withdrawals, and for the reviewer once its token is known.
    func markPending(_ request: Int32) {
        self.requests[Int(request)].status = .pending
        self.requests[Int(request)].busy = false
        self.pending.insert(request)
        if !self.requests[Int(request)].token.isEmpty { self.replyable.insert(request) }
    }

    /// A call on the request failed after it may have been applied: nobody touches it again.
    func markUncertain(_ request: Int32) {
        self.requests[Int(request)].uncertain = true
        self.requests[Int(request)].busy = false
    }

    /// The request ended for the reviewer (answered or declined): its page stays viewable.
    func markViewable(_ request: Int32) {
        if !self.requests[Int(request)].token.isEmpty { self.viewable.append(request) }
    }

    /// The reviewer's token of a request arrived (from the outbox).
    func tokenArrived(_ request: Int32, _ token: String) {
        guard Int(request) < self.requests.count, self.requests[Int(request)].token.isEmpty else { return }
        self.requests[Int(request)].token = token
        let state = self.requests[Int(request)]
        guard !state.busy, !state.uncertain else { return }
        switch state.status {
        case .pending: self.replyable.insert(request)
        case .answered, .declined: self.viewable.append(request)
        default: break
        }
    }
}
