import Messages
import RPC

/// The calls of the mix: each picks data the server acknowledged and no other call in flight
/// works on, so every call is valid; when there is none (nothing pending to withdraw), it makes
/// what is missing instead, and the summary says so.
extension WorkflowLoad {
    /// A call of `operation` on `business`, or of the operation that must come first.
    func makeCall(_ operation: LoadOperation, _ business: LoadBusiness) -> LoadCall {
        let random = self.nextRandom()
        switch operation {
        case .check:
            return self.healthCheckCall
        case .getBusiness:
            let frame = self.cached(&business.getBusiness, operation, GetBusinessRequest(businessId: business.id))
            return self.call(operation, frame, business: business)
        case .listReviews:
            let frame = self.cached(&business.listReviews, operation, ListReviewsRequest(businessId: business.id, pageSize: 20))
            return self.call(operation, frame, business: business)
        case .listInfoRequests:
            let frame = self.cached(&business.listInfoRequests, operation, ListInfoRequestsRequest(businessId: business.id, pageSize: 20))
            return self.call(operation, frame, business: business)
        case .getReview, .getPublicReview, .createReport:
            guard !business.publishedReviews.isEmpty else { return self.makeCall(.publishReview, business) }
            let review = business.publishedReviews[Int(random % UInt64(business.publishedReviews.count))]
            return self.call(operation, self.reviewFrame(operation, business, review), business: business, entity: review)
        case .getInfoRequest, .getTimeline:
            guard !business.createdRequests.isEmpty else { return self.makeCall(.listInfoRequests, business) }
            let request = business.createdRequests[Int(random % UInt64(business.createdRequests.count))]
            return self.call(operation, self.requestFrame(operation, business, request), business: business, entity: request)
        case .viewRequestByToken:
            guard !business.viewable.isEmpty else { return self.makeCall(.getPublicReview, business) }
            let request = business.viewable[Int(random % UInt64(business.viewable.count))]
            return self.call(operation, self.requestFrame(operation, business, request), business: business, entity: request)
        case .upsertReviewer:
            guard !business.reviewerBusy else { return self.makeCall(.publishReview, business) }
            business.counter += 1
            return self.upsertReviewer(business, number: business.counter)
        case .publishReview:
            return self.publishReview(business)
        case .createInfoRequest:
            return self.createRequest(business) ?? self.makeCall(.publishReview, business)
        case .withdrawInfoRequest:
            guard let request = business.pending.pick(random) else { return self.makeCall(.createInfoRequest, business) }
            business.reserve(request)
            let message = WithdrawInfoRequestRequest(businessId: business.id, requestId: business.requests[Int(request)].id)
            return self.call(operation, self.encoder.frame(operation, message), business: business, entity: request)
        case .replyToRequest, .declineRequest:
            guard let request = business.replyable.pick(random) else { return self.makeCall(.createInfoRequest, business) }
            business.reserve(request)
            let token = business.requests[Int(request)].token
            let frame =
                operation == .replyToRequest
                ? self.encoder.frame(operation, ReplyToRequestRequest(token: token, referenceNumber: "BK-\(request)", note: "Found it: my booking."))
                : self.encoder.frame(operation, DeclineRequestRequest(token: token))
            return self.call(operation, frame, business: business, entity: request)
        case .openReply:
            guard let request = business.answered.pick(random) else { return self.makeCall(.replyToRequest, business) }
            business.reserve(request)
            let message = OpenReplyRequest(businessId: business.id, requestId: business.requests[Int(request)].id)
            return self.call(operation, self.encoder.frame(operation, message), business: business, entity: request)
        case .sendManualReminder:
            guard let request = business.expired.pick(random) else { return self.makeCall(.createInfoRequest, business) }
            business.reserve(request)
            let message = SendManualReminderRequest(businessId: business.id, requestId: business.requests[Int(request)].id)
            return self.call(operation, self.encoder.frame(operation, message), business: business, entity: request)
        case .setPublicReply:
            // One reply write per review at a time, so the newest acknowledged text is what must be stored.
            for attempt in 0..<4 where !business.publishedReviews.isEmpty {
                let slot = Int((random >> (UInt64(attempt) * 16)) % UInt64(business.publishedReviews.count))
                let review = business.publishedReviews[slot]
                guard !business.reviews[Int(review)].replyBusy else { continue }
                business.reviews[Int(review)].replyBusy = true
                business.counter += 1
                let message = SetPublicReplyRequest(
                    businessId: business.id, reviewId: business.reviews[Int(review)].id, text: "Thank you for your review (\(business.counter)).")
                return self.call(operation, self.encoder.frame(operation, message), business: business, entity: review, detail: Int32(business.counter))
            }
            return self.makeCall(.publishReview, business)
        case .upsertBusiness, .acknowledgeIntroduction, .getReviewer, .listReports:
            return self.makeCall(.getBusiness, business)
        }
    }

    func upsertReviewer(_ business: LoadBusiness, number: Int) -> LoadCall {
        business.reviewerBusy = true
        let message = UpsertReviewerRequest(
            reviewer: Reviewer(id: business.reviewerId, displayName: "Load reviewer \(number)", email: business.reviewerEmail, locale: "en"))
        return self.call(.upsertReviewer, self.encoder.frame(.upsertReviewer, message), business: business, detail: Int32(number))
    }

    func publishReview(_ business: LoadBusiness) -> LoadCall {
        business.counter += 1
        let index = Int32(business.reviews.count)
        let id = "\(business.id)-r\(index)"
        business.reviews.append(LoadBusiness.Review(id: id))
        let message = PublishReviewRequest(
            review: Review(
                id: id, businessId: business.id, reviewerId: business.reviewerId, rating: Int32(1 + business.counter % 5),
                title: "Load review \(index)", text: "A review written by the load tool to have something to read and ask about.",
                experienceDate: "2026-01-15", source: index % 2 == 0 ? .organic : .businessInvitation))
        return self.call(.publishReview, self.encoder.frame(.publishReview, message), business: business, entity: index)
    }

    /// A create on a review without an open request, with an idempotency-key that the message
    /// quotes (so the reviewer's email names the request); nil when no review is free.
    func createRequest(_ business: LoadBusiness) -> LoadCall? {
        guard let review = business.requestable.pick(self.nextRandom()) else { return nil }
        business.requestable.remove(review)
        let index = Int32(business.requests.count)
        let key = TokenInbox.key(runId: self.settings.runId, thread: self.thread, business: business.index, request: index)
        business.requests.append(LoadBusiness.Request(key: key, review: review))
        let message = CreateInfoRequestRequest(
            businessId: business.id, reviewId: business.reviews[Int(review)].id,
            message: "Hello! Could you share your booking number? (ref \(key))", requestedFields: [.referenceNumber],
            referenceLabel: "Booking number")
        return self.call(
            .createInfoRequest, self.encoder.frame(.createInfoRequest, message, idempotencyKey: key), business: business, entity: index, keyed: true)
    }

    private func reviewFrame(_ operation: LoadOperation, _ business: LoadBusiness, _ review: Int32) -> [UInt8] {
        let slot = Int(review)
        let (businessId, id) = (business.id, business.reviews[slot].id)
        switch operation {
        case .getReview:
            return self.cached(&business.reviews[slot].getReview, operation, GetReviewRequest(businessId: businessId, reviewId: id))
        case .getPublicReview:
            return self.cached(&business.reviews[slot].getPublicReview, operation, GetPublicReviewRequest(reviewId: id))
        default:
            let report = CreateReportRequest(
                businessId: businessId, reviewId: id, reason: .harmfulOrIllegal, explanation: "Load test report.", acknowledgeGuidelines: true)
            return self.cached(&business.reviews[slot].createReport, operation, report)
        }
    }

    private func requestFrame(_ operation: LoadOperation, _ business: LoadBusiness, _ request: Int32) -> [UInt8] {
        let slot = Int(request)
        let (businessId, id, token) = (business.id, business.requests[slot].id, business.requests[slot].token)
        switch operation {
        case .getInfoRequest:
            return self.cached(&business.requests[slot].getInfoRequest, operation, GetInfoRequestRequest(businessId: businessId, requestId: id))
        case .getTimeline:
            return self.cached(&business.requests[slot].getTimeline, operation, GetTimelineRequest(businessId: businessId, requestId: id))
        default:
            return self.cached(&business.requests[slot].viewByToken, operation, ViewRequestByTokenRequest(token: token))
        }
    }

    /// The frame in `cache`, encoded from `message` on first use: one encoding per distinct request.
    private func cached<Message: ProtoMessage>(_ cache: inout [UInt8], _ operation: LoadOperation, _ message: @autoclosure () -> Message) -> [UInt8] {
        if cache.isEmpty { cache = self.encoder.frame(operation, message()) }
        return cache
    }

    // MARK: outcomes

    /// What an answer means for the tool's picture of the business (and the ledger).
    func applied(_ call: LoadCall, _ outcome: LoadOutcome) {
        guard call.operation != .check else { return }
        let business = self.businesses[Int(call.business)]
        let ok = outcome.status == .ok
        let entity = call.entity
        switch call.operation {
        case .upsertReviewer:
            business.reviewerBusy = false
            if ok { business.acknowledgedReviewerName = max(business.acknowledgedReviewerName, Int(call.detail)) }
        case .publishReview:
            guard ok else { return }
            business.reviews[Int(entity)].acknowledged = true
            business.publishedReviews.append(entity)
            business.requestable.insert(entity)
        case .createInfoRequest:
            guard ok, let id = (try? CreateInfoRequestResponse(serializedBytes: outcome.payload))?.request?.id, !id.isEmpty else {
                business.markUncertain(entity)
                return
            }
            business.requests[Int(entity)].id = id
            business.createdRequests.append(entity)
            business.markPending(entity)
        case .withdrawInfoRequest:
            guard ok else { return business.markUncertain(entity) }
            self.closed(business, entity, .withdrawn)
        case .replyToRequest:
            guard ok else { return business.markUncertain(entity) }
            self.closed(business, entity, .answered)
            business.answered.insert(entity)
            business.markViewable(entity)
        case .declineRequest:
            guard ok else { return business.markUncertain(entity) }
            self.closed(business, entity, .declined)
            business.markViewable(entity)
        case .openReply:
            guard ok else { return business.markUncertain(entity) }
            business.requests[Int(entity)].opened = true
            business.requests[Int(entity)].busy = false
        case .sendManualReminder:
            guard ok else { return business.markUncertain(entity) }
            business.requests[Int(entity)].reminded = true
            business.markPending(entity)
        case .setPublicReply:
            business.reviews[Int(entity)].replyBusy = false
            if ok { business.reviews[Int(entity)].acknowledgedReply = max(business.reviews[Int(entity)].acknowledgedReply, Int(call.detail)) }
        case .createReport:
            if ok, let id = (try? CreateReportResponse(serializedBytes: outcome.payload))?.report?.id { business.reports.append(id) }
        default:
            break
        }
    }

    /// The request ended (withdrawn, answered or declined): its review may get a new one.
    private func closed(_ business: LoadBusiness, _ request: Int32, _ status: RequestStatus) {
        business.requests[Int(request)].status = status
        business.requests[Int(request)].busy = false
        business.requestable.insert(business.requests[Int(request)].review)
    }
}
