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
    /// Writes the business's `replyReceived` entry.
    case requestAnswered(requestId: String, reply: ReviewerReply, outboxId: String)
    case replyOpened(requestId: String, at: UnixSeconds)
    /// Writes the business's `declined` entry.
    case requestDeclined(requestId: String, at: UnixSeconds, outboxId: String)
    case requestWithdrawn(requestId: String, at: UnixSeconds)
    /// Writes the business's `expired` entry.
    case requestExpired(requestId: String, at: UnixSeconds, outboxId: String)
    case publicReplySet(reviewId: String, text: String, at: UnixSeconds)
    case publicReplyDeleted(reviewId: String)
    case reportCreated(Report)
    case outboxDelivered(outboxId: String, at: UnixSeconds)

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

        /// A creation with every field given.
        public init(
            requestId: String, businessId: String, reviewId: String, reviewerId: String, message: String,
            requestedFields: [RequestedField], referenceLabel: String, token: String, at: UnixSeconds,
            acknowledgesIntroduction: Bool, idempotencyKey: String?, outboxId: String
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
        }
    }
}
