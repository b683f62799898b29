/// The kinds of email the workflow sends (DESIGN.md §3).
public enum NotificationKind: String, Sendable, Codable, CaseIterable {
    /// To the reviewer: the business's request and the reply link.
    case requestToReviewer
    /// To the reviewer, 72 h into the first window.
    case automaticReminder
    /// To the reviewer, when the business reopens an expired request.
    case manualReminder
    /// To the business: the reviewer answered.
    case replyReceived
    /// To the business: the reviewer declined.
    case declined
    /// To the business: the window closed without an answer.
    case expired
    /// To the reviewer: confirms they will not be contacted by the business again, with the link to lift it.
    case businessBlocked
    /// To the reviewer: the business may contact them again.
    case businessUnblocked

    /// Whether the reviewer (rather than the business) receives it.
    public var isForReviewer: Bool {
        switch self {
        case .requestToReviewer, .automaticReminder, .manualReminder, .businessBlocked, .businessUnblocked: return true
        case .replyReceived, .declined, .expired: return false
        }
    }
}

/// An email the state owes someone; written in the same step as the transition it reports.
public struct OutboxEntry: Sendable, Equatable, TableRow {
    /// Stable id (also the email's Message-ID), assigned when the transition happens.
    public var id: String
    public var requestId: String
    public var createdAt: UnixSeconds
    /// When the entry was delivered or cancelled; 0 while it is pending (the clock never reads
    /// 0): 8 bytes instead of an optional's 16, so that an entry is 56 bytes.
    private var closedTime: UnixSeconds
    public var kind: NotificationKind
    /// Whether `closedTime` is a cancellation rather than a delivery.
    private var cancelled: Bool

    /// Creates an entry (a cancellation wins over a delivery: an entry is one or the other).
    public init(
        id: String, kind: NotificationKind, requestId: String, createdAt: UnixSeconds, deliveredAt: UnixSeconds? = nil,
        cancelledAt: UnixSeconds? = nil
    ) {
        self.id = id
        self.kind = kind
        self.cancelled = cancelledAt != nil
        self.requestId = requestId
        self.createdAt = createdAt
        self.closedTime = cancelledAt ?? deliveredAt ?? 0
    }

    /// When the entry was delivered or cancelled, if it was.
    private var closedAt: UnixSeconds? { self.closedTime == 0 ? nil : self.closedTime }

    /// Set once a transport accepted the email.
    public var deliveredAt: UnixSeconds? {
        get { self.cancelled ? nil : self.closedAt }
        set {
            self.closedTime = newValue ?? 0
            self.cancelled = false
        }
    }

    /// Set when the email was dropped before delivery (its recipient, a reviewer, was erased);
    /// it is then never sent.
    public var cancelledAt: UnixSeconds? {
        get { self.cancelled ? self.closedAt : nil }
        set {
            self.closedTime = newValue ?? 0
            self.cancelled = newValue != nil
        }
    }

    /// Still to be sent: neither delivered nor cancelled.
    public var isPending: Bool { self.closedTime == 0 }
}
