/// One entity of a snapshot. A state is written as a stream of items and rebuilt from the
/// same stream by ``SnapshotRestorer``; the indexes are not stored, they follow from the order.
public enum SnapshotItem: Sendable, Equatable {
    case business(Business)
    case reviewer(Reviewer)
    /// In publication order (after the businesses and reviewers it refers to).
    case review(Review)
    /// In creation order (after the reviews); with the idempotency key it was created with.
    case request(InfoRequest, idempotencyKey: String?)
    /// In creation order.
    case report(Report)
    /// In creation order, delivered or not.
    case outbox(OutboxEntry)
    /// Each reviewer's blocks in the order they were made (after the requests they name).
    case block(ReviewerBlock)
    /// The numbers new ids are made from.
    case counters(requests: Int, reports: Int, outbox: Int)
}

extension DomainState {
    /// How many items ``forEachSnapshotItem(_:)`` produces.
    public var snapshotItemCount: Int {
        self.businesses.count + self.reviewers.count + self.reviews.count + self.requests.count + self.reports.count
            + self.outbox.count + self.blocks.values.reduce(0) { $0 + $1.count } + 1
    }

    /// Every entity as a snapshot item, each table in row order, so that ``SnapshotRestorer``
    /// rebuilds an equal state (rows and indexes included).
    public func forEachSnapshotItem(_ body: (SnapshotItem) throws -> Void) rethrows {
        for business in self.businesses.values { try body(.business(business)) }
        for reviewer in self.reviewers.values { try body(.reviewer(reviewer)) }
        for review in self.reviews.values { try body(.review(review)) }
        var keys: [Row: String] = [:]
        keys.reserveCapacity(self.idempotency.count)
        for (index, row) in self.idempotency {
            if let separator = index.firstIndex(of: "\u{1F}") { keys[row] = String(index[index.index(after: separator)...]) }
        }
        for (row, request) in self.requests.values.enumerated() {
            try body(.request(request, idempotencyKey: keys.isEmpty ? nil : keys[Row(row)]))
        }
        for report in self.reports.values { try body(.report(report)) }
        for entry in self.outbox.values { try body(.outbox(entry)) }
        for blocks in self.blocks.values {
            for block in blocks { try body(.block(block)) }
        }
        try body(.counters(requests: self.requestCount, reports: self.reportCount, outbox: self.outboxCount))
    }
}

/// Rebuilds a state, indexes included, from the items of ``DomainState/forEachSnapshotItem(_:)``.
public struct SnapshotRestorer: Sendable {
    private var state: DomainState
    /// Decoded strings replaced by equal ones the state already holds (a request's review id
    /// by its review's id, …), kept for ``takeReplaced()``.
    private var replaced: [String] = []

    /// An empty restorer of a state under `settings` (the server's, not the snapshot's: settings
    /// are configuration, not data).
    public init(settings: DomainSettings = DomainSettings()) { self.state = DomainState(settings: settings) }

    /// Adds one item.
    public mutating func add(_ item: consuming SnapshotItem) {
        switch consume item {
        case .business(let business):
            self.state.businesses.upsert(business)
        case .reviewer(let reviewer):
            self.state.reviewers.upsert(reviewer)
        case .review(let review):
            self.state.insert(review).move(to: &self.replaced)
        case .request(let request, let key):
            self.state.insert(request, idempotencyKey: key).move(to: &self.replaced)
        case .report(let report):
            self.state.insert(report)
        case .outbox(let entry):
            self.state.insert(entry)
        case .block(let block):
            self.state.insert(block)
        case .counters(let requests, let reports, let outbox):
            self.state.requestCount = requests
            self.state.reportCount = reports
            self.state.outboxCount = outbox
        }
    }

    /// Reserves room for `requests` requests (and as many reviews and outbox entries), before a large restore.
    public mutating func reserve(requests: Int) {
        self.state.requests.reserveCapacity(requests)
        self.state.reviews.reserveCapacity(requests)
        self.state.reviewLinks.reserveCapacity(requests)
        self.state.requestByToken.reserveCapacity(requests)
        self.state.dueQueue.reserveCapacity(requests)
        self.state.outbox.reserveCapacity(requests)
    }

    /// The strings replaced since the last call. A restorer fed from another thread hands them
    /// back to it: freed on the thread that allocated them, their memory goes to that thread's
    /// cache for the next strings it decodes, instead of into another thread's arena under a lock.
    public mutating func takeReplaced() -> [String] {
        defer { self.replaced = [] }
        return self.replaced
    }

    /// The rebuilt state.
    public func finish() -> DomainState { self.state }
}
