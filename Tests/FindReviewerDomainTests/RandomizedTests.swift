@testable import FindReviewerDomain
import Credentials
import Testing

/// A deterministic generator so a failing sequence can be replayed from its seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Randomized command sequences keep the invariants")
struct RandomizedTests {
    /// Short retention and a low fair-use limit, so that both happen many times in a run.
    static let settings = DomainSettings(replyRetention: 2 * World.day, maxRequestsPerDayFree: 2, maxRequestsPerDayPaid: 3)

    /// What the run remembers to check the state against.
    struct Ledger {
        var log: [DomainEvent] = []
        var emails = 0
        var manualReminders: [String: Int] = [:]
        var erasedDetails: Set<String> = []
        /// Per reviewer: strings only they gave (name, email, reply notes) and their tokens.
        var secrets: [String: Set<String>] = [:]
        var erased: Set<String> = []
        /// How often each kind of event and refusal happened, so that the run shows it tried them all.
        var seen: [String: Int] = [:]
    }

    @Test("thousands of random commands, clock jumps and restarts", arguments: 0..<8)
    func invariants(seed: Int) throws {
        var random = SeededGenerator(state: UInt64(seed) &* 7_919)
        var world = World(settings: Self.settings)
        var ledger = Ledger()
        var tokens: [String] = []
        var reviews: [(id: String, business: String)] = []
        var reviewers: [String] = []
        func run(_ command: DomainCommand) throws(DomainError) {
            let before = world.state
            let events = try world.run(command)
            Self.record(events, before: before, into: &ledger)
        }
        func must(_ command: DomainCommand) {
            do { try run(command) } catch { fatalError("\(command) failed: \(error)") }
        }
        func addReviewer(_ id: String) {
            let reviewer = Reviewer(id: id, displayName: "Name-\(id).", email: "\(id)@mail.example", locale: ["en", "sv", "de"][reviewers.count % 3])
            must(.upsertReviewer(reviewer))
            ledger.secrets[id, default: []].formUnion([reviewer.displayName, reviewer.email])
            reviewers.append(id)
        }
        func addReview(_ id: String, business: String, reviewer: String, source: ReviewSource = .organic) {
            let review = Review(
                id: id, businessId: business, reviewerId: reviewer, rating: 2, title: "Title by \(reviewer) #\(id)",
                text: "Text by \(reviewer) #\(id)", experienceDate: "2026-11-01", createdAt: World.t0 - World.day, source: source)
            must(.publishReview(review))
            ledger.secrets[reviewer, default: []].formUnion([review.title, review.text])
            reviews.append((id, business))
        }
        must(.upsertBusiness(Business(id: "acme", displayName: "Acme Travel", notificationEmail: "fr@acme.example", locale: "sv-SE")))
        must(.upsertBusiness(Business(id: "other", displayName: "Other", notificationEmail: "o@other.example", plan: .paid)))
        for id in ["ann", "bo", "cy"] { addReviewer(id) }
        addReview("r-organic", business: "acme", reviewer: "ann")
        addReview("r-second", business: "acme", reviewer: "ann")
        addReview("r-invited", business: "acme", reviewer: "bo", source: .businessInvitation)
        addReview("r-platform", business: "acme", reviewer: "ann", source: .platformInvitation)
        addReview("r-other", business: "other", reviewer: "ann")
        addReview("r-cy", business: "acme", reviewer: "cy")

        for step in 0..<700 {
            let roll = Int.random(in: 0..<100, using: &random)
            let review = reviews.randomElement(using: &random)!
            let requestIds = world.state.requests.values.map(\.id)
            let requestId = requestIds.randomElement(using: &random) ?? "req_00000001"
            let ownerOfRequest = world.state.request(id: requestId)?.businessId ?? review.business
            // Mostly the link of a live request (a pending one when there is), sometimes any token
            // ever made (of refused creates too) or a mistyped one.
            let pending = world.state.requests.values.filter { $0.status == .pending && !$0.token.isEmpty }
            let live = world.state.requests.values.filter { !$0.token.isEmpty }
            let token: String
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<5: token = pending.randomElement(using: &random)?.token ?? "none"
            case 5..<8: token = live.randomElement(using: &random)?.token ?? "none"
            case 8: token = tokens.randomElement(using: &random) ?? "none"
            default: token = String(repeating: "0", count: 48)
            }
            let command: DomainCommand
            switch roll {
            case 0..<18:
                let fresh = TokenSource.shared.next()
                tokens.append(fresh)
                command = World.makeCreate(
                    business: review.business, review: review.id, acknowledge: Bool.random(using: &random), token: fresh,
                    skipBusinessEmails: Int.random(in: 0..<4, using: &random) == 0)
            case 18..<30:
                command = .reply(token: token, ReviewerReply(note: "note \(step) for \(token.prefix(8))"))
            case 30..<35: command = .decline(token: token)
            case 35..<39: command = .blockBusiness(token: token)
            case 39..<42: command = .unblockBusiness(token: token)
            case 42..<44:
                command = .unblockBusinessForReviewer(businessId: ["acme", "other"].randomElement(using: &random)!, reviewerId: reviewers.randomElement(using: &random)!)
            case 44:
                // Half the time with the reviews found on a copy (as the server does off its lock).
                let id = reviewers.randomElement(using: &random)!
                command = .eraseReviewer(reviewerId: id, found: Bool.random(using: &random) ? world.state.reviewsOfReviewer(id) : nil)
            case 45..<47:
                // The pipeline keeps feeding reviewers and reviews, so erasures do not empty the world.
                let id = "rv\(step)"
                addReviewer(id)
                addReview("r\(step)", business: Bool.random(using: &random) ? "acme" : "other", reviewer: id)
                continue
            case 47..<53: command = .withdrawRequest(businessId: ownerOfRequest, requestId: requestId)
            case 53..<59: command = .sendManualReminder(businessId: ownerOfRequest, requestId: requestId)
            case 59..<64:
                let answered = world.state.requests.values.filter { $0.status == .answered && $0.openedAt == nil }.randomElement(using: &random)
                command = .openReply(businessId: answered?.businessId ?? ownerOfRequest, requestId: answered?.id ?? requestId)
            case 64..<68:
                command = .createReport(
                    businessId: review.business, reviewId: review.id, reason: ReportReason.allCases.randomElement(using: &random),
                    explanation: "e", acknowledged: true)
            case 68..<73:
                command = .markDelivered(outboxId: world.state.undelivered.first ?? "out_none")
            case 73..<75:
                // A restart: the state comes back from its snapshot and goes on from there.
                world.state = World.restored(world.state)
                continue
            default:
                // Clock jumps of up to 3 days, then the timer catches up.
                world.now += Int64.random(in: 1...(Bool.random(using: &random) ? 6 * World.hour : 3 * World.day), using: &random)
                var probe = world.state
                #expect(probe.dueTransitions(at: world.now) == Self.dueByScanning(world.state, at: world.now))
                #expect(probe.nextDueTime() == Self.nextDueByScanning(world.state))
                for due in world.state.dueTransitions(at: world.now) { must(due.command) }
                // Caught up: nothing is overdue.
                #expect(Self.dueByScanning(world.state, at: world.now).isEmpty)
                try Self.checkInvariants(world.state, ledger: ledger)
                continue
            }
            // What the reviewer of a reply shares becomes their secret.
            if case .reply(let token, let reply) = command, let reviewerId = try? world.state.request(token: token).reviewerId {
                ledger.secrets[reviewerId, default: []].insert(reply.note)
            }
            if case .createRequest(let create) = command, let reviewerId = world.state.reviews[create.reviewId]?.reviewerId {
                ledger.secrets[reviewerId, default: []].insert(create.token)
            }
            let before = world.state
            do {
                try run(command)
            } catch {
                // A refused command stores nothing.
                #expect(world.state == before, "refused \(command) changed the state")
                ledger.seen[error.reason?.rawValue ?? error.code.rawValue, default: 0] += 1
                try Self.checkRefusal(error, of: command, in: world.state, now: world.now)
            }
            if case .eraseReviewer(let id, _) = command { ledger.erased.insert(id) }
            try Self.checkInvariants(world.state, ledger: ledger)
            if step % 100 == 99 || (roll == 44 && !ledger.erased.isEmpty) {
                try Self.checkErasedLeaveNoTrace(world.state, ledger: ledger)
                #expect(World.replay(ledger.log, settings: Self.settings) == world.state)
            }
        }
        #expect(ledger.manualReminders.values.allSatisfy { $0 <= 1 })
        #expect(world.state.outbox.count == ledger.emails)
        #expect(World.replay(ledger.log, settings: Self.settings) == world.state)
        #expect(Self.restored(world.state) == world.state)
        try Self.checkErasedLeaveNoTrace(world.state, ledger: ledger)
        #expect(world.state.requests.count > 10)
        print("seed \(seed):", ledger.seen.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        for kind in ["businessBlocked", "businessUnblocked", "replyDetailsErased", "reviewerErased", "REQUEST_LIMIT_REACHED", "REVIEWER_NOT_CONTACTABLE"] {
            #expect(ledger.seen[kind, default: 0] > 0, "the run never saw \(kind)")
        }
    }

    /// Adds applied events to the ledger, checking each retention erasure against the state before it.
    static func record(_ events: [DomainEvent], before: DomainState, into ledger: inout Ledger) {
        ledger.log += events
        ledger.emails += DomainState.emailCount(events)
        for event in events {
            ledger.seen[String(describing: event).prefix { $0 != "(" }.description, default: 0] += 1
            switch event {
            case .manualReminderSent(let id, _, _, _):
                ledger.manualReminders[id, default: 0] += 1
            case .replyDetailsErased(let id, let at):
                // Exactly once, exactly at the end of retention.
                #expect(at == (before.request(id: id)?.reply?.repliedAt ?? 0) + Self.settings.replyRetention)
                #expect(ledger.erasedDetails.insert(id).inserted, "\(id) erased twice")
            default: break
            }
        }
    }

    /// A refused command is refused for a reason the state shows.
    static func checkRefusal(_ error: DomainError, of command: DomainCommand, in state: DomainState, now: UnixSeconds) throws {
        guard case .createRequest(let create) = command else { return }
        switch error.reason {
        case .requestLimitReached?:
            #expect(error.code == .resourceExhausted)
            let retryAt = try #require(error.retryAt)
            #expect(retryAt > now && error.detail == String(retryAt))
            // The limit allows the very same create at the time it names, and not a second before.
            var later = create
            later.token = TokenSource.shared.next()
            let atRetry = Result { () throws(DomainError) in try state.execute(.createRequest(later), now: retryAt) }
            if case .failure(let again) = atRetry { #expect(again.reason != .requestLimitReached) }
            let justBefore = Result { () throws(DomainError) in try state.execute(.createRequest(later), now: retryAt - 1) }
            #expect((try? justBefore.get()) == nil)
        case .reviewerNotContactable?:
            let reviewerId = try #require(state.reviews[create.reviewId]?.reviewerId)
            #expect(!state.isContactable(businessId: create.businessId, reviewerId: reviewerId))
            #expect(error.message == DomainError.notContactable.message)
        default: break
        }
    }

    /// Due transitions computed by looking at every request (the due queue's reference).
    static func dueByScanning(_ state: DomainState, at now: UnixSeconds) -> [DueTransition] {
        var due: [DueTransition] = []
        for request in state.requests.values {
            if request.status == .answered, request.replyErasedAt == nil, let reply = request.reply,
                reply.repliedAt + state.settings.replyRetention <= now
            {
                let at = reply.repliedAt + state.settings.replyRetention
                due.append(DueTransition(requestId: request.id, dueAt: at, command: .eraseReplyDetails(requestId: request.id, dueAt: at)))
            }
            guard request.status == .pending else { continue }
            let reminderAt = request.createdAt + Schedule.automaticReminderAfter
            if request.automaticReminderAt == nil, request.manualReminderAt == nil, request.reviewerErasedAt == nil, reminderAt <= now,
                reminderAt < request.deadline
            {
                due.append(DueTransition(requestId: request.id, dueAt: reminderAt, command: .sendAutomaticReminder(requestId: request.id, dueAt: reminderAt)))
            }
            if request.deadline <= now {
                due.append(DueTransition(requestId: request.id, dueAt: request.deadline, command: .expire(requestId: request.id, dueAt: request.deadline)))
            }
        }
        return due.sorted { ($0.dueAt, $0.requestId) < ($1.dueAt, $1.requestId) }
    }

    static func nextDueByScanning(_ state: DomainState) -> UnixSeconds? {
        state.requests.values.compactMap { state.nextDue($0) }.min()
    }

    /// The state rebuilt from its snapshot items, in the order they are written.
    static func restored(_ state: DomainState) -> DomainState {
        var count = 0
        state.forEachSnapshotItem { _ in count += 1 }
        #expect(count == state.snapshotItemCount)
        return World.restored(state)
    }

    static func checkInvariants(_ state: DomainState, ledger: Ledger) throws {
        // At most one open request per review, and the index agrees.
        var pendingPerReview: [String: Int] = [:]
        for request in state.requests.values where request.status == .pending {
            pendingPerReview[request.reviewId, default: 0] += 1
            #expect(state.pendingRequest(ofReview: request.reviewId)?.id == request.id)
            // Nobody who blocked the business has an open request from it.
            #expect(state.block(businessId: request.businessId, reviewerId: request.reviewerId) == nil)
            #expect(state.pendingRequests(businessId: request.businessId, reviewerId: request.reviewerId).contains(state.requests.row(of: request.id)!))
        }
        #expect(pendingPerReview.values.allSatisfy { $0 == 1 })
        let emails = Dictionary(grouping: state.outbox.values, by: \.requestId)
        for request in state.requests.values {
            let kinds = request.timeline.map(\.kind)
            let entries = emails[request.id] ?? []
            // Each step that tells the reviewer has its email; each that tells the business has
            // one unless the request skips them.
            let toReviewer = kinds.filter { [.created, .automaticReminderSent, .manualReminderSent].contains($0) }.count
            #expect(entries.filter { [.requestToReviewer, .automaticReminder, .manualReminder].contains($0.kind) }.count == toReviewer)
            let toBusiness = kinds.filter { [.answered, .declined, .expired].contains($0) }.count
            #expect(entries.filter { !$0.kind.isForReviewer }.count == (request.skipBusinessEmails ? 0 : toBusiness))
            // Final states stay final: only the one manual reminder leaves one (expired → pending).
            let reopenings = kinds.filter { $0 == .manualReminderSent }.count
            let finals = kinds.filter { [.answered, .declined, .withdrawn, .expired].contains($0) }.count
            #expect(reopenings <= 1)
            #expect(finals <= 1 + reopenings)
            #expect(kinds.filter { $0 == .replyDetailsErased }.count <= 1)
            #expect(request.timeline.map(\.at) == request.timeline.map(\.at).sorted())
            // Erased details are gone; kept ones are there.
            if request.replyErasedAt != nil { #expect(request.reply == ReviewerReply(repliedAt: request.reply?.repliedAt ?? 0)) }
        }
        for (reviewerId, blocks) in state.blocks {
            #expect(state.reviewers[reviewerId]?.erasedAt == nil)
            #expect(Set(blocks.map(\.businessId)).count == blocks.count)
        }
        for id in ledger.erased {
            let reviewer = try #require(state.reviewers[id])
            #expect(reviewer.erasedAt != nil && reviewer.displayName.isEmpty && reviewer.email.isEmpty)
        }
        // Undelivered emails never go to an erased reviewer.
        for context in state.undeliveredNotifications() where context.entry.kind.isForReviewer {
            let request = try #require(state.request(id: context.entry.requestId))
            #expect(state.reviewers[request.reviewerId]?.erasedAt == nil)
        }
    }

    /// No string an erased reviewer gave (name, email, review title and text, notes) and none of
    /// their tokens is a field of anything in the state (every snapshot item) or of a pending
    /// email's context.
    static func checkErasedLeaveNoTrace(_ state: DomainState, ledger: Ledger) throws {
        let secrets = Set(ledger.erased.flatMap { ledger.secrets[$0] ?? [] })
        guard !secrets.isEmpty else { return }
        var fields = Set<String>()
        state.forEachSnapshotItem { fields.formUnion(Self.strings(of: $0)) }
        for context in state.undeliveredNotifications() {
            fields.formUnion([context.recipientAddress, context.recipientName, context.replyToken, context.reviewTitle])
        }
        let survivors = secrets.intersection(fields)
        #expect(survivors.isEmpty, "survived the erasure: \(survivors.sorted())")
    }

    /// Every text field of a snapshot item.
    static func strings(of item: SnapshotItem) -> [String] {
        switch item {
        case .business(let business): return [business.displayName, business.notificationEmail]
        case .reviewer(let reviewer): return [reviewer.id, reviewer.displayName, reviewer.email, reviewer.locale]
        case .review(let review): return [review.title, review.text, review.experienceDate, review.publicReply?.text ?? ""]
        case .request(let request, let key):
            let reply = request.reply ?? ReviewerReply()
            return [request.message, request.referenceLabel, request.token, key ?? "", reply.email, reply.referenceNumber, reply.fullName,
                reply.phone, reply.note]
        case .report(let report): return [report.explanation]
        case .outbox(let entry): return [entry.id, entry.requestId]
        case .block(let block): return [block.reviewerId, block.businessId, block.requestId]
        case .counters: return []
        }
    }

    @Test("a snapshot (item stream) restores an equal state that goes on exactly like the live one")
    func snapshotRoundTrip() throws {
        var world = World.make()
        let (id, token) = world.create()
        world.must(.reply(token: token, ReviewerReply(note: "hello")))
        world.must(.blockBusiness(token: token))
        world.must(.openReply(businessId: "acme", requestId: id))
        _ = world.create(review: "r-invited")
        _ = world.advance(to: World.t0 + 10 * World.day)
        var restored = Self.restored(world.state)
        #expect(restored == world.state)
        // The rebuilt indexes answer like the originals: the same commands give the same events.
        let commands: [DomainCommand] = [
            .sendManualReminder(businessId: "acme", requestId: "req_00000002"),
            .createReport(businessId: "acme", reviewId: "r-organic", reason: .notGenuineExperience, explanation: "No booking.", acknowledged: true),
            .withdrawRequest(businessId: "acme", requestId: "req_00000002"),
        ]
        for command in commands {
            let live = Result { () throws(DomainError) in try world.state.execute(command, now: World.t0 + 11 * World.day) }
            let again = Result { () throws(DomainError) in try restored.execute(command, now: World.t0 + 11 * World.day) }
            #expect(live == again)
            if case .success(let events) = live {
                world.state.apply(events)
                restored.apply(events)
            }
        }
        #expect(restored == world.state)
        #expect(try restored.listReviews(businessId: "acme").items == (try world.state.listReviews(businessId: "acme").items))
    }

    @Test("pagination: newest first, stable cursors, counts by status")
    func pagination() throws {
        var world = World.make()
        var ids: [String] = []
        for index in 0..<7 {
            let (id, token) = world.create()
            ids.append(id)
            if index % 2 == 0 { world.must(.decline(token: token)) } else { world.must(.withdrawRequest(businessId: "acme", requestId: id)) }
        }
        let first = try world.state.listRequests(businessId: "acme", pageSize: 3)
        #expect(first.page.items.map(\.id) == Array(ids.reversed().prefix(3)))
        #expect(first.page.totalMatching == 7)
        #expect(first.counts[.declined] == 4)
        #expect(first.counts[.withdrawn] == 3)
        // A request created between pages does not shift the next page.
        _ = world.create()
        let second = try world.state.listRequests(businessId: "acme", pageSize: 3, pageToken: first.page.nextPageToken)
        #expect(second.page.items.map(\.id) == Array(ids.reversed().dropFirst(3).prefix(3)))
        let declined = try world.state.listRequests(businessId: "acme", statuses: [.declined], pageSize: 10)
        #expect(declined.page.items.count == 4)
        #expect(declined.page.nextPageToken.isEmpty)
        #expect(throws: DomainError.self) { _ = try world.state.listRequests(businessId: "acme", pageSize: 501) }
        #expect(throws: DomainError.self) { _ = try world.state.listRequests(businessId: "acme", pageToken: "garbage") }
        let contacted = try world.state.listReviews(businessId: "acme", filter: ReviewFilter(contact: .contacted))
        #expect(contacted.items.map(\.review.id) == ["r-organic"])
        let eligibleNotContacted = try world.state.listReviews(
            businessId: "acme", filter: ReviewFilter(contact: .notContacted, eligibleOnly: true))
        #expect(eligibleNotContacted.items.map(\.review.id) == ["r-invited"])
    }
}
