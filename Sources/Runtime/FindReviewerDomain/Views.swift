/// A request as its business sees it: no token, and the reply only once opened.
public struct BusinessRequestView: Sendable, Equatable {
    public var id: String
    public var businessId: String
    public var reviewId: String
    public var reviewerDisplayName: String
    public var message: String
    public var requestedFields: [RequestedField]
    public var referenceLabel: String
    public var status: RequestStatus
    public var createdAt: UnixSeconds
    public var deadline: UnixSeconds
    public var automaticReminderAt: UnixSeconds?
    public var manualReminderAt: UnixSeconds?
    public var answeredAt: UnixSeconds?
    public var openedAt: UnixSeconds?
    public var closedAt: UnixSeconds?
    /// A reply arrived (its content shows once opened).
    public var replyAvailable: Bool
    /// Set only after the business opened the reply, and only while its details are kept.
    public var reply: ReviewerReply?
    public var timeline: [TimelineEntry]
    /// The business asked for no emails about this request.
    public var skipBusinessNotificationEmail: Bool
    /// Until when the reply's details are kept (answered and not yet erased).
    public var replyRetainedUntil: UnixSeconds?
    /// When the reply's details were erased, and why.
    public var replyErasedAt: UnixSeconds?
    public var replyErasure: ReplyErasure?
    /// What the business should know (retention, erasure), in its language; empty if nothing.
    public var notice: String
}

/// Find Reviewer status of one review, for its business.
public struct FindReviewerSummary: Sendable, Equatable {
    public var eligible: Bool
    public var contacted: Bool
    public var latestRequestId: String?
    public var latestStatus: RequestStatus?
    public var canReportNotGenuine: Bool
    /// The opened reply of the newest answered request, while its details are kept.
    public var reply: ReviewerReply?
    /// When and why that reply's details were erased.
    public var replyErasedAt: UnixSeconds?
    public var replyErasure: ReplyErasure?
}

/// A review as its business sees it.
public struct BusinessReviewView: Sendable, Equatable {
    public var review: Review
    public var reviewerDisplayName: String
    public var findReviewer: FindReviewerSummary
    /// The reviewer's personal data was erased: the review is a stub (no title or text).
    public var reviewerErased: Bool
}

/// A review as anyone sees it: no private data, just whether the reviewer was contacted.
public struct PublicReviewView: Sendable, Equatable {
    public var reviewId: String
    public var businessId: String
    public var businessDisplayName: String
    public var reviewerDisplayName: String
    public var rating: Int
    public var title: String
    public var text: String
    public var experienceDate: String
    public var createdAt: UnixSeconds
    public var reviewerContacted: Bool
    public var publicReply: PublicReply?
}

/// A request as the reviewer sees it through the email link.
public struct ReviewerRequestView: Sendable, Equatable {
    public var requestId: String
    public var businessDisplayName: String
    public var message: String
    public var requestedFields: [RequestedField]
    public var referenceLabel: String
    public var deadline: UnixSeconds
    public var status: RequestStatus
    public var reviewTitle: String
    /// The reviewer blocked this business (its link lifts the block).
    public var businessBlocked: Bool
    /// Until when the business can see what the reviewer shared.
    public var replyRetainedUntil: UnixSeconds?
    /// When what the reviewer shared was erased.
    public var replyErasedAt: UnixSeconds?
    /// What the reviewer should know (the block, retention), in their language; empty if nothing.
    public var notice: String
}

/// A business a reviewer blocked, for an admin acting for them.
public struct BlockedBusinessView: Sendable, Equatable {
    public var businessId: String
    public var businessDisplayName: String
    public var blockedAt: UnixSeconds
}

/// One page of a list.
public struct Page<Item: Sendable & Equatable>: Sendable, Equatable {
    public var items: [Item]
    /// Empty on the last page.
    public var nextPageToken: String
    /// Items matching the filters on all pages; nil where the list does not count them
    /// (reviews, whose response has no total).
    public var totalMatching: Int?
}

/// Which reviews `listReviews` returns.
public struct ReviewFilter: Sendable, Equatable {
    public enum Contact: Sendable, Equatable { case any, contacted, notContacted }
    public var contact: Contact
    /// Only reviews whose newest request has one of these statuses; empty means any.
    public var statuses: Set<RequestStatus>
    public var eligibleOnly: Bool

    /// A filter; the default matches every review.
    public init(contact: Contact = .any, statuses: Set<RequestStatus> = [], eligibleOnly: Bool = false) {
        self.contact = contact
        self.statuses = statuses
        self.eligibleOnly = eligibleOnly
    }
}

/// Everything an email about one outbox entry needs, gathered from the state.
public struct NotificationContext: Sendable, Equatable {
    public var entry: OutboxEntry
    public var recipientAddress: String
    public var recipientName: String
    public var language: Language
    public var businessName: String
    /// The business's own words; for reviewer emails.
    public var businessMessage: String
    public var requestedFields: [RequestedField]
    public var referenceLabel: String
    public var deadline: UnixSeconds
    /// The reviewer's reply token; empty for business emails, which must never carry it.
    public var replyToken: String
    public var reviewTitle: String

    /// Creates a context (the state builds these; renderers' tests too).
    public init(
        entry: OutboxEntry, recipientAddress: String, recipientName: String, language: Language, businessName: String,
        businessMessage: String, requestedFields: [RequestedField], referenceLabel: String, deadline: UnixSeconds,
        replyToken: String, reviewTitle: String
    ) {
        self.entry = entry
        self.recipientAddress = recipientAddress
        self.recipientName = recipientName
        self.language = language
        self.businessName = businessName
        self.businessMessage = businessMessage
        self.requestedFields = requestedFields
        self.referenceLabel = referenceLabel
        self.deadline = deadline
        self.replyToken = replyToken
        self.reviewTitle = reviewTitle
    }
}

/// A time-driven transition that is due.
public struct DueTransition: Sendable, Equatable {
    public var requestId: String
    public var dueAt: UnixSeconds
    public var command: DomainCommand
}
