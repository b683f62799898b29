/// What an erasure left, for the admin's answer (EraseReviewer).
public struct ErasureSummary: Sendable, Equatable {
    /// The reviewer's reviews (now stubs).
    public var reviews: Int
    /// The requests about those reviews to the reviewer.
    public var requests: Int
    /// Emails to the reviewer that were cancelled before delivery.
    public var emailsCancelled: Int
}

extension DomainState {
    /// Counts what ``DomainCommand/eraseReviewer(reviewerId:found:)`` touched: the reviews
    /// `found` lists plus any published since, their requests, and the reviewer's cancelled
    /// emails. One pass over the outbox: run it on a copy, off the server's lock.
    public func erasureSummary(_ found: ReviewsOfReviewer) -> ErasureSummary {
        let reviewerId = found.reviewerId
        let rows = found.rows + self.reviews.rows(from: found.scannedCount) { $0.reviewerId == reviewerId }
        var requests = 0
        for row in rows where Int(row) < self.reviewLinks.count {
            requests += self.reviewLinks[Int(row)].requests.filter { self.requests[row: $0].reviewerId == reviewerId }.count
        }
        let cancelled = self.outboxEntryIds(ofReviewer: reviewerId).filter { self.outbox[$0]?.cancelledAt != nil }.count
        return ErasureSummary(reviews: rows.count, requests: requests, emailsCancelled: cancelled)
    }
}
