@testable import FindReviewerDomain
import Credentials
import Testing

/// The lists page without scanning a business's whole list; these tests hold them to the
/// plain answer computed by looking at everything.
@Suite("Lists page like a scan of everything would")
struct ListPagingTests {
    /// Every page of `list`, `size` at a time, joined; a non-empty token always leads to a
    /// non-empty page.
    static func allPages<Item>(size: Int, _ list: (Int, String) throws -> ([Item], String)) throws -> [Item] {
        var items: [Item] = []
        var token = ""
        repeat {
            let (page, next) = try list(size, token)
            #expect(page.count <= (size == 0 ? Limits.defaultPageSize : size))
            if !token.isEmpty { #expect(!page.isEmpty, "a token led to an empty page") }
            items += page
            token = next
        } while !token.isEmpty
        return items
    }

    static func checkLists(_ state: DomainState) throws {
        for business in ["acme", "other"] {
            let requests = state.requests.values.filter { $0.businessId == business }.sorted { $0.id > $1.id }
            var counts: [RequestStatus: Int] = [:]
            for request in requests { counts[request.status, default: 0] += 1 }
            let statusSets: [Set<RequestStatus>] = [[], [.pending], [.answered, .declined], [.expired, .withdrawn]]
            for statuses in statusSets {
                for reviewId in ["", "r-organic", "r-other", "r-none"] {
                    let expected = requests.filter {
                        (statuses.isEmpty || statuses.contains($0.status)) && (reviewId.isEmpty || $0.reviewId == reviewId)
                    }
                    for size in [1, 2, 3, 0] {
                        let ids = try Self.allPages(size: size) { size, token in
                            let (page, pageCounts) = try state.listRequests(
                                businessId: business, statuses: statuses, reviewId: reviewId, pageSize: size, pageToken: token)
                            #expect(pageCounts == counts)
                            #expect(page.totalMatching == expected.count)
                            return (page.items.map(\.id), page.nextPageToken)
                        }
                        #expect(ids == expected.map(\.id), "requests of \(business), \(statuses), review \(reviewId), \(size) a page")
                    }
                }
            }
            let reviews = state.reviews.values.filter { $0.businessId == business }.reversed()
            let latest = { (review: Review) in requests.first { $0.reviewId == review.id } }
            let filters = [
                ReviewFilter(), ReviewFilter(contact: .contacted), ReviewFilter(contact: .notContacted, eligibleOnly: true),
                ReviewFilter(statuses: [.pending, .expired]), ReviewFilter(eligibleOnly: true),
            ]
            for filter in filters {
                let expected = reviews.filter { review in
                    if filter.eligibleOnly && !review.source.isEligibleForFindReviewer { return false }
                    switch filter.contact {
                    case .any: break
                    case .contacted: if latest(review) == nil { return false }
                    case .notContacted: if latest(review) != nil { return false }
                    }
                    return filter.statuses.isEmpty || latest(review).map { filter.statuses.contains($0.status) } == true
                }
                for size in [1, 2, 0] {
                    let ids = try Self.allPages(size: size) { size, token in
                        let page = try state.listReviews(businessId: business, filter: filter, pageSize: size, pageToken: token)
                        return (page.items.map(\.review.id), page.nextPageToken)
                    }
                    #expect(ids == expected.map(\.id), "reviews of \(business), \(filter), \(size) a page")
                }
            }
            let reports = state.reports.values.filter { $0.businessId == business }.reversed()
            for reviewId in ["", "r-organic"] {
                let expected = reports.filter { reviewId.isEmpty || $0.reviewId == reviewId }
                let ids = try Self.allPages(size: 2) { size, token in
                    let page = try state.listReports(businessId: business, reviewId: reviewId, pageSize: size, pageToken: token)
                    return (page.items.map(\.id), page.nextPageToken)
                }
                #expect(ids == expected.map(\.id))
            }
        }
    }

    @Test("random command sequences: every list, filter and page size agrees with a scan", arguments: 0..<4)
    func agreesWithScan(seed: Int) throws {
        var random = SeededGenerator(state: UInt64(seed) &* 104_729)
        var world = World.make()
        for index in 0..<12 {
            _ = world.must(.publishReview(World.makeReview(id: "r-extra-\(index)", business: index % 3 == 0 ? "other" : "acme", source: .organic)))
        }
        let reviews = world.state.reviews.values.map(\.id)
        var tokens: [String] = []
        for step in 0..<400 {
            let review = reviews.randomElement(using: &random)!
            let business = world.state.reviews[review]!.businessId
            let requestId = world.state.requests.values.map(\.id).randomElement(using: &random) ?? "req_00000001"
            let command: DomainCommand
            switch Int.random(in: 0..<100, using: &random) {
            case 0..<35:
                let token = TokenSource.shared.next()
                tokens.append(token)
                command = World.makeCreate(business: business, review: review, acknowledge: true, token: token)
            case 35..<50: command = .reply(token: tokens.randomElement(using: &random) ?? "none", ReviewerReply(note: "n"))
            case 50..<60: command = .decline(token: tokens.randomElement(using: &random) ?? "none")
            case 60..<70: command = .withdrawRequest(businessId: business, requestId: requestId)
            case 70..<78: command = .sendManualReminder(businessId: business, requestId: requestId)
            case 78..<86:
                command = .createReport(businessId: business, reviewId: review, reason: .notGenuineExperience, explanation: "e", acknowledged: true)
            default:
                _ = world.advance(to: world.now + Int64.random(in: 3_600...(3 * 86_400), using: &random))
                continue
            }
            _ = world.failure(command)
            if step % 40 == 39 { try Self.checkLists(world.state) }
        }
        try Self.checkLists(world.state)
        try Self.checkLists(RandomizedTests.restored(world.state))
        #expect(world.state.requests.count > 30)
    }

    @Test("a page token stays valid when its request changes status, and a token of another business is refused")
    func tokenAfterStatusChange() throws {
        var world = World.make()
        var created: [(id: String, token: String)] = []
        for index in 0..<4 {
            world.must(.publishReview(World.makeReview(id: "r-page-\(index)", source: .organic)))
            created.append(world.create(review: "r-page-\(index)"))
        }
        let first = try world.state.listRequests(businessId: "acme", statuses: [.pending], pageSize: 2)
        #expect(first.page.items.map(\.id) == [created[3].id, created[2].id])
        // The last request of the page is declined before the next page is asked for.
        world.must(.decline(token: created[2].token))
        let second = try world.state.listRequests(businessId: "acme", statuses: [.pending], pageSize: 2, pageToken: first.page.nextPageToken)
        #expect(second.page.items.map(\.id) == [created[1].id, created[0].id])
        #expect(second.page.nextPageToken.isEmpty)
        #expect(second.page.totalMatching == 3)
        #expect(second.counts == [.pending: 3, .declined: 1])
        #expect(throws: DomainError.invalid("pageToken", "is not a token from the previous page of this list")) {
            _ = try world.state.listRequests(businessId: "other", pageToken: first.page.nextPageToken)
        }
    }
}
