/// Everything FindReviewer knows: a value type, so a snapshot is a cheap copy taken under the
/// server's lock (the tables are chunked, so writes after the copy duplicate only what they touch).
/// It changes only through ``apply(_:)``; replaying the same events rebuilds an equal state.
public struct DomainState: Sendable {
    public typealias Row = Int32

    public internal(set) var businesses = Table<Business>()
    public internal(set) var reviewers = Table<Reviewer>()
    public internal(set) var reviews = Table<Review>()
    public internal(set) var requests = Table<InfoRequest>(numberedWithPrefix: "req_")
    public internal(set) var reports = Table<Report>(numberedWithPrefix: "rep_")
    public internal(set) var outbox = Table<OutboxEntry>(numberedWithPrefix: "out_")

    // Indexes, maintained by apply so commands and queries never scan everything. They hold
    // rows of the tables above (4 bytes) rather than id strings.
    // In chunks, like the tables: the first write after a snapshot's copy copies one chunk of a
    // large business's list, not all of it.
    /// Review rows of each business, in publication order.
    var reviewsByBusiness: [String: ChunkedArray<Row>] = [:]
    /// Request rows of each business, in creation order.
    var requestsByBusiness: [String: ChunkedArray<Row>] = [:]
    /// How many of each business's requests are in each status (no zero entries).
    var requestStatusCounts: [String: [RequestStatus: Int]] = [:]
    /// Per review row: its requests and its pending one.
    var reviewLinks = ChunkedArray<ReviewLinks>()
    /// Request row by reply token.
    var requestByToken = RowIndex()
    /// Report rows of each business, in creation order.
    var reportsByBusiness: [String: ChunkedArray<Row>] = [:]
    /// Outbox entries not yet delivered, in creation order.
    public internal(set) var undelivered = OrderedIDs()
    /// Request row by (business id, idempotency key).
    var idempotency: [String: Row] = [:]
    /// Pending requests by the time their next transition is due.
    var dueQueue = DueQueue()

    var requestCount = 0
    var reportCount = 0
    var outboxCount = 0

    /// The requests of one review, oldest first, and its pending one (at most one: DESIGN.md §2).
    struct ReviewLinks: Sendable, Equatable {
        static let none: Row = -1
        var pending: Row = Self.none
        /// The first request; the rest are in `more` (empty, without an allocation, for most reviews).
        var first: Row = Self.none
        var more: [Row] = []

        var requests: [Row] { self.first == Self.none ? [] : [self.first] + self.more }
        var latest: Row? { self.more.last ?? (self.first == Self.none ? nil : self.first) }

        mutating func add(_ row: Row) {
            if self.first == Self.none { self.first = row } else { self.more.append(row) }
        }
    }

    /// An empty state.
    public init() {}

    /// Applies one event. Events that no longer fit the state (applied twice) change nothing.
    public mutating func apply(_ event: DomainEvent) {
        switch event {
        case .businessUpserted(let business):
            self.businesses.upsert(business)
        case .reviewerUpserted(let reviewer):
            self.reviewers.upsert(reviewer)
        case .reviewPublished(var review):
            if let row = self.reviews.row(of: review.id) {
                review.publicReply = self.reviews[row: row].publicReply
            }
            self.insert(review)
        case .introductionAcknowledged(let businessId, let at):
            self.businesses.update(businessId) { if $0.introAcknowledgedAt == nil { $0.introAcknowledgedAt = at } }
        case .requestCreated(let created):
            self.applyCreated(created)
        case .automaticReminderSent(let requestId, let at, let outboxId):
            guard let row = self.requests.row(of: requestId), self.requests[row: row].status == .pending,
                self.requests[row: row].automaticReminderAt == nil
            else { return }
            self.requests[row: row].automaticReminderAt = at
            self.requests[row: row].record(TimelineEntry(at: at, kind: .automaticReminderSent))
            self.scheduleNextDue(row)
            self.addOutbox(outboxId, .automaticReminder, requestId: requestId, at: at)
        case .manualReminderSent(let requestId, let at, let deadline, let outboxId):
            guard let row = self.requests.row(of: requestId), self.requests[row: row].status == .expired,
                self.requests[row: row].manualReminderAt == nil
            else { return }
            self.setStatus(row, .pending)
            self.requests[row: row].manualReminderAt = at
            self.requests[row: row].windowStart = at
            self.requests[row: row].deadline = deadline
            self.requests[row: row].record(TimelineEntry(at: at, kind: .manualReminderSent))
            if let review = self.reviews.row(of: self.requests[row: row].reviewId) { self.reviewLinks[Int(review)].pending = row }
            self.scheduleNextDue(row)
            self.addOutbox(outboxId, .manualReminder, requestId: requestId, at: at)
        case .requestAnswered(let requestId, let reply, let outboxId):
            guard let row = self.close(requestId, as: .answered, at: reply.repliedAt, kind: .answered) else { return }
            self.requests[row: row].reply = reply
            self.requests[row: row].closedAt = nil
            self.addOutbox(outboxId, .replyReceived, requestId: requestId, at: reply.repliedAt)
        case .replyOpened(let requestId, let at):
            guard let row = self.requests.row(of: requestId), self.requests[row: row].status == .answered,
                self.requests[row: row].openedAt == nil
            else { return }
            self.requests[row: row].openedAt = at
            self.requests[row: row].record(TimelineEntry(at: at, kind: .replyOpened))
        case .requestDeclined(let requestId, let at, let outboxId):
            guard self.close(requestId, as: .declined, at: at, kind: .declined) != nil else { return }
            self.addOutbox(outboxId, .declined, requestId: requestId, at: at)
        case .requestWithdrawn(let requestId, let at):
            _ = self.close(requestId, as: .withdrawn, at: at, kind: .withdrawn)
        case .requestExpired(let requestId, let at, let outboxId):
            guard self.close(requestId, as: .expired, at: at, kind: .expired) != nil else { return }
            self.addOutbox(outboxId, .expired, requestId: requestId, at: at)
        case .publicReplySet(let reviewId, let text, let at):
            self.reviews.update(reviewId) {
                $0.publicReply = PublicReply(text: text, createdAt: $0.publicReply?.createdAt ?? at, updatedAt: at)
            }
        case .publicReplyDeleted(let reviewId):
            self.reviews.update(reviewId) { $0.publicReply = nil }
        case .reportCreated(let report):
            guard self.reports.row(of: report.id) == nil else { return }
            self.insert(report)
            self.reportCount += 1
        case .outboxDelivered(let outboxId, let at):
            guard let row = self.outbox.row(of: outboxId), self.outbox[row: row].deliveredAt == nil else { return }
            self.outbox[row: row].deliveredAt = at
            self.undelivered.remove(outboxId)
        }
    }

    private mutating func applyCreated(_ created: DomainEvent.RequestCreated) {
        guard self.requests.row(of: created.requestId) == nil else { return }
        let request = InfoRequest(
            id: created.requestId, businessId: created.businessId, reviewId: created.reviewId,
            reviewerId: created.reviewerId, message: created.message, requestedFields: created.requestedFields,
            referenceLabel: created.referenceLabel, status: .pending, createdAt: created.at, windowStart: created.at,
            deadline: created.at + Schedule.replyWindow, token: created.token,
            timeline: [TimelineEntry(at: created.at, kind: .created)])
        self.insert(request, idempotencyKey: created.idempotencyKey)
        self.requestCount += 1
        if created.acknowledgesIntroduction {
            self.businesses.update(created.businessId) { if $0.introAcknowledgedAt == nil { $0.introAcknowledgedAt = created.at } }
        }
        self.addOutbox(created.outboxId, .requestToReviewer, requestId: request.id, at: created.at)
    }

    // MARK: inserting entities with their indexes (shared by apply and the snapshot restorer)

    /// Adds or replaces a review. Its business id shares the storage of the business's own id
    /// string (a business has many reviews; a reviewer has few, so that lookup would cost more
    /// time than it saves memory).
    @discardableResult
    mutating func insert(_ review: consuming Review) -> ReplacedStrings {
        var review = review
        var replaced = ReplacedStrings()
        if !Self.isInline(review.businessId), let business = self.businesses.row(of: review.businessId) {
            replaced.keep(&review.businessId, self.businesses[row: business].id)
        }
        let (row, inserted) = self.reviews.upsert(review)
        if inserted {
            self.reviewsByBusiness[review.businessId, default: []].append(row)
            self.reviewLinks.append(ReviewLinks())
        }
        return replaced
    }

    /// Adds a request (nothing when its id exists) with its index entries; its ids share the
    /// storage of its review's strings.
    @discardableResult
    mutating func insert(_ request: consuming InfoRequest, idempotencyKey: String?) -> ReplacedStrings {
        var request = request
        var replaced = ReplacedStrings()
        let reviewRow = self.reviews.row(of: request.reviewId)
        if let reviewRow {
            replaced.keep(&request.reviewId, self.reviews[row: reviewRow].id)
            if !Self.isInline(request.businessId), self.reviews[row: reviewRow].businessId == request.businessId {
                replaced.keep(&request.businessId, self.reviews[row: reviewRow].businessId)
            }
            if !Self.isInline(request.reviewerId), self.reviews[row: reviewRow].reviewerId == request.reviewerId {
                replaced.keep(&request.reviewerId, self.reviews[row: reviewRow].reviewerId)
            }
        }
        // What the indexes need, taken before the request moves into the table (no copy of it).
        let businessId = request.businessId
        let tokenHash = RowIndex.hash(request.token)
        let pending = request.status == .pending
        let due = pending ? self.nextDue(request) : 0
        let (row, inserted) = self.requests.upsert(request)
        guard inserted else { return replaced }
        self.requestsByBusiness[businessId, default: []].append(row)
        self.countStatus(of: businessId, self.requests[row: row].status, by: 1)
        self.requestByToken.insert(tokenHash, row: row)
        if let reviewRow {
            self.reviewLinks[Int(reviewRow)].add(row)
            if pending { self.reviewLinks[Int(reviewRow)].pending = row }
        }
        if pending { self.dueQueue.push(DueQueue.Entry(at: due, row: row)) }
        if let idempotencyKey { self.idempotency[Self.idempotencyIndex(businessId, idempotencyKey)] = row }
        return replaced
    }

    mutating func insert(_ report: Report) {
        let (row, inserted) = self.reports.upsert(report)
        if inserted { self.reportsByBusiness[report.businessId, default: []].append(row) }
    }

    mutating func insert(_ entry: OutboxEntry) {
        if self.outbox.upsert(entry).inserted, entry.deliveredAt == nil { self.undelivered.append(entry.id) }
    }

    /// Moves a pending request to a final status; its row, or nil when it is not pending (nothing changes).
    private mutating func close(_ requestId: String, as status: RequestStatus, at: UnixSeconds, kind: TimelineKind) -> Row? {
        guard let row = self.requests.row(of: requestId), self.requests[row: row].status == .pending else { return nil }
        self.setStatus(row, status)
        self.requests[row: row].closedAt = at
        self.requests[row: row].record(TimelineEntry(at: at, kind: kind))
        if let review = self.reviews.row(of: self.requests[row: row].reviewId), self.reviewLinks[Int(review)].pending == row {
            self.reviewLinks[Int(review)].pending = ReviewLinks.none
        }
        return row
    }

    /// Changes a request's status, keeping its business's counts.
    private mutating func setStatus(_ row: Row, _ status: RequestStatus) {
        let (businessId, old) = (self.requests[row: row].businessId, self.requests[row: row].status)
        self.requests[row: row].status = status
        self.countStatus(of: businessId, old, by: -1)
        self.countStatus(of: businessId, status, by: 1)
    }

    private mutating func countStatus(of businessId: String, _ status: RequestStatus, by delta: Int) {
        let count = self.requestStatusCounts[businessId]?[status] ?? 0
        self.requestStatusCounts[businessId, default: [:]][status] = count + delta == 0 ? nil : count + delta
    }

    private mutating func addOutbox(_ id: String, _ kind: NotificationKind, requestId: String, at: UnixSeconds) {
        guard self.outbox.row(of: id) == nil else { return }
        self.insert(OutboxEntry(id: id, kind: kind, requestId: requestId, createdAt: at))
        self.outboxCount += 1
    }

    /// Whether a string is short enough to live inside its 16 bytes (nothing to share).
    static func isInline(_ string: String) -> Bool { string.utf8.count <= 15 }

    /// The strings an insert replaced with equal ones the state already holds. The live state
    /// lets them go at once; the snapshot restorer collects them so that the thread that
    /// decoded (allocated) them frees them too (see ``SnapshotRestorer/takeReplaced()``).
    struct ReplacedStrings {
        private(set) var strings: (String?, String?, String?) = (nil, nil, nil)
        private var count = 0

        /// Puts `shared` in place of `string`, keeping the old value when it has storage of its own.
        mutating func keep(_ string: inout String, _ shared: String) {
            let old = string
            string = shared
            guard !DomainState.isInline(old) else { return }
            switch self.count {
            case 0: self.strings.0 = old
            case 1: self.strings.1 = old
            default: self.strings.2 = old
            }
            self.count += 1
        }

        /// Moves them to the end of `list`.
        consuming func move(to list: inout [String]) {
            if let string = self.strings.0 { list.append(string) }
            if let string = self.strings.1 { list.append(string) }
            if let string = self.strings.2 { list.append(string) }
        }
    }

    /// When the pending request in `row` has its next transition: the automatic reminder 72 h
    /// into the first window (unless sent, or a manual reminder reopened it), else the deadline.
    func nextDue(_ request: InfoRequest) -> UnixSeconds {
        Self.automaticReminderDue(request) ?? request.deadline
    }

    /// When the automatic reminder of `request` is due, if it still gets one: 72 h into its
    /// first window, unless sent already or a manual reminder reopened the request.
    static func automaticReminderDue(_ request: InfoRequest) -> UnixSeconds? {
        let reminderAt = request.createdAt + Schedule.automaticReminderAfter
        guard request.automaticReminderAt == nil, request.manualReminderAt == nil, reminderAt < request.deadline else { return nil }
        return reminderAt
    }

    /// Files the pending request in `row` under its next due time.
    private mutating func scheduleNextDue(_ row: Row) {
        self.dueQueue.push(DueQueue.Entry(at: self.nextDue(self.requests[row: row]), row: row))
    }

    /// Whether a due-queue entry still stands: its request is pending and due at that time.
    func isCurrent(_ entry: DueQueue.Entry) -> Bool {
        let request = self.requests[row: entry.row]
        return request.status == .pending && self.nextDue(request) == entry.at
    }

    // MARK: index lookups

    /// The requests of a review, oldest first.
    func requestRows(ofReview reviewId: String) -> [Row] {
        guard let row = self.reviews.row(of: reviewId) else { return [] }
        return self.reviewLinks[Int(row)].requests
    }

    /// The row of the request with this reply token, if any.
    func requestRow(token: String) -> Row? {
        self.requestByToken.find(RowIndex.hash(token)) { self.requests[row: $0].token == token }
    }

    /// The pending request of a review, if any.
    func pendingRequest(ofReview reviewId: String) -> InfoRequest? {
        guard let row = self.reviews.row(of: reviewId) else { return nil }
        let pending = self.reviewLinks[Int(row)].pending
        return pending == ReviewLinks.none ? nil : self.requests[row: pending]
    }

    static func idempotencyIndex(_ businessId: String, _ key: String) -> String { businessId + "\u{1F}" + key }

    /// `req_00000042`: sortable, deterministic from the state.
    static func sequentialId(_ prefix: String, _ number: Int) -> String {
        let digits = String(number)
        return prefix + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// Applies events in order.
    public mutating func apply(_ events: [DomainEvent]) {
        for event in events { self.apply(event) }
    }
}

extension DomainState: Equatable {
    /// Equal entities and indexes; the due queues are compared by their current entries (a live
    /// state keeps stale ones until they reach the top, a restored one has none).
    public static func == (lhs: DomainState, rhs: DomainState) -> Bool {
        lhs.businesses == rhs.businesses && lhs.reviewers == rhs.reviewers && lhs.reviews == rhs.reviews
            && lhs.requests == rhs.requests && lhs.reports == rhs.reports && lhs.outbox == rhs.outbox
            && lhs.reviewsByBusiness == rhs.reviewsByBusiness && lhs.requestsByBusiness == rhs.requestsByBusiness
            && lhs.requestStatusCounts == rhs.requestStatusCounts
            && lhs.reviewLinks == rhs.reviewLinks && lhs.requestByToken == rhs.requestByToken
            && lhs.reportsByBusiness == rhs.reportsByBusiness && lhs.undelivered == rhs.undelivered
            && lhs.idempotency == rhs.idempotency && lhs.requestCount == rhs.requestCount
            && lhs.reportCount == rhs.reportCount && lhs.outboxCount == rhs.outboxCount
            && Set(lhs.dueQueue.entries.filter(lhs.isCurrent)) == Set(rhs.dueQueue.entries.filter(rhs.isCurrent))
    }
}
