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
    }

    public var code: Code
    /// What went wrong, with which input, and what to do.
    public var message: String
    /// The input field at fault (lowerCamelCase), for `invalidArgument`.
    public var field: String?
    /// Why, for `failedPrecondition`.
    public var reason: Reason?
    /// Longer text for the caller to show, e.g. the introduction to acknowledge.
    public var detail: String?

    /// Creates an error.
    public init(_ code: Code, _ message: String, field: String? = nil, reason: Reason? = nil, detail: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
        self.reason = reason
        self.detail = detail
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
}
