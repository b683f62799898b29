import Messages
import RPC

/// `--verify`: after the run, every write the server acknowledged is read back. A write is lost
/// when what it made is gone (NOT_FOUND) or the state it set is not there (a withdrawn request
/// that is pending again, a public reply older than the newest acknowledged one, a missing report).
struct Verification: Sendable {
    enum Check: Sendable {
        case review(business: Int32, review: Int32)
        case request(business: Int32, request: Int32)
        case reviewer(business: Int32)
        case reports(business: Int32, pageToken: String)
    }

    var checks: [Check] = []
    var next = 0
    var outstanding = 0
    /// Report ids seen on the pages read so far, per business.
    var reportsSeen: [Int32: Set<String>] = [:]
    /// Acknowledged writes read back and found.
    var confirmed = 0
    /// Acknowledged writes whose effect is missing.
    var lost = 0
    /// Checks that could not be made (the read failed with another status).
    var unreadable = 0
    /// What was lost or unreadable, a few examples.
    var samples: [String] = []

    var isDone: Bool { self.next >= self.checks.count && self.outstanding == 0 }

    mutating func note(lost what: String) {
        self.lost += 1
        if self.samples.count < 5 { self.samples.append(what) }
    }

    mutating func note(unreadable what: String) {
        self.unreadable += 1
        if self.samples.count < 5 { self.samples.append(what) }
    }

    mutating func merge(_ other: Verification) {
        self.confirmed += other.confirmed
        self.lost += other.lost
        self.unreadable += other.unreadable
        for sample in other.samples where self.samples.count < 5 { self.samples.append(sample) }
    }
}

extension WorkflowLoad {
    /// Lists the checks: every acknowledged reviewer, review, request and report.
    func startVerification() {
        var checks: [Verification.Check] = []
        for business in self.businesses {
            checks.append(.reviewer(business: business.index))
            for review in business.publishedReviews { checks.append(.review(business: business.index, review: review)) }
            for request in business.createdRequests { checks.append(.request(business: business.index, request: request)) }
            if !business.reports.isEmpty { checks.append(.reports(business: business.index, pageToken: "")) }
        }
        self.verification = Verification(checks: checks)
        self.phase = .verify
    }

    func nextCheck() -> LoadCall? {
        guard self.verification.next < self.verification.checks.count else { return nil }
        let check = self.verification.checks[self.verification.next]
        self.verification.next += 1
        self.verification.outstanding += 1
        switch check {
        case .reviewer(let index):
            let business = self.businesses[Int(index)]
            return self.call(.getReviewer, self.encoder.frame(.getReviewer, GetReviewerRequest(reviewerId: business.reviewerId)), business: business)
        case .review(let index, let review):
            let business = self.businesses[Int(index)]
            let message = GetReviewRequest(businessId: business.id, reviewId: business.reviews[Int(review)].id)
            return self.call(.getReview, self.encoder.frame(.getReview, message), business: business, entity: review)
        case .request(let index, let request):
            let business = self.businesses[Int(index)]
            let message = GetInfoRequestRequest(businessId: business.id, requestId: business.requests[Int(request)].id)
            return self.call(.getInfoRequest, self.encoder.frame(.getInfoRequest, message), business: business, entity: request)
        case .reports(let index, let token):
            let business = self.businesses[Int(index)]
            let message = ListReportsRequest(businessId: business.id, pageSize: 500, pageToken: token)
            return self.call(.listReports, self.encoder.frame(.listReports, message), business: business)
        }
    }

    func checkFinished(_ call: LoadCall, _ outcome: LoadOutcome) {
        self.verification.outstanding -= 1
        let business = self.businesses[Int(call.business)]
        let what = self.describe(call, business)
        guard outcome.status == .ok else {
            if outcome.status == .notFound {
                self.verification.note(lost: "\(what): NOT_FOUND")
            } else {
                self.verification.note(unreadable: "\(what): \(outcome.status.name): \(outcome.message)")
            }
            return
        }
        switch call.operation {
        case .getReviewer:
            let name = (try? GetReviewerResponse(serializedBytes: outcome.payload))?.reviewer?.displayName ?? ""
            self.expect(Self.trailingNumber(name) >= business.acknowledgedReviewerName, what, "name \"\(name)\", older than the acknowledged one")
        case .getReview:
            let review = (try? GetReviewResponse(serializedBytes: outcome.payload))?.view?.review
            let acknowledged = business.reviews[Int(call.entity)].acknowledgedReply
            let text = review?.publicReply?.text ?? ""
            self.expect(review != nil && Self.trailingNumber(text) >= acknowledged, what, "public reply \"\(text)\", older than the acknowledged one")
        case .getInfoRequest:
            guard let found = (try? GetInfoRequestResponse(serializedBytes: outcome.payload))?.request else {
                self.verification.note(unreadable: "\(what): unreadable answer")
                return
            }
            let known = business.requests[Int(call.entity)]
            if known.uncertain {
                self.verification.confirmed += 1
                return
            }
            var problems: [String] = []
            if found.status != known.status { problems.append("status \(found.status), expected \(known.status)") }
            if known.reminded && found.manualReminderSentAt == 0 { problems.append("no manual reminder") }
            if known.opened && found.openedAt == 0 { problems.append("reply not opened") }
            self.expect(problems.isEmpty, what, problems.joined(separator: ", "))
        case .listReports:
            guard let page = try? ListReportsResponse(serializedBytes: outcome.payload) else {
                self.verification.note(unreadable: "\(what): unreadable answer")
                return
            }
            self.verification.reportsSeen[business.index, default: []].formUnion(page.reports.map(\.id))
            if !page.nextPageToken.isEmpty {
                self.verification.checks.append(.reports(business: business.index, pageToken: page.nextPageToken))
                return
            }
            let seen = self.verification.reportsSeen[business.index] ?? []
            for id in business.reports {
                if seen.contains(id) { self.verification.confirmed += 1 } else { self.verification.note(lost: "report \(id) of \(business.id): missing") }
            }
        default:
            break
        }
    }

    private func expect(_ condition: Bool, _ what: String, _ problem: @autoclosure () -> String) {
        if condition { self.verification.confirmed += 1 } else { self.verification.note(lost: "\(what): \(problem())") }
    }

    private func describe(_ call: LoadCall, _ business: LoadBusiness) -> String {
        switch call.operation {
        case .getReviewer: return "reviewer \(business.reviewerId)"
        case .getReview: return "review \(business.reviews[Int(call.entity)].id)"
        case .getInfoRequest: return "request \(business.requests[Int(call.entity)].id) of \(business.id)"
        default: return "reports of \(business.id)"
        }
    }

    /// The number at the end of `text` (`Load reviewer 12`, `... (12).`); 0 when there is none.
    static func trailingNumber(_ text: String) -> Int {
        let digits = text.reversed().drop { !$0.isNumber }.prefix { $0.isNumber }
        return Int(String(digits.reversed())) ?? 0
    }
}
