/// What a key may do (DESIGN.md §6).
public enum Role: String, Sendable, CaseIterable, Codable {
    /// Operators and the CLI: every method.
    case admin
    /// Acts for business users; may be limited to listed business ids.
    case businessPortal = "business-portal"
    /// Acts for reviewers (by reply token) and shows public review pages.
    case consumerSite = "consumer-site"
    /// Feeds businesses, reviewers and reviews.
    case reviewsIngest = "reviews-ingest"
}
