@testable import FindReviewerDomain
import Credentials
import Testing

@Suite("Inputs and privacy (DESIGN.md §2 'Inputs', §2 'Reviewer', §6 tokens)")
struct InputAndPrivacyTests {
    static let badCreates: [(String, DomainCommand.CreateRequest, String)] = {
        func make(_ change: (inout DomainCommand.CreateRequest) -> Void) -> DomainCommand.CreateRequest {
            var create = DomainCommand.CreateRequest(
                businessId: "acme", reviewId: "r-organic", message: "Hi", requestedFields: [.email],
                token: TokenSource.shared.next())
            change(&create)
            return create
        }
        return [
            ("empty message", make { $0.message = " \n " }, "message"),
            ("message too long", make { $0.message = String(repeating: "é", count: 2_001) }, "message"),
            ("control character", make { $0.message = "Hi\u{07}" }, "message"),
            ("no fields", make { $0.requestedFields = [] }, "requestedFields"),
            ("duplicate field", make { $0.requestedFields = [.email, .email] }, "requestedFields"),
            ("label without reference", make { $0.referenceLabel = "Booking" }, "referenceLabel"),
            ("label too long", make { $0.requestedFields = [.referenceNumber]; $0.referenceLabel = String(repeating: "x", count: 41) }, "referenceLabel"),
            ("label with newline", make { $0.requestedFields = [.referenceNumber]; $0.referenceLabel = "a\nb" }, "referenceLabel"),
            ("short token", make { $0.token = "abc" }, "token"),
        ]
    }()

    @Test("invalid create input is INVALID_ARGUMENT naming the field; nothing is stored", arguments: badCreates.map(\.0))
    func badCreate(name: String) {
        var world = World.make()
        let (_, create, field) = Self.badCreates.first { $0.0 == name }!
        let before = world.state
        let error = world.failure(.createRequest(create))
        #expect(error?.code == .invalidArgument)
        #expect(error?.field == field)
        #expect(world.state == before)
    }

    @Test("a message may span lines; 2,000 characters (code points: CR LF is two) is the maximum")
    func multiLineMessage() {
        var world = World.make()
        let message = "Line 1\nLine 2\r\n\t" + String(repeating: "x", count: 1_984)
        let create = DomainCommand.CreateRequest(
            businessId: "acme", reviewId: "r-organic", message: message, requestedFields: [.email], token: TokenSource.shared.next())
        #expect(world.failure(.createRequest(create)) == nil)
        var longer = create
        longer.message = message + "x"
        #expect(world.failure(.createRequest(longer))?.field == "message")
    }

    static let badReplies: [(String, ReviewerReply, String)] = [
        ("nothing shared", ReviewerReply(note: "   "), "note"),
        ("field not asked for", ReviewerReply(email: "ann@mail.example"), "email"),
        ("bad email shape", ReviewerReply(email: "ann at mail"), "email"),
        ("bad phone", ReviewerReply(phone: "call me"), "phone"),
        ("phone too short", ReviewerReply(phone: "+46 12"), "phone"),
        ("reference too long", ReviewerReply(referenceNumber: String(repeating: "9", count: 101)), "referenceNumber"),
        ("name with control", ReviewerReply(fullName: "Ann\u{0}"), "fullName"),
        ("note too long", ReviewerReply(note: String(repeating: "n", count: 1_001)), "note"),
    ]

    @Test("invalid replies are INVALID_ARGUMENT naming the field", arguments: badReplies.map(\.0))
    func badReply(name: String) {
        var world = World.make()
        let token = TokenSource.shared.next()
        world.must(.createRequest(.init(businessId: "acme", reviewId: "r-organic", message: "Hi", requestedFields: [.referenceNumber, .fullName, .phone], token: token)))
        let (_, reply, field) = Self.badReplies.first { $0.0 == name }!
        let error = world.failure(.reply(token: token, reply))
        #expect(error?.code == .invalidArgument)
        #expect(error?.field == field)
    }

    @Test("pipeline input is checked: ids, emails, rating, date")
    func pipelineInput() {
        var world = World.make()
        #expect(world.failure(.upsertBusiness(Business(id: "bad id", displayName: "X", notificationEmail: "a@b.example")))?.field == "business.id")
        #expect(world.failure(.upsertBusiness(Business(id: "b2", displayName: "X", notificationEmail: "nope")))?.field == "business.notificationEmail")
        #expect(world.failure(.upsertReviewer(Reviewer(id: "r2", displayName: "", email: "a@b.example")))?.field == "reviewer.displayName")
        var review = World.makeReview(id: "r-new", source: .organic, rating: 6)
        #expect(world.failure(.publishReview(review))?.field == "review.rating")
        review.rating = 5
        review.experienceDate = "24/11/2026"
        #expect(world.failure(.publishReview(review))?.field == "review.experienceDate")
        review.experienceDate = ""
        review.businessId = "missing"
        #expect(world.failure(.publishReview(review))?.field == "review.businessId")
    }

    @Test("tokens: 192 random bits in lowercase hex, distinct across buffer refills, compared in constant time")
    func tokens() {
        // 1,000 tokens span several 170-token refills of the source's buffer.
        let tokens = (0..<1_000).map { _ in TokenSource.shared.next() }
        #expect(Set(tokens).count == 1_000)
        #expect(tokens.allSatisfy { $0.utf8.count == 48 && $0.utf8.allSatisfy { "0123456789abcdef".utf8.contains($0) } })
        #expect(ConstantTime.equal("abc", "abc"))
        #expect(!ConstantTime.equal("abc", "abd"))
        #expect(!ConstantTime.equal("abc", "abcd"))
        #expect(!ConstantTime.equal("abcd", "abc"))
        #expect(!ConstantTime.equal("", "a"))
        #expect(ConstantTime.equal("", ""))
        // A slice, as the authorizer passes the key after "Bearer ".
        let metadata = "Bearer frk_0123"
        #expect(ConstantTime.equal("frk_0123", metadata.dropFirst("Bearer ".count)))
        #expect(!ConstantTime.equal("frk_0124", metadata.dropFirst("Bearer ".count)))
    }

    @Test("an unknown token is NOT_FOUND; a withdrawn request's token too")
    func unknownToken() {
        var world = World.make()
        #expect(world.failure(.reply(token: TokenSource.shared.next(), ReviewerReply(note: "x")))?.code == .notFound)
        #expect(world.failure(.decline(token: ""))?.code == .invalidArgument)
    }

    @Test("no business-facing or public view exposes the reviewer's email or token")
    func privacy() throws {
        var world = World.make()
        let (id, token) = world.create()
        world.must(.reply(token: token, ReviewerReply(referenceNumber: "B-1", fullName: "Ann A")))
        world.must(.openReply(businessId: "acme", requestId: id))
        let secrets = ["ann@mail.example", token]
        let texts = [
            String(describing: try world.state.businessView(requestId: id, businessId: "acme")),
            String(describing: try world.state.listRequests(businessId: "acme")),
            String(describing: try world.state.businessView(reviewId: "r-organic", businessId: "acme")),
            String(describing: try world.state.listReviews(businessId: "acme")),
            String(describing: try world.state.publicView(reviewId: "r-organic")),
            String(describing: try world.state.timeline(requestId: id, businessId: "acme")),
        ]
        for text in texts {
            for secret in secrets { #expect(!text.contains(secret)) }
        }
        // Business emails carry neither the reviewer's address nor the token.
        for context in world.state.undeliveredNotifications() where !context.entry.kind.isForReviewer {
            for secret in secrets { #expect(!String(describing: context).contains(secret)) }
        }
        // The public view says the reviewer was contacted, and nothing of the reply.
        let publicView = try world.state.publicView(reviewId: "r-organic")
        #expect(publicView.reviewerContacted)
        #expect(!String(describing: publicView).contains("B-1"))
        #expect(try !world.state.publicView(reviewId: "r-invited").reviewerContacted)
    }

    @Test("the reviewer's view shows the business's name, message, fields with label and deadline")
    func reviewerView() throws {
        var world = World.make()
        let (_, token) = world.create()
        let view = try world.state.reviewerView(token: token)
        #expect(view.businessDisplayName == "Acme Travel")
        #expect(view.message == "Hello! Could you share your booking number?")
        #expect(view.requestedFields == [.referenceNumber, .fullName])
        #expect(view.referenceLabel == "Booking number")
        #expect(view.deadline == World.t0 + 5 * World.day)
    }
}
