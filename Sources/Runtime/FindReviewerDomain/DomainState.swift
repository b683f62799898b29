/// Everything FindReviewer knows: a value type, so a snapshot is a cheap copy taken under the
/// server's lock (the tables are chunked, so writes after the copy duplicate only what they touch).
/// It changes only through ``apply(_:)``; replaying the same events rebuilds an equal state.
public struct DomainState: Sendable {
    public typealias Row = Int32

    /// The operator's settings (retention, fair-use limits). Fixed for the life of the state:
    /// the due queue is ordered by times computed from them.
    public let settings: DomainSettings

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
    /// How many requests are in each status, over every business (indexed like
    /// `RequestStatus.allCases`): what operators' gauges read without a scan.
    public private(set) var requestCountsByStatus = [Int](repeating: 0, count: RequestStatus.allCases.count)
    /// Per review row: its requests and its pending one.
    var reviewLinks = ChunkedArray<ReviewLinks>()
    /// Request row by reply token (erased tokens are unfiled).
    var requestByToken = RowIndex()
    /// Pending request rows by (business id, reviewer id): what a block declines, without a
    /// look at the reviewer's other reviews. Holds only pending requests; a pair may have many
    /// (one reviewer's reviews of one business), hence a multimap rather than a ``RowIndex``.
    var pendingByPair = RowMultimap()
    /// Businesses each reviewer blocked, by reviewer id (few reviewers block, few businesses each).
    var blocks: [String: [ReviewerBlock]] = [:]
    /// Report rows of each business, in creation order.
    var reportsByBusiness: [String: ChunkedArray<Row>] = [:]
    /// Outbox entries not yet delivered, in creation order.
    public internal(set) var undelivered = OrderedIDs()
    /// Request row by (business id, idempotency key).
    var idempotency: [String: Row] = [:]
    /// Pending requests by the time their next transition is due.
    var dueQueue = DueQueue()

    /// Where requests' messages and reviews' texts are packed (see ``StoredText``).
    var texts = TextArena()

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
        var isEmpty: Bool { self.first == Self.none }

        /// Calls `body` with each request's row, oldest first, without building an array.
        @inline(__always)
        func forEach(_ body: (Row) -> Void) {
            guard self.first != Self.none else { return }
            body(self.first)
            for row in self.more { body(row) }
        }

        mutating func add(_ row: Row) {
            if self.first == Self.none { self.first = row } else { self.more.append(row) }
        }
    }

    /// An empty state under `settings`.
    public init(settings: DomainSettings = DomainSettings()) { self.settings = settings }

    /// Applies one event. Events that no longer fit the state (applied twice) change nothing.
    public mutating func apply(_ event: DomainEvent) {
        switch event {
        case .businessUpserted(let business):
            self.businesses.upsert(business)
        case .reviewerUpserted(let reviewer):
            guard self.reviewers[reviewer.id]?.erasedAt == nil else { return }
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
            self.scheduleNextDue(row)
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
            guard let row = self.outbox.row(of: outboxId), self.outbox[row: row].isPending else { return }
            self.outbox[row: row].deliveredAt = at
            self.undelivered.remove(outboxId)
        case .businessBlocked(let block, let outboxId):
            guard self.reviewers[block.reviewerId].map({ $0.erasedAt == nil }) == true,
                self.block(businessId: block.businessId, reviewerId: block.reviewerId) == nil
            else { return }
            self.blocks[block.reviewerId, default: []].append(block)
            self.addOutbox(outboxId, .businessBlocked, requestId: block.requestId, at: block.blockedAt)
        case .businessUnblocked(let reviewerId, let businessId, let at, let requestId, let outboxId):
            guard let index = self.blocks[reviewerId]?.firstIndex(where: { $0.businessId == businessId }) else { return }
            self.blocks[reviewerId]!.remove(at: index)
            if self.blocks[reviewerId]!.isEmpty { self.blocks[reviewerId] = nil }
            self.addOutbox(outboxId, .businessUnblocked, requestId: requestId, at: at)
        case .replyDetailsErased(let requestId, let at):
            guard let row = self.requests.row(of: requestId), self.requests[row: row].status == .answered,
                self.requests[row: row].hasRetainedReply
            else { return }
            self.eraseReply(row, at: at, because: .retentionPeriod)
            self.requests[row: row].record(TimelineEntry(at: at, kind: .replyDetailsErased))
        case .reviewerErased(let reviewerId, let at, let reviewIds):
            self.applyErasure(reviewerId: reviewerId, at: at, reviewIds: reviewIds)
        case .businessMarkedMoving(let businessId, let at):
            self.businesses.update(businessId) { if $0.movingSince == nil { $0.movingSince = at } }
        case .businessImported(let items):
            self.applyImport(items)
        case .businessForgotten(let businessId, _):
            self.applyForget(businessId)
        }
    }

    /// Erases a reviewer: see ``DomainCommand/eraseReviewer(reviewerId:)`` and the domain README.
    private mutating func applyErasure(reviewerId: String, at: UnixSeconds, reviewIds: [String]) {
        guard let reviewerRow = self.reviewers.row(of: reviewerId), self.reviewers[row: reviewerRow].erasedAt == nil else { return }
        self.reviewers[row: reviewerRow] = Reviewer(id: reviewerId, displayName: "", email: "", locale: "", erasedAt: at)
        var requestRows: [Row] = []
        for reviewId in reviewIds {
            guard let reviewRow = self.reviews.row(of: reviewId), self.reviews[row: reviewRow].reviewerId == reviewerId else { continue }
            self.reviews[row: reviewRow].title = ""
            self.reviews[row: reviewRow].text = ""
            self.reviews[row: reviewRow].experienceDate = ""
            requestRows += self.reviewLinks[Int(reviewRow)].requests.filter { self.requests[row: $0].reviewerId == reviewerId }
        }
        var requestIds = Set<String>()
        for row in requestRows {
            requestIds.insert(self.requests[row: row].id)
            let token = self.requests[row: row].storedToken
            if !token.isEmpty {
                self.requestByToken.remove(token.indexHash, row: row)
                self.requests[row: row].token = ""
            }
            if self.requests[row: row].hasRetainedReply { self.eraseReply(row, at: at, because: .reviewerErased) }
            self.requests[row: row].reviewerErasedAt = at
            self.requests[row: row].record(TimelineEntry(at: at, kind: .reviewerErased))
            // A pending request runs to its deadline without the automatic reminder.
            if self.requests[row: row].status == .pending { self.scheduleNextDue(row) }
        }
        // Emails not yet sent to the reviewer are dropped; the business's still go out, rendered
        // from the erased state.
        let cancelled = self.undelivered.filter { id in
            guard let entry = self.outbox[id] else { return false }
            return entry.kind.isForReviewer && requestIds.contains(entry.requestId)
        }
        for id in cancelled {
            self.outbox.update(id) { $0.cancelledAt = at }
            self.undelivered.remove(id)
        }
        self.blocks[reviewerId] = nil
    }

    private mutating func eraseReply(_ row: Row, at: UnixSeconds, because reason: ReplyErasure) {
        self.requests[row: row].reply = self.requests[row: row].reply?.erased
        self.requests[row: row].replyErasedAt = at
        self.requests[row: row].replyErasure = reason
    }

    private mutating func applyCreated(_ created: DomainEvent.RequestCreated) {
        guard self.requests.row(of: created.requestId) == nil else { return }
        var request = InfoRequest(
            id: created.requestId, businessId: created.businessId, reviewId: created.reviewId,
            reviewerId: created.reviewerId, message: "", requestedFields: created.requestedFields,
            referenceLabel: created.referenceLabel, status: .pending, createdAt: created.at, windowStart: created.at,
            deadline: created.at + Schedule.replyWindow, token: created.token,
            timeline: [TimelineEntry(at: created.at, kind: .created)], skipBusinessEmails: created.skipBusinessEmails)
        request.messageText = self.texts.store(created.message)
        let requestId = request.id
        self.insert(request, idempotencyKey: created.idempotencyKey, reviewRow: self.reviews.row(of: created.reviewId))
        self.requestCount += 1
        if created.acknowledgesIntroduction {
            self.businesses.update(created.businessId) { if $0.introAcknowledgedAt == nil { $0.introAcknowledgedAt = created.at } }
        }
        self.addOutbox(created.outboxId, .requestToReviewer, requestId: requestId, at: created.at)
    }

    // MARK: inserting entities with their indexes (shared by apply and the snapshot restorer)

    /// Adds or replaces a review. Its business and reviewer ids share the storage of the
    /// business's and the reviewer's own id strings: without that, every review's reviewer id
    /// was an allocation of its own (80 bytes for an id of 16 to 31 characters, with the
    /// allocator's header), for the price of one lookup in the reviewers' index.
    @discardableResult
    mutating func insert(_ review: consuming Review) -> ReplacedStrings {
        var review = review
        review.storedText = self.texts.adopt(review.storedText)
        review.storedID = self.texts.adopt(review.storedID)
        var replaced = ReplacedStrings()
        if !Self.isInline(review.businessId), let business = self.businesses.row(of: review.businessId) {
            replaced.keep(&review.businessId, self.businesses[row: business].id)
        }
        if !Self.isInline(review.reviewerId), let reviewer = self.reviewers.row(of: review.reviewerId) {
            replaced.keep(&review.reviewerId, self.reviewers[row: reviewer].id)
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
    /// `reviewRow`: the row of its review, when the caller has it.
    mutating func insert(_ request: consuming InfoRequest, idempotencyKey: String?, reviewRow: Row?? = nil) -> ReplacedStrings {
        var request = request
        request.messageText = self.texts.adopt(request.messageText)
        var replaced = ReplacedStrings()
        let reviewRow = reviewRow ?? request.reviewIdText.withUTF8 { self.reviews.row(utf8: $0) }
        if let reviewRow {
            request.reviewIdText = self.reviews[row: reviewRow].storedID
            if !Self.isInline(request.businessId), self.reviews[row: reviewRow].businessId == request.businessId {
                replaced.keep(&request.businessId, self.reviews[row: reviewRow].businessId)
            }
            if !Self.isInline(request.reviewerId), self.reviews[row: reviewRow].reviewerId == request.reviewerId {
                replaced.keep(&request.reviewerId, self.reviews[row: reviewRow].reviewerId)
            }
        }
        // What the indexes need, taken before the request moves into the table (no copy of it).
        let businessId = request.businessId
        let tokenHash = request.storedToken.isEmpty ? nil : request.storedToken.indexHash
        let pending = request.status == .pending
        let pairHash = pending ? RowIndex.hash(request.businessId, request.reviewerId) : 0
        let due = self.nextDue(request)
        let (row, inserted) = self.requests.upsert(request)
        guard inserted else { return replaced }
        self.requestsByBusiness[businessId, default: []].append(row)
        self.countStatus(of: businessId, self.requests[row: row].status, by: 1)
        if let tokenHash { self.requestByToken.insert(tokenHash, row: row) }
        if let reviewRow {
            self.reviewLinks[Int(reviewRow)].add(row)
            if pending { self.reviewLinks[Int(reviewRow)].pending = row }
        }
        if pending { self.pendingByPair.insert(pairHash, row: row) }
        if let due { self.dueQueue.push(DueQueue.Entry(at: due, row: row)) }
        if let idempotencyKey { self.idempotency[Self.idempotencyIndex(businessId, idempotencyKey)] = row }
        return replaced
    }

    mutating func insert(_ report: Report) {
        let (row, inserted) = self.reports.upsert(report)
        if inserted { self.reportsByBusiness[report.businessId, default: []].append(row) }
    }

    mutating func insert(_ entry: OutboxEntry) {
        if self.outbox.upsert(entry).inserted, entry.isPending { self.undelivered.append(entry.id) }
    }

    mutating func insert(_ block: ReviewerBlock) {
        if self.block(businessId: block.businessId, reviewerId: block.reviewerId) == nil { self.blocks[block.reviewerId, default: []].append(block) }
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

    /// Changes a request's status, keeping its business's counts and the pending index.
    private mutating func setStatus(_ row: Row, _ status: RequestStatus) {
        let (businessId, old) = (self.requests[row: row].businessId, self.requests[row: row].status)
        self.requests[row: row].status = status
        self.countStatus(of: businessId, old, by: -1)
        self.countStatus(of: businessId, status, by: 1)
        if (old == .pending) != (status == .pending) {
            let pairHash = RowIndex.hash(businessId, self.requests[row: row].reviewerId)
            if status == .pending { self.pendingByPair.insert(pairHash, row: row) } else { self.pendingByPair.remove(pairHash, row: row) }
        }
    }

    private mutating func countStatus(of businessId: String, _ status: RequestStatus, by delta: Int) {
        let count = self.requestStatusCounts[businessId]?[status] ?? 0
        self.requestCountsByStatus[RequestStatus.allCases.firstIndex(of: status)!] += delta
        self.requestStatusCounts[businessId, default: [:]][status] = count + delta == 0 ? nil : count + delta
    }

    /// Writes an outbox entry; none for an empty id (the command chose no email).
    private mutating func addOutbox(_ id: String, _ kind: NotificationKind, requestId: String, at: UnixSeconds) {
        guard !id.isEmpty, self.outbox.row(of: id) == nil else { return }
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

    /// When `request` has its next time-driven transition, if any: while pending, the automatic
    /// reminder 72 h into the first window (unless sent, or a manual reminder reopened it), else
    /// the deadline; once answered, the erasure of the reply's details at the end of retention.
    func nextDue(_ request: InfoRequest) -> UnixSeconds? {
        switch request.status {
        case .pending: return Self.automaticReminderDue(request) ?? request.deadline
        case .answered: return self.replyErasureDue(request)
        case .declined, .withdrawn, .expired: return nil
        }
    }

    /// When the automatic reminder of `request` is due, if it still gets one: 72 h into its
    /// first window, unless sent already, a manual reminder reopened the request, or the reviewer
    /// was erased.
    static func automaticReminderDue(_ request: InfoRequest) -> UnixSeconds? {
        let reminderAt = request.createdAt + Schedule.automaticReminderAfter
        guard request.automaticReminderAt == nil, request.manualReminderAt == nil, reminderAt < request.deadline,
            request.reviewerErasedAt == nil
        else { return nil }
        return reminderAt
    }

    /// When the details of an answered request's reply are erased, while they are still kept:
    /// ``DomainSettings/replyRetention`` after the answer (answering ends a request for good).
    /// Never before the reply was opened: opening is refused from the due time on, so that only
    /// matters when a shorter setting came into force after the opening, and it keeps the timeline
    /// in order.
    func replyErasureDue(_ request: InfoRequest) -> UnixSeconds? {
        guard request.status == .answered, request.hasRetainedReply, let reply = request.reply else { return nil }
        return max(reply.repliedAt + self.settings.replyRetention, request.openedAt ?? reply.repliedAt)
    }

    /// Files the request in `row` under its next due time, if it has one.
    private mutating func scheduleNextDue(_ row: Row) {
        guard let due = self.nextDue(self.requests[row: row]) else { return }
        self.dueQueue.push(DueQueue.Entry(at: due, row: row))
    }

    /// Whether a due-queue entry still stands: its request is still due at that time.
    func isCurrent(_ entry: DueQueue.Entry) -> Bool {
        self.nextDue(self.requests[row: entry.row]) == entry.at
    }

    // MARK: index lookups

    /// The requests of a review, oldest first.
    func requestRows(ofReview reviewId: String) -> [Row] {
        guard let row = self.reviews.row(of: reviewId) else { return [] }
        return self.reviewLinks[Int(row)].requests
    }

    /// The row of the request with this reply token, if any.
    func requestRow(token: String) -> Row? {
        self.requestRow(token: StoredToken(token))
    }

    func requestRow(token: StoredToken) -> Row? {
        self.requestByToken.find(token.indexHash) { self.requests[row: $0].storedToken == token }
    }

    /// The block of `businessId` by `reviewerId`, if the reviewer blocked it.
    func block(businessId: String, reviewerId: String) -> ReviewerBlock? {
        self.blocks[reviewerId]?.first { $0.businessId == businessId }
    }

    /// Whether the business may contact the reviewer: not blocked by them, and not erased.
    func isContactable(businessId: String, reviewerId: String) -> Bool {
        self.reviewers[reviewerId]?.erasedAt == nil && self.block(businessId: businessId, reviewerId: reviewerId) == nil
    }

    /// The business's pending requests to the reviewer, oldest first.
    func pendingRequests(businessId: String, reviewerId: String) -> [Row] {
        var rows: [Row] = []
        self.pendingByPair.forEach(RowIndex.hash(businessId, reviewerId)) { row in
            let request = self.requests[row: row]
            if request.status == .pending, request.businessId == businessId, request.reviewerId == reviewerId { rows.append(row) }
        }
        return rows.sorted()
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
            && lhs.settings == rhs.settings && lhs.pendingByPair == rhs.pendingByPair && lhs.blocks == rhs.blocks
            && lhs.reportsByBusiness == rhs.reportsByBusiness && lhs.undelivered == rhs.undelivered
            && lhs.idempotency == rhs.idempotency && lhs.requestCount == rhs.requestCount
            && lhs.reportCount == rhs.reportCount && lhs.outboxCount == rhs.outboxCount
            && Set(lhs.dueQueue.entries.filter(lhs.isCurrent)) == Set(rhs.dueQueue.entries.filter(rhs.isCurrent))
    }
}
