@testable import FindReviewerDomain
import Testing

@Suite("Lifecycle of a request (DESIGN.md §2 'Lifecycle of a request')")
struct LifecycleTests {
    @Test("created: pending, 5-day deadline, reviewer notified, timeline entry")
    func created() throws {
        var world = World.make()
        let (id, token) = world.create()
        let request = try #require(world.state.request(id: id))
        #expect(request.status == .pending)
        #expect(request.deadline == World.t0 + 120 * World.hour)
        #expect(request.timeline.map(\.kind) == [.created])
        #expect(request.token == token)
        let outbox = world.state.undeliveredNotifications()
        #expect(outbox.map(\.entry.kind) == [.requestToReviewer])
        #expect(outbox.first?.recipientAddress == "ann@mail.example")
        #expect(outbox.first?.replyToken == token)
    }

    @Test("automatic reminder exactly at 72 h, once; not 1 s before")
    func automaticReminderAt72Hours() throws {
        var world = World.make()
        let (id, _) = world.create()
        #expect(world.advance(to: World.t0 + 72 * World.hour - 1).isEmpty)
        let events = world.advance(to: World.t0 + 72 * World.hour)
        #expect(events.count == 1)
        guard case .automaticReminderSent(_, let at, _) = events.first else { Issue.record("no reminder"); return }
        #expect(at == World.t0 + 72 * World.hour)
        #expect(world.advance(to: World.t0 + 100 * World.hour).isEmpty)
        #expect(world.state.request(id: id)?.automaticReminderAt == World.t0 + 72 * World.hour)
        #expect(world.state.undeliveredNotifications().map(\.entry.kind) == [.requestToReviewer, .automaticReminder])
    }

    @Test("expiry exactly at 120 h; the business is notified")
    func expiryAt120Hours() throws {
        var world = World.make()
        let (id, _) = world.create()
        _ = world.advance(to: World.t0 + 120 * World.hour - 1)
        #expect(world.state.request(id: id)?.status == .pending)
        _ = world.advance(to: World.t0 + 120 * World.hour)
        let request = try #require(world.state.request(id: id))
        #expect(request.status == .expired)
        #expect(request.closedAt == World.t0 + 120 * World.hour)
        let last = try #require(world.state.undeliveredNotifications().last)
        #expect(last.entry.kind == .expired)
        #expect(last.recipientAddress == "fr@acme.example")
        #expect(last.replyToken.isEmpty)
    }

    @Test("a reply 1 s before the deadline is accepted; 1 s after (even before expiry ran) refused")
    func replyAtTheEdge() throws {
        var world = World.make()
        let (_, token) = world.create()
        world.now = World.t0 + 120 * World.hour - 1
        #expect(world.failure(.reply(token: token, ReviewerReply(referenceNumber: "B-1"))) == nil)

        var late = World.make()
        let (_, lateToken) = late.create()
        late.now = World.t0 + 120 * World.hour + 1
        let error = late.failure(.reply(token: lateToken, ReviewerReply(referenceNumber: "B-1")))
        #expect(error?.code == .failedPrecondition)
        #expect(error?.reason == .replyWindowClosed)
    }

    @Test("reply: answered, business notified, content hidden until opened, then under the review")
    func replyAndOpen() throws {
        var world = World.make()
        let (id, token) = world.create()
        world.now += World.day
        world.must(.reply(token: token, ReviewerReply(referenceNumber: "B-77", fullName: "Ann Andersson", note: "Hi")))
        var view = try world.state.businessView(requestId: id, businessId: "acme")
        #expect(view.status == .answered)
        #expect(view.replyAvailable)
        #expect(view.reply == nil)
        #expect(try world.state.businessView(reviewId: "r-organic", businessId: "acme").findReviewer.reply == nil)
        #expect(world.state.undeliveredNotifications().last?.entry.kind == .replyReceived)

        world.now += World.hour
        world.must(.openReply(businessId: "acme", requestId: id))
        view = try world.state.businessView(requestId: id, businessId: "acme")
        #expect(view.openedAt == world.now)
        #expect(view.reply?.referenceNumber == "B-77")
        #expect(view.timeline.map(\.kind) == [.created, .answered, .replyOpened])
        let reviewView = try world.state.businessView(reviewId: "r-organic", businessId: "acme")
        #expect(reviewView.findReviewer.reply?.fullName == "Ann Andersson")
        // Opening twice changes nothing.
        #expect(try world.run(.openReply(businessId: "acme", requestId: id)).isEmpty)
    }

    @Test("decline: declined, business notified, link refuses further answers")
    func decline() throws {
        var world = World.make()
        let (id, token) = world.create()
        world.must(.decline(token: token))
        #expect(world.state.request(id: id)?.status == .declined)
        #expect(world.state.undeliveredNotifications().last?.entry.kind == .declined)
        #expect(world.failure(.reply(token: token, ReviewerReply(note: "changed my mind")))?.reason == .wrongStatus)
    }

    @Test("withdraw: only while pending; the reviewer's link stops working")
    func withdraw() throws {
        var world = World.make()
        let (id, token) = world.create()
        world.must(.withdrawRequest(businessId: "acme", requestId: id))
        #expect(world.state.request(id: id)?.status == .withdrawn)
        #expect(throws: DomainError.self) { _ = try world.state.reviewerView(token: token) }
        #expect(world.failure(.withdrawRequest(businessId: "acme", requestId: id))?.reason == .wrongStatus)
        // No email for a withdrawal: only the creation's.
        #expect(world.state.undeliveredNotifications().map(\.entry.kind) == [.requestToReviewer])
    }

    @Test("manual reminder: only on expired, once; new 5-day window; no automatic reminder in it")
    func manualReminder() throws {
        var world = World.make()
        let (id, token) = world.create()
        #expect(world.failure(.sendManualReminder(businessId: "acme", requestId: id))?.reason == .wrongStatus)
        _ = world.advance(to: World.t0 + 6 * World.day)
        #expect(world.state.request(id: id)?.status == .expired)
        world.now = World.t0 + 7 * World.day
        world.must(.sendManualReminder(businessId: "acme", requestId: id))
        let request = try #require(world.state.request(id: id))
        #expect(request.status == .pending)
        #expect(request.deadline == World.t0 + 12 * World.day)
        #expect(world.state.undeliveredNotifications().last?.entry.kind == .manualReminder)
        // 72 h into the second window: nothing automatic.
        #expect(world.advance(to: World.t0 + 10 * World.day + 1).isEmpty)
        // The token works again in the new window.
        #expect(world.failure(.reply(token: token, ReviewerReply(referenceNumber: "X"))) == nil)
        // Once only.
        var again = World.make()
        let (second, _) = again.create()
        _ = again.advance(to: World.t0 + 6 * World.day)
        again.must(.sendManualReminder(businessId: "acme", requestId: second))
        _ = again.advance(to: World.t0 + 12 * World.day)
        #expect(again.state.request(id: second)?.status == .expired)
        #expect(again.failure(.sendManualReminder(businessId: "acme", requestId: second))?.reason == .manualReminderUsed)
    }

    @Test("a manual reminder cannot reopen a request while a newer one on the review is open (found by the randomized test)")
    func manualReminderKeepsOneOpen() {
        var world = World.make()
        let (first, _) = world.create()
        _ = world.advance(to: World.t0 + 6 * World.day)
        _ = world.create()
        #expect(world.failure(.sendManualReminder(businessId: "acme", requestId: first))?.reason == .requestAlreadyOpen)
    }

    @Test("after 8 days down, catching up applies the reminder and the expiry once, in order, at their due times")
    func catchUpAfterDowntime() throws {
        var world = World.make()
        let (id, _) = world.create()
        let due = world.state.dueTransitions(at: World.t0 + 8 * World.day)
        #expect(due.map(\.dueAt) == [World.t0 + 72 * World.hour, World.t0 + 120 * World.hour])
        let events = world.advance(to: World.t0 + 8 * World.day)
        #expect(events.count == 2)
        let timeline = try #require(world.state.request(id: id)).timeline
        #expect(timeline.map(\.kind) == [.created, .automaticReminderSent, .expired])
        #expect(timeline.map(\.at) == [World.t0, World.t0 + 72 * World.hour, World.t0 + 120 * World.hour])
        #expect(world.advance(to: World.t0 + 9 * World.day).isEmpty)
    }

    @Test("a transition applied twice changes nothing")
    func idempotentTransitions() throws {
        var world = World.make()
        let (id, _) = world.create()
        world.now = World.t0 + 6 * World.day
        let reminder = DomainCommand.sendAutomaticReminder(requestId: id, dueAt: World.t0 + 72 * World.hour)
        #expect(try world.run(reminder).count == 1)
        #expect(try world.run(reminder).isEmpty)
        let expiry = DomainCommand.expire(requestId: id, dueAt: World.t0 + 120 * World.hour)
        #expect(try world.run(expiry).count == 1)
        #expect(try world.run(expiry).isEmpty)
        // Applying the same event twice is harmless too.
        let before = world.state
        world.state.apply(.requestExpired(requestId: id, at: World.t0, outboxId: "out_again"))
        world.state.apply(.automaticReminderSent(requestId: id, at: World.t0, outboxId: "out_again2"))
        #expect(world.state == before)
    }

    @Test("the next due time lets a timer sleep exactly until it")
    func nextDueTime() {
        var world = World.make()
        #expect(world.state.nextDueTime() == nil)
        _ = world.create()
        #expect(world.state.nextDueTime() == World.t0 + 72 * World.hour)
        _ = world.advance(to: World.t0 + 72 * World.hour)
        #expect(world.state.nextDueTime() == World.t0 + 120 * World.hour)
    }
}
