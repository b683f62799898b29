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
    /// The id, packed in the state's arena once stored (ids are ASCII: see ``Validation``), and
    /// shared by the review's requests.
    var storedID: StoredText
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

    public var id: String {
        get { self.storedID.string }
        set { self.storedID = StoredText(newValue) }
    }

    public func withID<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R { try self.storedID.withUTF8(body) }

    /// Sets the id, packed in `arena` (a restore's, whose chunks the state keeps).
    public mutating func pack(id: String, in arena: inout TextArena) { self.storedID = arena.store(id) }

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
        self.storedID = StoredText(id)
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
        lhs.storedID == rhs.storedID && lhs.businessId == rhs.businessId && lhs.reviewerId == rhs.reviewerId && lhs.rating == rhs.rating
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
/// Laid out for a million of them in memory (168 bytes inline): the requested fields are a bit
/// set, the timeline's first entry (created at `createdAt`) is implied, the window, the deadline
/// and the automatic reminder are 4-byte offsets from the creation time, and what only later
/// steps set (the reply, the manual reminder, opening, closing, the timeline's later entries)
/// lives in one shared box that fresh requests do not have.
public struct InfoRequest: Sendable, Equatable, TableRow {
    public var id: String
    public var businessId: String
    /// The review's id, sharing the review's own (see ``Review``).
    var reviewIdText: StoredText
    public var reviewerId: String
    /// The business's own words, packed in the state's arena once stored (see ``StoredText``).
    var messageText: StoredText
    /// The business's name for the reference number ("Booking number"); empty for the default.
    public var referenceLabel: String
    private var creation: UnixSeconds
    private var laterBox: Box<Later>?
    /// ``windowStart``, ``deadline`` and ``automaticReminderAt`` as seconds after the creation
    /// (a wall clock stepped back makes one negative); ``outOfRange`` when the time is too far
    /// from it for 31 bits, and then kept whole in the box.
    private var windowOffset: Int32
    private var deadlineOffset: Int32
    /// ``noReminder`` before the automatic reminder went out.
    private var reminderOffset: Int32
    public var status: RequestStatus
    private var fieldBits: UInt8
    /// Whether the timeline starts with the implied "created at createdAt" entry.
    private var impliedCreation: Bool
    /// The business asked for no emails about this request (`skip_business_notification_email`);
    /// the timeline and the views still show everything.
    public var skipBusinessEmails: Bool
    /// The reviewer's reply token, compactly (see ``StoredToken``): 40 bytes, last, so that the
    /// request is 168 bytes with no padding.
    var storedToken: StoredToken

    private static let outOfRange = Int32.min
    private static let noReminder = Int32.min + 1

    /// The parts set by later steps.
    private struct Later: Sendable, Equatable {
        /// Timeline entries after the first.
        var steps: [TimelineEntry] = []
        /// The times whose offsets are ``InfoRequest/outOfRange``.
        var exactWindowStart: UnixSeconds?
        var exactDeadline: UnixSeconds?
        var exactReminder: UnixSeconds?
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
        self.reviewIdText = StoredText(reviewId)
        self.reviewerId = reviewerId
        self.messageText = StoredText(message)
        self.referenceLabel = referenceLabel
        self.storedToken = StoredToken(token)
        self.creation = createdAt
        self.laterBox = nil
        self.windowOffset = 0
        self.deadlineOffset = 0
        self.reminderOffset = Self.noReminder
        self.status = status
        self.fieldBits = 0
        self.impliedCreation = false
        self.skipBusinessEmails = skipBusinessEmails
        self.requestedFields = requestedFields
        self.changeLater {
            $0 = Later(
                manualReminderAt: manualReminderAt, reply: reply, openedAt: openedAt, closedAt: closedAt, replyErasedAt: replyErasedAt,
                replyErasure: replyErasure, reviewerErasedAt: reviewerErasedAt)
        }
        self.timeline = timeline
        self.windowStart = windowStart
        self.deadline = deadline
        self.automaticReminderAt = automaticReminderAt
    }

    public var createdAt: UnixSeconds {
        get { self.creation }
        set {
            // The other times keep their values: their offsets move.
            let (windowStart, deadline, reminder) = (self.windowStart, self.deadline, self.automaticReminderAt)
            self.creation = newValue
            (self.windowStart, self.deadline, self.automaticReminderAt) = (windowStart, deadline, reminder)
        }
    }

    /// Start of the current reply window (creation, or the manual reminder).
    public var windowStart: UnixSeconds {
        get { self.time(self.windowOffset, exact: \.exactWindowStart) }
        set { self.windowOffset = self.offset(of: newValue, exact: \.exactWindowStart) }
    }

    /// End of the current reply window.
    public var deadline: UnixSeconds {
        get { self.time(self.deadlineOffset, exact: \.exactDeadline) }
        set { self.deadlineOffset = self.offset(of: newValue, exact: \.exactDeadline) }
    }

    /// When the automatic reminder went out (72 h into the first window), if it did.
    public var automaticReminderAt: UnixSeconds? {
        get { self.reminderOffset == Self.noReminder ? nil : self.time(self.reminderOffset, exact: \.exactReminder) }
        set {
            guard let newValue else {
                if self.laterBox?.value.exactReminder != nil { self.changeLater { $0.exactReminder = nil } }
                self.reminderOffset = Self.noReminder
                return
            }
            self.reminderOffset = self.offset(of: newValue, exact: \.exactReminder)
        }
    }

    private func time(_ offset: Int32, exact: KeyPath<Later, UnixSeconds?>) -> UnixSeconds {
        offset == Self.outOfRange ? self.laterBox?.value[keyPath: exact] ?? 0 : self.creation &+ UnixSeconds(offset)
    }

    /// The offset that stands for `time`, keeping it whole in the box when it is out of range.
    private mutating func offset(of time: UnixSeconds, exact: WritableKeyPath<Later, UnixSeconds?>) -> Int32 {
        let (difference, overflow) = time.subtractingReportingOverflow(self.creation)
        let fits = !overflow && difference > UnixSeconds(Self.noReminder) && difference <= UnixSeconds(Int32.max)
        if !fits || self.laterBox?.value[keyPath: exact] != nil { self.changeLater { $0[keyPath: exact] = fits ? nil : time } }
        return fits ? Int32(difference) : Self.outOfRange
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
        get {
            let steps = self.laterBox?.value.steps ?? []
            return self.impliedCreation ? [TimelineEntry(at: self.createdAt, kind: .created)] + steps : steps
        }
        set {
            self.impliedCreation = newValue.first == TimelineEntry(at: self.createdAt, kind: .created)
            let steps = self.impliedCreation ? Array(newValue.dropFirst()) : newValue
            self.changeLater { $0.steps = steps }
        }
    }

    /// Adds a step at the end of the timeline.
    public mutating func record(_ entry: TimelineEntry) { self.changeLater { $0.steps.append(entry) } }

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

    public var reviewId: String {
        get { self.reviewIdText.string }
        set { self.reviewIdText = StoredText(newValue) }
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
        lhs.id == rhs.id && lhs.businessId == rhs.businessId && lhs.reviewIdText == rhs.reviewIdText && lhs.reviewerId == rhs.reviewerId
            && lhs.messageText == rhs.messageText && lhs.referenceLabel == rhs.referenceLabel && lhs.storedToken == rhs.storedToken
            && lhs.createdAt == rhs.createdAt && lhs.windowStart == rhs.windowStart && lhs.deadline == rhs.deadline
            && lhs.laterBox?.value == rhs.laterBox?.value && lhs.timeline == rhs.timeline
            && lhs.automaticReminderAt == rhs.automaticReminderAt && lhs.status == rhs.status && lhs.fieldBits == rhs.fieldBits
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
