import FindReviewerDomain
import Messages

/// Reads journal records of form 1 (`StoredEventV1` of storage.proto, written by release 0.1.0):
/// a `kind` plus the optional fields that kind uses, checked here by hand. Nothing writes this
/// form any more; a data directory of that release still holds such records until its next
/// snapshot covers them (Tests/Fixtures/release-0.1.0). ``StorageMapping/decodeEvent(_:)`` comes
/// here for a record that has no case of `StoredEvent.event` set.
enum LegacyEventMapping {
    typealias Invalid = StorageMapping.Invalid

    static func event(_ stored: StoredEventV1) throws -> DomainEvent {
        func required<T>(_ value: T?, _ name: String) throws -> T {
            guard let value else { throw Invalid("\(stored.kind) without \(name)") }
            return value
        }
        switch stored.kind {
        case .businessUpserted: return .businessUpserted(StorageMapping.business(try required(stored.business, "business")))
        case .reviewerUpserted: return .reviewerUpserted(StorageMapping.reviewer(try required(stored.reviewer, "reviewer")))
        case .reviewPublished: return .reviewPublished(try StorageMapping.review(try required(stored.review, "review")))
        case .introductionAcknowledged: return .introductionAcknowledged(businessId: stored.businessId, at: stored.at)
        case .requestCreated: return .requestCreated(try StorageMapping.created(try required(stored.created, "created")))
        case .automaticReminderSent:
            return .automaticReminderSent(requestId: stored.requestId, at: stored.at, outboxId: stored.outboxId)
        case .manualReminderSent:
            return .manualReminderSent(requestId: stored.requestId, at: stored.at, deadline: stored.deadline, outboxId: stored.outboxId)
        case .requestAnswered:
            return .requestAnswered(
                requestId: stored.requestId, reply: StorageMapping.reply(try required(stored.reply, "reply")), outboxId: stored.outboxId)
        case .replyOpened: return .replyOpened(requestId: stored.requestId, at: stored.at)
        case .requestDeclined: return .requestDeclined(requestId: stored.requestId, at: stored.at, outboxId: stored.outboxId)
        case .requestWithdrawn: return .requestWithdrawn(requestId: stored.requestId, at: stored.at)
        case .requestExpired: return .requestExpired(requestId: stored.requestId, at: stored.at, outboxId: stored.outboxId)
        case .publicReplySet: return .publicReplySet(reviewId: stored.reviewId, text: stored.text, at: stored.at)
        case .publicReplyDeleted: return .publicReplyDeleted(reviewId: stored.reviewId)
        case .reportCreated: return .reportCreated(try StorageMapping.report(try required(stored.report, "report")))
        case .outboxDelivered: return .outboxDelivered(outboxId: stored.outboxId, at: stored.at)
        case .businessBlocked: return .businessBlocked(StorageMapping.block(try required(stored.block, "block")), outboxId: stored.outboxId)
        case .businessUnblocked:
            return .businessUnblocked(
                reviewerId: stored.reviewerId, businessId: stored.businessId, at: stored.at, requestId: stored.requestId,
                outboxId: stored.outboxId)
        case .replyDetailsErased: return .replyDetailsErased(requestId: stored.requestId, at: stored.at)
        case .reviewerErased: return .reviewerErased(reviewerId: stored.reviewerId, at: stored.at, reviewIds: stored.reviewIds)
        case .businessMarkedMoving: return .businessMarkedMoving(businessId: stored.businessId, at: stored.at)
        case .businessImported: return .businessImported(items: try stored.items.map(StorageMapping.item))
        case .businessForgotten: return .businessForgotten(businessId: stored.businessId, at: stored.at)
        case .unspecified: throw Invalid("an event without a kind")
        }
    }
}
