@testable import FindReviewerDomain
import Testing

/// A world where Ann wrote two of Acme's reviews, so that a block has two requests to decline.
private func makeWorld(settings: DomainSettings = DomainSettings()) -> World {
    var world = World.make(settings: settings)
    world.must(.publishReview(World.makeReview(id: "r-second", source: .organic)))
    return world
}

private func kinds(_ events: [DomainEvent]) -> [String] {
    events.map { String(String(describing: $0).prefix { $0 != "(" }) }
}

@Suite("Blocking a business (DESIGN.md §9)")
struct BlockTests {
    @Test("block from the link: declined as usual for the business, later creates refused with REVIEWER_NOT_CONTACTABLE")
    func blockDeclinesAndRefuses() throws {
        var world = makeWorld()
        let (id, token) = world.create()
        let events = world.must(.blockBusiness(token: token))
        #expect(kinds(events) == ["requestDeclined", "businessBlocked"])
        // The business sees exactly what a plain decline shows: view, review summary, emails.
        var declined = makeWorld()
        let (sameId, otherToken) = declined.create()
        declined.must(.decline(token: otherToken))
        #expect(sameId == id)
        #expect(try world.state.businessView(requestId: id, businessId: "acme") == declined.state.businessView(requestId: id, businessId: "acme"))
        #expect(try world.state.businessView(reviewId: "r-organic", businessId: "acme") == declined.state.businessView(reviewId: "r-organic", businessId: "acme"))
        #expect(world.emailKinds(of: id).filter { !$0.isForReviewer } == [.declined])
        #expect(world.emailKinds(of: id) == [.requestToReviewer, .declined, .businessBlocked])
        #expect(try world.state.timeline(requestId: id, businessId: "acme").map(\.kind) == [.created, .declined])

        // Another of Ann's reviews: refused, without a word about why.
        let refused = world.failure(World.makeCreate(review: "r-second"))
        #expect(refused?.code == .failedPrecondition)
        #expect(refused?.reason == .reviewerNotContactable)
        #expect(refused?.message == "the author of this review cannot be contacted through Find Reviewer")
        // Bo's review, and Ann's review of another business, are not affected.
        #expect(world.failure(World.makeCreate(review: "r-invited")) == nil)
        #expect(world.failure(World.makeCreate(business: "other", review: "r-other")) == nil)
        // The declined request is a Find Reviewer try: the not-genuine report is possible.
        #expect(world.failure(.createReport(businessId: "acme", reviewId: "r-organic", reason: .notGenuineExperience, explanation: "No stay.", acknowledged: true)) == nil)
    }

    @Test("blocking declines every pending request of that business to the reviewer, and no other")
    func blockDeclinesAllOfThePair() throws {
        var world = makeWorld()
        let (first, token) = world.create()
        world.now += World.hour
        let (second, _) = world.create(review: "r-second")
        let (elsewhere, _) = world.create(review: "r-other", business: "other")
        let (bos, _) = world.create(review: "r-invited")
        world.now += World.hour
        let events = world.must(.blockBusiness(token: token))
        #expect(kinds(events) == ["requestDeclined", "requestDeclined", "businessBlocked"])
        for id in [first, second] {
            #expect(world.state.request(id: id)?.status == .declined)
            #expect(world.state.request(id: id)?.closedAt == world.now)
        }
        #expect(world.state.request(id: elsewhere)?.status == .pending)
        #expect(world.state.request(id: bos)?.status == .pending)
        // The automatic reminders of the declined ones never come.
        let later = world.advance(to: World.t0 + 4 * World.day)
        #expect(later.allSatisfy { if case .automaticReminderSent(let id, _, _) = $0 { return id == elsewhere || id == bos } else { return false } })
    }

    @Test("the block works from any link of the business to the reviewer except a withdrawn one; repeating it changes nothing")
    func blockFromLaterLinks() throws {
        var world = makeWorld()
        let (expired, expiredToken) = world.create()
        _ = world.advance(to: World.t0 + 6 * World.day)
        #expect(world.state.request(id: expired)?.status == .expired)
        let events = world.must(.blockBusiness(token: expiredToken))
        #expect(kinds(events) == ["businessBlocked"])
        #expect(world.state.request(id: expired)?.status == .expired)
        #expect(try world.run(.blockBusiness(token: expiredToken)).isEmpty)

        var other = makeWorld()
        let (withdrawn, withdrawnToken) = other.create()
        other.must(.withdrawRequest(businessId: "acme", requestId: withdrawn))
        #expect(other.failure(.blockBusiness(token: withdrawnToken))?.code == .notFound)
        #expect(other.failure(.blockBusiness(token: String(repeating: "9", count: 48)))?.code == .notFound)
        // An answered request's link works too.
        let (_, answeredToken) = other.create(review: "r-second")
        other.must(.reply(token: answeredToken, ReviewerReply(note: "hi")))
        #expect(kinds(other.must(.blockBusiness(token: answeredToken))) == ["businessBlocked"])
    }

    @Test("a block after the deadline: the open request expires at its deadline first, as the timer would have")
    func blockAfterTheDeadline() throws {
        var world = makeWorld()
        let (id, token) = world.create()
        let deadline = try #require(world.state.request(id: id)).deadline
        world.now = deadline + 10
        let events = world.must(.blockBusiness(token: token))
        guard case .requestExpired(_, let at, _) = events.first else { Issue.record("no expiry: \(events)"); return }
        #expect(at == deadline)
        #expect(world.state.request(id: id)?.timeline.map(\.kind) == [.created, .expired])
    }

    @Test("lifting the block: from a link of the business's requests or by an admin; the reviewer gets an email each time")
    func unblock() throws {
        var world = makeWorld()
        let (older, olderToken) = world.create()
        world.must(.withdrawRequest(businessId: "acme", requestId: older))
        let (_, oldToken) = world.create(review: "r-second")
        world.must(.decline(token: oldToken))
        let (blocking, token) = world.create()
        world.must(.blockBusiness(token: token))
        #expect(try world.state.listBlocks(reviewerId: "ann").items.map(\.businessId) == ["acme"])
        // A withdrawn request's link does not work; another of Acme's to Ann does.
        #expect(world.failure(.unblockBusiness(token: olderToken))?.code == .notFound)
        let events = world.must(.unblockBusiness(token: oldToken))
        guard case .businessUnblocked(let reviewer, let business, let at, let about, let outboxId) = events.first else {
            Issue.record("no unblock: \(events)")
            return
        }
        #expect((reviewer, business, at) == ("ann", "acme", world.now))
        let email = try #require(world.state.notificationContext(outboxId: outboxId))
        #expect(email.entry.kind == .businessUnblocked)
        #expect(email.recipientAddress == "ann@mail.example")
        #expect(email.replyToken == oldToken)
        #expect(about != blocking)
        #expect(world.failure(World.makeCreate()) == nil)
        #expect(try world.run(.unblockBusiness(token: oldToken)).isEmpty)

        // Support lifts it for her: the email goes with the request she blocked from.
        world.must(.withdrawRequest(businessId: "acme", requestId: "req_00000004"))
        world.must(.blockBusiness(token: token))
        let admin = world.must(.unblockBusinessForReviewer(businessId: "acme", reviewerId: "ann"))
        guard case .businessUnblocked(_, _, _, let requestId, _) = admin.first else { Issue.record("no unblock"); return }
        #expect(requestId == blocking)
        #expect(try world.run(.unblockBusinessForReviewer(businessId: "acme", reviewerId: "ann")).isEmpty)
        #expect(world.failure(.unblockBusinessForReviewer(businessId: "acme", reviewerId: "nobody"))?.code == .notFound)
        #expect(try world.state.listBlocks(reviewerId: "ann").items.isEmpty)
    }

    @Test("a manual reminder to a reviewer who blocked the business is refused")
    func manualReminderRefused() {
        var world = makeWorld()
        let (id, token) = world.create()
        _ = world.advance(to: World.t0 + 6 * World.day)
        world.must(.blockBusiness(token: token))
        #expect(world.failure(.sendManualReminder(businessId: "acme", requestId: id))?.reason == .reviewerNotContactable)
    }

    @Test("the reviewer's page says the business is blocked, in the reviewer's language; the business's never does",
        arguments: [("en", "You asked Acme Travel not to contact you again"), ("sv", "Du har bett Acme Travel"), ("de", "Sie haben Acme Travel gebeten")])
    func views(locale: String, expected: String) throws {
        var world = makeWorld()
        world.must(.upsertReviewer(Reviewer(id: "ann", displayName: "Ann", email: "ann@mail.example", locale: locale)))
        let (id, token) = world.create()
        #expect(try world.state.reviewerView(token: token).businessBlocked == false)
        world.must(.blockBusiness(token: token))
        let view = try world.state.reviewerView(token: token)
        #expect(view.businessBlocked)
        #expect(view.status == .declined)
        #expect(view.notice.hasPrefix(expected))
        let business = try world.state.businessView(requestId: id, businessId: "acme")
        #expect(business.notice.isEmpty)
    }
}

@Suite("Retention of shared details (DESIGN.md §9)")
struct RetentionTests {
    static let retention = DomainSettings.defaultReplyRetention

    @Test("the details are erased exactly 90 days after the answer, once; not a second before")
    func exactlyOnce() throws {
        var world = makeWorld()
        let (id, token) = world.create()
        world.now += World.hour
        let answeredAt = world.now
        world.must(.reply(token: token, ReviewerReply(referenceNumber: "BK-1", fullName: "Ann Andersson", note: "Room 12")))
        world.must(.openReply(businessId: "acme", requestId: id))
        var view = try world.state.businessView(requestId: id, businessId: "acme")
        #expect(view.reply?.referenceNumber == "BK-1")
        #expect(view.replyRetainedUntil == answeredAt + Self.retention)
        #expect(world.state.nextDueTime() == answeredAt + Self.retention)

        #expect(world.advance(to: answeredAt + Self.retention - 1).isEmpty)
        #expect(world.state.request(id: id)?.reply?.note == "Room 12")
        let events = world.advance(to: answeredAt + Self.retention)
        #expect(events == [.replyDetailsErased(requestId: id, at: answeredAt + Self.retention)])
        let request = try #require(world.state.request(id: id))
        #expect(request.reply == ReviewerReply(repliedAt: answeredAt))
        #expect(request.replyErasedAt == answeredAt + Self.retention)
        #expect(request.replyErasure == .retentionPeriod)
        #expect(request.timeline.map(\.kind) == [.created, .answered, .replyOpened, .replyDetailsErased])
        #expect(request.timeline.last?.at == answeredAt + Self.retention)
        view = try world.state.businessView(requestId: id, businessId: "acme")
        #expect(view.reply == nil && view.replyAvailable && view.answeredAt == answeredAt)
        #expect(view.replyErasure == .retentionPeriod)
        #expect(view.replyRetainedUntil == nil)
        #expect(try world.state.businessView(reviewId: "r-organic", businessId: "acme").findReviewer.reply == nil)
        #expect(world.advance(to: answeredAt + 2 * Self.retention).isEmpty)
        #expect(world.state.nextDueTime() == nil)
        // Not an email: the timeline and the view say it.
        #expect(world.emailKinds(of: id) == [.requestToReviewer, .replyReceived])
    }

    @Test("after downtime past several due times, each erasure happens once, at its own due time, in order; a restart first changes nothing")
    func catchUp() throws {
        var world = makeWorld()
        var answered: [(String, UnixSeconds)] = []
        for (index, review) in ["r-organic", "r-invited", "r-second"].enumerated() {
            world.now = World.t0 + UnixSeconds(index) * 7 * World.hour
            let (id, token) = world.create(review: review)
            world.now += 13
            world.must(.reply(token: token, ReviewerReply(note: "note \(index)")))
            answered.append((id, world.now))
        }
        // Down for a year: on start the state comes back from its snapshot, then the timer catches up.
        var restarted = World(settings: world.state.settings)
        restarted.state = World.restored(world.state)
        let due = restarted.state.dueTransitions(at: World.t0 + 365 * World.day)
        #expect(due.map(\.requestId) == answered.map(\.0))
        #expect(due.map(\.dueAt) == answered.map { $0.1 + Self.retention })
        let events = restarted.advance(to: World.t0 + 365 * World.day)
        #expect(events == answered.map { .replyDetailsErased(requestId: $0.0, at: $0.1 + Self.retention) })
        #expect(restarted.advance(to: World.t0 + 366 * World.day).isEmpty)
        _ = world.advance(to: World.t0 + 365 * World.day)
        #expect(restarted.state == world.state)
    }

    @Test("the setting decides the due time, and a restored state keeps to it")
    func configurable() throws {
        let settings = DomainSettings(replyRetention: 7 * World.day)
        var world = makeWorld(settings: settings)
        let (id, token) = world.create()
        world.must(.reply(token: token, ReviewerReply(note: "x")))
        var restored = World(settings: settings)
        restored.state = World.restored(world.state)
        #expect(restored.state == world.state)
        #expect(world.advance(to: World.t0 + 7 * World.day - 1).isEmpty)
        let events = world.advance(to: World.t0 + 7 * World.day)
        #expect(events == [.replyDetailsErased(requestId: id, at: World.t0 + 7 * World.day)])
        #expect(restored.advance(to: World.t0 + 8 * World.day) == events)
        #expect(try world.state.businessView(requestId: id, businessId: "acme").notice.contains("7 dagar"))
    }

    @Test("a shorter retention at the next start erases what is overdue on the first pass, never before the reply was opened")
    func shorterSettingAtRestart() throws {
        var world = makeWorld()
        let (opened, openedToken) = world.create()
        let (kept, keptToken) = world.create(review: "r-invited")
        world.must(.reply(token: openedToken, ReviewerReply(note: "x")))
        world.must(.reply(token: keptToken, ReviewerReply(note: "y")))
        world.now = World.t0 + 10 * World.day
        world.must(.openReply(businessId: "acme", requestId: opened))
        // Restarted with 7 days instead of 90, on day 20.
        var restorer = SnapshotRestorer(settings: DomainSettings(replyRetention: 7 * World.day))
        world.state.forEachSnapshotItem { restorer.add($0) }
        var restarted = World(settings: DomainSettings(replyRetention: 7 * World.day))
        restarted.state = restorer.finish()
        let events = restarted.advance(to: World.t0 + 20 * World.day)
        // Each at its due time under the new setting, in time order; the opened one not before its opening.
        #expect(events == [
            .replyDetailsErased(requestId: kept, at: World.t0 + 7 * World.day),
            .replyDetailsErased(requestId: opened, at: World.t0 + 10 * World.day),
        ])
        let timeline = try #require(restarted.state.request(id: opened)).timeline
        #expect(timeline.map(\.at) == timeline.map(\.at).sorted())
    }

    @Test("opening a reply after its retention ended is refused, even before the timer erased it")
    func openAfterRetention() throws {
        var world = makeWorld()
        let (id, token) = world.create()
        world.must(.reply(token: token, ReviewerReply(note: "x")))
        world.now = World.t0 + Self.retention
        let refused = world.failure(.openReply(businessId: "acme", requestId: id))
        #expect(refused?.reason == .replyNotAvailable)
        _ = world.advance(to: world.now)
        #expect(world.failure(.openReply(businessId: "acme", requestId: id))?.reason == .replyNotAvailable)
        // Opened in time: opening again later changes nothing and is not an error.
        var opened = makeWorld()
        let (openedId, openedToken) = opened.create()
        opened.must(.reply(token: openedToken, ReviewerReply(note: "x")))
        opened.must(.openReply(businessId: "acme", requestId: openedId))
        _ = opened.advance(to: World.t0 + Self.retention)
        #expect(try opened.run(.openReply(businessId: "acme", requestId: openedId)).isEmpty)
    }

    @Test("the views say when the details go and that they went, in each side's language")
    func notices() throws {
        var world = makeWorld()
        let (id, token) = world.create()
        world.must(.reply(token: token, ReviewerReply(note: "x")))
        let until = World.t0 + Self.retention
        // Acme reads Swedish, Ann English.
        #expect(try world.state.businessView(requestId: id, businessId: "acme").notice
            == "Uppgifterna som recensenten delade sparas till \(CivilTime.format(until, .sv)) (90 dagar efter svaret) och tas sedan bort.")
        #expect(try world.state.reviewerView(token: token).notice == "Acme Travel can see what you shared until \(CivilTime.format(until, .en)); then it is deleted.")
        #expect(try world.state.reviewerView(token: token).replyRetainedUntil == until)
        _ = world.advance(to: until)
        #expect(try world.state.businessView(requestId: id, businessId: "acme").notice
            == "Uppgifterna som recensenten delade togs bort \(CivilTime.format(until, .sv)), 90 dagar efter svaret (lagringstiden).")
        #expect(try world.state.reviewerView(token: token).notice == "What you shared with Acme Travel was deleted on \(CivilTime.format(until, .en)).")
        #expect(try world.state.reviewerView(token: token).replyErasedAt == until)
    }
}

@Suite("Erasure of a reviewer (DESIGN.md §9)")
struct ErasureTests {
    @Test("what remains: stubs with ids, times, ratings and the business's own words; the reviewer's data is gone")
    func whatRemains() throws {
        var world = makeWorld()
        world.must(.setPublicReply(businessId: "acme", reviewId: "r-organic", text: "Sorry!"))
        let (answered, answeredToken) = world.create()
        world.must(.reply(token: answeredToken, ReviewerReply(referenceNumber: "BK-7", fullName: "Ann Andersson", note: "Room 12")))
        world.must(.openReply(businessId: "acme", requestId: answered))
        let (pending, pendingToken) = world.create(review: "r-other", business: "other")
        world.must(.blockBusiness(token: answeredToken))
        let countsBefore = try world.state.listRequests(businessId: "acme").counts
        world.now += World.hour
        let events = world.must(.eraseReviewer(reviewerId: "ann"))
        #expect(kinds(events) == ["reviewerErased"])

        #expect(try world.state.getReviewer("ann") == Reviewer(id: "ann", displayName: "", email: "", locale: "", erasedAt: world.now))
        for id in ["r-organic", "r-second", "r-platform", "r-other"] {
            let review = try #require(world.state.reviews[id])
            #expect(review.title.isEmpty && review.text.isEmpty && review.experienceDate.isEmpty)
            #expect(review.rating == 2 && review.reviewerId == "ann")
            #expect(world.failure(.publishReview(World.makeReview(id: id, business: review.businessId, source: .organic)))?.reason == .reviewerErased)
        }
        #expect(world.state.reviews["r-organic"]?.publicReply?.text == "Sorry!")
        #expect(world.state.reviews["r-invited"]?.title == "Title of r-invited")
        for (id, token) in [(answered, answeredToken), (pending, pendingToken)] {
            let request = try #require(world.state.request(id: id))
            #expect(request.token.isEmpty)
            #expect(request.reviewerErasedAt == world.now)
            #expect(request.timeline.last == TimelineEntry(at: world.now, kind: .reviewerErased))
            #expect(request.message == "Hello! Could you share your booking number?")
            #expect(world.failure(.reply(token: token, ReviewerReply(note: "x")))?.code == .notFound)
            #expect(throws: DomainError.self) { _ = try world.state.reviewerView(token: token) }
        }
        let reply = try #require(world.state.request(id: answered)?.reply)
        #expect(reply == ReviewerReply(repliedAt: World.t0))
        #expect(world.state.request(id: answered)?.replyErasure == .reviewerErased)
        #expect(try world.state.listRequests(businessId: "acme").counts == countsBefore)
        #expect(world.state.blocks["ann"] == nil)

        // Views: the stub, its erasure said in the business's language; no public page.
        let review = try world.state.businessView(reviewId: "r-organic", businessId: "acme")
        #expect(review.reviewerErased && review.reviewerDisplayName.isEmpty && review.findReviewer.reply == nil)
        #expect(review.findReviewer.replyErasure == .reviewerErased)
        #expect(try world.state.businessView(requestId: answered, businessId: "acme").notice.hasPrefix("Recensentens personuppgifter raderades"))
        #expect(try world.state.businessView(requestId: pending, businessId: "other").notice.hasPrefix("Die personenbezogenen Daten des Bewerters"))
        #expect(throws: DomainError.self) { _ = try world.state.publicView(reviewId: "r-organic") }

        // The id cannot come back; repeating the erasure changes nothing.
        #expect(world.failure(.upsertReviewer(Reviewer(id: "ann", displayName: "Ann", email: "ann@mail.example")))?.reason == .reviewerErased)
        #expect(try world.run(.eraseReviewer(reviewerId: "ann")).isEmpty)
        #expect(world.failure(.eraseReviewer(reviewerId: "nobody"))?.code == .notFound)
        // Not contactable, in the same words as a block.
        world.must(.withdrawRequest(businessId: "other", requestId: pending))
        #expect(world.failure(World.makeCreate(business: "other", review: "r-other"))?.message == DomainError.notContactable.message)
        #expect(World.restored(world.state) == world.state)
    }

    @Test("the reviews found on an older copy, off the lock, plus those published since: the same erasure as a full scan")
    func foundOffTheLock() throws {
        var world = makeWorld()
        let copy = world.state
        let found = copy.reviewsOfReviewer("ann")
        world.must(.publishReview(World.makeReview(id: "r-late", source: .organic)))
        var scanned = world
        let events = world.must(.eraseReviewer(reviewerId: "ann", found: found))
        #expect(events == scanned.must(.eraseReviewer(reviewerId: "ann")))
        guard case .reviewerErased(_, _, let reviewIds) = events.last else { Issue.record("no erasure"); return }
        #expect(reviewIds == ["r-organic", "r-platform", "r-other", "r-second", "r-late"])
        // Found for someone else: ignored, the command scans everything itself.
        var other = makeWorld()
        var full = other
        let wrong = other.state.reviewsOfReviewer("bo")
        #expect(other.must(.eraseReviewer(reviewerId: "ann", found: wrong)) == full.must(.eraseReviewer(reviewerId: "ann")))
    }

    @Test("pending emails: those to the reviewer are dropped for good, the business's still go out without the reviewer's data")
    func pendingEmails() throws {
        var world = makeWorld()
        let (id, token) = world.create()
        world.must(.reply(token: token, ReviewerReply(note: "Room 12")))
        let toReviewer = try #require(world.state.outbox.values.first { $0.kind == .requestToReviewer })
        world.must(.eraseReviewer(reviewerId: "ann"))
        #expect(world.state.outbox[toReviewer.id]?.cancelledAt == world.now)
        let pending = world.state.undeliveredNotifications()
        #expect(pending.map(\.entry.kind) == [.replyReceived])
        #expect(pending.first?.reviewTitle == "")
        #expect(pending.first?.recipientAddress == "fr@acme.example")
        #expect(world.state.notificationContext(outboxId: toReviewer.id) == nil)
        // A delivery that raced the erasure is not recorded; the entry stays cancelled.
        #expect(try world.run(.markDelivered(outboxId: toReviewer.id)).isEmpty)
        // What the server must delete from the outbox directory: every email about her requests.
        #expect(world.state.outboxEntryIds(ofReviewer: "ann") == world.state.outbox.values.filter { $0.requestId == id }.map(\.id))
    }

    @Test("a pending request of an erased reviewer runs to its deadline without reminders; one already past it expires at its deadline first")
    func pendingRequests() throws {
        var world = makeWorld()
        let (late, _) = world.create()
        world.now = World.t0 + 48 * World.hour
        let (open, _) = world.create(review: "r-second")
        // Erased after the first request's deadline and the second's reminder time, before the timer ran.
        world.now = World.t0 + 121 * World.hour
        let events = world.must(.eraseReviewer(reviewerId: "ann"))
        #expect(kinds(events) == ["requestExpired", "reviewerErased"])
        #expect(world.state.request(id: late)?.closedAt == World.t0 + 120 * World.hour)
        #expect(world.state.request(id: late)?.timeline.map(\.kind) == [.created, .expired, .reviewerErased])
        let later = world.advance(to: World.t0 + 300 * World.hour)
        #expect(later == [.requestExpired(requestId: open, at: World.t0 + 168 * World.hour, outboxId: "out_00000004")])
        #expect(world.state.request(id: open)?.timeline.map(\.kind) == [.created, .reviewerErased, .expired])
        #expect(world.failure(.sendManualReminder(businessId: "acme", requestId: open))?.reason == .reviewerNotContactable)
    }
}

@Suite("Fair use per business (DESIGN.md §9)")
struct FairUseTests {
    static let settings = DomainSettings(maxRequestsPerDayFree: 3, maxRequestsPerDayPaid: 5)

    /// Acme (free) and Other (paid) with `count` organic reviews each, by Ann.
    static func makeWorld(reviews count: Int = 12) -> World {
        var world = World.make(settings: Self.settings)
        world.must(.upsertBusiness(Business(id: "other", displayName: "Other Shop", notificationEmail: "ops@other.example", plan: .paid)))
        for index in 0..<count {
            world.must(.publishReview(World.makeReview(id: "a\(index)", source: .organic)))
            world.must(.publishReview(World.makeReview(id: "o\(index)", business: "other", source: .organic)))
        }
        return world
    }

    @Test("the N+1th request in 24 hours is RESOURCE_EXHAUSTED REQUEST_LIMIT_REACHED with the time the next is possible")
    func limit() throws {
        var world = Self.makeWorld()
        for index in 0..<3 {
            world.now = World.t0 + UnixSeconds(index) * World.hour
            let (id, _) = world.create(review: "a\(index)")
            // Withdrawn requests count too: they were created.
            if index == 1 { world.must(.withdrawRequest(businessId: "acme", requestId: id)) }
        }
        world.now = World.t0 + 3 * World.hour
        let failure = world.failure(World.makeCreate(review: "a3"))
        let error = try #require(failure)
        #expect(error.code == .resourceExhausted)
        #expect(error.reason == .requestLimitReached)
        #expect(error.retryAt == World.t0 + World.day)
        #expect(error.detail == String(World.t0 + World.day))
        #expect(error.message.contains(CivilTime.iso8601(World.t0 + World.day)))
        #expect(error.message.contains("3 requests"))
        // Rolling: a second before the oldest leaves the window still refused, at that second allowed.
        world.now = World.t0 + World.day - 1
        #expect(world.failure(World.makeCreate(review: "a3"))?.retryAt == World.t0 + World.day)
        world.now = World.t0 + World.day
        #expect(world.failure(World.makeCreate(review: "a3")) == nil)
        // Now the window holds the requests of +1 h, +2 h and this one: the next waits for +1 h + 24 h.
        #expect(world.failure(World.makeCreate(review: "a4"))?.retryAt == World.t0 + World.hour + World.day)
    }

    @Test("a repeated create with a used idempotency key still returns the original over the limit")
    func idempotentRetry() throws {
        var world = Self.makeWorld()
        for index in 0..<2 { _ = world.create(review: "a\(index)") }
        world.must(World.makeCreate(review: "a2", key: "k-1"))
        #expect(world.failure(World.makeCreate(review: "a3"))?.reason == .requestLimitReached)
        #expect(try world.run(World.makeCreate(review: "a2", key: "k-1")).isEmpty)
    }

    @Test("the plan decides N; a change of plan applies at once")
    func byPlan() throws {
        var world = Self.makeWorld()
        for index in 0..<5 { _ = world.create(review: "o\(index)", business: "other") }
        #expect(world.failure(World.makeCreate(business: "other", review: "o5"))?.reason == .requestLimitReached)
        world.must(.upsertBusiness(Business(id: "other", displayName: "Other Shop", notificationEmail: "ops@other.example", plan: .free)))
        #expect(world.failure(World.makeCreate(business: "other", review: "o5"))?.retryAt == World.t0 + World.day)
        for index in 0..<3 { _ = world.create(review: "a\(index)") }
        #expect(world.failure(World.makeCreate(review: "a3"))?.reason == .requestLimitReached)
    }

    @Test("counted from the durable state: after a restart (snapshot or replay) the limit still holds")
    func survivesRestart() throws {
        var world = Self.makeWorld()
        var log: [DomainEvent] = []
        for index in 0..<3 {
            log += world.must(World.makeCreate(review: "a\(index)"))
        }
        let restored = World.restored(world.state)
        #expect(throws: DomainError.self) { _ = try restored.execute(World.makeCreate(review: "a3"), now: world.now) }
        var replayed = Self.makeWorld()
        replayed.state.apply(log)
        #expect(throws: DomainError.self) { _ = try replayed.state.execute(World.makeCreate(review: "a3"), now: world.now) }
    }

    @Test("a long history does not change the answer: only the request N places back from the newest decides")
    func longHistory() throws {
        var world = Self.makeWorld(reviews: 300)
        // 300 requests, one every 9 hours: never more than 3 in 24 hours.
        for index in 0..<300 {
            world.now = World.t0 + UnixSeconds(index) * 9 * World.hour
            #expect(world.failure(World.makeCreate(review: "a\(index)")) == nil)
        }
        // One hour after the last: the 298th (0-based 297) is still within 24 hours.
        world.now += World.hour
        #expect(world.failure(World.makeCreate(review: "a0"))?.retryAt == World.t0 + 297 * 9 * World.hour + World.day)
    }
}

@Suite("Skipping the business's emails (skip_business_notification_email)")
struct SkipBusinessEmailTests {
    @Test("no email to the business when answered, declined, expired or declined by a block; the reviewer's emails, timeline and views are unchanged")
    func skipped() throws {
        var world = makeWorld()
        let (answered, answeredToken) = world.create(skipBusinessEmails: true)
        let (declined, declinedToken) = world.create(review: "r-invited", skipBusinessEmails: true)
        let (expired, _) = world.create(review: "r-other", business: "other", skipBusinessEmails: true)
        world.must(.reply(token: answeredToken, ReviewerReply(note: "hi")))
        world.must(.decline(token: declinedToken))
        _ = world.advance(to: World.t0 + 6 * World.day)
        #expect(world.emailKinds(of: answered) == [.requestToReviewer])
        #expect(world.emailKinds(of: declined) == [.requestToReviewer])
        #expect(world.emailKinds(of: expired) == [.requestToReviewer, .automaticReminder])
        #expect(world.state.request(id: expired)?.timeline.map(\.kind) == [.created, .automaticReminderSent, .expired])
        let view = try world.state.businessView(requestId: answered, businessId: "acme")
        #expect(view.skipBusinessNotificationEmail && view.replyAvailable && view.status == .answered)
        // Manual reminder: the reviewer is emailed; the business still is not when it expires again.
        world.must(.sendManualReminder(businessId: "other", requestId: expired))
        _ = world.advance(to: World.t0 + 12 * World.day)
        #expect(world.emailKinds(of: expired) == [.requestToReviewer, .automaticReminder, .manualReminder])
        // A block declines it without telling the business either; the reviewer's confirmation goes out.
        let (blocked, blockedToken) = world.create(review: "r-second", skipBusinessEmails: true)
        world.must(.blockBusiness(token: blockedToken))
        #expect(world.emailKinds(of: blocked) == [.requestToReviewer, .businessBlocked])
        #expect(World.restored(world.state) == world.state)
        // Without the flag the business hears of each.
        var plain = makeWorld()
        let (id, token) = plain.create()
        plain.must(.decline(token: token))
        #expect(plain.emailKinds(of: id) == [.requestToReviewer, .declined])
    }
}

@Suite("View texts in en, sv and de")
struct ViewTextTests {
    @Test("every timeline step has its own words in every language", arguments: Language.allCases)
    func timeline(language: Language) {
        let texts = TimelineKind.allCases.map { ViewTexts.timeline($0, language) }
        #expect(Set(texts).count == texts.count)
        #expect(texts.allSatisfy { !$0.isEmpty })
        if language != .en {
            #expect(zip(texts, TimelineKind.allCases.map { ViewTexts.timeline($0, .en) }).allSatisfy { $0 != $1 })
        }
    }

    @Test("times are written in UTC: in each language, and as ISO 8601 for programs")
    func civilTime() {
        #expect(CivilTime.format(1_795_968_000, .en) == "29 November 2026, 16:00 UTC")
        #expect(CivilTime.format(1_795_968_000, .de) == "29. November 2026, 16:00 Uhr UTC")
        #expect(CivilTime.iso8601(1_795_968_000) == "2026-11-29T16:00:00Z")
        #expect(CivilTime.iso8601(0) == "1970-01-01T00:00:00Z")
        #expect(CivilTime.iso8601(951_782_405) == "2000-02-29T00:00:05Z")
    }
}

@Suite("What the reviewer's controls cost per entity")
struct LayoutTests {
    @Test("an email is 56 bytes, a review 120, a reviewer 72; a request holds its token inline (168 bytes, no allocation of 112 for it)")
    func strides() {
        #expect(MemoryLayout<InfoRequest>.stride == 168)
        #expect(MemoryLayout<StoredToken>.size == 40)
        #expect(MemoryLayout<StoredText>.size == 16)
        #expect(MemoryLayout<OutboxEntry>.stride == 56)
        #expect(MemoryLayout<Review>.stride == 120)
        #expect(MemoryLayout<Reviewer>.stride == 72)
    }

    @Test("a request's times, kept as offsets from its creation, come back exactly; times too far from it are kept whole")
    func requestTimes() {
        let created: UnixSeconds = 1_790_000_000
        for (windowStart, deadline, reminder) in [
            (created, created + Schedule.replyWindow, UnixSeconds?.none), (created - 30, created + 7, created + 1),
            (created + UnixSeconds(Int32.max), created + UnixSeconds(Int32.max) + 1, created + UnixSeconds(Int32.min) + 2),
            (created + UnixSeconds(Int32.min), created + UnixSeconds(Int32.min) + 1, .max), (.min, .max, .min),
        ] as [(UnixSeconds, UnixSeconds, UnixSeconds?)] {
            var request = InfoRequest(
                id: "req_00000001", businessId: "b", reviewId: "r", reviewerId: "v", message: "m", requestedFields: [.fullName],
                referenceLabel: "", status: .pending, createdAt: created, windowStart: windowStart, deadline: deadline,
                automaticReminderAt: reminder, token: "", timeline: [TimelineEntry(at: created, kind: .created)])
            #expect(request.windowStart == windowStart && request.deadline == deadline && request.automaticReminderAt == reminder)
            // Moving the creation keeps the other times; bringing a time into range again drops its whole copy.
            request.createdAt = windowStart
            #expect(request.createdAt == windowStart && request.windowStart == windowStart && request.deadline == deadline)
            #expect(request.automaticReminderAt == reminder)
            request.createdAt = created
            request.windowStart = created + 60
            request.deadline = created + 120
            request.automaticReminderAt = nil
            #expect(request == InfoRequest(
                id: "req_00000001", businessId: "b", reviewId: "r", reviewerId: "v", message: "m", requestedFields: [.fullName],
                referenceLabel: "", status: .pending, createdAt: created, windowStart: created + 60, deadline: created + 120,
                token: "", timeline: [TimelineEntry(at: created, kind: .created)]))
        }
    }

    @Test("an email is delivered or cancelled, never both")
    func deliveredOrCancelled() {
        var entry = OutboxEntry(id: "out_00000001", kind: .requestToReviewer, requestId: "req_00000001", createdAt: 1)
        #expect(entry.isPending)
        entry.cancelledAt = 5
        #expect(entry.cancelledAt == 5 && entry.deliveredAt == nil && !entry.isPending)
        entry.deliveredAt = 6
        #expect(entry.deliveredAt == 6 && entry.cancelledAt == nil)
        #expect(OutboxEntry(id: "x", kind: .declined, requestId: "r", createdAt: 1, deliveredAt: 2, cancelledAt: 3).cancelledAt == 3)
    }
}
