/// Every change of ``DomainState``. Events carry all they need (ids, times, tokens), so applying
/// the same events in the same order always rebuilds the same state.
public enum DomainEvent: Sendable, Equatable {
    case businessUpserted(Business)
    case reviewerUpserted(Reviewer)
    /// Inserts or replaces a review; a business's public reply on it is kept.
    case reviewPublished(Review)
    case introductionAcknowledged(businessId: String, at: UnixSeconds)
    /// A request was sent; writes the reviewer's `requestToReviewer` outbox entry.
    case requestCreated(RequestCreated)
    /// Writes the reviewer's `automaticReminder` outbox entry.
    case automaticReminderSent(requestId: String, at: UnixSeconds, outboxId: String)
    /// Reopens an expired request for a new window; writes the reviewer's `manualReminder` entry.
    case manualReminderSent(requestId: String, at: UnixSeconds, deadline: UnixSeconds, outboxId: String)
    /// Writes the business's `replyReceived` entry (none when `outboxId` is empty: the request
    /// skips business emails; the same for the business's entries below).
    case requestAnswered(requestId: String, reply: ReviewerReply, outboxId: String)
    case replyOpened(requestId: String, at: UnixSeconds)
    /// Writes the business's `declined` entry.
    case requestDeclined(requestId: String, at: UnixSeconds, outboxId: String)
    case requestWithdrawn(requestId: String, at: UnixSeconds)
    /// Writes the business's `expired` entry.
    case requestExpired(requestId: String, at: UnixSeconds, outboxId: String)
    /// The reviewer blocked the business (after the `requestDeclined` events of its pending
    /// requests); writes the reviewer's `businessBlocked` entry. Not on any timeline: the
    /// business sees only the declines.
    case businessBlocked(ReviewerBlock, outboxId: String)
    /// The block is lifted; writes the reviewer's `businessUnblocked` entry about `requestId`
    /// (empty `outboxId`: no email).
    case businessUnblocked(reviewerId: String, businessId: String, at: UnixSeconds, requestId: String, outboxId: String)
    /// The retention period ended: the reply keeps its time only.
    case replyDetailsErased(requestId: String, at: UnixSeconds)
    /// The reviewer's personal data is erased; `reviewIds` are their reviews (found by the command).
    case reviewerErased(reviewerId: String, at: UnixSeconds, reviewIds: [String])
    case publicReplySet(reviewId: String, text: String, at: UnixSeconds)
    case publicReplyDeleted(reviewId: String)
    case reportCreated(Report)
    case outboxDelivered(outboxId: String, at: UnixSeconds)
    /// The business is moving away: its writes are refused from now on.
    case businessMarkedMoving(businessId: String, at: UnixSeconds)
    /// A business moved here: its entities, already renumbered for this state (the business first).
    case businessImported(items: [SnapshotItem])
    /// A moved business and everything about it are gone from this state.
    case businessForgotten(businessId: String, at: UnixSeconds)

    /// What a created request starts with.
    public struct RequestCreated: Sendable, Equatable {
        public var requestId: String
        public var businessId: String
        public var reviewId: String
        public var reviewerId: String
        public var message: String
        public var requestedFields: [RequestedField]
        public var referenceLabel: String
        public var token: String
        public var at: UnixSeconds
        /// Also acknowledges the introduction, when the create carried that flag.
        public var acknowledgesIntroduction: Bool
        public var idempotencyKey: String?
        public var outboxId: String
        /// No emails to the business about this request.
        public var skipBusinessEmails: Bool

        /// A creation with every field given.
        public init(
            requestId: String, businessId: String, reviewId: String, reviewerId: String, message: String,
            requestedFields: [RequestedField], referenceLabel: String, token: String, at: UnixSeconds,
            acknowledgesIntroduction: Bool, idempotencyKey: String?, outboxId: String, skipBusinessEmails: Bool = false
        ) {
            self.requestId = requestId
            self.businessId = businessId
            self.reviewId = reviewId
            self.reviewerId = reviewerId
            self.message = message
            self.requestedFields = requestedFields
            self.referenceLabel = referenceLabel
            self.token = token
            self.at = at
            self.acknowledgesIntroduction = acknowledgesIntroduction
            self.idempotencyKey = idempotencyKey
            self.outboxId = outboxId
            self.skipBusinessEmails = skipBusinessEmails
        }
    }
}
