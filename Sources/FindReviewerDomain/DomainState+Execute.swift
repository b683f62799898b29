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
        switch command {
        case .upsertBusiness(var business):
            try Validation.id(business.id, field: "business.id")
            try Validation.text(business.displayName, field: "business.displayName", maximum: Limits.displayName, required: true)
            try Validation.email(business.notificationEmail, field: "business.notificationEmail")
            try Validation.text(business.locale, field: "business.locale", maximum: Limits.locale)
            // The acknowledgement belongs to the business's users, not to the pipeline.
            business.introAcknowledgedAt = self.businesses[business.id]?.introAcknowledgedAt
            return self.businesses[business.id] == business ? [] : [.businessUpserted(business)]

        case .upsertReviewer(let reviewer):
            try Validation.id(reviewer.id, field: "reviewer.id")
            try Validation.text(reviewer.displayName, field: "reviewer.displayName", maximum: Limits.displayName, required: true)
            try Validation.email(reviewer.email, field: "reviewer.email")
            try Validation.text(reviewer.locale, field: "reviewer.locale", maximum: Limits.locale)
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
            guard self.reviewers[review.reviewerId] != nil else {
                throw .invalid("review.reviewerId", "no reviewer \"\(review.reviewerId)\": upsert the reviewer first")
            }
            if let existing = self.reviews[review.id], existing.businessId != review.businessId {
                throw .invalid("review.businessId", "review \"\(review.id)\" belongs to another business; a review cannot move")
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
            return request.openedAt == nil ? [.replyOpened(requestId: requestId, at: now)] : []

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
            return [.requestAnswered(requestId: request.id, reply: reply, outboxId: self.nextOutboxId(0))]

        case .decline(let token):
            let request = try self.pendingRequest(token: token, now: now)
            return [.requestDeclined(requestId: request.id, at: now, outboxId: self.nextOutboxId(0))]

        case .sendAutomaticReminder(let requestId, let dueAt):
            guard let request = self.requests[requestId], request.status == .pending,
                Self.automaticReminderDue(request) == dueAt, dueAt <= now
            else { return [] }
            return [.automaticReminderSent(requestId: requestId, at: dueAt, outboxId: self.nextOutboxId(0))]

        case .expire(let requestId, let dueAt):
            guard let request = self.requests[requestId], request.status == .pending, dueAt == request.deadline, dueAt <= now
            else { return [] }
            return [.requestExpired(requestId: requestId, at: dueAt, outboxId: self.nextOutboxId(0))]

        case .markDelivered(let outboxId):
            guard let entry = self.outbox[outboxId] else { throw .notFound("outbox entry", outboxId) }
            return entry.deliveredAt == nil ? [.outboxDelivered(outboxId: outboxId, at: now)] : []
        }
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
        guard review.source.isEligibleForFindReviewer else {
            throw .precondition(
                .platformInvitedReview,
                "review \(review.id) was invited through the platform's own invitations; Find Reviewer is for organic and "
                    + "business-invited reviews only")
        }
        guard business.introAcknowledgedAt != nil || create.acknowledgeIntroduction else {
            throw .precondition(
                .introductionNotAcknowledged,
                "acknowledge the Find Reviewer introduction first (AcknowledgeIntroduction, or acknowledge_intro on this call)",
                detail: Introduction.text(business.language))
        }
        if let open = self.pendingRequest(ofReview: review.id) {
            throw .precondition(.requestAlreadyOpen, "review \(review.id) already has an open request (\(open.id)); wait for it or withdraw it")
        }
        guard create.token.utf8.count >= 32, create.token.utf8.count <= Limits.token, self.requestRow(token: create.token) == nil else {
            throw .invalid("token", "must be a fresh token of 32 to \(Limits.token) characters from ReplyToken.generate()")
        }
        guard self.reviewers[review.reviewerId] != nil else { throw .notFound("reviewer", review.reviewerId) }
        let created = DomainEvent.RequestCreated(
            requestId: Self.sequentialId("req_", self.requestCount + 1), businessId: create.businessId, reviewId: review.id,
            reviewerId: review.reviewerId, message: create.message, requestedFields: create.requestedFields.sorted(),
            referenceLabel: create.referenceLabel, token: create.token, at: now,
            acknowledgesIntroduction: create.acknowledgeIntroduction && business.introAcknowledgedAt == nil,
            idempotencyKey: create.idempotencyKey, outboxId: self.nextOutboxId(0))
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
    func business(_ id: String) throws(DomainError) -> Business {
        guard let business = self.businesses[id] else { throw .notFound("business", id) }
        return business
    }

    /// The review if it belongs to `businessId`; another business's review is NOT_FOUND too.
    func review(_ id: String, of businessId: String) throws(DomainError) -> Review {
        _ = try self.business(businessId)
        guard let review = self.reviews[id], review.businessId == businessId else { throw .notFound("review", id) }
        return review
    }

    /// The request if it belongs to `businessId`; another business's request is NOT_FOUND too.
    func request(_ id: String, of businessId: String) throws(DomainError) -> InfoRequest {
        _ = try self.business(businessId)
        guard let request = self.requests[id], request.businessId == businessId else { throw .notFound("information request", id) }
        return request
    }

    /// The request a token opens, if it still accepts a reply at `now`. A withdrawn request's
    /// link no longer works at all: NOT_FOUND, as for viewing it.
    func pendingRequest(token: String, now: UnixSeconds) throws(DomainError) -> InfoRequest {
        let request = try self.request(token: token)
        guard request.status != .withdrawn else { throw Self.withdrawnLink }
        guard request.status == .pending else {
            throw .precondition(.wrongStatus, "this request is \(request.status.rawValue) and no longer takes answers")
        }
        guard request.acceptsReply(at: now) else {
            throw .precondition(.replyWindowClosed, "the 5-day window to answer this request has closed")
        }
        return request
    }

    /// The request bound to `token`; an unknown token is NOT_FOUND. The final comparison is
    /// constant-time so response timing does not help guess a token.
    func request(token: String) throws(DomainError) -> InfoRequest {
        try Validation.opaqueKey(token, field: "token", maximumBytes: Limits.token)
        guard let row = self.requestRow(token: token), case let request = self.requests[row: row],
            ReplyToken.constantTimeEqual(request.token, token)
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
