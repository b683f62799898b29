/// Everything FindReviewer knows: a value type, so a snapshot is a cheap copy taken under the
/// server's lock. It changes only through ``apply(_:)``; replaying the same events rebuilds an
/// equal state.
public struct DomainState: Sendable, Equatable, Codable {
    public internal(set) var businesses: [String: Business] = [:]
    public internal(set) var reviewers: [String: Reviewer] = [:]
    public internal(set) var reviews: [String: Review] = [:]
    public internal(set) var requests: [String: InfoRequest] = [:]
    public internal(set) var reports: [String: Report] = [:]
    public internal(set) var outbox: [String: OutboxEntry] = [:]

    // Indexes, maintained by apply so commands and queries never scan everything.
    /// Review ids of each business, in publication order.
    var reviewsByBusiness: [String: [String]] = [:]
    /// Request ids of each business, in creation order (ids grow with it).
    var requestsByBusiness: [String: [String]] = [:]
    /// Request ids of each review, in creation order.
    var requestsByReview: [String: [String]] = [:]
    /// The pending request of a review, if any (at most one: DESIGN.md §2).
    var pendingByReview: [String: String] = [:]
    /// Request id by reply token.
    var requestByToken: [String: String] = [:]
    /// Report ids of each business, in creation order.
    var reportsByBusiness: [String: [String]] = [:]
    /// Outbox entries not yet delivered, in creation order.
    public internal(set) var undelivered = OrderedIDs()
    /// Request id by (business id, idempotency key).
    var idempotency: [String: String] = [:]
    /// Requests that are pending: the only ones with due transitions.
    var pendingRequests: Set<String> = []

    var requestCount = 0
    var reportCount = 0
    var outboxCount = 0

    /// An empty state.
    public init() {}

    /// Applies one event. Events that no longer fit the state (applied twice) change nothing.
    public mutating func apply(_ event: DomainEvent) {
        switch event {
        case .businessUpserted(let business):
            self.businesses[business.id] = business
        case .reviewerUpserted(let reviewer):
            self.reviewers[reviewer.id] = reviewer
        case .reviewPublished(var review):
            if let existing = self.reviews[review.id] {
                review.publicReply = existing.publicReply
            } else {
                self.reviewsByBusiness[review.businessId, default: []].append(review.id)
            }
            self.reviews[review.id] = review
        case .introductionAcknowledged(let businessId, let at):
            if self.businesses[businessId]?.introAcknowledgedAt == nil {
                self.businesses[businessId]?.introAcknowledgedAt = at
            }
        case .requestCreated(let created):
            self.applyCreated(created)
        case .automaticReminderSent(let requestId, let at, let outboxId):
            guard var request = self.requests[requestId], request.status == .pending, request.automaticReminderAt == nil
            else { return }
            request.automaticReminderAt = at
            request.timeline.append(TimelineEntry(at: at, kind: .automaticReminderSent))
            self.requests[requestId] = request
            self.addOutbox(outboxId, .automaticReminder, requestId: requestId, at: at)
        case .manualReminderSent(let requestId, let at, let deadline, let outboxId):
            guard var request = self.requests[requestId], request.status == .expired, request.manualReminderAt == nil
            else { return }
            request.status = .pending
            request.manualReminderAt = at
            request.windowStart = at
            request.deadline = deadline
            request.timeline.append(TimelineEntry(at: at, kind: .manualReminderSent))
            self.requests[requestId] = request
            self.pendingByReview[request.reviewId] = requestId
            self.pendingRequests.insert(requestId)
            self.addOutbox(outboxId, .manualReminder, requestId: requestId, at: at)
        case .requestAnswered(let requestId, let reply, let outboxId):
            guard self.close(requestId, as: .answered, at: reply.repliedAt, kind: .answered) else { return }
            self.requests[requestId]?.reply = reply
            self.requests[requestId]?.closedAt = nil
            self.addOutbox(outboxId, .replyReceived, requestId: requestId, at: reply.repliedAt)
        case .replyOpened(let requestId, let at):
            guard var request = self.requests[requestId], request.status == .answered, request.openedAt == nil else { return }
            request.openedAt = at
            request.timeline.append(TimelineEntry(at: at, kind: .replyOpened))
            self.requests[requestId] = request
        case .requestDeclined(let requestId, let at, let outboxId):
            guard self.close(requestId, as: .declined, at: at, kind: .declined) else { return }
            self.addOutbox(outboxId, .declined, requestId: requestId, at: at)
        case .requestWithdrawn(let requestId, let at):
            _ = self.close(requestId, as: .withdrawn, at: at, kind: .withdrawn)
        case .requestExpired(let requestId, let at, let outboxId):
            guard self.close(requestId, as: .expired, at: at, kind: .expired) else { return }
            self.addOutbox(outboxId, .expired, requestId: requestId, at: at)
        case .publicReplySet(let reviewId, let text, let at):
            guard var review = self.reviews[reviewId] else { return }
            review.publicReply = PublicReply(text: text, createdAt: review.publicReply?.createdAt ?? at, updatedAt: at)
            self.reviews[reviewId] = review
        case .publicReplyDeleted(let reviewId):
            self.reviews[reviewId]?.publicReply = nil
        case .reportCreated(let report):
            guard self.reports[report.id] == nil else { return }
            self.reports[report.id] = report
            self.reportsByBusiness[report.businessId, default: []].append(report.id)
            self.reportCount += 1
        case .outboxDelivered(let outboxId, let at):
            guard self.outbox[outboxId]?.deliveredAt == nil, self.outbox[outboxId] != nil else { return }
            self.outbox[outboxId]?.deliveredAt = at
            self.undelivered.remove(outboxId)
        }
    }

    private mutating func applyCreated(_ created: DomainEvent.RequestCreated) {
        guard self.requests[created.requestId] == nil else { return }
        let request = InfoRequest(
            id: created.requestId, businessId: created.businessId, reviewId: created.reviewId,
            reviewerId: created.reviewerId, message: created.message, requestedFields: created.requestedFields,
            referenceLabel: created.referenceLabel, status: .pending, createdAt: created.at, windowStart: created.at,
            deadline: created.at + Schedule.replyWindow, token: created.token,
            timeline: [TimelineEntry(at: created.at, kind: .created)])
        self.requests[request.id] = request
        self.requestsByBusiness[request.businessId, default: []].append(request.id)
        self.requestsByReview[request.reviewId, default: []].append(request.id)
        self.pendingByReview[request.reviewId] = request.id
        self.requestByToken[request.token] = request.id
        self.pendingRequests.insert(request.id)
        self.requestCount += 1
        if created.acknowledgesIntroduction, self.businesses[created.businessId]?.introAcknowledgedAt == nil {
            self.businesses[created.businessId]?.introAcknowledgedAt = created.at
        }
        if let key = created.idempotencyKey {
            self.idempotency[Self.idempotencyIndex(created.businessId, key)] = request.id
        }
        self.addOutbox(created.outboxId, .requestToReviewer, requestId: request.id, at: created.at)
    }

    /// Moves a pending request to a final status; false when it is not pending (nothing changes).
    private mutating func close(_ requestId: String, as status: RequestStatus, at: UnixSeconds, kind: TimelineKind) -> Bool {
        guard var request = self.requests[requestId], request.status == .pending else { return false }
        request.status = status
        request.closedAt = at
        request.timeline.append(TimelineEntry(at: at, kind: kind))
        self.requests[requestId] = request
        self.pendingByReview[request.reviewId] = nil
        self.pendingRequests.remove(requestId)
        return true
    }

    private mutating func addOutbox(_ id: String, _ kind: NotificationKind, requestId: String, at: UnixSeconds) {
        guard self.outbox[id] == nil else { return }
        self.outbox[id] = OutboxEntry(id: id, kind: kind, requestId: requestId, createdAt: at)
        self.undelivered.append(id)
        self.outboxCount += 1
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
