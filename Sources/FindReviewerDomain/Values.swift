/// Seconds since the Unix epoch. The domain never reads a clock: time is always passed in.
public typealias UnixSeconds = Int64

/// Durations of the Find Reviewer workflow (DESIGN.md §2).
public enum Schedule {
    /// The automatic reminder is due 3 days (72 h) into the first window.
    public static let automaticReminderAfter: UnixSeconds = 72 * 3_600
    /// A window closes 5 days (120 h) after it opened.
    public static let replyWindow: UnixSeconds = 120 * 3_600
}

/// A business's subscription; Find Reviewer is in both.
public enum Plan: String, Sendable, Codable, CaseIterable {
    case free, paid
}

/// How a review came to be written.
public enum ReviewSource: String, Sendable, Codable, CaseIterable {
    /// Written on the reviewer's own initiative.
    case organic
    /// Invited by the business itself or a third-party system.
    case businessInvitation
    /// Invited through the platform's own invitation system.
    case platformInvitation

    /// Only organic and business-invited reviews can get an information request.
    public var isEligibleForFindReviewer: Bool { self != .platformInvitation }
}

/// A detail a business may ask the reviewer for.
public enum RequestedField: String, Sendable, Codable, CaseIterable, Comparable {
    case email, referenceNumber, fullName, phone

    /// Declaration order, so field lists print the same way everywhere.
    public static func < (lhs: RequestedField, rhs: RequestedField) -> Bool { lhs.ordinal < rhs.ordinal }

    /// The position in declaration order.
    public var ordinal: Int {
        switch self {
        case .email: return 0
        case .referenceNumber: return 1
        case .fullName: return 2
        case .phone: return 3
        }
    }
}

/// Where an information request stands.
public enum RequestStatus: String, Sendable, Codable, CaseIterable {
    case pending, answered, declined, withdrawn, expired

    /// Whether the request counts as "tried" for a not-genuine report (DESIGN.md §2).
    public var countsAsFindReviewerTry: Bool { self == .answered || self == .declined || self == .expired }
}

/// Why a business reports a review.
public enum ReportReason: String, Sendable, Codable, CaseIterable {
    case harmfulOrIllegal, personalInformation, advertisingOrPromotional, notGenuineExperience, differentBusiness
}

/// What happened to a request, as its timeline shows.
public enum TimelineKind: String, Sendable, Codable, CaseIterable {
    case created, automaticReminderSent, answered, replyOpened, declined, withdrawn, expired, manualReminderSent
}

/// The languages emails and texts exist in.
public enum Language: String, Sendable, Codable, CaseIterable {
    case en, sv, de

    /// `sv`, `sv-SE`, `SV_se` → Swedish; anything unknown → English.
    public init(locale: String) {
        let prefix = locale.prefix(2).lowercased()
        self = Language(rawValue: prefix) ?? .en
    }
}
