@testable import FindReviewerDomain
import Testing

/// Moving a business between shards in the domain (PROTOCOL.md §9.5): the mark, the export's
/// items, the import into another state, the forget.
@Suite("Moving a business: mark, export, import, forget")
struct MovingTests {
    @Test("a moving business refuses every write (by id, token, timer and delivery) with BUSINESS_MOVING; reads work; its timers wait; another business is unaffected")
    func moving() throws {
        var world = World.make()
        let (id, token) = world.create()
        let (otherId, _) = world.create(review: "r-other", business: "other")
        world.must(.markBusinessMoving(businessId: "acme"))
        #expect(world.state.isMoving("acme"))
        #expect(world.must(.markBusinessMoving(businessId: "acme")).isEmpty)  // once
        for command: DomainCommand in [
            .withdrawRequest(businessId: "acme", requestId: id), .decline(token: token), .acknowledgeIntroduction(businessId: "acme"),
            .setPublicReply(businessId: "acme", reviewId: "r-organic", text: "Hi"), World.makeCreate(review: "r-invited"),
            .publishReview(World.makeReview(id: "r-new", source: .organic)), .expire(requestId: id, dueAt: World.t0 + 5 * World.day),
        ] {
            #expect(world.failure(command)?.reason == .businessMoving, "\(command)")
        }
        let outboxId = try #require(world.state.outbox.values.first { $0.requestId == id }?.id)
        #expect(world.failure(.markDelivered(outboxId: outboxId))?.reason == .businessMoving)
        #expect(world.state.undeliveredNotifications().allSatisfy { $0.entry.requestId != id })
        #expect(try world.state.businessView(requestId: id, businessId: "acme").status == .pending)
        // Five days on: only the other business's request expires.
        let events = world.advance(to: World.t0 + 6 * World.day)
        #expect(events.count == 2)  // the other's reminder and expiry
        #expect(world.state.request(id: otherId)?.status == .expired)
        #expect(world.state.request(id: id)?.status == .pending)
        // The mark survives a snapshot restore.
        #expect(World.restored(world.state).isMoving("acme"))
    }

    @Test("export, import into another state (ids renumbered after its own), forget: the requests, timers and emails carry over; forget keeps the counters")
    func moveBetweenStates() throws {
        var old = World.make()
        let (first, token) = old.create()
        old.must(.reply(token: token, ReviewerReply(referenceNumber: "BK-1", fullName: "Ann A", repliedAt: World.t0)))
        _ = old.create(review: "r-invited")
        _ = old.create(review: "r-other", business: "other")
        old.must(.markBusinessMoving(businessId: "acme"))
        let items = try #require(old.state.exportItems(businessId: "acme"))
        #expect(items.filter { if case .request = $0 { true } else { false } }.count == 2)

        // The new shard: a business of its own with a request, and "ann" already known there.
        var new = World()
        new.must(.upsertBusiness(Business(id: "local", displayName: "Local", notificationEmail: "l@local.example")))
        new.must(.upsertReviewer(Reviewer(id: "ann", displayName: "Ann Local", email: "ann@local.example")))
        new.must(.publishReview(World.makeReview(id: "r-local", business: "local", source: .organic)))
        new.must(.acknowledgeIntroduction(businessId: "local"))
        _ = new.create(review: "r-local", business: "local")
        let events = new.must(.importBusiness(items: items))
        #expect(events.count == 1)
        #expect(new.state.businesses["acme"]?.movingSince == nil)
        #expect(new.state.reviewers["ann"]?.displayName == "Ann Local")  // kept its own
        #expect(new.state.reviewers["bo"] != nil)
        let moved = new.state.requestsByBusiness["acme"].map { $0.map { new.state.requests[row: $0] } } ?? []
        #expect(moved.map(\.id) == ["req_00000002", "req_00000003"])
        #expect(moved.map(\.status) == [.answered, .pending])
        #expect(moved[0].token == token)
        #expect(new.state.holdsToken(token))
        #expect(try new.state.reviewerView(token: token).status == .answered)
        #expect(new.state.request(id: "req_00000002")?.reply == old.state.request(id: first)?.reply)
        // Emails renumbered after the new state's own, still about their (renumbered) requests.
        let emails = new.state.outbox.values.filter { $0.requestId == "req_00000002" || $0.requestId == "req_00000003" }
        #expect(emails.count == 3)  // two to reviewers, one reply-received
        #expect(new.state.outbox.count == 4)
        // The timers: the pending request's reminder is due 72 h after its creation.
        let due = new.advance(to: World.t0 + 3 * World.day)
        #expect(due.contains { if case .automaticReminderSent(let request, _, _) = $0 { request == "req_00000003" } else { false } })
        // The next request of the new state gets the next number.
        new.must(.publishReview(World.makeReview(id: "r-local-2", business: "local", source: .organic, reviewer: "ann")))
        #expect(new.create(review: "r-local-2", business: "local").id == "req_00000004")
        // Twice: ALREADY_EXISTS.
        #expect(new.failure(.importBusiness(items: items))?.code == .alreadyExists)
        // Replay and restore rebuild the same state.
        #expect(World.restored(new.state) == new.state)

        // Forget on the old state: only when moving; then the business and its data are gone.
        #expect(old.failure(.forgetBusiness(businessId: "other"))?.reason == .businessNotMoving)
        let requestCount = old.state.requestCount
        old.must(.forgetBusiness(businessId: "acme"))
        #expect(old.state.businesses["acme"] == nil)
        #expect(old.state.reviews["r-organic"] == nil)
        #expect(old.state.requests.count == 1)
        #expect(old.state.requestCount == requestCount)
        #expect(!old.state.holdsToken(token))
        #expect(old.state.outbox.values.allSatisfy { $0.requestId == "req_00000003" })
        #expect(old.state.reviewers["bo"] == nil)  // no review left here
        #expect(old.state.reviewers["ann"] != nil)  // still the author of r-other
        #expect(World.restored(old.state) == old.state)
        #expect(old.failure(.forgetBusiness(businessId: "acme"))?.code == .notFound)
    }

    @Test("an import that does not hold together is INVALID_ARGUMENT, changing nothing")
    func badImports() {
        var world = World()
        let business = Business(id: "b", displayName: "B", notificationEmail: "b@b.example")
        let review = World.makeReview(id: "rv", business: "b", source: .organic, reviewer: "x")
        for items: [SnapshotItem] in [
            [], [.review(review)], [.business(business), .review(review)],  // the review before its reviewer
            [.business(business), .business(business)], [.business(business), .counters(requests: 1, reports: 0, outbox: 0)],
        ] {
            #expect(world.failure(.importBusiness(items: items))?.code == .invalidArgument, "\(items)")
        }
        #expect(world.state.businesses.isEmpty)
    }
}
