/// Every query checks its fields (ids, page size and token) before it looks anything up, as
/// ``DomainState/execute(_:now:)`` does: an id of the wrong shape is INVALID_ARGUMENT naming
/// the field, a well-formed one that names nothing NOT_FOUND.
extension DomainState {
    /// The business, or NOT_FOUND.
    public func getBusiness(_ id: String) throws(DomainError) -> Business {
        try Validation.id(id, field: "businessId")
        return try self.business(id)
    }

    /// The reviewer, or NOT_FOUND (ingest and admin only: it carries the private email). An
    /// erased reviewer is a stub: the id and `erasedAt`.
    public func getReviewer(_ id: String) throws(DomainError) -> Reviewer {
        try Validation.id(id, field: "reviewerId")
        guard let reviewer = self.reviewers[id] else { throw .notFound("reviewer", id) }
        return reviewer
    }

    /// The businesses a reviewer blocked, oldest block first, a page at a time (admin: support
    /// lifting a block for the reviewer).
    public func listBlocks(reviewerId: String, pageSize: Int = 0, pageToken: String = "") throws(DomainError) -> Page<BlockedBusinessView> {
        try Validation.id(reviewerId, field: "reviewerId")
        try Self.validatePaging(pageSize: pageSize, pageToken: pageToken)
        _ = try self.getReviewer(reviewerId)
        let blocks = self.blocks[reviewerId] ?? []
        return try Self.page(blocks.map(\.businessId), pageSize: pageSize, pageToken: pageToken) { businessId in
            let block = blocks.first { $0.businessId == businessId }!
            return BlockedBusinessView(
                businessId: businessId, businessDisplayName: self.businesses[businessId]?.displayName ?? "", blockedAt: block.blockedAt)
        }
    }

    /// The reviewer's reviews, for ``DomainCommand/eraseReviewer(reviewerId:found:)``: one pass
    /// over every review (about 55 ms at 1,000,000 reviews, release build), so the server runs it
    /// on a copy of the state outside its lock.
    public func reviewsOfReviewer(_ reviewerId: String) -> ReviewsOfReviewer {
        ReviewsOfReviewer(
            reviewerId: reviewerId, rows: self.reviews.rows { $0.reviewerId == reviewerId }, scannedCount: self.reviews.count)
    }

    /// Every outbox entry about the reviewer's requests, delivered or not: after an erasure,
    /// the emails whose files (`<id>.eml`) still hold their data. One pass over the outbox (an
    /// admin call; no index by reviewer).
    public func outboxEntryIds(ofReviewer reviewerId: String) -> [String] {
        var ids: [String] = []
        for row in 0..<self.outbox.count {
            let entry = self.outbox[row: Row(row)]
            if let request = self.requests[entry.requestId], request.reviewerId == reviewerId { ids.append(entry.id) }
        }
        return ids
    }

    /// Businesses by id, a page at a time.
    public func listBusinesses(pageSize: Int, pageToken: String) throws(DomainError) -> Page<Business> {
        try Self.validatePaging(pageSize: pageSize, pageToken: pageToken)
        let ids = self.businesses.values.map(\.id).sorted()
        return try Self.page(ids, pageSize: pageSize, pageToken: pageToken) { self.businesses[$0]! }
    }

    /// Whether and when the business acknowledged the introduction, and its text.
    public func introduction(businessId: String) throws(DomainError) -> (acknowledgedAt: UnixSeconds?, text: String) {
        try Validation.id(businessId, field: "businessId")
        let business = try self.business(businessId)
        return (business.introAcknowledgedAt, Introduction.text(business.language))
    }

    /// One of the business's requests as the business sees it.
    public func businessView(requestId: String, businessId: String) throws(DomainError) -> BusinessRequestView {
        try Self.validateIds(businessId: businessId, requestId: requestId)
        return self.view(of: try self.request(requestId, of: businessId))
    }

    /// The business's requests, newest first, filtered, a page at a time; with counts by status
    /// over all of the business's requests. Costs the page plus the requests its filter skips,
    /// not the business's whole list: the counts are kept up to date by `apply`, and the page
    /// token leads straight to where the previous page ended.
    public func listRequests(
        businessId: String, statuses: Set<RequestStatus> = [], reviewId: String = "", pageSize: Int = 0, pageToken: String = ""
    ) throws(DomainError) -> (page: Page<BusinessRequestView>, counts: [RequestStatus: Int]) {
        try self.listRequests(
            businessId: businessId, statuses: statuses, reviewId: reviewId, pageSize: pageSize, pageToken: pageToken) { $0 }
    }

    /// ``listRequests(businessId:statuses:reviewId:pageSize:pageToken:)`` with each view turned
    /// into an item by `item` as it is built (an answer's message: the view's strings move into
    /// it instead of being copied out of a page of views).
    public func listRequests<Item>(
        businessId: String, statuses: Set<RequestStatus> = [], reviewId: String = "", pageSize: Int = 0, pageToken: String = "",
        item: (consuming BusinessRequestView) -> Item
    ) throws(DomainError) -> (page: Page<Item>, counts: [RequestStatus: Int]) {
        try Self.validateIds(businessId: businessId, reviewId: reviewId.isEmpty ? nil : reviewId)
        try Self.validatePaging(pageSize: pageSize, pageToken: pageToken)
        guard let language = self.businesses.lookup(businessId, { $0.language }) else { throw .notFound("business", businessId) }
        let counts = self.requestStatusCounts[businessId] ?? [:]
        let wanted = { (row: Row) in statuses.isEmpty || statuses.contains(self.requests[row: row].status) }
        func page<Rows: RandomAccessCollection<Row>>(_ rows: Rows, _ total: Int) throws(DomainError) -> Page<Item>
        where Rows.Index == Int {
            let (items, next) = try Self.pageRows(
                rows, pageSize: pageSize, pageToken: pageToken, row: { self.requests.row(of: $0) }, id: { self.requests[row: $0].id },
                matches: wanted, item: { item(self.view(of: self.requests[row: $0], language: language)) })
            return Page(items: items, nextPageToken: next, totalMatching: total)
        }
        if reviewId.isEmpty {
            let rows = self.requestsByBusiness[businessId] ?? []
            let total = statuses.isEmpty ? rows.count : statuses.reduce(0) { $0 + counts[$1, default: 0] }
            return (try page(rows, total), counts)
        }
        // The review's requests: a few, in creation order.
        let ofReview = self.requestRows(ofReview: reviewId).filter { self.requests[row: $0].businessId == businessId }
        return (try page(ofReview, ofReview.count(where: wanted)), counts)
    }

    /// A request's timeline, oldest first.
    public func timeline(requestId: String, businessId: String) throws(DomainError) -> [TimelineEntry] {
        try Self.validateIds(businessId: businessId, requestId: requestId)
        return try self.request(requestId, of: businessId).timeline
    }

    /// One of the business's reviews with its Find Reviewer status.
    public func businessView(reviewId: String, businessId: String) throws(DomainError) -> BusinessReviewView {
        try Self.validateIds(businessId: businessId, reviewId: reviewId)
        try self.requireBusiness(businessId)
        // Read in place (no copy of the review), its row from the caller's id.
        guard let row = self.reviews.row(of: reviewId), self.reviews[row: row].businessId == businessId else {
            throw .notFound("review", reviewId)
        }
        return self.view(of: self.reviews[row: row], row: row)
    }

    /// The business's reviews, newest first, filtered, a page at a time (the page plus the
    /// reviews its filter skips; `totalMatching` is not counted: nil).
    public func listReviews(
        businessId: String, filter: ReviewFilter = ReviewFilter(), pageSize: Int = 0, pageToken: String = ""
    ) throws(DomainError) -> Page<BusinessReviewView> {
        try self.listReviews(businessId: businessId, filter: filter, pageSize: pageSize, pageToken: pageToken) { $0 }
    }

    /// ``listReviews(businessId:filter:pageSize:pageToken:)`` with each view turned into an item
    /// by `item` as it is built (see ``listRequests(businessId:statuses:reviewId:pageSize:pageToken:item:)``).
    public func listReviews<Item>(
        businessId: String, filter: ReviewFilter = ReviewFilter(), pageSize: Int = 0, pageToken: String = "",
        item: (consuming BusinessReviewView) -> Item
    ) throws(DomainError) -> Page<Item> {
        try Validation.id(businessId, field: "businessId")
        try Self.validatePaging(pageSize: pageSize, pageToken: pageToken)
        try self.requireBusiness(businessId)
        let matches = { (row: Row) -> Bool in
            if filter.eligibleOnly && !self.reviews[row: row].source.isEligibleForFindReviewer { return false }
            let latest = self.reviewLinks[Int(row)].latest
            switch filter.contact {
            case .any: break
            case .contacted: if latest == nil { return false }
            case .notContacted: if latest != nil { return false }
            }
            if !filter.statuses.isEmpty {
                guard let latest, filter.statuses.contains(self.requests[row: latest].status) else { return false }
            }
            return true
        }
        let (items, next) = try Self.pageRows(
            self.reviewsByBusiness[businessId] ?? [], pageSize: pageSize, pageToken: pageToken,
            row: { self.reviews.row(of: $0) }, id: { self.reviews[row: $0].id }, matches: matches,
            item: { item(self.view(of: self.reviews[row: $0], row: $0)) })
        return Page(items: items, nextPageToken: next, totalMatching: nil)
    }

    /// The business's reports, newest first, optionally of one review.
    public func listReports(businessId: String, reviewId: String = "", pageSize: Int = 0, pageToken: String = "")
        throws(DomainError) -> Page<Report>
    {
        try Self.validateIds(businessId: businessId, reviewId: reviewId.isEmpty ? nil : reviewId)
        try Self.validatePaging(pageSize: pageSize, pageToken: pageToken)
        try self.requireBusiness(businessId)
        let matches = { (row: Row) in reviewId.isEmpty || self.reports[row: row].reviewId == reviewId }
        let (items, next) = try Self.pageRows(
            self.reportsByBusiness[businessId] ?? [], pageSize: pageSize, pageToken: pageToken, row: { self.reports.row(of: $0) }, id: { self.reports[row: $0].id },
            matches: matches, item: { self.reports[row: $0] })
        return Page(items: items, nextPageToken: next, totalMatching: nil)
    }

    /// The public page of a review: never an email, a token or reply content. A review whose
    /// reviewer was erased is a stub without its text, and has no public page (NOT_FOUND).
    public func publicView(reviewId: String) throws(DomainError) -> PublicReviewView {
        try Validation.id(reviewId, field: "reviewId")
        guard let row = self.reviews.row(of: reviewId),
            self.reviewers.lookup(self.reviews[row: row].reviewerId, { $0.erasedAt == nil }) ?? true
        else { throw .notFound("review", reviewId) }
        // Read in place; the id is the caller's (the same bytes), not a string built from the packed one.
        let review = self.reviews[row: row]
        return PublicReviewView(
            reviewId: reviewId, businessId: review.businessId,
            businessDisplayName: self.businesses.lookup(review.businessId) { $0.displayName } ?? "",
            reviewerDisplayName: self.reviewers.lookup(review.reviewerId) { $0.displayName } ?? "", rating: review.rating,
            title: review.title, text: review.text, experienceDate: review.experienceDate, createdAt: review.createdAt,
            reviewerContacted: !self.reviewLinks[Int(row)].isEmpty,
            publicReply: review.publicReply)
    }

    /// The request behind a reply link. A withdrawn request's link no longer works (NOT_FOUND);
    /// other statuses are shown so the page can say "already answered" or "expired".
    public func reviewerView(token: String) throws(DomainError) -> ReviewerRequestView {
        let request = try self.linkedRequest(token: token)
        let business = self.businesses[request.businessId]?.displayName ?? ""
        let blocked = self.block(businessId: request.businessId, reviewerId: request.reviewerId) != nil
        let retainedUntil = self.replyErasureDue(request)
        let language = self.reviewers[request.reviewerId]?.language ?? .en
        return ReviewerRequestView(
            requestId: request.id, businessDisplayName: business,
            message: request.message, requestedFields: request.requestedFields, referenceLabel: request.referenceLabel,
            deadline: request.deadline, status: request.status, reviewTitle: self.reviews[request.reviewId]?.title ?? "",
            businessBlocked: blocked, replyRetainedUntil: retainedUntil, replyErasedAt: request.replyErasedAt,
            notice: ViewTexts.reviewerNotice(request, business: business, blocked: blocked, retainedUntil: retainedUntil, language))
    }

    /// The request an idempotency key already created for the business, if any.
    public func request(idempotencyKey: String, businessId: String) -> InfoRequest? {
        self.idempotency[Self.idempotencyIndex(businessId, idempotencyKey)].map { self.requests[row: $0] }
    }

    /// The request with this id, whoever owns it (for the server's own bookkeeping).
    public func request(id: String) -> InfoRequest? { self.requests[id] }

    /// Transitions due at `now`, earliest first: the automatic reminder 72 h into the first
    /// window, expiry at the deadline, the erasure of a reply's details at the end of retention.
    /// Each carries its due time, so catching up after downtime records them when they were due,
    /// not when they were applied. Mutating only to drop stale entries of the due queue; what it
    /// reports stays queued until applied.
    public mutating func dueTransitions(at now: UnixSeconds) -> [DueTransition] {
        var due: [DueTransition] = []
        var current: Set<DueQueue.Entry> = []
        while let entry = self.dueQueue.first, entry.at <= now {
            self.dueQueue.popFirst()
            guard self.isCurrent(entry), current.insert(entry).inserted else { continue }
            let request = self.requests[row: entry.row]
            // A moving business's timers wait for its new owner (whose import files them again).
            if self.isMoving(request.businessId) {
                current.remove(entry)
                continue
            }
            let id = request.id
            if let eraseAt = self.replyErasureDue(request) {
                due.append(DueTransition(requestId: id, dueAt: eraseAt, command: .eraseReplyDetails(requestId: id, dueAt: eraseAt)))
                continue
            }
            if let reminderAt = Self.automaticReminderDue(request), reminderAt <= now {
                due.append(DueTransition(requestId: id, dueAt: reminderAt, command: .sendAutomaticReminder(requestId: id, dueAt: reminderAt)))
            }
            if request.deadline <= now {
                due.append(DueTransition(requestId: id, dueAt: request.deadline, command: .expire(requestId: id, dueAt: request.deadline)))
            }
        }
        for entry in current { self.dueQueue.push(entry) }
        return due.sorted { ($0.dueAt, $0.requestId) < ($1.dueAt, $1.requestId) }
    }

    /// The earliest time a transition becomes due, if any (so a timer can sleep until then).
    public mutating func nextDueTime() -> UnixSeconds? {
        while let entry = self.dueQueue.first {
            if self.isCurrent(entry) { return entry.at }
            self.dueQueue.popFirst()
        }
        return nil
    }

    /// Outbox entries not yet delivered, oldest first, with what their emails need.
    public func undeliveredNotifications(limit: Int = .max) -> [NotificationContext] {
        Array(self.undelivered.lazy.compactMap { self.notificationContext(outboxId: $0) }.prefix(limit))
    }

    /// What the email for one outbox entry needs.
    /// None for a cancelled entry, or one to a reviewer who was erased.
    public func notificationContext(outboxId: String) -> NotificationContext? {
        guard let entry = self.outbox[outboxId], entry.cancelledAt == nil, let request = self.requests[entry.requestId],
            let business = self.businesses[request.businessId], let reviewer = self.reviewers[request.reviewerId],
            business.movingSince == nil  // a moving business's emails go out from its new owner
        else { return nil }
        let forReviewer = entry.kind.isForReviewer
        if forReviewer && reviewer.erasedAt != nil { return nil }
        return NotificationContext(
            entry: entry, recipientAddress: forReviewer ? reviewer.email : business.notificationEmail,
            recipientName: forReviewer ? reviewer.displayName : business.displayName,
            language: forReviewer ? reviewer.language : business.language, businessName: business.displayName,
            businessMessage: request.message, requestedFields: request.requestedFields,
            referenceLabel: request.referenceLabel, deadline: request.deadline,
            replyToken: forReviewer ? request.token : "", reviewTitle: self.reviews[request.reviewId]?.title ?? "")
    }

    // MARK: building views

    /// `language`: the business's, when the caller already has it (a page of its requests).
    func view(of request: borrowing InfoRequest, language: Language? = nil) -> BusinessRequestView {
        let retainedUntil = self.replyErasureDue(request)
        let language = language ?? self.businesses.lookup(request.businessId) { $0.language } ?? .en
        return BusinessRequestView(
            id: request.id, businessId: request.businessId, reviewId: request.reviewId,
            reviewerDisplayName: self.reviewers.lookup(request.reviewerId) { $0.displayName } ?? "", message: request.message,
            requestedFields: request.requestedFields, referenceLabel: request.referenceLabel, status: request.status,
            createdAt: request.createdAt, deadline: request.deadline, automaticReminderAt: request.automaticReminderAt,
            manualReminderAt: request.manualReminderAt, answeredAt: request.reply?.repliedAt, openedAt: request.openedAt,
            closedAt: request.closedAt, replyAvailable: request.reply != nil,
            reply: request.openedAt != nil && request.hasRetainedReply ? request.reply : nil, timeline: request.timeline,
            skipBusinessNotificationEmail: request.skipBusinessEmails, replyRetainedUntil: retainedUntil,
            replyErasedAt: request.replyErasedAt, replyErasure: request.replyErasure,
            notice: ViewTexts.businessNotice(request, retainedUntil: retainedUntil, retention: self.settings.replyRetention, language))
    }

    /// `row`: the review's row, when the caller has it (a page of reviews).
    func view(of review: borrowing Review, row: Row? = nil) -> BusinessReviewView {
        // One pass over the review's requests (creation order), without closures that would
        // capture a copy of the state: the latest, the latest opened answer, whether any try counts.
        // Rows, not copies of the requests: only the fields the summary shows are read out.
        var latest: Row?
        var opened: Row?
        var tried = false
        if let reviewRow = row ?? self.reviews.row(of: review.id) {
            self.reviewLinks[Int(reviewRow)].forEach { row in
                let status = self.requests[row: row].status
                if status.countsAsFindReviewerTry { tried = true }
                if status == .answered && self.requests[row: row].openedAt != nil { opened = row }
                latest = row
            }
        }
        let openedReply = opened.map { row in
            (reply: self.requests[row: row].hasRetainedReply ? self.requests[row: row].reply : nil,
             erasedAt: self.requests[row: row].replyErasedAt, erasure: self.requests[row: row].replyErasure)
        }
        let summary = FindReviewerSummary(
            eligible: review.source.isEligibleForFindReviewer, contacted: latest != nil,
            latestRequestId: latest.map { self.requests[row: $0].id }, latestStatus: latest.map { self.requests[row: $0].status },
            canReportNotGenuine: !review.source.isEligibleForFindReviewer || tried,
            reply: openedReply?.reply ?? nil, replyErasedAt: openedReply?.erasedAt ?? nil, replyErasure: openedReply?.erasure ?? nil)
        let reviewer = self.reviewers.lookup(review.reviewerId) { (name: $0.displayName, erased: $0.erasedAt != nil) }
        return BusinessReviewView(
            review: copy review, reviewerDisplayName: reviewer?.name ?? "", findReviewer: summary,
            reviewerErased: reviewer?.erased ?? false)
    }

    /// Offset-free cursor paging: the token is the last id of the previous page, so items added
    /// meanwhile do not shift later pages.
    static func page<Item>(
        _ ids: [String], pageSize: Int, pageToken: String, _ item: (String) -> Item
    ) throws(DomainError) -> Page<Item> {
        let size = try Self.checkedPageSize(pageSize)
        var start = 0
        if !pageToken.isEmpty {
            guard let last = Self.decodePageToken(pageToken), let index = ids.firstIndex(of: last) else {
                throw Self.badPageToken
            }
            start = index + 1
        }
        let end = min(ids.count, start + size)
        let items = start < end ? ids[start..<end].map(item) : []
        let next = end < ids.count ? Self.encodePageToken(ids[end - 1]) : ""
        return Page(items: items, nextPageToken: next, totalMatching: ids.count)
    }

    /// Where `row` is in `rows`: rows are appended as their entities are created, so a list is
    /// ascending and a binary search finds it; a linear search is the fallback.
    static func position<Rows: RandomAccessCollection<Row>>(of row: Row, in rows: Rows) -> Int? where Rows.Index == Int {
        var (low, high) = (0, rows.count)
        while low < high {
            let middle = (low + high) / 2
            if rows[middle] < row { low = middle + 1 } else { high = middle }
        }
        if low < rows.count && rows[low] == row { return low }
        return rows.firstIndex(of: row)
    }

    /// Cursor paging over `rows`, newest first: walks back from just before the row the token
    /// names, keeps the rows that match, and stops one match after the page is full (so the
    /// token is empty exactly on the last page). A token whose item no longer matches the
    /// filter still marks the place.
    static func pageRows<Item, Rows: RandomAccessCollection<Row>>(
        _ rows: Rows, pageSize: Int, pageToken: String, row: (String) -> Row?, id: (Row) -> String,
        matches: (Row) -> Bool, item: (Row) -> Item
    ) throws(DomainError) -> (items: [Item], next: String) where Rows.Index == Int {
        let size = try Self.checkedPageSize(pageSize)
        var index = rows.count - 1
        if !pageToken.isEmpty {
            guard let last = Self.decodePageToken(pageToken), let lastRow = row(last), let position = Self.position(of: lastRow, in: rows) else {
                throw Self.badPageToken
            }
            index = position - 1
        }
        var picked: [Row] = []
        var more = false
        while index >= 0 {
            let candidate = rows[index]
            index -= 1
            guard matches(candidate) else { continue }
            if picked.count == size {
                more = true
                break
            }
            picked.append(candidate)
        }
        let next = more ? Self.encodePageToken(id(picked[picked.count - 1])) : ""
        return (picked.map(item), next)
    }

    static func checkedPageSize(_ pageSize: Int) throws(DomainError) -> Int {
        guard pageSize >= 0, pageSize <= Limits.pageSize else {
            throw .invalid("pageSize", "must be 0 to \(Limits.pageSize)")
        }
        return pageSize == 0 ? Limits.defaultPageSize : pageSize
    }

    static let badPageToken = DomainError.invalid("pageToken", "is not a token from the previous page of this list")

    /// The checks of a page request that need no state: the size, and the token's shape (a
    /// token of the wrong shape cannot come from any list).
    static func validatePaging(pageSize: Int, pageToken: String) throws(DomainError) {
        _ = try self.checkedPageSize(pageSize)
        guard !pageToken.isEmpty else { return }
        guard let last = self.decodePageToken(pageToken), (try? Validation.id(last, field: "pageToken")) != nil else {
            throw self.badPageToken
        }
    }

    static func encodePageToken(_ id: String) -> String { "after:" + id }

    static func decodePageToken(_ token: String) -> String? {
        token.hasPrefix("after:") ? String(token.dropFirst("after:".count)) : nil
    }
}
