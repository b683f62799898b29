import FindReviewerDomain
import Messages

/// Conversions between the domain and its durable form (Protos/findreviewer/v1/storage.proto):
/// journal records are `StoredEvent`s, snapshot items are `SnapshotItem`s. An optional time is
/// 0 when absent (the clock never reads 0).
enum StorageMapping {
    /// A stored value this build cannot turn back into the domain.
    struct Invalid: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    // MARK: events

    static func encode(_ event: DomainEvent) throws(MessageError) -> [UInt8] {
        try self.stored(event).serializedBytes()
    }

    static func decodeEvent(_ bytes: [UInt8]) throws -> DomainEvent {
        try self.event(StoredEvent(serializedBytes: bytes))
    }

    static func stored(_ event: DomainEvent) -> StoredEvent {
        var stored = StoredEvent()
        switch event {
        case .businessUpserted(let business):
            stored.kind = .businessUpserted
            stored.business = self.business(business)
        case .reviewerUpserted(let reviewer):
            stored.kind = .reviewerUpserted
            stored.reviewer = self.reviewer(reviewer)
        case .reviewPublished(let review):
            stored.kind = .reviewPublished
            stored.review = self.review(review)
        case .introductionAcknowledged(let businessId, let at):
            stored.kind = .introductionAcknowledged
            stored.businessId = businessId
            stored.at = at
        case .requestCreated(let created):
            stored.kind = .requestCreated
            stored.created = StoredRequestCreated(
                requestId: created.requestId, businessId: created.businessId, reviewId: created.reviewId,
                reviewerId: created.reviewerId, message: created.message,
                requestedFields: created.requestedFields.map(WireMapping.field), referenceLabel: created.referenceLabel,
                token: created.token, at: created.at, acknowledgesIntroduction: created.acknowledgesIntroduction,
                idempotencyKey: created.idempotencyKey ?? "", outboxId: created.outboxId, skipBusinessEmails: created.skipBusinessEmails)
        case .automaticReminderSent(let requestId, let at, let outboxId):
            stored = StoredEvent(kind: .automaticReminderSent, requestId: requestId, outboxId: outboxId, at: at)
        case .manualReminderSent(let requestId, let at, let deadline, let outboxId):
            stored = StoredEvent(kind: .manualReminderSent, requestId: requestId, outboxId: outboxId, at: at, deadline: deadline)
        case .requestAnswered(let requestId, let reply, let outboxId):
            stored = StoredEvent(kind: .requestAnswered, reply: self.reply(reply), requestId: requestId, outboxId: outboxId)
        case .replyOpened(let requestId, let at):
            stored = StoredEvent(kind: .replyOpened, requestId: requestId, at: at)
        case .requestDeclined(let requestId, let at, let outboxId):
            stored = StoredEvent(kind: .requestDeclined, requestId: requestId, outboxId: outboxId, at: at)
        case .requestWithdrawn(let requestId, let at):
            stored = StoredEvent(kind: .requestWithdrawn, requestId: requestId, at: at)
        case .requestExpired(let requestId, let at, let outboxId):
            stored = StoredEvent(kind: .requestExpired, requestId: requestId, outboxId: outboxId, at: at)
        case .publicReplySet(let reviewId, let text, let at):
            stored = StoredEvent(kind: .publicReplySet, reviewId: reviewId, at: at, text: text)
        case .publicReplyDeleted(let reviewId):
            stored = StoredEvent(kind: .publicReplyDeleted, reviewId: reviewId)
        case .reportCreated(let report):
            stored = StoredEvent(kind: .reportCreated, report: self.report(report))
        case .outboxDelivered(let outboxId, let at):
            stored = StoredEvent(kind: .outboxDelivered, outboxId: outboxId, at: at)
        case .businessBlocked(let block, let outboxId):
            stored = StoredEvent(kind: .businessBlocked, outboxId: outboxId, block: self.block(block))
        case .businessUnblocked(let reviewerId, let businessId, let at, let requestId, let outboxId):
            stored = StoredEvent(
                kind: .businessUnblocked, businessId: businessId, requestId: requestId, outboxId: outboxId, at: at, reviewerId: reviewerId)
        case .replyDetailsErased(let requestId, let at):
            stored = StoredEvent(kind: .replyDetailsErased, requestId: requestId, at: at)
        case .reviewerErased(let reviewerId, let at, let reviewIds):
            stored = StoredEvent(kind: .reviewerErased, at: at, reviewerId: reviewerId, reviewIds: reviewIds)
        case .businessMarkedMoving(let businessId, let at):
            stored = StoredEvent(kind: .businessMarkedMoving, businessId: businessId, at: at)
        case .businessImported(let items):
            stored = StoredEvent(kind: .businessImported, items: items.map(self.storedItem))
        case .businessForgotten(let businessId, let at):
            stored = StoredEvent(kind: .businessForgotten, businessId: businessId, at: at)
        }
        return stored
    }

    static func event(_ stored: StoredEvent) throws -> DomainEvent {
        func required<T>(_ value: T?, _ name: String) throws -> T {
            guard let value else { throw Invalid("\(stored.kind) without \(name)") }
            return value
        }
        switch stored.kind {
        case .businessUpserted: return .businessUpserted(self.business(try required(stored.business, "business")))
        case .reviewerUpserted: return .reviewerUpserted(self.reviewer(try required(stored.reviewer, "reviewer")))
        case .reviewPublished: return .reviewPublished(try self.review(try required(stored.review, "review")))
        case .introductionAcknowledged: return .introductionAcknowledged(businessId: stored.businessId, at: stored.at)
        case .requestCreated:
            let created = try required(stored.created, "created")
            return .requestCreated(
                DomainEvent.RequestCreated(
                    requestId: created.requestId, businessId: created.businessId, reviewId: created.reviewId,
                    reviewerId: created.reviewerId, message: created.message,
                    requestedFields: try created.requestedFields.map(self.field), referenceLabel: created.referenceLabel,
                    token: created.token, at: created.at, acknowledgesIntroduction: created.acknowledgesIntroduction,
                    idempotencyKey: created.idempotencyKey.isEmpty ? nil : created.idempotencyKey, outboxId: created.outboxId,
                    skipBusinessEmails: created.skipBusinessEmails))
        case .automaticReminderSent:
            return .automaticReminderSent(requestId: stored.requestId, at: stored.at, outboxId: stored.outboxId)
        case .manualReminderSent:
            return .manualReminderSent(requestId: stored.requestId, at: stored.at, deadline: stored.deadline, outboxId: stored.outboxId)
        case .requestAnswered:
            return .requestAnswered(requestId: stored.requestId, reply: self.reply(try required(stored.reply, "reply")), outboxId: stored.outboxId)
        case .replyOpened: return .replyOpened(requestId: stored.requestId, at: stored.at)
        case .requestDeclined: return .requestDeclined(requestId: stored.requestId, at: stored.at, outboxId: stored.outboxId)
        case .requestWithdrawn: return .requestWithdrawn(requestId: stored.requestId, at: stored.at)
        case .requestExpired: return .requestExpired(requestId: stored.requestId, at: stored.at, outboxId: stored.outboxId)
        case .publicReplySet: return .publicReplySet(reviewId: stored.reviewId, text: stored.text, at: stored.at)
        case .publicReplyDeleted: return .publicReplyDeleted(reviewId: stored.reviewId)
        case .reportCreated: return .reportCreated(try self.report(try required(stored.report, "report")))
        case .outboxDelivered: return .outboxDelivered(outboxId: stored.outboxId, at: stored.at)
        case .businessBlocked: return .businessBlocked(self.block(try required(stored.block, "block")), outboxId: stored.outboxId)
        case .businessUnblocked:
            return .businessUnblocked(
                reviewerId: stored.reviewerId, businessId: stored.businessId, at: stored.at, requestId: stored.requestId,
                outboxId: stored.outboxId)
        case .replyDetailsErased: return .replyDetailsErased(requestId: stored.requestId, at: stored.at)
        case .reviewerErased: return .reviewerErased(reviewerId: stored.reviewerId, at: stored.at, reviewIds: stored.reviewIds)
        case .businessMarkedMoving: return .businessMarkedMoving(businessId: stored.businessId, at: stored.at)
        case .businessImported: return .businessImported(items: try stored.items.map(self.item))
        case .businessForgotten: return .businessForgotten(businessId: stored.businessId, at: stored.at)
        case .unspecified: throw Invalid("an event without a kind")
        }
    }

    // MARK: snapshot items

    static func encode(_ item: FindReviewerDomain.SnapshotItem) throws(MessageError) -> [UInt8] {
        try self.storedItem(item).serializedBytes()
    }

    static func storedItem(_ item: FindReviewerDomain.SnapshotItem) -> Messages.SnapshotItem {
        var stored = Messages.SnapshotItem()
        switch item {
        case .business(let business): stored.business = self.business(business)
        case .reviewer(let reviewer): stored.reviewer = self.reviewer(reviewer)
        case .review(let review): stored.review = self.review(review)
        case .request(let request, let key): stored.request = self.request(request, idempotencyKey: key)
        case .report(let report): stored.report = self.report(report)
        case .outbox(let entry):
            stored.outbox = StoredOutboxEntry(
                id: entry.id, kind: self.kind(entry.kind), requestId: entry.requestId, createdAt: entry.createdAt,
                deliveredAt: entry.deliveredAt ?? 0, cancelledAt: entry.cancelledAt ?? 0)
        case .block(let block): stored.block = self.block(block)
        case .counters(let requests, let reports, let outbox):
            stored.counters = SnapshotCounters(requests: UInt64(requests), reports: UInt64(reports), outbox: UInt64(outbox))
        }
        return stored
    }

    static func decodeItem(_ bytes: UnsafeRawBufferPointer) throws -> FindReviewerDomain.SnapshotItem {
        try self.item(try Messages.SnapshotItem(serializedBytes: bytes))
    }

    static func item(_ stored: Messages.SnapshotItem) throws -> FindReviewerDomain.SnapshotItem {
        if let business = stored.business { return .business(self.business(business)) }
        if let reviewer = stored.reviewer { return .reviewer(self.reviewer(reviewer)) }
        if let review = stored.review { return .review(try self.review(review)) }
        if let request = stored.request { return try self.request(request) }
        if let report = stored.report { return .report(try self.report(report)) }
        if let entry = stored.outbox {
            return .outbox(
                OutboxEntry(
                    id: entry.id, kind: try self.kind(entry.kind), requestId: entry.requestId, createdAt: entry.createdAt,
                    deliveredAt: self.optional(entry.deliveredAt), cancelledAt: self.optional(entry.cancelledAt)))
        }
        if let block = stored.block { return .block(self.block(block)) }
        if let counters = stored.counters {
            return .counters(requests: Int(counters.requests), reports: Int(counters.reports), outbox: Int(counters.outbox))
        }
        throw Invalid("a snapshot item with no field set")
    }

    // MARK: entities

    static func business(_ business: FindReviewerDomain.Business) -> StoredBusiness {
        StoredBusiness(
            id: business.id, displayName: business.displayName, notificationEmail: business.notificationEmail,
            locale: business.locale, plan: WireMapping.plan(business.plan), introAcknowledgedAt: business.introAcknowledgedAt ?? 0,
            movingSince: business.movingSince ?? 0)
    }

    static func business(_ stored: StoredBusiness) -> FindReviewerDomain.Business {
        FindReviewerDomain.Business(
            id: stored.id, displayName: stored.displayName, notificationEmail: stored.notificationEmail, locale: stored.locale,
            plan: WireMapping.plan(stored.plan), introAcknowledgedAt: self.optional(stored.introAcknowledgedAt),
            movingSince: self.optional(stored.movingSince))
    }

    static func reviewer(_ reviewer: FindReviewerDomain.Reviewer) -> StoredReviewer {
        StoredReviewer(
            id: reviewer.id, displayName: reviewer.displayName, email: reviewer.email, locale: reviewer.locale,
            erasedAt: reviewer.erasedAt ?? 0)
    }

    static func reviewer(_ stored: StoredReviewer) -> FindReviewerDomain.Reviewer {
        FindReviewerDomain.Reviewer(
            id: stored.id, displayName: stored.displayName, email: stored.email, locale: stored.locale,
            erasedAt: self.optional(stored.erasedAt))
    }

    static func block(_ block: ReviewerBlock) -> StoredBlock {
        StoredBlock(reviewerId: block.reviewerId, businessId: block.businessId, blockedAt: block.blockedAt, requestId: block.requestId)
    }

    static func block(_ stored: StoredBlock) -> ReviewerBlock {
        ReviewerBlock(reviewerId: stored.reviewerId, businessId: stored.businessId, blockedAt: stored.blockedAt, requestId: stored.requestId)
    }

    static func review(_ review: FindReviewerDomain.Review) -> StoredReview {
        StoredReview(
            id: review.id, businessId: review.businessId, reviewerId: review.reviewerId, rating: Int32(clamping: review.rating),
            title: review.title, text: review.text, experienceDate: review.experienceDate, createdAt: review.createdAt,
            source: WireMapping.source(review.source),
            publicReply: review.publicReply.map { StoredPublicReply(text: $0.text, createdAt: $0.createdAt, updatedAt: $0.updatedAt) })
    }

    static func review(_ stored: StoredReview) throws -> FindReviewerDomain.Review {
        FindReviewerDomain.Review(
            id: stored.id, businessId: stored.businessId, reviewerId: stored.reviewerId, rating: Int(stored.rating),
            title: stored.title, text: stored.text, experienceDate: stored.experienceDate, createdAt: stored.createdAt,
            source: try WireMapping.source(stored.source, field: "source"),
            publicReply: stored.publicReply.map { FindReviewerDomain.PublicReply(text: $0.text, createdAt: $0.createdAt, updatedAt: $0.updatedAt) })
    }

    static func reply(_ reply: FindReviewerDomain.ReviewerReply) -> StoredReply {
        StoredReply(
            email: reply.email, referenceNumber: reply.referenceNumber, fullName: reply.fullName, phone: reply.phone,
            note: reply.note, repliedAt: reply.repliedAt)
    }

    static func reply(_ stored: StoredReply) -> FindReviewerDomain.ReviewerReply {
        FindReviewerDomain.ReviewerReply(
            email: stored.email, referenceNumber: stored.referenceNumber, fullName: stored.fullName, phone: stored.phone,
            note: stored.note, repliedAt: stored.repliedAt)
    }

    /// `StoredRequest.flags` bit 0.
    static let skipBusinessEmailsFlag: UInt32 = 1

    static func request(_ request: FindReviewerDomain.InfoRequest, idempotencyKey: String?) -> StoredRequest {
        StoredRequest(
            id: request.id, businessId: request.businessId, reviewId: request.reviewId, reviewerId: request.reviewerId,
            message: request.message, requestedFields: request.requestedFields.map(WireMapping.field),
            referenceLabel: request.referenceLabel, status: WireMapping.status(request.status), createdAt: request.createdAt,
            windowStart: request.windowStart, deadline: request.deadline,
            automaticReminderAt: request.automaticReminderAt ?? 0, manualReminderAt: request.manualReminderAt ?? 0,
            reply: request.reply.map(self.reply), openedAt: request.openedAt ?? 0, closedAt: request.closedAt ?? 0,
            token: request.token,
            timeline: request.timeline.map { StoredTimelineEntry(at: $0.at, kind: WireMapping.timelineKind($0.kind)) },
            idempotencyKey: idempotencyKey ?? "", flags: request.skipBusinessEmails ? Self.skipBusinessEmailsFlag : 0,
            replyErasedAt: request.replyErasedAt ?? 0, replyErasure: request.replyErasure.map(self.erasure) ?? .unspecified,
            reviewerErasedAt: request.reviewerErasedAt ?? 0)
    }

    static func request(_ stored: StoredRequest) throws -> FindReviewerDomain.SnapshotItem {
        let request = FindReviewerDomain.InfoRequest(
            id: stored.id, businessId: stored.businessId, reviewId: stored.reviewId, reviewerId: stored.reviewerId,
            message: stored.message, requestedFields: try stored.requestedFields.map(self.field),
            referenceLabel: stored.referenceLabel, status: try WireMapping.status(stored.status, field: "status"),
            createdAt: stored.createdAt, windowStart: stored.windowStart, deadline: stored.deadline,
            automaticReminderAt: self.optional(stored.automaticReminderAt),
            manualReminderAt: self.optional(stored.manualReminderAt), reply: stored.reply.map(self.reply),
            openedAt: self.optional(stored.openedAt), closedAt: self.optional(stored.closedAt), token: stored.token,
            timeline: try stored.timeline.map { FindReviewerDomain.TimelineEntry(at: $0.at, kind: try self.timelineKind($0.kind)) },
            skipBusinessEmails: stored.flags & Self.skipBusinessEmailsFlag != 0, replyErasedAt: self.optional(stored.replyErasedAt),
            replyErasure: self.erasure(stored.replyErasure), reviewerErasedAt: self.optional(stored.reviewerErasedAt))
        return .request(request, idempotencyKey: stored.idempotencyKey.isEmpty ? nil : stored.idempotencyKey)
    }

    static func report(_ report: FindReviewerDomain.Report) -> StoredReport {
        StoredReport(
            id: report.id, businessId: report.businessId, reviewId: report.reviewId, reason: WireMapping.reason(report.reason),
            explanation: report.explanation, createdAt: report.createdAt)
    }

    static func report(_ stored: StoredReport) throws -> FindReviewerDomain.Report {
        guard let reason = WireMapping.reason(stored.reason) else { throw Invalid("a report without a reason") }
        return FindReviewerDomain.Report(
            id: stored.id, businessId: stored.businessId, reviewId: stored.reviewId, reason: reason,
            explanation: stored.explanation, createdAt: stored.createdAt)
    }

    // MARK: enums and optional times

    static func field(_ field: Messages.RequestedField) throws -> FindReviewerDomain.RequestedField {
        try WireMapping.field(field, name: "requested_fields")
    }

    static func timelineKind(_ kind: TimelineEventKind) throws -> TimelineKind {
        switch kind {
        case .created: return .created
        case .automaticReminderSent: return .automaticReminderSent
        case .answered: return .answered
        case .replyOpened: return .replyOpened
        case .declined: return .declined
        case .withdrawn: return .withdrawn
        case .expired: return .expired
        case .manualReminderSent: return .manualReminderSent
        case .replyDetailsErased: return .replyDetailsErased
        case .reviewerErased: return .reviewerErased
        case .unspecified: throw Invalid("a timeline entry without a kind")
        }
    }

    static func erasure(_ erasure: ReplyErasure) -> ReplyErasureReason {
        switch erasure {
        case .retentionPeriod: return .retentionPeriod
        case .reviewerErased: return .reviewerErased
        }
    }

    /// `UNSPECIFIED` is "not erased".
    static func erasure(_ reason: ReplyErasureReason) -> ReplyErasure? {
        switch reason {
        case .retentionPeriod: return .retentionPeriod
        case .reviewerErased: return .reviewerErased
        case .unspecified: return nil
        }
    }

    static func kind(_ kind: NotificationKind) -> StoredNotificationKind {
        switch kind {
        case .requestToReviewer: return .requestToReviewer
        case .automaticReminder: return .automaticReminder
        case .manualReminder: return .manualReminder
        case .replyReceived: return .replyReceived
        case .declined: return .declined
        case .expired: return .expired
        case .businessBlocked: return .businessBlocked
        case .businessUnblocked: return .businessUnblocked
        }
    }

    static func kind(_ kind: StoredNotificationKind) throws -> NotificationKind {
        switch kind {
        case .requestToReviewer: return .requestToReviewer
        case .automaticReminder: return .automaticReminder
        case .manualReminder: return .manualReminder
        case .replyReceived: return .replyReceived
        case .declined: return .declined
        case .expired: return .expired
        case .businessBlocked: return .businessBlocked
        case .businessUnblocked: return .businessUnblocked
        case .unspecified: throw Invalid("an outbox entry without a kind")
        }
    }

    static func optional(_ time: Int64) -> Int64? { time == 0 ? nil : time }
}
