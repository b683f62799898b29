/// An operation on the domain. ``DomainState/execute(_:now:)`` validates it against the state
/// and the acting business and returns the events that carry it out.
public enum DomainCommand: Sendable, Equatable {
    // Reviews pipeline.
    case upsertBusiness(Business)
    case upsertReviewer(Reviewer)
    case publishReview(Review)

    // Business portal: `businessId` is the acting business.
    case acknowledgeIntroduction(businessId: String)
    case createRequest(CreateRequest)
    case sendManualReminder(businessId: String, requestId: String)
    case withdrawRequest(businessId: String, requestId: String)
    case openReply(businessId: String, requestId: String)
    case setPublicReply(businessId: String, reviewId: String, text: String)
    case deletePublicReply(businessId: String, reviewId: String)
    case createReport(businessId: String, reviewId: String, reason: ReportReason?, explanation: String, acknowledged: Bool)

    // Consumer site: the token from the email link is the reviewer's identity.
    case reply(token: String, ReviewerReply)
    case decline(token: String)
    /// Not to be contacted by the request's business again: declines the business's pending
    /// requests to the reviewer (this one included) and refuses its later ones. Works from the
    /// link of any of the business's requests to the reviewer, except a withdrawn one.
    case blockBusiness(token: String)
    /// Lifts the block of the token's business; from the same links as ``blockBusiness(token:)``.
    case unblockBusiness(token: String)

    // Admin.
    /// Lifts a block for the reviewer (support acting on their behalf).
    case unblockBusinessForReviewer(businessId: String, reviewerId: String)
    /// Erases the reviewer's personal data: name, email, locale, their reviews' title and text,
    /// the details of their replies, their reply tokens and the emails not yet sent to them.
    /// `found`: their reviews as ``DomainState/reviewsOfReviewer(_:)`` found them on a copy of the
    /// state, off the lock; the command then looks only at the reviews published since (without
    /// it, it scans every review).
    case eraseReviewer(reviewerId: String, found: ReviewsOfReviewer? = nil)
    /// Moving a business between shards (Protos/PROTOCOL.md §9.5): marks it moving (its writes are
    /// refused from then on); the export is read from the state after it.
    case markBusinessMoving(businessId: String)
    /// Loads a business exported by another shard: `items` as ``DomainState/exportItems(businessId:)``
    /// gave them (the business first). Request, report and outbox ids are renumbered here.
    case importBusiness(items: [SnapshotItem])
    /// Removes a moving business and all its data.
    case forgetBusiness(businessId: String)

    // Time and delivery, applied by the server's timer and delivery threads.
    /// Due 72 h into the first window; `dueAt` becomes the event's time.
    case sendAutomaticReminder(requestId: String, dueAt: UnixSeconds)
    /// Due at the deadline; `dueAt` becomes the event's time.
    case expire(requestId: String, dueAt: UnixSeconds)
    /// Due ``DomainSettings/replyRetention`` after the answer; `dueAt` becomes the event's time.
    case eraseReplyDetails(requestId: String, dueAt: UnixSeconds)
    case markDelivered(outboxId: String)

    /// A business's new information request.
    public struct CreateRequest: Sendable, Equatable {
        public var businessId: String
        public var reviewId: String
        public var message: String
        public var requestedFields: [RequestedField]
        public var referenceLabel: String
        /// Acknowledges the introduction in the same step (first use).
        public var acknowledgeIntroduction: Bool
        /// A repeated create with the same key returns the first request.
        public var idempotencyKey: String?
        /// A fresh reply token (the server's `TokenSource`): generated outside so replay stays deterministic.
        public var token: String
        /// No emails to the business about this request; the timeline and views are unchanged.
        public var skipBusinessNotificationEmail: Bool

        /// Creates the command.
        public init(
            businessId: String, reviewId: String, message: String, requestedFields: [RequestedField],
            referenceLabel: String = "", acknowledgeIntroduction: Bool = false, idempotencyKey: String? = nil,
            token: String, skipBusinessNotificationEmail: Bool = false
        ) {
            self.businessId = businessId
            self.reviewId = reviewId
            self.message = message
            self.requestedFields = requestedFields
            self.referenceLabel = referenceLabel
            self.acknowledgeIntroduction = acknowledgeIntroduction
            self.idempotencyKey = idempotencyKey
            self.token = token
            self.skipBusinessNotificationEmail = skipBusinessNotificationEmail
        }
    }
}

/// A reviewer's reviews as one pass over a state's reviews found them. Review rows are only ever
/// appended and a review's author never changes, so these stay right for any later state; only
/// the reviews from `scannedCount` on are left to look at.
public struct ReviewsOfReviewer: Sendable, Equatable {
    public let reviewerId: String
    let rows: [DomainState.Row]
    let scannedCount: Int
}
