/// A command or query the rules refuse, with a code that maps to one RPC status.
public struct DomainError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of refusal this is; the server maps each to a gRPC status code in one place.
    public enum Code: String, Sendable, Equatable {
        /// Input breaks a documented rule (INVALID_ARGUMENT); `field` names it.
        case invalidArgument
        /// No such thing, or it belongs to another business (NOT_FOUND).
        case notFound
        /// The state does not allow it now (FAILED_PRECONDITION); `reason` says why.
        case failedPrecondition
        /// It exists already (ALREADY_EXISTS).
        case alreadyExists
        /// A quota is used up for now (RESOURCE_EXHAUSTED); `reason` says which, `retryAt` when
        /// the call can succeed again.
        case resourceExhausted
    }

    /// Machine-readable reasons for `failedPrecondition`.
    public enum Reason: String, Sendable, Equatable, CaseIterable {
        case platformInvitedReview = "PLATFORM_INVITED_REVIEW"
        case introductionNotAcknowledged = "INTRODUCTION_NOT_ACKNOWLEDGED"
        case requestAlreadyOpen = "REQUEST_ALREADY_OPEN"
        case findReviewerTryRequired = "FIND_REVIEWER_TRY_REQUIRED"
        case wrongStatus = "WRONG_STATUS"
        case replyWindowClosed = "REPLY_WINDOW_CLOSED"
        case manualReminderUsed = "MANUAL_REMINDER_ALREADY_USED"
        case replyNotAvailable = "REPLY_NOT_AVAILABLE"
        /// The reviewer does not want to be contacted by this business, or their data was erased.
        /// Deliberately one reason for both, and nothing more is said.
        case reviewerNotContactable = "REVIEWER_NOT_CONTACTABLE"
        /// The reviewer was erased: the pipeline cannot bring the id (or its reviews) back.
        case reviewerErased = "REVIEWER_ERASED"
        /// For `resourceExhausted`: the business's fair-use limit of requests per 24 hours.
        case requestLimitReached = "REQUEST_LIMIT_REACHED"
        /// The business is moving to another shard (exported, not yet forgotten): writes wait.
        case businessMoving = "BUSINESS_MOVING"
        /// `ForgetBusiness` of a business that was not exported (not moving).
        case businessNotMoving = "BUSINESS_NOT_MOVING"
    }

    public var code: Code
    /// What went wrong, with which input, and what to do.
    public var message: String
    /// The input field at fault (lowerCamelCase), for `invalidArgument`.
    public var field: String?
    /// Why, for `failedPrecondition`.
    public var reason: Reason?
    /// Longer text for the caller to show, e.g. the introduction to acknowledge. For
    /// `REQUEST_LIMIT_REACHED`, exactly `retryAt` in decimal Unix seconds (a program reads it).
    public var detail: String?
    /// When the refused call can succeed again (`resourceExhausted`).
    public var retryAt: UnixSeconds?

    /// Creates an error.
    public init(
        _ code: Code, _ message: String, field: String? = nil, reason: Reason? = nil, detail: String? = nil, retryAt: UnixSeconds? = nil
    ) {
        self.code = code
        self.message = message
        self.field = field
        self.reason = reason
        self.detail = detail
        self.retryAt = retryAt
    }

    /// `code: message`.
    public var description: String { "\(self.code.rawValue): \(self.message)" }

    static func invalid(_ field: String, _ message: String) -> DomainError {
        DomainError(.invalidArgument, "\(field): \(message)", field: field)
    }

    static func notFound(_ what: String, _ id: String) -> DomainError {
        DomainError(.notFound, "no \(what) with id \"\(id)\"")
    }

    static func precondition(_ reason: Reason, _ message: String, detail: String? = nil) -> DomainError {
        DomainError(.failedPrecondition, message, reason: reason, detail: detail)
    }

    /// REVIEWER_NOT_CONTACTABLE: the same words whether the reviewer blocked the business or was
    /// erased, so the business learns nothing more.
    static let notContactable = DomainError.precondition(
        .reviewerNotContactable, "the author of this review cannot be contacted through Find Reviewer")
}
