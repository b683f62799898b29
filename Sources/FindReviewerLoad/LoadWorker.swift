import FindReviewerClient
import Messages
import RPC
import Synchronization

/// One simulated caller: its own business (so workers never trip over each other's rules), the
/// reviews and requests it made, and its statistics. Used by exactly one thread; only ``stats``
/// is read by the progress reporter, under its mutex.
final class LoadWorker: @unchecked Sendable {
    let index: Int
    let client: FindReviewerClient
    let businessId: String
    let reviewerId: String
    /// Every review of the business (reads pick from these).
    private(set) var reviews: [String] = []
    /// Reviews with no open request: a new request on them is valid.
    private var requestable: [String] = []
    /// Pending requests this worker made, with their reviews: withdrawing them is valid.
    private var pending: [(request: String, review: String)] = []
    /// Every request id of the business (reads pick from these).
    private(set) var requests: [String] = []
    private var counter = 0
    private var random: UInt64
    /// What happened, for the reporter and the summary.
    let stats = Mutex(LoadStats())

    init(index: Int, client: FindReviewerClient, runId: String) {
        self.index = index
        self.client = client
        self.businessId = "\(runId)-w\(index)"
        self.reviewerId = "\(runId)-w\(index)-rv"
        // xorshift64* seeded per worker; any non-zero seed works.
        self.random = 0x9E37_79B9_7F4A_7C15 &* UInt64(index + 1) | 1
    }

    /// A fast pseudo-random number (xorshift64*): the mix needs spread, not security.
    func nextRandom() -> UInt64 {
        self.random ^= self.random >> 12
        self.random ^= self.random << 25
        self.random ^= self.random >> 27
        return self.random &* 0x2545_F491_4F6C_DD1D
    }

    private func randomElement(_ array: [String]) -> String { array[Int(self.nextRandom() % UInt64(array.count))] }

    // MARK: seeding (not measured)

    /// Creates the business (introduction acknowledged), a reviewer, `reviews` reviews and
    /// requests on `requests` of them.
    func seed(reviews: Int, requests: Int) throws(RPCError) {
        _ = try self.client.upsertBusiness(
            UpsertBusinessRequest(
                business: Business(
                    id: self.businessId, displayName: "Load business \(self.index)", notificationEmail: "w\(self.index)@load.example",
                    locale: "en", plan: .paid)))
        _ = try self.client.acknowledgeIntroduction(AcknowledgeIntroductionRequest(businessId: self.businessId))
        _ = try self.client.upsertReviewer(
            UpsertReviewerRequest(reviewer: Reviewer(id: self.reviewerId, displayName: "Load reviewer", email: "rv\(self.index)@load.example")))
        for _ in 0..<reviews { try self.publishReview() }
        for _ in 0..<min(requests, reviews) { try self.createRequest() }
    }

    // MARK: one call

    /// Runs one call of `operation`, or of the operation that must come first when its data is
    /// missing (a withdraw needs a pending request, a create needs a review without one).
    /// Returns the operation actually called and its error, if any.
    func execute(_ operation: LoadOperation) -> (LoadOperation, RPCError?) {
        var actual = operation
        if actual == .withdrawInfoRequest && self.pending.isEmpty { actual = .createInfoRequest }
        if actual == .createInfoRequest && self.requestable.isEmpty { actual = .publishReview }
        if self.reviews.isEmpty { actual = .publishReview }
        if self.requests.isEmpty && [.getInfoRequest, .getTimeline].contains(actual) { actual = .listInfoRequests }
        do {
            try self.perform(actual)
            return (actual, nil)
        } catch {
            return (actual, error)
        }
    }

    private func perform(_ operation: LoadOperation) throws(RPCError) {
        let business = self.businessId
        switch operation {
        case .getBusiness:
            _ = try self.client.getBusiness(GetBusinessRequest(businessId: business))
        case .getReview:
            _ = try self.client.getReview(GetReviewRequest(businessId: business, reviewId: self.randomElement(self.reviews)))
        case .listReviews:
            _ = try self.client.listReviews(ListReviewsRequest(businessId: business, pageSize: 20))
        case .getInfoRequest:
            _ = try self.client.getInfoRequest(GetInfoRequestRequest(businessId: business, requestId: self.randomElement(self.requests)))
        case .listInfoRequests:
            _ = try self.client.listInfoRequests(ListInfoRequestsRequest(businessId: business, pageSize: 20))
        case .getTimeline:
            _ = try self.client.getTimeline(GetTimelineRequest(businessId: business, requestId: self.randomElement(self.requests)))
        case .getPublicReview:
            _ = try self.client.getPublicReview(GetPublicReviewRequest(reviewId: self.randomElement(self.reviews)))
        case .upsertReviewer:
            self.counter += 1
            _ = try self.client.upsertReviewer(
                UpsertReviewerRequest(
                    reviewer: Reviewer(id: self.reviewerId, displayName: "Load reviewer \(self.counter)", email: "rv\(self.index)@load.example")))
        case .publishReview:
            try self.publishReview()
        case .createInfoRequest:
            try self.createRequest()
        case .withdrawInfoRequest:
            let slot = Int(self.nextRandom() % UInt64(self.pending.count))
            let chosen = self.pending.remove(at: slot)
            _ = try self.client.withdrawInfoRequest(WithdrawInfoRequestRequest(businessId: business, requestId: chosen.request))
            // Withdrawn is not open: the review may get a new request.
            self.requestable.append(chosen.review)
        case .setPublicReply:
            self.counter += 1
            _ = try self.client.setPublicReply(
                SetPublicReplyRequest(businessId: business, reviewId: self.randomElement(self.reviews), text: "Thank you for your review (\(self.counter))."))
        case .createReport:
            _ = try self.client.createReport(
                CreateReportRequest(
                    businessId: business, reviewId: self.randomElement(self.reviews), reason: .harmfulOrIllegal,
                    explanation: "Load test report.", acknowledgeGuidelines: true))
        }
    }

    private func publishReview() throws(RPCError) {
        self.counter += 1
        let id = "\(self.businessId)-r\(self.counter)"
        _ = try self.client.publishReview(
            PublishReviewRequest(
                review: Review(
                    id: id, businessId: self.businessId, reviewerId: self.reviewerId, rating: Int32(1 + self.counter % 5),
                    title: "Load review \(self.counter)", text: "A review written by the load tool to have something to read and ask about.",
                    experienceDate: "2026-01-15", source: self.counter % 2 == 0 ? .organic : .businessInvitation)))
        self.reviews.append(id)
        self.requestable.append(id)
    }

    private func createRequest() throws(RPCError) {
        let slot = Int(self.nextRandom() % UInt64(self.requestable.count))
        let review = self.requestable.remove(at: slot)
        let answer = try self.client.createInfoRequest(
            CreateInfoRequestRequest(
                businessId: self.businessId, reviewId: review, message: "Hello! Could you share your booking number?",
                requestedFields: [.referenceNumber], referenceLabel: "Booking number"))
        if let id = answer.request?.id {
            self.requests.append(id)
            self.pending.append((id, review))
        }
    }
}

/// What one worker saw: latencies overall and since the last progress line, calls and errors.
struct LoadStats: Sendable {
    var total = LatencyHistogram()
    var interval = LatencyHistogram()
    var errors: [StatusCode: Int] = [:]
    var errorSamples: [StatusCode: String] = [:]
    var methods: [LoadOperation: Int] = [:]

    mutating func record(_ operation: LoadOperation, nanoseconds: UInt64, error: RPCError?) {
        self.total.record(nanoseconds)
        self.interval.record(nanoseconds)
        self.methods[operation, default: 0] += 1
        if let error {
            self.errors[error.code, default: 0] += 1
            if self.errorSamples[error.code] == nil { self.errorSamples[error.code] = "\(operation.rawValue): \(error.message)" }
        }
    }
}
