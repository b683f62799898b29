@testable import FindReviewerDomain
import Testing

@Suite("Eligibility, permissions and reports (DESIGN.md §2)")
struct RulesTests {
    @Test("only ORGANIC and BUSINESS_INVITATION reviews can get a request; PLATFORM_INVITATION is a failed precondition")
    func eligibility() {
        var world = World.make()
        #expect(world.failure(World.makeCreate(review: "r-organic")) == nil)
        #expect(world.failure(World.makeCreate(review: "r-invited")) == nil)
        let error = world.failure(World.makeCreate(review: "r-platform"))
        #expect(error?.code == .failedPrecondition)
        #expect(error?.reason == .platformInvitedReview)
    }

    @Test("first use needs the introduction acknowledged; the error carries its text in the business's language")
    func introduction() throws {
        var world = World.make(acknowledged: false)
        let failure = world.failure(World.makeCreate())
        let error = try #require(failure)
        #expect(error.reason == .introductionNotAcknowledged)
        #expect(error.detail?.contains("5 dagar") == true)  // acme's locale is sv-SE
        #expect(world.failure(World.makeCreate(acknowledge: true)) == nil)
        #expect(world.state.businesses["acme"]?.introAcknowledgedAt == World.t0)
        #expect(try world.state.introduction(businessId: "acme").acknowledgedAt == World.t0)
    }

    @Test("at most one open request per review")
    func oneOpenRequest() {
        var world = World.make()
        let (id, _) = world.create()
        #expect(world.failure(World.makeCreate())?.reason == .requestAlreadyOpen)
        world.must(.withdrawRequest(businessId: "acme", requestId: id))
        #expect(world.failure(World.makeCreate()) == nil)
    }

    static let businessCommands: [(String, @Sendable (String, String) -> DomainCommand)] = [
        ("createRequest", { review, _ in World.makeCreate(review: review) }),
        ("sendManualReminder", { _, request in .sendManualReminder(businessId: "acme", requestId: request) }),
        ("withdrawRequest", { _, request in .withdrawRequest(businessId: "acme", requestId: request) }),
        ("openReply", { _, request in .openReply(businessId: "acme", requestId: request) }),
        ("setPublicReply", { review, _ in .setPublicReply(businessId: "acme", reviewId: review, text: "Thanks") }),
        ("deletePublicReply", { review, _ in .deletePublicReply(businessId: "acme", reviewId: review) }),
        ("createReport", { review, _ in
            .createReport(businessId: "acme", reviewId: review, reason: .harmfulOrIllegal, explanation: "x", acknowledged: true)
        }),
    ]

    @Test("another business's review or request is NOT_FOUND for every command", arguments: businessCommands.map(\.0))
    func isolationCommands(name: String) {
        var world = World.make()
        let (otherRequest, _) = world.create(review: "r-other", business: "other")
        let command = Self.businessCommands.first { $0.0 == name }!.1
        let error = world.failure(command("r-other", otherRequest))
        #expect(error?.code == .notFound, "\(name): \(String(describing: error))")
        #expect(error?.message.contains("other") == false || error?.message.contains("r-other") == true)
    }

    @Test("another business's ids are NOT_FOUND for every query")
    func isolationQueries() throws {
        var world = World.make()
        let (otherRequest, _) = world.create(review: "r-other", business: "other")
        #expect(throws: DomainError.self) { _ = try world.state.businessView(requestId: otherRequest, businessId: "acme") }
        #expect(throws: DomainError.self) { _ = try world.state.timeline(requestId: otherRequest, businessId: "acme") }
        #expect(throws: DomainError.self) { _ = try world.state.businessView(reviewId: "r-other", businessId: "acme") }
        #expect(try world.state.listRequests(businessId: "acme").page.items.isEmpty)
        #expect(try world.state.listRequests(businessId: "acme", reviewId: "r-other").page.totalMatching == 0)
        #expect(try world.state.listReviews(businessId: "acme").items.allSatisfy { $0.review.businessId == "acme" })
        #expect(throws: DomainError.self) { _ = try world.state.listRequests(businessId: "nobody") }
    }

    enum Ending: String, CaseIterable { case none, pending, withdrawn, declined, answered, expired, reopened }

    @Test("NOT_GENUINE_EXPERIENCE needs a request that ended answered, declined or expired", arguments: Ending.allCases)
    func notGenuineNeedsATry(ending: Ending) {
        var world = World.make()
        if ending != .none {
            let (id, token) = world.create()
            switch ending {
            case .none, .pending: break
            case .withdrawn: world.must(.withdrawRequest(businessId: "acme", requestId: id))
            case .declined: world.must(.decline(token: token))
            case .answered: world.must(.reply(token: token, ReviewerReply(note: "It was me")))
            case .expired: _ = world.advance(to: World.t0 + 6 * World.day)
            case .reopened:
                _ = world.advance(to: World.t0 + 6 * World.day)
                world.must(.sendManualReminder(businessId: "acme", requestId: id))
            }
        }
        let report = DomainCommand.createReport(
            businessId: "acme", reviewId: "r-organic", reason: .notGenuineExperience, explanation: "Not our customer", acknowledged: true)
        let error = world.failure(report)
        let allowed: Set<Ending> = [.declined, .answered, .expired]
        if allowed.contains(ending) {
            #expect(error == nil)
            #expect(world.state.reports.count == 1)
        } else {
            #expect(error?.reason == .findReviewerTryRequired)
            #expect(error?.message.contains("Find Reviewer") == true)
        }
    }

    @Test("other reasons are always available; a platform-invited review can be reported as not genuine directly")
    func otherReasons() {
        var world = World.make()
        for reason in ReportReason.allCases where reason != .notGenuineExperience {
            #expect(world.failure(.createReport(businessId: "acme", reviewId: "r-organic", reason: reason, explanation: "e", acknowledged: true)) == nil)
        }
        #expect(world.failure(.createReport(businessId: "acme", reviewId: "r-platform", reason: .notGenuineExperience, explanation: "e", acknowledged: true)) == nil)
        #expect(world.state.reports.count == ReportReason.allCases.count)
        // The review stays online and unchanged.
        #expect(world.state.reviews["r-organic"]?.text == "Text of r-organic")
    }

    @Test("a report needs the acknowledgement, a reason and a public explanation")
    func reportInputs() {
        var world = World.make()
        #expect(world.failure(.createReport(businessId: "acme", reviewId: "r-organic", reason: .harmfulOrIllegal, explanation: "e", acknowledged: false))?.field == "acknowledgeGuidelines")
        #expect(world.failure(.createReport(businessId: "acme", reviewId: "r-organic", reason: nil, explanation: "e", acknowledged: true))?.field == "reason")
        #expect(world.failure(.createReport(businessId: "acme", reviewId: "r-organic", reason: .harmfulOrIllegal, explanation: "  ", acknowledged: true))?.field == "explanation")
    }

    @Test("public reply: one per review; set, replace, delete")
    func publicReply() throws {
        var world = World.make()
        world.must(.setPublicReply(businessId: "acme", reviewId: "r-organic", text: "Thank you"))
        world.now += 10
        world.must(.setPublicReply(businessId: "acme", reviewId: "r-organic", text: "Thank you!\nWe are looking into it."))
        let reply = try #require(world.state.reviews["r-organic"]?.publicReply)
        #expect(reply.createdAt == World.t0)
        #expect(reply.updatedAt == World.t0 + 10)
        #expect(try world.state.publicView(reviewId: "r-organic").publicReply?.text.hasPrefix("Thank you!") == true)
        world.must(.deletePublicReply(businessId: "acme", reviewId: "r-organic"))
        #expect(world.state.reviews["r-organic"]?.publicReply == nil)
        #expect(world.failure(.setPublicReply(businessId: "acme", reviewId: "r-organic", text: String(repeating: "a", count: 5_001)))?.field == "text")
    }

    @Test("re-publishing a review from the pipeline keeps the business's public reply")
    func republishKeepsReply() {
        var world = World.make()
        world.must(.setPublicReply(businessId: "acme", reviewId: "r-organic", text: "Thanks"))
        var review = World.makeReview(id: "r-organic", source: .organic)
        review.title = "Edited title"
        world.must(.publishReview(review))
        #expect(world.state.reviews["r-organic"]?.publicReply?.text == "Thanks")
        #expect(world.state.reviews["r-organic"]?.title == "Edited title")
    }

    @Test("idempotency: a create repeated with the same key returns nothing new")
    func idempotency() throws {
        var world = World.make()
        let first = try world.run(World.makeCreate(key: "k-1"))
        #expect(first.count == 1)
        let again = try world.run(World.makeCreate(key: "k-1"))
        #expect(again.isEmpty)
        #expect(world.state.request(idempotencyKey: "k-1", businessId: "acme")?.id == "req_00000001")
        #expect(world.state.request(idempotencyKey: "k-1", businessId: "other") == nil)
        #expect(world.state.requests.count == 1)
    }
}
