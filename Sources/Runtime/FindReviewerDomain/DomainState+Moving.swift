/// Moving a business between shards (Protos/PROTOCOL.md §9.5): the old owner marks it moving
/// and exports it, the new owner imports it, the old owner forgets it. No I/O here: the export
/// is a list of ``SnapshotItem``s; the engine encodes it.
extension DomainState {
    /// The business a command writes to, if it is keyed by one (directly, or through a token,
    /// a request or an outbox entry). Reviewer-wide commands (`upsertReviewer`, `eraseReviewer`)
    /// and the move's own commands have none.
    func businessWritten(by command: DomainCommand) -> String? {
        switch command {
        case .upsertBusiness(let business): return business.id
        case .publishReview(let review): return review.businessId
        case .acknowledgeIntroduction(let businessId), .sendManualReminder(let businessId, _), .withdrawRequest(let businessId, _),
            .openReply(let businessId, _), .setPublicReply(let businessId, _, _), .deletePublicReply(let businessId, _),
            .createReport(let businessId, _, _, _, _), .unblockBusinessForReviewer(let businessId, _):
            return businessId
        case .createRequest(let create): return create.businessId
        case .reply(let token, _), .decline(let token), .blockBusiness(let token), .unblockBusiness(let token):
            return self.requestRow(token: token).map { self.requests[row: $0].businessId }
        case .sendAutomaticReminder(let requestId, _), .expire(let requestId, _), .eraseReplyDetails(let requestId, _):
            return self.requests[requestId]?.businessId
        case .markDelivered(let outboxId):
            return self.outbox[outboxId].flatMap { self.requests[$0.requestId]?.businessId }
        case .upsertReviewer, .eraseReviewer, .markBusinessMoving, .importBusiness, .forgetBusiness:
            return nil
        }
    }

    /// FAILED_PRECONDITION `BUSINESS_MOVING` when the command writes to a business that is moving.
    func checkNotMoving(_ command: DomainCommand) throws(DomainError) {
        guard let businessId = self.businessWritten(by: command), self.isMoving(businessId) else { return }
        throw .precondition(
            .businessMoving,
            "business \"\(businessId)\" is moving to another shard: its writes are refused until the move is done (retry at the new owner)")
    }

    /// Whether a request of this state has the reply token `token`.
    public func holdsToken(_ token: String) -> Bool { self.requestRow(token: token) != nil }

    /// Whether the business is marked moving (read in place: the business is not copied).
    public func isMoving(_ businessId: String) -> Bool { self.businesses.lookup(businessId) { $0.movingSince != nil } ?? false }

    func executeMarkMoving(_ businessId: String, now: UnixSeconds) throws(DomainError) -> [DomainEvent] {
        try Validation.id(businessId, field: "businessId")
        let business = try self.business(businessId)
        return business.movingSince == nil ? [.businessMarkedMoving(businessId: businessId, at: now)] : []
    }

    func executeForget(_ businessId: String, now: UnixSeconds) throws(DomainError) -> [DomainEvent] {
        try Validation.id(businessId, field: "businessId")
        let business = try self.business(businessId)
        guard business.movingSince != nil else {
            throw .precondition(
                .businessNotMoving, "business \"\(businessId)\" is not moving: export it (ExportBusiness) before forgetting it")
        }
        return [.businessForgotten(businessId: businessId, at: now)]
    }

    /// The business and everything about it, in an order ``DomainCommand/importBusiness(items:)``
    /// takes: the business, the reviewers of its reviews, its reviews (publication order), its
    /// requests (creation order, with their idempotency keys), reports, the outbox entries of
    /// its requests (delivered or not) and the blocks of it. Nil for an unknown business.
    public func exportItems(businessId: String) -> [SnapshotItem]? {
        guard let business = self.businesses[businessId] else { return nil }
        var items: [SnapshotItem] = [.business(business)]
        let reviewRows = self.reviewsByBusiness[businessId] ?? []
        var reviewerIds = Set<String>()
        for row in reviewRows {
            let reviewerId = self.reviews[row: row].reviewerId
            if reviewerIds.insert(reviewerId).inserted, let reviewer = self.reviewers[reviewerId] { items.append(.reviewer(reviewer)) }
        }
        for row in reviewRows { items.append(.review(self.reviews[row: row])) }
        var keys: [Row: String] = [:]
        let prefix = businessId + "\u{1F}"
        for (index, row) in self.idempotency where index.hasPrefix(prefix) { keys[row] = String(index.dropFirst(prefix.count)) }
        var requestIds = Set<String>()
        for row in self.requestsByBusiness[businessId] ?? [] {
            requestIds.insert(self.requests[row: row].id)
            items.append(.request(self.requests[row: row], idempotencyKey: keys[row]))
        }
        for row in self.reportsByBusiness[businessId] ?? [] { items.append(.report(self.reports[row: row])) }
        if !requestIds.isEmpty {
            for entry in self.outbox.values where requestIds.contains(entry.requestId) { items.append(.outbox(entry)) }
        }
        for blocks in self.blocks.values {
            for block in blocks where block.businessId == businessId { items.append(.block(block)) }
        }
        return items
    }

    /// Checks an export against this state and renumbers its requests, reports and outbox
    /// entries after this state's own (ids are numbered per shard; review ids, tokens and
    /// idempotency keys are kept).
    func executeImport(_ items: [SnapshotItem]) throws(DomainError) -> [DomainEvent] {
        guard case .business(var business)? = items.first else {
            throw .invalid("data", "an export starts with its business")
        }
        try Validation.id(business.id, field: "data.business.id")
        let businessId = business.id
        if self.businesses[businessId] != nil {
            throw DomainError(.alreadyExists, "business \"\(businessId)\" already exists on this shard: forget it here first, or import elsewhere")
        }
        business.movingSince = nil
        var out: [SnapshotItem] = [.business(business)]
        var reviewers = Set<String>()
        var reviews = Set<String>()
        var requestIds: [String: String] = [:]
        var requests = 0
        var reports = 0
        var outbox = 0
        var tokens = Set<String>()
        for item in items.dropFirst() {
            switch item {
            case .business:
                throw .invalid("data", "an export holds one business")
            case .reviewer(let reviewer):
                try Validation.id(reviewer.id, field: "data.reviewer.id")
                reviewers.insert(reviewer.id)
                out.append(item)
            case .review(let review):
                try Validation.id(review.id, field: "data.review.id")
                guard review.businessId == businessId else { throw .invalid("data", "review \"\(review.id)\" is of another business") }
                guard reviewers.contains(review.reviewerId) else { throw .invalid("data", "review \"\(review.id)\" before its reviewer") }
                if self.reviews[review.id] != nil {
                    throw DomainError(.alreadyExists, "review \"\(review.id)\" already exists on this shard")
                }
                reviews.insert(review.id)
                out.append(item)
            case .request(var request, let key):
                guard request.businessId == businessId, reviews.contains(request.reviewId), requestIds[request.id] == nil else {
                    throw .invalid("data", "request \"\(request.id)\" is of another business, before its review, or repeated")
                }
                if !request.token.isEmpty {
                    guard tokens.insert(request.token).inserted, self.requestRow(token: request.token) == nil else {
                        throw DomainError(.alreadyExists, "the reply token of request \"\(request.id)\" already exists on this shard")
                    }
                }
                requests += 1
                let id = Self.sequentialId("req_", self.requestCount + requests)
                requestIds[request.id] = id
                request.id = id
                out.append(.request(request, idempotencyKey: key))
            case .report(var report):
                guard report.businessId == businessId, reviews.contains(report.reviewId) else {
                    throw .invalid("data", "report \"\(report.id)\" is of another business or before its review")
                }
                reports += 1
                report.id = Self.sequentialId("rep_", self.reportCount + reports)
                out.append(.report(report))
            case .outbox(var entry):
                guard let requestId = requestIds[entry.requestId] else {
                    throw .invalid("data", "outbox entry \"\(entry.id)\" is about no request of the export")
                }
                outbox += 1
                entry.id = Self.sequentialId("out_", self.outboxCount + outbox)
                entry.requestId = requestId
                out.append(.outbox(entry))
            case .block(var block):
                guard block.businessId == businessId, reviewers.contains(block.reviewerId) else {
                    throw .invalid("data", "a block of another business, or by a reviewer not in the export")
                }
                if !block.requestId.isEmpty {
                    guard let requestId = requestIds[block.requestId] else { throw .invalid("data", "a block about no request of the export") }
                    block.requestId = requestId
                }
                out.append(.block(block))
            case .counters:
                throw .invalid("data", "an export holds no counters")
            }
        }
        return [.businessImported(items: out)]
    }

    /// Adds an import's items (already checked and renumbered): a reviewer this state holds
    /// already keeps its own record.
    mutating func applyImport(_ items: [SnapshotItem]) {
        guard case .business(let business)? = items.first, self.businesses[business.id] == nil else { return }
        for item in items {
            switch item {
            case .business(let business):
                self.businesses.upsert(business)
            case .reviewer(let reviewer):
                if self.reviewers[reviewer.id] == nil { self.reviewers.upsert(reviewer) }
            case .review(let review):
                self.insert(review)
            case .request(let request, let key):
                self.insert(request, idempotencyKey: key)
                self.requestCount += 1
            case .report(let report):
                self.insert(report)
                self.reportCount += 1
            case .outbox(let entry):
                self.insert(entry)
                self.outboxCount += 1
            case .block(let block):
                if self.reviewers[block.reviewerId]?.erasedAt == nil { self.insert(block) }
            case .counters:
                break
            }
        }
    }

    /// Rebuilds the state without the business: its reviews, requests, reports, the outbox
    /// entries of its requests, the blocks of it, and the reviewers left without a review here.
    /// One pass over every entity (as a snapshot restore); the counters stay, so ids are never reused.
    mutating func applyForget(_ businessId: String) {
        guard self.businesses[businessId] != nil else { return }
        var candidates = Set<String>()
        for row in self.reviewsByBusiness[businessId] ?? [] { candidates.insert(self.reviews[row: row].reviewerId) }
        if !candidates.isEmpty {
            for review in self.reviews.values where review.businessId != businessId { candidates.remove(review.reviewerId) }
        }
        var requestIds = Set<String>()
        for row in self.requestsByBusiness[businessId] ?? [] { requestIds.insert(self.requests[row: row].id) }
        var restorer = SnapshotRestorer(settings: self.settings)
        self.forEachSnapshotItem { item in
            switch item {
            case .business(let business): if business.id == businessId { return }
            case .reviewer(let reviewer): if candidates.contains(reviewer.id) { return }
            case .review(let review): if review.businessId == businessId { return }
            case .request(let request, _): if request.businessId == businessId { return }
            case .report(let report): if report.businessId == businessId { return }
            case .outbox(let entry): if requestIds.contains(entry.requestId) { return }
            case .block(let block): if block.businessId == businessId { return }
            case .counters: break
            }
            restorer.add(item)
        }
        self = restorer.finish()
    }
}
