/// A business on the platform (fed by the reviews pipeline).
public struct Business: Sendable, Equatable, Codable {
    /// Given by the caller.
    public var id: String
    public var displayName: String
    /// Where Find Reviewer notifications for the business go.
    public var notificationEmail: String
    /// As given; ``language`` is what emails use.
    public var locale: String
    public var plan: Plan
    /// When the business's users acknowledged the introduction; nil until then.
    public var introAcknowledgedAt: UnixSeconds?

    /// Creates a business.
    public init(
        id: String, displayName: String, notificationEmail: String, locale: String = "en", plan: Plan = .free,
        introAcknowledgedAt: UnixSeconds? = nil
    ) {
        self.id = id
        self.displayName = displayName
        self.notificationEmail = notificationEmail
        self.locale = locale
        self.plan = plan
        self.introAcknowledgedAt = introAcknowledgedAt
    }

    /// The language of texts and emails for this business.
    public var language: Language { Language(locale: self.locale) }
}

/// A consumer who writes reviews. The email is private: no business-facing answer contains it.
public struct Reviewer: Sendable, Equatable, Codable {
    public var id: String
    public var displayName: String
    public var email: String
    public var locale: String

    /// Creates a reviewer.
    public init(id: String, displayName: String, email: String, locale: String = "en") {
        self.id = id
        self.displayName = displayName
        self.email = email
        self.locale = locale
    }

    /// The language of the reviewer's emails.
    public var language: Language { Language(locale: self.locale) }
}

/// The business's one public reply under a review.
public struct PublicReply: Sendable, Equatable, Codable {
    public var text: String
    public var createdAt: UnixSeconds
    public var updatedAt: UnixSeconds

    public init(text: String, createdAt: UnixSeconds, updatedAt: UnixSeconds) {
        self.text = text
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A published review.
public struct Review: Sendable, Equatable, Codable {
    public var id: String
    public var businessId: String
    public var reviewerId: String
    /// 1...5.
    public var rating: Int
    public var title: String
    public var text: String
    /// `YYYY-MM-DD`, or empty when unknown.
    public var experienceDate: String
    public var createdAt: UnixSeconds
    public var source: ReviewSource
    /// Set by the business; never by the pipeline.
    public var publicReply: PublicReply?

    /// Creates a review.
    public init(
        id: String, businessId: String, reviewerId: String, rating: Int, title: String, text: String,
        experienceDate: String = "", createdAt: UnixSeconds, source: ReviewSource, publicReply: PublicReply? = nil
    ) {
        self.id = id
        self.businessId = businessId
        self.reviewerId = reviewerId
        self.rating = rating
        self.title = title
        self.text = text
        self.experienceDate = experienceDate
        self.createdAt = createdAt
        self.source = source
        self.publicReply = publicReply
    }
}

/// What a reviewer chose to share; text only.
public struct ReviewerReply: Sendable, Equatable, Codable {
    public var email: String
    public var referenceNumber: String
    public var fullName: String
    public var phone: String
    public var note: String
    public var repliedAt: UnixSeconds

    /// Creates a reply.
    public init(
        email: String = "", referenceNumber: String = "", fullName: String = "", phone: String = "", note: String = "",
        repliedAt: UnixSeconds = 0
    ) {
        self.email = email
        self.referenceNumber = referenceNumber
        self.fullName = fullName
        self.phone = phone
        self.note = note
        self.repliedAt = repliedAt
    }

    /// The value given for `field` (empty when not shared).
    public func value(of field: RequestedField) -> String {
        switch field {
        case .email: return self.email
        case .referenceNumber: return self.referenceNumber
        case .fullName: return self.fullName
        case .phone: return self.phone
        }
    }
}

/// One timestamped step of a request's history.
public struct TimelineEntry: Sendable, Equatable, Codable {
    public var at: UnixSeconds
    public var kind: TimelineKind

    public init(at: UnixSeconds, kind: TimelineKind) {
        self.at = at
        self.kind = kind
    }
}

/// A Find Reviewer request: a business asking a reviewer for identifying details.
public struct InfoRequest: Sendable, Equatable, Codable {
    public var id: String
    public var businessId: String
    public var reviewId: String
    public var reviewerId: String
    /// The business's own words, shown to the reviewer verbatim.
    public var message: String
    /// Distinct, in declaration order.
    public var requestedFields: [RequestedField]
    /// The business's name for the reference number ("Booking number"); empty for the default.
    public var referenceLabel: String
    public var status: RequestStatus
    public var createdAt: UnixSeconds
    /// Start of the current reply window (creation, or the manual reminder).
    public var windowStart: UnixSeconds
    /// End of the current reply window.
    public var deadline: UnixSeconds
    public var automaticReminderAt: UnixSeconds?
    public var manualReminderAt: UnixSeconds?
    public var reply: ReviewerReply?
    public var openedAt: UnixSeconds?
    /// When the request last reached declined, withdrawn or expired.
    public var closedAt: UnixSeconds?
    /// The reviewer's reply token: private to the reviewer's email link.
    public var token: String
    public var timeline: [TimelineEntry]

    /// A request with every field given (e.g. read back from a snapshot).
    public init(
        id: String, businessId: String, reviewId: String, reviewerId: String, message: String,
        requestedFields: [RequestedField], referenceLabel: String, status: RequestStatus, createdAt: UnixSeconds,
        windowStart: UnixSeconds, deadline: UnixSeconds, automaticReminderAt: UnixSeconds? = nil,
        manualReminderAt: UnixSeconds? = nil, reply: ReviewerReply? = nil, openedAt: UnixSeconds? = nil,
        closedAt: UnixSeconds? = nil, token: String, timeline: [TimelineEntry]
    ) {
        self.id = id
        self.businessId = businessId
        self.reviewId = reviewId
        self.reviewerId = reviewerId
        self.message = message
        self.requestedFields = requestedFields
        self.referenceLabel = referenceLabel
        self.status = status
        self.createdAt = createdAt
        self.windowStart = windowStart
        self.deadline = deadline
        self.automaticReminderAt = automaticReminderAt
        self.manualReminderAt = manualReminderAt
        self.reply = reply
        self.openedAt = openedAt
        self.closedAt = closedAt
        self.token = token
        self.timeline = timeline
    }

    /// True while the reviewer can still answer at `now`: pending and before the deadline.
    public func acceptsReply(at now: UnixSeconds) -> Bool {
        self.status == .pending && now < self.deadline
    }
}

/// A report of a review by its business. The review stays online.
public struct Report: Sendable, Equatable, Codable {
    public var id: String
    public var businessId: String
    public var reviewId: String
    public var reason: ReportReason
    /// Public-facing explanation.
    public var explanation: String
    public var createdAt: UnixSeconds

    public init(id: String, businessId: String, reviewId: String, reason: ReportReason, explanation: String, createdAt: UnixSeconds) {
        self.id = id
        self.businessId = businessId
        self.reviewId = reviewId
        self.reason = reason
        self.explanation = explanation
        self.createdAt = createdAt
    }
}
