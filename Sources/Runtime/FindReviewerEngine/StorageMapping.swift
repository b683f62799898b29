import FindReviewerDomain
import Messages

/// Conversions between the domain and its durable form (Protos/findreviewer/v1/storage.proto):
/// journal records are `StoredEvent`s (one case of its oneof per domain event), snapshot items
/// are `SnapshotItem`s (one case per domain item). Bytes are read with the generated pure-Swift
/// readers (`init(wire:)`) and written by the message layer. An optional time is 0 when absent
/// (the clock never reads 0). Records of form 1 (release 0.1.0) are read by ``LegacyEventMapping``.
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

    /// A journal record's event, read with the generated wire readers: record form 2 (a case of
    /// `StoredEvent.event`), or, when no case is set, form 1 (``LegacyEventMapping``).
    static func decodeEvent(_ bytes: [UInt8]) throws -> DomainEvent {
        try bytes.withUnsafeBytes { raw in
            guard let event = try StoredEvent(wire: raw).event else {
                return try LegacyEventMapping.event(StoredEventV1(wire: raw))
            }
            return try self.event(event)
        }
    }

    static func stored(_ event: DomainEvent) -> StoredEvent {
        StoredEvent(event: self.storedCase(event))
    }

    private static func storedCase(_ event: DomainEvent) -> StoredEvent.Event {
        switch event {
        case .businessUpserted(let business): return .businessUpserted(self.business(business))
        case .reviewerUpserted(let reviewer): return .reviewerUpserted(self.reviewer(reviewer))
        case .reviewPublished(let review): return .reviewPublished(self.review(review))
        case .introductionAcknowledged(let businessId, let at):
            return .introductionAcknowledged(StoredBusinessEvent(businessId: businessId, at: at))
        case .requestCreated(let created): return .requestCreated(self.created(created))
        case .automaticReminderSent(let requestId, let at, let outboxId):
            return .automaticReminderSent(StoredRequestTransition(requestId: requestId, at: at, outboxId: outboxId))
        case .manualReminderSent(let requestId, let at, let deadline, let outboxId):
            return .manualReminderSent(StoredManualReminderSent(requestId: requestId, at: at, deadline: deadline, outboxId: outboxId))
        case .requestAnswered(let requestId, let reply, let outboxId):
            return .requestAnswered(StoredRequestAnswered(requestId: requestId, reply: self.reply(reply), outboxId: outboxId))
        case .replyOpened(let requestId, let at): return .replyOpened(StoredRequestTransition(requestId: requestId, at: at))
        case .requestDeclined(let requestId, let at, let outboxId):
            return .requestDeclined(StoredRequestTransition(requestId: requestId, at: at, outboxId: outboxId))
        case .requestWithdrawn(let requestId, let at): return .requestWithdrawn(StoredRequestTransition(requestId: requestId, at: at))
        case .requestExpired(let requestId, let at, let outboxId):
            return .requestExpired(StoredRequestTransition(requestId: requestId, at: at, outboxId: outboxId))
        case .publicReplySet(let reviewId, let text, let at):
            return .publicReplySet(StoredPublicReplySet(reviewId: reviewId, text: text, at: at))
        case .publicReplyDeleted(let reviewId): return .publicReplyDeleted(StoredPublicReplyDeleted(reviewId: reviewId))
        case .reportCreated(let report): return .reportCreated(self.report(report))
        case .outboxDelivered(let outboxId, let at): return .outboxDelivered(StoredOutboxDelivered(outboxId: outboxId, at: at))
        case .businessBlocked(let block, let outboxId):
            return .businessBlocked(StoredBusinessBlocked(block: self.block(block), outboxId: outboxId))
        case .businessUnblocked(let reviewerId, let businessId, let at, let requestId, let outboxId):
            return .businessUnblocked(
                StoredBusinessUnblocked(reviewerId: reviewerId, businessId: businessId, at: at, requestId: requestId, outboxId: outboxId))
        case .replyDetailsErased(let requestId, let at):
            return .replyDetailsErased(StoredRequestTransition(requestId: requestId, at: at))
        case .reviewerErased(let reviewerId, let at, let reviewIds):
            return .reviewerErased(StoredReviewerErased(reviewerId: reviewerId, at: at, reviewIds: reviewIds))
        case .businessMarkedMoving(let businessId, let at):
            return .businessMarkedMoving(StoredBusinessEvent(businessId: businessId, at: at))
        case .businessImported(let items): return .businessImported(StoredBusinessImported(items: items.map(self.storedItem)))
        case .businessForgotten(let businessId, let at):
            return .businessForgotten(StoredBusinessEvent(businessId: businessId, at: at))
        }
    }

    static func event(_ stored: StoredEvent.Event) throws -> DomainEvent {
        switch stored {
        case .businessUpserted(let business): return .businessUpserted(self.business(business))
        case .reviewerUpserted(let reviewer): return .reviewerUpserted(self.reviewer(reviewer))
        case .reviewPublished(let review): return .reviewPublished(try self.review(review))
        case .introductionAcknowledged(let event): return .introductionAcknowledged(businessId: event.businessId, at: event.at)
        case .requestCreated(let created): return .requestCreated(try self.created(created))
        case .automaticReminderSent(let event):
            return .automaticReminderSent(requestId: event.requestId, at: event.at, outboxId: event.outboxId)
        case .manualReminderSent(let event):
            return .manualReminderSent(requestId: event.requestId, at: event.at, deadline: event.deadline, outboxId: event.outboxId)
        case .requestAnswered(let event):
            guard let reply = event.reply else { throw Invalid("requestAnswered without reply") }
            return .requestAnswered(requestId: event.requestId, reply: self.reply(reply), outboxId: event.outboxId)
        case .replyOpened(let event): return .replyOpened(requestId: event.requestId, at: event.at)
        case .requestDeclined(let event): return .requestDeclined(requestId: event.requestId, at: event.at, outboxId: event.outboxId)
        case .requestWithdrawn(let event): return .requestWithdrawn(requestId: event.requestId, at: event.at)
        case .requestExpired(let event): return .requestExpired(requestId: event.requestId, at: event.at, outboxId: event.outboxId)
        case .publicReplySet(let event): return .publicReplySet(reviewId: event.reviewId, text: event.text, at: event.at)
        case .publicReplyDeleted(let event): return .publicReplyDeleted(reviewId: event.reviewId)
        case .reportCreated(let report): return .reportCreated(try self.report(report))
        case .outboxDelivered(let event): return .outboxDelivered(outboxId: event.outboxId, at: event.at)
        case .businessBlocked(let event):
            guard let block = event.block else { throw Invalid("businessBlocked without block") }
            return .businessBlocked(self.block(block), outboxId: event.outboxId)
        case .businessUnblocked(let event):
            return .businessUnblocked(
                reviewerId: event.reviewerId, businessId: event.businessId, at: event.at, requestId: event.requestId,
                outboxId: event.outboxId)
        case .replyDetailsErased(let event): return .replyDetailsErased(requestId: event.requestId, at: event.at)
        case .reviewerErased(let event): return .reviewerErased(reviewerId: event.reviewerId, at: event.at, reviewIds: event.reviewIds)
        case .businessMarkedMoving(let event): return .businessMarkedMoving(businessId: event.businessId, at: event.at)
        case .businessImported(let event): return .businessImported(items: try event.items.map(self.item))
        case .businessForgotten(let event): return .businessForgotten(businessId: event.businessId, at: event.at)
        }
    }

    // MARK: snapshot items

    static func encode(_ item: FindReviewerDomain.SnapshotItem) throws(MessageError) -> [UInt8] {
        try self.storedItem(item).serializedBytes()
    }

    static func storedItem(_ item: FindReviewerDomain.SnapshotItem) -> Messages.SnapshotItem {
        switch item {
        case .business(let business): return Messages.SnapshotItem(item: .business(self.business(business)))
        case .reviewer(let reviewer): return Messages.SnapshotItem(item: .reviewer(self.reviewer(reviewer)))
        case .review(let review): return Messages.SnapshotItem(item: .review(self.review(review)))
        case .request(let request, let key): return Messages.SnapshotItem(item: .request(self.request(request, idempotencyKey: key)))
        case .report(let report): return Messages.SnapshotItem(item: .report(self.report(report)))
        case .outbox(let entry): return Messages.SnapshotItem(item: .outbox(self.outbox(entry)))
        case .block(let block): return Messages.SnapshotItem(item: .block(self.block(block)))
        case .counters(let requests, let reports, let outbox):
            return Messages.SnapshotItem(
                item: .counters(SnapshotCounters(requests: UInt64(requests), reports: UInt64(reports), outbox: UInt64(outbox))))
        }
    }

    /// A snapshot item, read with the generated wire reader (the start-up path).
    /// Long texts go into `texts`: the decoding thread's own arena, whose chunks the state then
    /// keeps as they are.
    static func decodeItem(_ bytes: UnsafeRawBufferPointer, texts: inout TextArena?) throws -> FindReviewerDomain.SnapshotItem {
        // Moved in and out (not copied), so that the arena's writer stays unique.
        var mapping = ItemMapping(texts: texts.take())
        defer { texts = mapping.texts.take() }
        guard let item = try Messages.SnapshotItem.visitItem(wire: bytes, &mapping) else {
            throw Invalid("a snapshot item with no field set")
        }
        return item
    }

    static func item(_ stored: Messages.SnapshotItem) throws -> FindReviewerDomain.SnapshotItem {
        var mapping = ItemMapping(texts: nil)
        switch stored.item {
        case .business(let value)?: return try mapping.business(value)
        case .reviewer(let value)?: return try mapping.reviewer(value)
        case .review(let value)?: return try mapping.review(value)
        case .request(let value)?: return try mapping.request(value)
        case .report(let value)?: return try mapping.report(value)
        case .outbox(let value)?: return try mapping.outbox(value)
        case .counters(let value)?: return try mapping.counters(value)
        case .block(let value)?: return try mapping.block(value)
        case nil: throw Invalid("a snapshot item with no field set")
        }
    }

    /// Each case of a stored snapshot item as a domain item. A visitor, so that the start-up
    /// path (``decodeItem(_:)``) moves each stored value straight from its reader into the
    /// domain, without building a `SnapshotItem` around it.
    private struct ItemMapping: SnapshotItemItemVisitor {
        typealias Item = FindReviewerDomain.SnapshotItem
        var texts: TextArena?
        func business(_ value: consuming StoredBusiness) -> Item { .business(StorageMapping.business(value)) }
        func reviewer(_ value: consuming StoredReviewer) -> Item { .reviewer(StorageMapping.reviewer(value)) }
        mutating func review(_ value: consuming StoredReview) throws -> Item { .review(try StorageMapping.review(value, texts: &self.texts)) }
        mutating func request(_ value: consuming StoredRequest) throws -> Item { try StorageMapping.request(value, texts: &self.texts) }
        func report(_ value: consuming StoredReport) throws -> Item { .report(try StorageMapping.report(value)) }
        func outbox(_ value: consuming StoredOutboxEntry) throws -> Item { .outbox(try StorageMapping.outbox(value)) }
        func block(_ value: consuming StoredBlock) -> Item { .block(StorageMapping.block(value)) }
        func counters(_ value: consuming SnapshotCounters) -> Item {
            .counters(requests: Int(value.requests), reports: Int(value.reports), outbox: Int(value.outbox))
        }
    }

    // MARK: entities

    static func business(_ business: FindReviewerDomain.Business) -> StoredBusiness {
        StoredBusiness(
            id: business.id, displayName: business.displayName, notificationEmail: business.notificationEmail,
            locale: business.locale, plan: WireMapping.plan(business.plan), introAcknowledgedAt: business.introAcknowledgedAt ?? 0,
            movingSince: business.movingSince ?? 0)
    }

    static func business(_ stored: consuming StoredBusiness) -> FindReviewerDomain.Business {
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

    static func reviewer(_ stored: consuming StoredReviewer) -> FindReviewerDomain.Reviewer {
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

    static func review(_ stored: consuming StoredReview) throws -> FindReviewerDomain.Review {
        var texts: TextArena? = nil
        return try self.review(stored, texts: &texts)
    }

    /// The review, its text packed in `texts` when given (the decoding thread's arena).
    static func review(_ stored: consuming StoredReview, texts: inout TextArena?) throws -> FindReviewerDomain.Review {
        var review = FindReviewerDomain.Review(
            id: texts == nil ? stored.id : "", businessId: stored.businessId, reviewerId: stored.reviewerId, rating: Int(stored.rating),
            title: stored.title, text: texts == nil ? stored.text : "", experienceDate: stored.experienceDate, createdAt: stored.createdAt,
            source: try WireMapping.source(stored.source, field: "source"),
            publicReply: stored.publicReply.map { FindReviewerDomain.PublicReply(text: $0.text, createdAt: $0.createdAt, updatedAt: $0.updatedAt) })
        if texts != nil {
            review.pack(id: stored.id, in: &texts!)
            review.pack(text: stored.text, in: &texts!)
        }
        return review
    }

    static func created(_ created: DomainEvent.RequestCreated) -> StoredRequestCreated {
        StoredRequestCreated(
            requestId: created.requestId, businessId: created.businessId, reviewId: created.reviewId,
            reviewerId: created.reviewerId, message: created.message,
            requestedFields: created.requestedFields.map(WireMapping.field), referenceLabel: created.referenceLabel,
            token: created.token, at: created.at, acknowledgesIntroduction: created.acknowledgesIntroduction,
            idempotencyKey: created.idempotencyKey ?? "", outboxId: created.outboxId, skipBusinessEmails: created.skipBusinessEmails)
    }

    static func created(_ created: StoredRequestCreated) throws -> DomainEvent.RequestCreated {
        DomainEvent.RequestCreated(
            requestId: created.requestId, businessId: created.businessId, reviewId: created.reviewId,
            reviewerId: created.reviewerId, message: created.message,
            requestedFields: try created.requestedFields.map(self.field), referenceLabel: created.referenceLabel,
            token: created.token, at: created.at, acknowledgesIntroduction: created.acknowledgesIntroduction,
            idempotencyKey: created.idempotencyKey.isEmpty ? nil : created.idempotencyKey, outboxId: created.outboxId,
            skipBusinessEmails: created.skipBusinessEmails)
    }

    static func outbox(_ entry: FindReviewerDomain.OutboxEntry) -> StoredOutboxEntry {
        StoredOutboxEntry(
            id: entry.id, kind: self.kind(entry.kind), requestId: entry.requestId, createdAt: entry.createdAt,
            deliveredAt: entry.deliveredAt ?? 0, cancelledAt: entry.cancelledAt ?? 0)
    }

    static func outbox(_ entry: consuming StoredOutboxEntry) throws -> FindReviewerDomain.OutboxEntry {
        FindReviewerDomain.OutboxEntry(
            id: entry.id, kind: try self.kind(entry.kind), requestId: entry.requestId, createdAt: entry.createdAt,
            deliveredAt: self.optional(entry.deliveredAt), cancelledAt: self.optional(entry.cancelledAt))
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

    /// The request of a snapshot item, its message packed in `texts` (the decoding thread's arena).
    static func request(_ stored: consuming StoredRequest, texts: inout TextArena?) throws -> FindReviewerDomain.SnapshotItem {
        var request = FindReviewerDomain.InfoRequest(
            id: stored.id, businessId: stored.businessId, reviewId: stored.reviewId, reviewerId: stored.reviewerId,
            message: texts == nil ? stored.message : "", requestedFields: try stored.requestedFields.map(self.field),
            referenceLabel: stored.referenceLabel, status: try WireMapping.status(stored.status, field: "status"),
            createdAt: stored.createdAt, windowStart: stored.windowStart, deadline: stored.deadline,
            automaticReminderAt: self.optional(stored.automaticReminderAt),
            manualReminderAt: self.optional(stored.manualReminderAt), reply: stored.reply.map(self.reply),
            openedAt: self.optional(stored.openedAt), closedAt: self.optional(stored.closedAt), token: stored.token,
            timeline: try stored.timeline.map { FindReviewerDomain.TimelineEntry(at: $0.at, kind: try self.timelineKind($0.kind)) },
            skipBusinessEmails: stored.flags & Self.skipBusinessEmailsFlag != 0, replyErasedAt: self.optional(stored.replyErasedAt),
            replyErasure: self.erasure(stored.replyErasure), reviewerErasedAt: self.optional(stored.reviewerErasedAt))
        if texts != nil { request.pack(message: stored.message, in: &texts!) }
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
