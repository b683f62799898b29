/// A business on the platform (fed by the reviews pipeline).
public struct Business: Sendable, Equatable, TableRow {
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
    /// Since when the business is moving to another shard (`ExportBusiness`): its writes are
    /// refused (`BUSINESS_MOVING`), its timers and emails wait; nil when it is not moving.
    public var movingSince: UnixSeconds?

    /// Creates a business.
    public init(
        id: String, displayName: String, notificationEmail: String, locale: String = "en", plan: Plan = .free,
        introAcknowledgedAt: UnixSeconds? = nil, movingSince: UnixSeconds? = nil
    ) {
        self.movingSince = movingSince
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
public struct Reviewer: Sendable, Equatable, TableRow {
    public var id: String
    public var displayName: String
    public var email: String
    public var locale: String
    /// The erasure time, 0 when not erased (the clock never reads 0): 8 bytes a reviewer
    /// instead of an optional's 16.
    private var erasedTime: UnixSeconds

    /// When an admin erased the reviewer's personal data (EraseReviewer); then the name, email
    /// and locale are empty and only the id remains, so that the erasure sticks.
    public var erasedAt: UnixSeconds? {
        get { self.erasedTime == 0 ? nil : self.erasedTime }
        set { self.erasedTime = newValue ?? 0 }
    }

    /// Creates a reviewer.
    public init(id: String, displayName: String, email: String, locale: String = "en", erasedAt: UnixSeconds? = nil) {
        self.id = id
        self.displayName = displayName
        self.email = email
        self.locale = locale
        self.erasedTime = erasedAt ?? 0
    }

    /// The language of the reviewer's emails.
    public var language: Language { Language(locale: self.locale) }
}

/// The business's one public reply under a review.
public struct PublicReply: Sendable, Equatable {
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
public struct Review: Sendable, Equatable, TableRow {
    public var id: String
    public var businessId: String
    public var reviewerId: String
    public var title: String
    /// The text, packed in the state's arena once stored (see ``StoredText``).
    var storedText: StoredText
    /// `YYYY-MM-DD`, or empty when unknown.
    public var experienceDate: String
    public var createdAt: UnixSeconds
    /// Most reviews have no public reply: it lives in a shared box, one pointer wide, instead of
    /// inline in every review.
    private var replyBox: Box<PublicReply>?
    /// The rating in 4 bytes (the wire's int32) beside the source, so that a review is 120 bytes.
    private var storedRating: Int32
    public var source: ReviewSource

    /// 1...5 (validated when published; a value beyond Int32 is clamped).
    public var rating: Int {
        get { Int(self.storedRating) }
        set { self.storedRating = Int32(clamping: newValue) }
    }

    public var text: String {
        get { self.storedText.string }
        set { self.storedText = StoredText(newValue) }
    }

    /// Sets the text, packed in `arena` (a restore's, whose chunks the state keeps).
    public mutating func pack(text: String, in arena: inout TextArena) { self.storedText = arena.store(text) }

    /// Set by the business; never by the pipeline.
    public var publicReply: PublicReply? {
        get { self.replyBox?.value }
        set { self.replyBox = newValue.map(Box.init) }
    }

    /// Creates a review.
    public init(
        id: String, businessId: String, reviewerId: String, rating: Int, title: String, text: String,
        experienceDate: String = "", createdAt: UnixSeconds, source: ReviewSource, publicReply: PublicReply? = nil
    ) {
        self.id = id
        self.businessId = businessId
        self.reviewerId = reviewerId
        self.storedRating = Int32(clamping: rating)
        self.title = title
        self.storedText = StoredText(text)
        self.experienceDate = experienceDate
        self.createdAt = createdAt
        self.source = source
        self.replyBox = publicReply.map(Box.init)
    }

    public static func == (lhs: Review, rhs: Review) -> Bool {
        lhs.id == rhs.id && lhs.businessId == rhs.businessId && lhs.reviewerId == rhs.reviewerId && lhs.rating == rhs.rating
            && lhs.title == rhs.title && lhs.storedText == rhs.storedText && lhs.experienceDate == rhs.experienceDate
            && lhs.createdAt == rhs.createdAt && lhs.source == rhs.source && lhs.publicReply == rhs.publicReply
    }
}

/// An immutable value behind one pointer: a rarely set part of an entity, so that the common case
/// costs 8 bytes. Changing the value replaces the box, so entities keep value semantics.
final class Box<Value: Sendable>: Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// What a reviewer chose to share; text only.
public struct ReviewerReply: Sendable, Equatable {
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

    /// The same reply with every shared detail and the note removed; only the time stays.
    public var erased: ReviewerReply { ReviewerReply(repliedAt: self.repliedAt) }

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
public struct TimelineEntry: Sendable, Equatable {
    public var at: UnixSeconds
    public var kind: TimelineKind

    public init(at: UnixSeconds, kind: TimelineKind) {
        self.at = at
        self.kind = kind
    }
}

/// A Find Reviewer request: a business asking a reviewer for identifying details.
///
/// Laid out for a million of them in memory: the requested fields are a bit set, the timeline's
/// first entry (created at `createdAt`) is implied, and what only later steps set (the reply,
/// the manual reminder, opening, closing) lives in one shared box that fresh requests do not have.
public struct InfoRequest: Sendable, Equatable, TableRow {
    public var id: String
    public var businessId: String
    public var reviewId: String
    public var reviewerId: String
    /// The business's own words, packed in the state's arena once stored (see ``StoredText``).
    var messageText: StoredText
    /// The business's name for the reference number ("Booking number"); empty for the default.
    public var referenceLabel: String
    public var createdAt: UnixSeconds
    /// Start of the current reply window (creation, or the manual reminder).
    public var windowStart: UnixSeconds
    /// End of the current reply window.
    public var deadline: UnixSeconds
    private var laterBox: Box<Later>?
    /// Timeline entries after the first.
    private var steps: [TimelineEntry]
    /// When the automatic reminder went out, 0 before (the clock never reads 0): 8 bytes instead
    /// of an optional's 16.
    private var automaticReminderTime: UnixSeconds
    /// The reviewer's reply token, compactly (see ``StoredToken``). Here, after the 8-byte fields
    /// and before the 1-byte ones, so that those fill the room after its last byte.
    var storedToken: StoredToken
    public var status: RequestStatus
    private var fieldBits: UInt8
    /// Whether the timeline starts with the implied "created at createdAt" entry.
    private var impliedCreation: Bool
    /// The business asked for no emails about this request (`skip_business_notification_email`);
    /// the timeline and the views still show everything.
    public var skipBusinessEmails: Bool

    /// The parts set by later steps.
    private struct Later: Sendable, Equatable {
        var manualReminderAt: UnixSeconds?
        var reply: ReviewerReply?
        var openedAt: UnixSeconds?
        var closedAt: UnixSeconds?
        var replyErasedAt: UnixSeconds?
        var replyErasure: ReplyErasure?
        var reviewerErasedAt: UnixSeconds?
    }

    /// A request with every field given (e.g. read back from a snapshot).
    public init(
        id: String, businessId: String, reviewId: String, reviewerId: String, message: String,
        requestedFields: [RequestedField], referenceLabel: String, status: RequestStatus, createdAt: UnixSeconds,
        windowStart: UnixSeconds, deadline: UnixSeconds, automaticReminderAt: UnixSeconds? = nil,
        manualReminderAt: UnixSeconds? = nil, reply: ReviewerReply? = nil, openedAt: UnixSeconds? = nil,
        closedAt: UnixSeconds? = nil, token: String, timeline: [TimelineEntry], skipBusinessEmails: Bool = false,
        replyErasedAt: UnixSeconds? = nil, replyErasure: ReplyErasure? = nil, reviewerErasedAt: UnixSeconds? = nil
    ) {
        self.id = id
        self.businessId = businessId
        self.reviewId = reviewId
        self.reviewerId = reviewerId
        self.messageText = StoredText(message)
        self.referenceLabel = referenceLabel
        self.storedToken = StoredToken(token)
        self.createdAt = createdAt
        self.windowStart = windowStart
        self.deadline = deadline
        self.laterBox = nil
        self.steps = []
        self.automaticReminderTime = automaticReminderAt ?? 0
        self.status = status
        self.fieldBits = 0
        self.impliedCreation = false
        self.skipBusinessEmails = skipBusinessEmails
        self.requestedFields = requestedFields
        self.timeline = timeline
        self.changeLater {
            $0 = Later(
                manualReminderAt: manualReminderAt, reply: reply, openedAt: openedAt, closedAt: closedAt, replyErasedAt: replyErasedAt,
                replyErasure: replyErasure, reviewerErasedAt: reviewerErasedAt)
        }
    }

    /// When the automatic reminder went out (72 h into the first window), if it did.
    public var automaticReminderAt: UnixSeconds? {
        get { self.automaticReminderTime == 0 ? nil : self.automaticReminderTime }
        set { self.automaticReminderTime = newValue ?? 0 }
    }

    /// The reviewer's reply token: private to the reviewer's email link; empty once erased.
    public var token: String {
        get { self.storedToken.string }
        set { self.storedToken = StoredToken(newValue) }
    }

    /// Distinct, in declaration order.
    public var requestedFields: [RequestedField] {
        get { RequestedField.lists[Int(self.fieldBits)] }
        set {
            self.fieldBits = 0
            for field in newValue { self.fieldBits |= 1 << field.ordinal }
        }
    }

    /// Whether `field` is among the requested ones.
    public func asks(for field: RequestedField) -> Bool { self.fieldBits & (1 << field.ordinal) != 0 }

    /// The request's history, oldest first.
    public var timeline: [TimelineEntry] {
        get { self.impliedCreation ? [TimelineEntry(at: self.createdAt, kind: .created)] + self.steps : self.steps }
        set {
            self.impliedCreation = newValue.first == TimelineEntry(at: self.createdAt, kind: .created)
            self.steps = self.impliedCreation ? Array(newValue.dropFirst()) : newValue
        }
    }

    /// Adds a step at the end of the timeline.
    public mutating func record(_ entry: TimelineEntry) { self.steps.append(entry) }

    public var manualReminderAt: UnixSeconds? {
        get { self.laterBox?.value.manualReminderAt }
        set { self.changeLater { $0.manualReminderAt = newValue } }
    }

    public var reply: ReviewerReply? {
        get { self.laterBox?.value.reply }
        set { self.changeLater { $0.reply = newValue } }
    }

    public var openedAt: UnixSeconds? {
        get { self.laterBox?.value.openedAt }
        set { self.changeLater { $0.openedAt = newValue } }
    }

    /// When the request last reached declined, withdrawn or expired.
    public var closedAt: UnixSeconds? {
        get { self.laterBox?.value.closedAt }
        set { self.changeLater { $0.closedAt = newValue } }
    }

    /// When the reply's details were erased (the reply keeps only its time), and why.
    public var replyErasedAt: UnixSeconds? {
        get { self.laterBox?.value.replyErasedAt }
        set { self.changeLater { $0.replyErasedAt = newValue } }
    }

    public var replyErasure: ReplyErasure? {
        get { self.laterBox?.value.replyErasure }
        set { self.changeLater { $0.replyErasure = newValue } }
    }

    /// When the reviewer's personal data was erased: the token is gone and no email reaches them.
    public var reviewerErasedAt: UnixSeconds? {
        get { self.laterBox?.value.reviewerErasedAt }
        set { self.changeLater { $0.reviewerErasedAt = newValue } }
    }

    /// The business's own words, shown to the reviewer verbatim.
    public var message: String {
        get { self.messageText.string }
        set { self.messageText = StoredText(newValue) }
    }

    /// Sets the message, packed in `arena` (a restore's, whose chunks the state keeps).
    public mutating func pack(message: String, in arena: inout TextArena) { self.messageText = arena.store(message) }

    /// Whether a reply arrived whose details are still kept.
    public var hasRetainedReply: Bool { self.reply != nil && self.replyErasedAt == nil }

    private mutating func changeLater(_ body: (inout Later) -> Void) {
        var later = self.laterBox?.value ?? Later()
        body(&later)
        self.laterBox = later == Later() ? nil : Box(later)
    }

    /// True while the reviewer can still answer at `now`: pending and before the deadline.
    public func acceptsReply(at now: UnixSeconds) -> Bool {
        self.status == .pending && now < self.deadline
    }

    public static func == (lhs: InfoRequest, rhs: InfoRequest) -> Bool {
        lhs.id == rhs.id && lhs.businessId == rhs.businessId && lhs.reviewId == rhs.reviewId && lhs.reviewerId == rhs.reviewerId
            && lhs.messageText == rhs.messageText && lhs.referenceLabel == rhs.referenceLabel && lhs.storedToken == rhs.storedToken
            && lhs.createdAt == rhs.createdAt && lhs.windowStart == rhs.windowStart && lhs.deadline == rhs.deadline
            && lhs.laterBox?.value == rhs.laterBox?.value && lhs.timeline == rhs.timeline
            && lhs.automaticReminderTime == rhs.automaticReminderTime && lhs.status == rhs.status && lhs.fieldBits == rhs.fieldBits
            && lhs.skipBusinessEmails == rhs.skipBusinessEmails
    }
}

/// A reviewer's wish not to be contacted by one business again (BlockBusiness). While it stands,
/// the business cannot create requests for the reviewer's reviews or send manual reminders.
public struct ReviewerBlock: Sendable, Equatable {
    public var reviewerId: String
    public var businessId: String
    public var blockedAt: UnixSeconds
    /// The request whose link the reviewer used; its emails and link serve to lift the block.
    public var requestId: String

    /// Creates a block.
    public init(reviewerId: String, businessId: String, blockedAt: UnixSeconds, requestId: String) {
        self.reviewerId = reviewerId
        self.businessId = businessId
        self.blockedAt = blockedAt
        self.requestId = requestId
    }
}

/// A report of a review by its business. The review stays online.
public struct Report: Sendable, Equatable, TableRow {
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
