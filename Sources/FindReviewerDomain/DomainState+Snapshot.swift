/// One entity of a snapshot. A state is written as a stream of items and rebuilt from the
/// same stream by ``SnapshotRestorer``; the indexes are not stored, they follow from the order.
public enum SnapshotItem: Sendable, Equatable {
    case business(Business)
    case reviewer(Reviewer)
    /// In publication order within its business.
    case review(Review)
    /// In creation order within its business; with the idempotency key it was created with.
    case request(InfoRequest, idempotencyKey: String?)
    /// In creation order within its business.
    case report(Report)
    /// Undelivered entries first, in creation order; then the delivered ones.
    case outbox(OutboxEntry)
    /// The numbers new ids are made from.
    case counters(requests: Int, reports: Int, outbox: Int)
}

extension DomainState {
    /// How many items ``forEachSnapshotItem(_:)`` produces.
    public var snapshotItemCount: Int {
        self.businesses.count + self.reviewers.count + self.reviews.count + self.requests.count + self.reports.count
            + self.outbox.count + 1
    }

    /// Every entity as a snapshot item, in an order that ``SnapshotRestorer`` rebuilds an equal state from.
    public func forEachSnapshotItem(_ body: (SnapshotItem) throws -> Void) rethrows {
        for business in self.businesses.values { try body(.business(business)) }
        for reviewer in self.reviewers.values { try body(.reviewer(reviewer)) }
        for ids in self.reviewsByBusiness.values {
            for id in ids { if let review = self.reviews[id] { try body(.review(review)) } }
        }
        var keys: [String: String] = [:]
        keys.reserveCapacity(self.idempotency.count)
        for (index, requestId) in self.idempotency {
            if let separator = index.firstIndex(of: "\u{1F}") { keys[requestId] = String(index[index.index(after: separator)...]) }
        }
        for ids in self.requestsByBusiness.values {
            for id in ids { if let request = self.requests[id] { try body(.request(request, idempotencyKey: keys[id])) } }
        }
        for ids in self.reportsByBusiness.values {
            for id in ids { if let report = self.reports[id] { try body(.report(report)) } }
        }
        for id in self.undelivered { if let entry = self.outbox[id] { try body(.outbox(entry)) } }
        for entry in self.outbox.values where entry.deliveredAt != nil { try body(.outbox(entry)) }
        try body(.counters(requests: self.requestCount, reports: self.reportCount, outbox: self.outboxCount))
    }
}

/// Rebuilds a state, indexes included, from the items of ``DomainState/forEachSnapshotItem(_:)``.
public struct SnapshotRestorer: Sendable {
    private var state = DomainState()

    /// An empty restorer.
    public init() {}

    /// Adds one item.
    public mutating func add(_ item: SnapshotItem) {
        switch item {
        case .business(let business):
            self.state.businesses[business.id] = business
        case .reviewer(let reviewer):
            self.state.reviewers[reviewer.id] = reviewer
        case .review(let review):
            if self.state.reviews.updateValue(review, forKey: review.id) == nil {
                self.state.reviewsByBusiness[review.businessId, default: []].append(review.id)
            }
        case .request(let request, let key):
            guard self.state.requests.updateValue(request, forKey: request.id) == nil else { return }
            self.state.requestsByBusiness[request.businessId, default: []].append(request.id)
            self.state.requestsByReview[request.reviewId, default: []].append(request.id)
            self.state.requestByToken[request.token] = request.id
            if request.status == .pending {
                self.state.pendingByReview[request.reviewId] = request.id
                self.state.pendingRequests.insert(request.id)
            }
            if let key { self.state.idempotency[DomainState.idempotencyIndex(request.businessId, key)] = request.id }
        case .report(let report):
            if self.state.reports.updateValue(report, forKey: report.id) == nil {
                self.state.reportsByBusiness[report.businessId, default: []].append(report.id)
            }
        case .outbox(let entry):
            if self.state.outbox.updateValue(entry, forKey: entry.id) == nil, entry.deliveredAt == nil {
                self.state.undelivered.append(entry.id)
            }
        case .counters(let requests, let reports, let outbox):
            self.state.requestCount = requests
            self.state.reportCount = reports
            self.state.outboxCount = outbox
        }
    }

    /// Reserves room for `requests` requests (and as many reviews), before a large restore.
    public mutating func reserve(requests: Int) {
        self.state.requests.reserveCapacity(requests)
        self.state.reviews.reserveCapacity(requests)
        self.state.requestByToken.reserveCapacity(requests)
        self.state.requestsByReview.reserveCapacity(requests)
        self.state.outbox.reserveCapacity(requests)
    }

    /// The rebuilt state.
    public func finish() -> DomainState { self.state }
}
