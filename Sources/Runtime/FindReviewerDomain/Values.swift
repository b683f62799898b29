/// Seconds since the Unix epoch. The domain never reads a clock: time is always passed in.
public typealias UnixSeconds = Int64

/// Durations of the Find Reviewer workflow (DESIGN.md §2).
public enum Schedule {
    /// The automatic reminder is due 3 days (72 h) into the first window.
    public static let automaticReminderAfter: UnixSeconds = 72 * 3_600
    /// A window closes 5 days (120 h) after it opened.
    public static let replyWindow: UnixSeconds = 120 * 3_600
    /// Fair use counts the requests a business created in the last 24 h (DESIGN.md §9).
    public static let fairUseWindow: UnixSeconds = 24 * 3_600
    /// One day, for settings given in days.
    public static let day: UnixSeconds = 24 * 3_600
}

/// The operator's settings the rules depend on (DESIGN.md §9). Not part of the data: the server
/// passes them in from its configuration when it builds or restores a state, and the same
/// events give the same state under the same settings.
public struct DomainSettings: Sendable, Equatable {
    /// How long after a request was answered the details the reviewer shared are erased.
    public var replyRetention: UnixSeconds
    /// Requests a business on the free plan may create in any 24 hours.
    public var maxRequestsPerDayFree: Int
    /// Requests a business on the paid plan may create in any 24 hours.
    public var maxRequestsPerDayPaid: Int

    /// 90 days; 200 and 2,000 requests a day: limits no honest business reaches.
    public static let defaultReplyRetention: UnixSeconds = 90 * Schedule.day
    public static let defaultMaxRequestsPerDayFree = 200
    public static let defaultMaxRequestsPerDayPaid = 2_000

    /// Settings; the defaults are those of the server's flags. Each value must be at least 1.
    public init(
        replyRetention: UnixSeconds = Self.defaultReplyRetention, maxRequestsPerDayFree: Int = Self.defaultMaxRequestsPerDayFree,
        maxRequestsPerDayPaid: Int = Self.defaultMaxRequestsPerDayPaid
    ) {
        precondition(replyRetention >= 1 && maxRequestsPerDayFree >= 1 && maxRequestsPerDayPaid >= 1, "settings must be at least 1")
        self.replyRetention = replyRetention
        self.maxRequestsPerDayFree = maxRequestsPerDayFree
        self.maxRequestsPerDayPaid = maxRequestsPerDayPaid
    }

    /// The fair-use limit of a plan.
    public func maxRequestsPerDay(_ plan: Plan) -> Int {
        plan == .paid ? self.maxRequestsPerDayPaid : self.maxRequestsPerDayFree
    }
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

    /// Every set of fields as a list in declaration order, by its bits (1 << ordinal): a
    /// request's fields are read without building a new array each time.
    static let lists: [[RequestedField]] = (0..<(1 << allCases.count)).map { bits in
        allCases.filter { bits & (1 << $0.ordinal) != 0 }
    }

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
    /// The details the reviewer shared were erased at the end of the retention period.
    case replyDetailsErased
    /// An admin erased the reviewer's personal data (EraseReviewer).
    case reviewerErased
}

/// Why the details of a reply are gone.
public enum ReplyErasure: String, Sendable, Codable, CaseIterable {
    /// The retention period after the answer ended (``DomainSettings/replyRetention``).
    case retentionPeriod
    /// The reviewer's personal data was erased.
    case reviewerErased
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
