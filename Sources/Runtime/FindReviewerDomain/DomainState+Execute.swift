extension DomainState {
    /// Validates `command` against the state and the acting business at time `now`, and returns
    /// the events that carry it out (not yet applied). An empty result means nothing changes
    /// (e.g. a repeated idempotent create). The caller applies the events, in order.
    ///
    /// Checks run in one order for every command (Protos/PROTOCOL.md "Order of checks"): first
    /// each field on its own (ids, texts, enums: INVALID_ARGUMENT), then the lookups
    /// (NOT_FOUND), then the rules that depend on the state (FAILED_PRECONDITION, and the few
    /// INVALID_ARGUMENTs that do, such as a review naming a business that does not exist).
    public func execute(_ command: DomainCommand, now: UnixSeconds) throws(DomainError) -> [DomainEvent] {
        try self.checkNotMoving(command)
        switch command {
        case .markBusinessMoving(let businessId):
            return try self.executeMarkMoving(businessId, now: now)
        case .importBusiness(let items):
            return try self.executeImport(items)
        case .forgetBusiness(let businessId):
            return try self.executeForget(businessId, now: now)

        case .upsertBusiness(var business):
            try Validation.id(business.id, field: "business.id")
            try Validation.text(business.displayName, field: "business.displayName", maximum: Limits.displayName, required: true)
            try Validation.email(business.notificationEmail, field: "business.notificationEmail")
            try Validation.text(business.locale, field: "business.locale", maximum: Limits.locale)
            // The acknowledgement belongs to the business's users, not to the pipeline.
            business.introAcknowledgedAt = self.businesses[business.id]?.introAcknowledgedAt
            business.movingSince = self.businesses[business.id]?.movingSince
            return self.businesses[business.id] == business ? [] : [.businessUpserted(business)]

        case .upsertReviewer(let reviewer):
            try Validation.id(reviewer.id, field: "reviewer.id")
            try Validation.text(reviewer.displayName, field: "reviewer.displayName", maximum: Limits.displayName, required: true)
            try Validation.email(reviewer.email, field: "reviewer.email")
            try Validation.text(reviewer.locale, field: "reviewer.locale", maximum: Limits.locale)
            if let erasedAt = self.reviewers[reviewer.id]?.erasedAt { throw Self.erased(reviewer.id, at: erasedAt) }
            // Erasure belongs to the admin, not to the pipeline.
            var reviewer = reviewer
            reviewer.erasedAt = nil
            return self.reviewers[reviewer.id] == reviewer ? [] : [.reviewerUpserted(reviewer)]

        case .publishReview(var review):
            try Validation.id(review.id, field: "review.id")
            try Validation.id(review.businessId, field: "review.businessId")
            try Validation.id(review.reviewerId, field: "review.reviewerId")
            guard (1...5).contains(review.rating) else { throw .invalid("review.rating", "must be 1 to 5, not \(review.rating)") }
            try Validation.text(review.title, field: "review.title", maximum: Limits.reviewTitle)
            try Validation.text(review.text, field: "review.text", maximum: Limits.reviewText, multiLine: true)
            try Validation.date(review.experienceDate, field: "review.experienceDate")
            guard self.businesses[review.businessId] != nil else {
                throw .invalid("review.businessId", "no business \"\(review.businessId)\": upsert the business first")
            }
            guard let reviewer = self.reviewers[review.reviewerId] else {
                throw .invalid("review.reviewerId", "no reviewer \"\(review.reviewerId)\": upsert the reviewer first")
            }
            if let erasedAt = reviewer.erasedAt { throw Self.erased(reviewer.id, at: erasedAt) }
            if let existing = self.reviews[review.id], existing.businessId != review.businessId {
                throw .invalid("review.businessId", "review \"\(review.id)\" belongs to another business; a review cannot move")
            }
            // Requests, blocks and erasure follow a review's reviewer: it cannot change either.
            if let existing = self.reviews[review.id], existing.reviewerId != review.reviewerId {
                throw .invalid("review.reviewerId", "review \"\(review.id)\" was written by another reviewer; its author cannot change")
            }
            if review.createdAt == 0 { review.createdAt = self.reviews[review.id]?.createdAt ?? now }
            review.publicReply = self.reviews[review.id]?.publicReply
            return self.reviews[review.id] == review ? [] : [.reviewPublished(review)]

        case .acknowledgeIntroduction(let businessId):
            try Validation.id(businessId, field: "businessId")
            let business = try self.business(businessId)
            return business.introAcknowledgedAt == nil ? [.introductionAcknowledged(businessId: businessId, at: now)] : []

        case .createRequest(let create):
            return try self.executeCreate(create, now: now)

        case .sendManualReminder(let businessId, let requestId):
            try Self.validateIds(businessId: businessId, requestId: requestId)
            let request = try self.request(requestId, of: businessId)
            guard request.status == .expired else {
                throw .precondition(
                    .wrongStatus, "request \(requestId) is \(request.status.rawValue); a manual reminder reopens only an expired request")
            }
            guard request.manualReminderAt == nil else {
                throw .precondition(.manualReminderUsed, "request \(requestId) already had its one manual reminder")
            }
            // Reopening must not break "at most one open request per review".
            if let open = self.pendingRequest(ofReview: request.reviewId) {
                throw .precondition(
                    .requestAlreadyOpen, "review \(request.reviewId) has a newer open request (\(open.id)); it cannot be reopened now")
            }
            guard self.isContactable(businessId: businessId, reviewerId: request.reviewerId) else { throw .notContactable }
            return [
                .manualReminderSent(
                    requestId: requestId, at: now, deadline: now + Schedule.replyWindow, outboxId: self.nextOutboxId(0))
            ]

        case .withdrawRequest(let businessId, let requestId):
            try Self.validateIds(businessId: businessId, requestId: requestId)
            let request = try self.request(requestId, of: businessId)
            guard request.status == .pending else {
                throw .precondition(.wrongStatus, "request \(requestId) is \(request.status.rawValue); only a pending request can be withdrawn")
            }
            return [.requestWithdrawn(requestId: requestId, at: now)]

        case .openReply(let businessId, let requestId):
            try Self.validateIds(businessId: businessId, requestId: requestId)
            let request = try self.request(requestId, of: businessId)
            guard request.status == .answered else {
                throw .precondition(.replyNotAvailable, "request \(requestId) is \(request.status.rawValue); there is no reply to open")
            }
            guard request.openedAt == nil else { return [] }
            // At the end of retention the details are gone, even before the timer erased them.
            if let erasedAt = request.replyErasedAt ?? self.replyErasureDue(request).flatMap({ $0 <= now ? $0 : nil }) {
                throw .precondition(
                    .replyNotAvailable,
                    "the details of request \(requestId)'s reply were removed on \(CivilTime.iso8601(erasedAt)); only its time remains")
            }
            return [.replyOpened(requestId: requestId, at: now)]

        case .setPublicReply(let businessId, let reviewId, let text):
            try Self.validateIds(businessId: businessId, reviewId: reviewId)
            try Validation.text(text, field: "text", maximum: Limits.publicReply, required: true, multiLine: true)
            _ = try self.review(reviewId, of: businessId)
            return self.reviews[reviewId]?.publicReply?.text == text ? [] : [.publicReplySet(reviewId: reviewId, text: text, at: now)]

        case .deletePublicReply(let businessId, let reviewId):
            try Self.validateIds(businessId: businessId, reviewId: reviewId)
            let review = try self.review(reviewId, of: businessId)
            guard review.publicReply != nil else { return [] }
            return [.publicReplyDeleted(reviewId: reviewId)]

        case .createReport(let businessId, let reviewId, let reason, let explanation, let acknowledged):
            try Self.validateIds(businessId: businessId, reviewId: reviewId)
            guard let reason else { throw .invalid("reason", "choose one reason for the report") }
            try Validation.text(explanation, field: "explanation", maximum: Limits.reportExplanation, required: true, multiLine: true)
            guard acknowledged else {
                throw .invalid("acknowledgeGuidelines", "must be true: reporting a review to get it removed unfairly breaks the guidelines")
            }
            let review = try self.review(reviewId, of: businessId)
            if reason == .notGenuineExperience, review.source.isEligibleForFindReviewer, !self.hasFindReviewerTry(reviewId: reviewId) {
                throw .precondition(
                    .findReviewerTryRequired,
                    "ask the reviewer with Find Reviewer first: a not-genuine-experience report needs a request on this review "
                        + "that was answered, declined or expired")
            }
            let report = Report(
                id: Self.sequentialId("rep_", self.reportCount + 1), businessId: businessId, reviewId: reviewId, reason: reason,
                explanation: explanation, createdAt: now)
            return [.reportCreated(report)]

        case .reply(let token, var reply):
            try Validation.opaqueKey(token, field: "token", maximumBytes: Limits.token)
            try Self.validateReply(reply)
            let request = try self.pendingRequest(token: token, now: now)
            for field in RequestedField.allCases where !reply.value(of: field).isEmpty && !request.requestedFields.contains(field) {
                throw .invalid(field.rawValue, "was not asked for; share only the requested details")
            }
            reply.repliedAt = now
            return [.requestAnswered(requestId: request.id, reply: reply, outboxId: self.businessOutboxId(request, 0))]

        case .decline(let token):
            let request = try self.pendingRequest(token: token, now: now)
            return [.requestDeclined(requestId: request.id, at: now, outboxId: self.businessOutboxId(request, 0))]

        case .blockBusiness(let token):
            let request = try self.linkedRequest(token: token)
            guard self.block(businessId: request.businessId, reviewerId: request.reviewerId) == nil else { return [] }
            var events = self.closePending(businessId: request.businessId, reviewerId: request.reviewerId, now: now)
            let block = ReviewerBlock(reviewerId: request.reviewerId, businessId: request.businessId, blockedAt: now, requestId: request.id)
            events.append(.businessBlocked(block, outboxId: self.nextOutboxId(Self.emailCount(events))))
            return events

        case .unblockBusiness(let token):
            let request = try self.linkedRequest(token: token)
            guard self.block(businessId: request.businessId, reviewerId: request.reviewerId) != nil else { return [] }
            return [
                .businessUnblocked(
                    reviewerId: request.reviewerId, businessId: request.businessId, at: now, requestId: request.id,
                    outboxId: self.nextOutboxId(0))
            ]

        case .unblockBusinessForReviewer(let businessId, let reviewerId):
            try Validation.id(businessId, field: "businessId")
            try Validation.id(reviewerId, field: "reviewerId")
            try self.requireBusiness(businessId)
            _ = try self.getReviewer(reviewerId)
            guard let block = self.block(businessId: businessId, reviewerId: reviewerId) else { return [] }
            return [
                .businessUnblocked(
                    reviewerId: reviewerId, businessId: businessId, at: now, requestId: block.requestId, outboxId: self.nextOutboxId(0))
            ]

        case .eraseReviewer(let reviewerId, let found):
            let reviewer = try self.getReviewer(reviewerId)
            guard reviewer.erasedAt == nil else { return [] }
            // One pass over the reviews (no index by reviewer: it would cost memory on every
            // review for a rare admin call), best made off the lock; the event carries what it found.
            let known = found.flatMap { $0.reviewerId == reviewerId && $0.scannedCount <= self.reviews.count ? $0 : nil }
                ?? ReviewsOfReviewer(reviewerId: reviewerId, rows: [], scannedCount: 0)
            let rows = known.rows + self.reviews.rows(from: known.scannedCount) { $0.reviewerId == reviewerId }
            let reviewIds = rows.map { self.reviews[row: $0].id }
            // Requests whose window closed expire first, at their deadline, as the timer would
            // have done; the others run to their deadline without reminders.
            var events: [DomainEvent] = []
            for reviewId in reviewIds {
                guard let pending = self.pendingRequest(ofReview: reviewId), !pending.acceptsReply(at: now) else { continue }
                events.append(
                    .requestExpired(
                        requestId: pending.id, at: pending.deadline, outboxId: self.businessOutboxId(pending, Self.emailCount(events))))
            }
            events.append(.reviewerErased(reviewerId: reviewerId, at: now, reviewIds: reviewIds))
            return events

        case .sendAutomaticReminder(let requestId, let dueAt):
            guard let request = self.requests[requestId], request.status == .pending,
                Self.automaticReminderDue(request) == dueAt, dueAt <= now
            else { return [] }
            return [.automaticReminderSent(requestId: requestId, at: dueAt, outboxId: self.nextOutboxId(0))]

        case .expire(let requestId, let dueAt):
            guard let request = self.requests[requestId], request.status == .pending, dueAt == request.deadline, dueAt <= now
            else { return [] }
            return [.requestExpired(requestId: requestId, at: dueAt, outboxId: self.businessOutboxId(request, 0))]

        case .eraseReplyDetails(let requestId, let dueAt):
            guard let request = self.requests[requestId], self.replyErasureDue(request) == dueAt, dueAt <= now else { return [] }
            return [.replyDetailsErased(requestId: requestId, at: dueAt)]

        case .markDelivered(let outboxId):
            guard let entry = self.outbox[outboxId] else { throw .notFound("outbox entry", outboxId) }
            // A cancelled entry stays cancelled (a delivery racing the erasure is not recorded).
            return entry.isPending ? [.outboxDelivered(outboxId: outboxId, at: now)] : []
        }
    }

    /// Ends the business's pending requests to the reviewer, oldest first: declined at `now`, or
    /// expired at its deadline when its window has already closed (the timer has not got to it).
    private func closePending(businessId: String, reviewerId: String, now: UnixSeconds) -> [DomainEvent] {
        var events: [DomainEvent] = []
        for row in self.pendingRequests(businessId: businessId, reviewerId: reviewerId) {
            let request = self.requests[row: row]
            let outboxId = self.businessOutboxId(request, Self.emailCount(events))
            events.append(
                request.acceptsReply(at: now)
                    ? .requestDeclined(requestId: request.id, at: now, outboxId: outboxId)
                    : .requestExpired(requestId: request.id, at: request.deadline, outboxId: outboxId))
        }
        return events
    }

    /// How many outbox entries `events` write (for the ids of the ones after them).
    static func emailCount(_ events: [DomainEvent]) -> Int {
        events.count { event in
            switch event {
            case .requestCreated(let created): return !created.outboxId.isEmpty
            case .automaticReminderSent(_, _, let id), .manualReminderSent(_, _, _, let id), .requestAnswered(_, _, let id),
                .requestDeclined(_, _, let id), .requestExpired(_, _, let id), .businessBlocked(_, let id),
                .businessUnblocked(_, _, _, _, let id):
                return !id.isEmpty
            default: return false
            }
        }
    }

    /// The outbox id of an email to the business about `request`, or empty when it skips them.
    func businessOutboxId(_ request: InfoRequest, _ offset: Int) -> String {
        request.skipBusinessEmails ? "" : self.nextOutboxId(offset)
    }

    /// The fair-use rule (DESIGN.md §9): at most the plan's number of requests created in any
    /// 24 hours. Rows are in creation order, so the request `limit` places back from the newest
    /// decides: O(1), whatever the business's history.
    private func checkRequestLimit(_ business: Business, now: UnixSeconds) throws(DomainError) {
        let limit = self.settings.maxRequestsPerDay(business.plan)
        guard let rows = self.requestsByBusiness[business.id], rows.count >= limit else { return }
        let oldestCounted = self.requests[row: rows[rows.count - limit]].createdAt
        guard oldestCounted > now - Schedule.fairUseWindow else { return }
        let retryAt = oldestCounted + Schedule.fairUseWindow
        throw DomainError(
            .resourceExhausted,
            "business \(business.id) has created \(limit) requests in the last 24 hours, the fair-use limit of its "
                + "\(business.plan.rawValue) plan; the next request is possible at \(CivilTime.iso8601(retryAt))",
            reason: .requestLimitReached, detail: String(retryAt), retryAt: retryAt)
    }

    static func erased(_ reviewerId: String, at: UnixSeconds) -> DomainError {
        .precondition(.reviewerErased, "reviewer \(reviewerId) was erased on \(CivilTime.iso8601(at)); the id cannot be used again")
    }

    private func executeCreate(_ create: DomainCommand.CreateRequest, now: UnixSeconds) throws(DomainError) -> [DomainEvent] {
        try Self.validateIds(businessId: create.businessId, reviewId: create.reviewId)
        try Validation.text(create.message, field: "message", maximum: Limits.requestMessage, required: true, multiLine: true)
        guard !create.requestedFields.isEmpty else { throw .invalid("requestedFields", "ask for at least one detail") }
        guard Set(create.requestedFields).count == create.requestedFields.count else {
            throw .invalid("requestedFields", "lists a detail twice")
        }
        try Validation.text(create.referenceLabel, field: "referenceLabel", maximum: Limits.referenceLabel)
        if !create.referenceLabel.isEmpty && !create.requestedFields.contains(.referenceNumber) {
            throw .invalid("referenceLabel", "is only for requests that ask for a reference number")
        }
        if let key = create.idempotencyKey {
            try Validation.opaqueKey(key, field: "idempotencyKey", maximumBytes: Limits.idempotencyKey)
        }
        let business = try self.business(create.businessId)
        if let key = create.idempotencyKey, self.idempotency[Self.idempotencyIndex(create.businessId, key)] != nil { return [] }
        let review = try self.review(create.reviewId, of: create.businessId)
        // From here on `create.reviewId`, the same bytes as the review's packed id, which a string would have to be built from.
        // The first of the rules, after the lookups (PROTOCOL.md §4.1).
        try self.checkRequestLimit(business, now: now)
        guard review.source.isEligibleForFindReviewer else {
            throw .precondition(
                .platformInvitedReview,
                "review \(create.reviewId) was invited through the platform's own invitations; Find Reviewer is for organic and "
                    + "business-invited reviews only")
        }
        guard business.introAcknowledgedAt != nil || create.acknowledgeIntroduction else {
            throw .precondition(
                .introductionNotAcknowledged,
                "acknowledge the Find Reviewer introduction first (AcknowledgeIntroduction, or acknowledge_intro on this call)",
                detail: Introduction.text(business.language))
        }
        if let open = self.pendingRequest(ofReview: create.reviewId) {
            throw .precondition(.requestAlreadyOpen, "review \(create.reviewId) already has an open request (\(open.id)); wait for it or withdraw it")
        }
        guard self.isContactable(businessId: create.businessId, reviewerId: review.reviewerId) else { throw .notContactable }
        guard create.token.utf8.count >= 32, create.token.utf8.count <= Limits.token, self.requestRow(token: create.token) == nil else {
            throw .invalid("token", "must be a fresh token of 32 to \(Limits.token) characters (a fresh reply token)")
        }
        guard self.reviewers[review.reviewerId] != nil else { throw .notFound("reviewer", review.reviewerId) }
        let created = DomainEvent.RequestCreated(
            requestId: Self.sequentialId("req_", self.requestCount + 1), businessId: create.businessId, reviewId: create.reviewId,
            reviewerId: review.reviewerId, message: create.message, requestedFields: create.requestedFields.sorted(),
            referenceLabel: create.referenceLabel, token: create.token, at: now,
            acknowledgesIntroduction: create.acknowledgeIntroduction && business.introAcknowledgedAt == nil,
            idempotencyKey: create.idempotencyKey, outboxId: self.nextOutboxId(0),
            skipBusinessEmails: create.skipBusinessNotificationEmail)
        return [.requestCreated(created)]
    }

    /// The checks of a reply that do not depend on its request.
    private static func validateReply(_ reply: ReviewerReply) throws(DomainError) {
        try Validation.email(reply.email, field: "email", required: false)
        try Validation.text(reply.referenceNumber, field: "referenceNumber", maximum: Limits.referenceNumber)
        try Validation.text(reply.fullName, field: "fullName", maximum: Limits.fullName)
        if !reply.phone.isEmpty { try Validation.phone(reply.phone, field: "phone") }
        try Validation.text(reply.note, field: "note", maximum: Limits.replyNote, multiLine: true)
        let shared = RequestedField.allCases.contains { !reply.value(of: $0).trimmingWhitespace.isEmpty }
        guard shared || !reply.note.trimmingWhitespace.isEmpty else {
            throw DomainError(.invalidArgument, "fill in at least one requested detail or a note", field: "note")
        }
    }

    /// The ids of a business-portal call, in the order of their fields.
    static func validateIds(businessId: String, reviewId: String? = nil, requestId: String? = nil) throws(DomainError) {
        try Validation.id(businessId, field: "businessId")
        if let reviewId { try Validation.id(reviewId, field: "reviewId") }
        if let requestId { try Validation.id(requestId, field: "requestId") }
    }

    // MARK: lookups that enforce ownership

    /// The business, or NOT_FOUND.
    /// Throws NOT_FOUND unless the business exists (without copying it, as ``business(_:)`` does).
    func requireBusiness(_ id: String) throws(DomainError) {
        guard self.businesses.row(of: id) != nil else { throw .notFound("business", id) }
    }

    func business(_ id: String) throws(DomainError) -> Business {
        guard let business = self.businesses[id] else { throw .notFound("business", id) }
        return business
    }

    /// The review if it belongs to `businessId`; another business's review is NOT_FOUND too.
    func review(_ id: String, of businessId: String) throws(DomainError) -> Review {
        try self.requireBusiness(businessId)
        guard let review = self.reviews[id], review.businessId == businessId else { throw .notFound("review", id) }
        return review
    }

    /// The request if it belongs to `businessId`; another business's request is NOT_FOUND too.
    func request(_ id: String, of businessId: String) throws(DomainError) -> InfoRequest {
        try self.requireBusiness(businessId)
        guard let request = self.requests[id], request.businessId == businessId else { throw .notFound("information request", id) }
        return request
    }

    /// The request a token opens, if it still accepts a reply at `now`. A withdrawn request's
    /// link no longer works at all: NOT_FOUND, as for viewing it.
    func pendingRequest(token: String, now: UnixSeconds) throws(DomainError) -> InfoRequest {
        let request = try self.linkedRequest(token: token)
        guard request.status == .pending else {
            throw .precondition(.wrongStatus, "this request is \(request.status.rawValue) and no longer takes answers")
        }
        guard request.acceptsReply(at: now) else {
            throw .precondition(.replyWindowClosed, "the 5-day window to answer this request has closed")
        }
        return request
    }

    /// The request behind a link that still works: any status but withdrawn (NOT_FOUND, as for
    /// viewing it).
    func linkedRequest(token: String) throws(DomainError) -> InfoRequest {
        let request = try self.request(token: token)
        guard request.status != .withdrawn else { throw Self.withdrawnLink }
        return request
    }

    /// The request bound to `token`; an unknown token is NOT_FOUND. The final comparison is
    /// constant-time so response timing does not help guess a token.
    func request(token: String) throws(DomainError) -> InfoRequest {
        try Validation.opaqueKey(token, field: "token", maximumBytes: Limits.token)
        let stored = StoredToken(token)
        guard let row = self.requestRow(token: stored), case let request = self.requests[row: row],
            request.storedToken.equalsInConstantTime(stored)
        else { throw DomainError(.notFound, "no information request for this link; it may have been mistyped") }
        return request
    }

    /// What a withdrawn request's link answers.
    static let withdrawnLink = DomainError(.notFound, "no information request for this link; it may have been withdrawn")

    /// Whether the business tried Find Reviewer on the review: a request ended answered, declined or expired.
    public func hasFindReviewerTry(reviewId: String) -> Bool {
        self.requestRows(ofReview: reviewId).contains { self.requests[row: $0].status.countsAsFindReviewerTry }
    }

    /// The id the next outbox entry gets; `offset` for several in one command.
    func nextOutboxId(_ offset: Int) -> String { Self.sequentialId("out_", self.outboxCount + 1 + offset) }
}
