import FindReviewerDomain
import Messages

/// Decodes a `findreviewer.v1.SnapshotItem` (Protos/findreviewer/v1/storage.proto) straight from
/// its wire bytes into a domain item with ``WireReader``: the start-up path, where a million
/// items through protobuf-c and the generated structs cost most of the recovery time. The field
/// numbers below are those of storage.proto; ``StorageMapping/decodeItem(_:)`` (protobuf-c) is
/// the reference it is tested against, item by item. One reader decodes many items, reusing its
/// scratch arrays.
struct SnapshotItemReader {
    typealias Invalid = StorageMapping.Invalid
    typealias Business = FindReviewerDomain.Business
    typealias Reviewer = FindReviewerDomain.Reviewer
    typealias Review = FindReviewerDomain.Review
    typealias PublicReply = FindReviewerDomain.PublicReply
    typealias InfoRequest = FindReviewerDomain.InfoRequest
    typealias TimelineEntry = FindReviewerDomain.TimelineEntry
    typealias Report = FindReviewerDomain.Report
    typealias ReviewerReply = FindReviewerDomain.ReviewerReply
    typealias OutboxEntry = FindReviewerDomain.OutboxEntry

    private var scratchTimeline: [TimelineEntry] = []
    private var scratchRawFields: [Int32] = []
    private var scratchFields: [FindReviewerDomain.RequestedField] = []

    /// Decodes one item with a fresh reader.
    static func decode(_ bytes: UnsafeRawBufferPointer) throws -> FindReviewerDomain.SnapshotItem {
        var reader = SnapshotItemReader()
        return try reader.decodeItem(bytes)
    }

    /// Decodes one item.
    mutating func decodeItem(_ bytes: UnsafeRawBufferPointer) throws -> FindReviewerDomain.SnapshotItem {
        var reader = WireReader(bytes)
        var item: FindReviewerDomain.SnapshotItem?
        while let (number, type) = try reader.nextField() {
            guard (1...8).contains(number) else {
                try reader.skip(type)
                continue
            }
            let body = try reader.message(type)
            switch number {
            case 1: item = .business(try Self.business(body))
            case 2: item = .reviewer(try Self.reviewer(body))
            case 3: item = .review(try Self.review(body))
            case 4: item = try self.request(body)
            case 5: item = .report(try Self.report(body))
            case 6: item = .outbox(try Self.outbox(body))
            case 7: item = try Self.counters(body)
            default: item = .block(try Self.block(body))
            }
        }
        guard let item else { throw Invalid("a snapshot item with no field set") }
        return item
    }

    /// Calls `body` with each field of the message in `bytes`; `body` reads the value or skips it.
    private static func fields(
        _ bytes: UnsafeRawBufferPointer, _ body: (Int, WireReader.WireType, inout WireReader) throws -> Void
    ) throws {
        var reader = WireReader(bytes)
        while let (number, type) = try reader.nextField() { try body(number, type, &reader) }
    }

    private static func business(_ bytes: UnsafeRawBufferPointer) throws -> Business {
        var business = Business(id: "", displayName: "", notificationEmail: "", locale: "")
        try Self.fields(bytes) { number, type, reader in
            switch number {
            case 1: business.id = try reader.string(type)
            case 2: business.displayName = try reader.string(type)
            case 3: business.notificationEmail = try reader.string(type)
            case 4: business.locale = try reader.string(type)
            case 5: business.plan = WireMapping.plan(try Self.enumValue(try reader.int32(type), "plan"))
            case 6: business.introAcknowledgedAt = StorageMapping.optional(try reader.int64(type))
            case 7: business.movingSince = StorageMapping.optional(try reader.int64(type))
            default: try reader.skip(type)
            }
        }
        return business
    }

    private static func reviewer(_ bytes: UnsafeRawBufferPointer) throws -> Reviewer {
        var reviewer = Reviewer(id: "", displayName: "", email: "", locale: "")
        try Self.fields(bytes) { number, type, reader in
            switch number {
            case 1: reviewer.id = try reader.string(type)
            case 2: reviewer.displayName = try reader.string(type)
            case 3: reviewer.email = try reader.string(type)
            case 4: reviewer.locale = try reader.string(type)
            case 5: reviewer.erasedAt = StorageMapping.optional(try reader.int64(type))
            default: try reader.skip(type)
            }
        }
        return reviewer
    }

    private static func block(_ bytes: UnsafeRawBufferPointer) throws -> FindReviewerDomain.ReviewerBlock {
        var block = FindReviewerDomain.ReviewerBlock(reviewerId: "", businessId: "", blockedAt: 0, requestId: "")
        try Self.fields(bytes) { number, type, reader in
            switch number {
            case 1: block.reviewerId = try reader.string(type)
            case 2: block.businessId = try reader.string(type)
            case 3: block.blockedAt = try reader.int64(type)
            case 4: block.requestId = try reader.string(type)
            default: try reader.skip(type)
            }
        }
        return block
    }

    private static func review(_ bytes: UnsafeRawBufferPointer) throws -> Review {
        var review = Review(id: "", businessId: "", reviewerId: "", rating: 0, title: "", text: "", createdAt: 0, source: .organic)
        var source: Int32 = 0
        try Self.fields(bytes) { number, type, reader in
            switch number {
            case 1: review.id = try reader.string(type)
            case 2: review.businessId = try reader.string(type)
            case 3: review.reviewerId = try reader.string(type)
            case 4: review.rating = Int(try reader.int32(type))
            case 5: review.title = try reader.string(type)
            case 6: review.text = try reader.string(type)
            case 7: review.experienceDate = try reader.string(type)
            case 8: review.createdAt = try reader.int64(type)
            case 9: source = try reader.int32(type)
            case 10:
                review.publicReply = try Self.publicReply(try reader.message(type))
            default: try reader.skip(type)
            }
        }
        review.source = try WireMapping.source(try Self.enumValue(source, "review source"), field: "source")
        return review
    }

    private static func publicReply(_ bytes: UnsafeRawBufferPointer) throws -> PublicReply {
        var reply = PublicReply(text: "", createdAt: 0, updatedAt: 0)
        try Self.fields(bytes) { number, type, reader in
            switch number {
            case 1: reply.text = try reader.string(type)
            case 2: reply.createdAt = try reader.int64(type)
            case 3: reply.updatedAt = try reader.int64(type)
            default: try reader.skip(type)
            }
        }
        return reply
    }

    private static func reply(_ bytes: UnsafeRawBufferPointer) throws -> ReviewerReply {
        var reply = ReviewerReply()
        try Self.fields(bytes) { number, type, reader in
            switch number {
            case 1: reply.email = try reader.string(type)
            case 2: reply.referenceNumber = try reader.string(type)
            case 3: reply.fullName = try reader.string(type)
            case 4: reply.phone = try reader.string(type)
            case 5: reply.note = try reader.string(type)
            case 6: reply.repliedAt = try reader.int64(type)
            default: try reader.skip(type)
            }
        }
        return reply
    }

    private mutating func request(_ bytes: UnsafeRawBufferPointer) throws -> FindReviewerDomain.SnapshotItem {
        var id = "", businessId = "", reviewId = "", reviewerId = "", message = "", referenceLabel = "", token = ""
        var idempotencyKey = ""
        // Taken out of self so that they are unshared while filled, and put back afterwards.
        var rawFields = self.scratchRawFields
        var timeline = self.scratchTimeline
        rawFields.removeAll(keepingCapacity: true)
        timeline.removeAll(keepingCapacity: true)
        self.scratchRawFields = []
        self.scratchTimeline = []
        var status: Int32 = 0
        var createdAt: Int64 = 0, windowStart: Int64 = 0, deadline: Int64 = 0
        var automaticReminderAt: Int64 = 0, manualReminderAt: Int64 = 0, openedAt: Int64 = 0, closedAt: Int64 = 0
        var reply: ReviewerReply?
        var skipBusinessEmails = false
        var replyErasedAt: Int64 = 0, reviewerErasedAt: Int64 = 0
        var replyErasure: Int32 = 0
        try Self.fields(bytes) { number, type, reader in
            switch number {
            case 1: id = try reader.string(type)
            case 2: businessId = try reader.string(type)
            case 3: reviewId = try reader.string(type)
            case 4: reviewerId = try reader.string(type)
            case 5: message = try reader.string(type)
            case 6: try reader.enums(type, into: &rawFields)
            case 7: referenceLabel = try reader.string(type)
            case 8: status = try reader.int32(type)
            case 9: createdAt = try reader.int64(type)
            case 10: windowStart = try reader.int64(type)
            case 11: deadline = try reader.int64(type)
            case 12: automaticReminderAt = try reader.int64(type)
            case 13: manualReminderAt = try reader.int64(type)
            case 14:
                reply = try Self.reply(try reader.message(type))
            case 15: openedAt = try reader.int64(type)
            case 16: closedAt = try reader.int64(type)
            case 17: token = try reader.string(type)
            case 18:
                timeline.append(try Self.timelineEntry(try reader.message(type)))
            case 19: idempotencyKey = try reader.string(type)
            case 20: skipBusinessEmails = UInt32(truncatingIfNeeded: try reader.uint64(type)) & StorageMapping.skipBusinessEmailsFlag != 0
            case 21: replyErasedAt = try reader.int64(type)
            case 22: replyErasure = try reader.int32(type)
            case 23: reviewerErasedAt = try reader.int64(type)
            default: try reader.skip(type)
            }
        }
        var fields = self.scratchFields
        self.scratchFields = []
        fields.removeAll(keepingCapacity: true)
        for raw in rawFields { fields.append(try StorageMapping.field(try Self.enumValue(raw, "requested field"))) }
        // The request keeps none of these arrays (it stores bits and the timeline after its
        // first entry), so they come back unshared for the next request.
        defer {
            self.scratchRawFields = rawFields
            self.scratchTimeline = timeline
            self.scratchFields = fields
        }
        let request = InfoRequest(
            id: id, businessId: businessId, reviewId: reviewId, reviewerId: reviewerId, message: message,
            requestedFields: fields,
            referenceLabel: referenceLabel, status: try WireMapping.status(try Self.enumValue(status, "request status"), field: "status"),
            createdAt: createdAt, windowStart: windowStart, deadline: deadline,
            automaticReminderAt: StorageMapping.optional(automaticReminderAt), manualReminderAt: StorageMapping.optional(manualReminderAt),
            reply: reply, openedAt: StorageMapping.optional(openedAt), closedAt: StorageMapping.optional(closedAt), token: token,
            timeline: timeline, skipBusinessEmails: skipBusinessEmails, replyErasedAt: StorageMapping.optional(replyErasedAt),
            replyErasure: StorageMapping.erasure(try Self.enumValue(replyErasure, "reply erasure")),
            reviewerErasedAt: StorageMapping.optional(reviewerErasedAt))
        return .request(request, idempotencyKey: idempotencyKey.isEmpty ? nil : idempotencyKey)
    }

    private static func timelineEntry(_ bytes: UnsafeRawBufferPointer) throws -> TimelineEntry {
        var at: Int64 = 0
        var kind: Int32 = 0
        try Self.fields(bytes) { number, type, reader in
            switch number {
            case 1: at = try reader.int64(type)
            case 2: kind = try reader.int32(type)
            default: try reader.skip(type)
            }
        }
        return TimelineEntry(at: at, kind: try StorageMapping.timelineKind(try Self.enumValue(kind, "timeline kind")))
    }

    private static func report(_ bytes: UnsafeRawBufferPointer) throws -> Report {
        var id = "", businessId = "", reviewId = "", explanation = ""
        var reason: Int32 = 0
        var createdAt: Int64 = 0
        try Self.fields(bytes) { number, type, reader in
            switch number {
            case 1: id = try reader.string(type)
            case 2: businessId = try reader.string(type)
            case 3: reviewId = try reader.string(type)
            case 4: reason = try reader.int32(type)
            case 5: explanation = try reader.string(type)
            case 6: createdAt = try reader.int64(type)
            default: try reader.skip(type)
            }
        }
        guard let domainReason = WireMapping.reason(try Self.enumValue(reason, "report reason") as Messages.ReportReason) else {
            throw Invalid("a report without a reason")
        }
        return Report(id: id, businessId: businessId, reviewId: reviewId, reason: domainReason, explanation: explanation, createdAt: createdAt)
    }

    private static func outbox(_ bytes: UnsafeRawBufferPointer) throws -> OutboxEntry {
        var id = "", requestId = ""
        var kind: Int32 = 0
        var createdAt: Int64 = 0, deliveredAt: Int64 = 0, cancelledAt: Int64 = 0
        try Self.fields(bytes) { number, type, reader in
            switch number {
            case 1: id = try reader.string(type)
            case 2: kind = try reader.int32(type)
            case 3: requestId = try reader.string(type)
            case 4: createdAt = try reader.int64(type)
            case 5: deliveredAt = try reader.int64(type)
            case 6: cancelledAt = try reader.int64(type)
            default: try reader.skip(type)
            }
        }
        return OutboxEntry(
            id: id, kind: try StorageMapping.kind(try Self.enumValue(kind, "notification kind") as StoredNotificationKind),
            requestId: requestId, createdAt: createdAt, deliveredAt: StorageMapping.optional(deliveredAt),
            cancelledAt: StorageMapping.optional(cancelledAt))
    }

    private static func counters(_ bytes: UnsafeRawBufferPointer) throws -> FindReviewerDomain.SnapshotItem {
        var values: [UInt64] = [0, 0, 0]
        try Self.fields(bytes) { number, type, reader in
            if (1...3).contains(number) { values[number - 1] = try reader.uint64(type) } else { try reader.skip(type) }
        }
        return .counters(requests: Int(values[0]), reports: Int(values[1]), outbox: Int(values[2]))
    }

    /// An enum by number; numbers this build does not know are an error, as on the protobuf-c path.
    private static func enumValue<E: ProtoEnum>(_ number: Int32, _ what: String) throws -> E {
        guard let value = E(rawValue: number) else { throw Invalid("\(what) \(number) is unknown to this build") }
        return value
    }
}
