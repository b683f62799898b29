import ToolSupport

/// The commands of `findreviewer`, by area; each area is in its own `Commands+Area.swift`.
public enum Commands {
    /// `--json`, for every command that prints an answer.
    static let json = OptionSpec.flag("json", "Print the answer as one JSON object (proto3 JSON, every field) instead of a table.")
    /// `--business ID`: the business a portal command acts for.
    static let business = OptionSpec.value("business", "ID", "The business acting (its id).", required: true)
    /// Paging of list commands.
    static let paging: [OptionSpec] = [
        .value("page-size", "N", "At most N items (default 50, at most 500)."),
        .value("page-token", "TOKEN", "Continue after the previous page (its output shows the token)."),
    ]

    static let reviewFlags = ["reviewId": "REVIEW-ID", "businessId": "--business"]
    static let requestFlags = ["requestId": "REQUEST-ID", "businessId": "--business"]
}
