@testable import FindReviewerDomain
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
    @Test("thousands of random commands and clock jumps", arguments: 0..<8)
    func invariants(seed: Int) throws {
        var random = SeededGenerator(state: UInt64(seed) &* 7_919)
        var world = World.make()
        var log: [DomainEvent] = []
        var tokens: [String] = []
        let reviews = ["r-organic", "r-invited", "r-platform", "r-other"]
        // Rebuild the log from scratch, including the world's setup, for the replay check.
        var setup = World()
        log += setup.must(.upsertBusiness(Business(id: "acme", displayName: "Acme Travel", notificationEmail: "fr@acme.example", locale: "sv-SE")))
        world = setup
        for id in ["ann", "bo"] { log += world.must(.upsertReviewer(Reviewer(id: id, displayName: id, email: "\(id)@mail.example"))) }
        log += world.must(.upsertBusiness(Business(id: "other", displayName: "Other", notificationEmail: "o@other.example")))
        for review in reviews {
            let source: ReviewSource = review == "r-platform" ? .platformInvitation : review == "r-invited" ? .businessInvitation : .organic
            log += world.must(.publishReview(World.makeReview(id: review, business: review == "r-other" ? "other" : "acme", source: source)))
        }
        var notifyingTransitions = 0
        var manualReminders: [String: Int] = [:]

        for _ in 0..<600 {
            let roll = Int.random(in: 0..<100, using: &random)
            let review = reviews.randomElement(using: &random)!
            let business = review == "r-other" ? "other" : "acme"
            let requestIds = world.state.requests.values.map(\.id).sorted()
            let requestId = requestIds.randomElement(using: &random) ?? "req_00000001"
            let command: DomainCommand
            switch roll {
            case 0..<20:
                let token = ReplyToken.generate()
                tokens.append(token)
                command = World.makeCreate(business: business, review: review, acknowledge: Bool.random(using: &random), token: token)
            case 20..<35:
                command = .reply(token: tokens.randomElement(using: &random) ?? "none", ReviewerReply(note: "n"))
            case 35..<42: command = .decline(token: tokens.randomElement(using: &random) ?? "none")
            case 42..<50: command = .withdrawRequest(businessId: business, requestId: requestId)
            case 50..<58: command = .sendManualReminder(businessId: business, requestId: requestId)
            case 58..<64: command = .openReply(businessId: business, requestId: requestId)
            case 64..<70:
                command = .createReport(
                    businessId: business, reviewId: review, reason: ReportReason.allCases.randomElement(using: &random),
                    explanation: "e", acknowledged: true)
            case 70..<75:
                command = .markDelivered(outboxId: world.state.undelivered.first ?? "out_none")
            default:
                // Clock jumps of up to 3 days, then the timer catches up.
                world.now += Int64.random(in: 1...(3 * World.day), using: &random)
                var probe = world.state
                #expect(probe.dueTransitions(at: world.now) == Self.dueByScanning(world.state, at: world.now))
                #expect(probe.nextDueTime() == Self.nextDueByScanning(world.state))
                for due in world.state.dueTransitions(at: world.now) {
                    let events = world.must(due.command)
                    log += events
                    notifyingTransitions += events.count
                }
                continue
            }
            let before = world.state
            do {
                let events = try world.run(command)
                log += events
                for event in events {
                    switch event {
                    case .requestCreated, .requestAnswered, .requestDeclined, .requestExpired, .automaticReminderSent:
                        notifyingTransitions += 1
                    case .manualReminderSent(let id, _, _, _):
                        notifyingTransitions += 1
                        manualReminders[id, default: 0] += 1
                    default: break
                    }
                }
            } catch {
                // A refused command stores nothing.
                #expect(world.state == before, "refused \(command) changed the state")
            }
            try Self.checkInvariants(world.state)
        }
        #expect(manualReminders.values.allSatisfy { $0 <= 1 })
        #expect(world.state.outbox.count == notifyingTransitions)
        #expect(World.replay(log) == world.state)
        #expect(Self.restored(world.state) == world.state)
        #expect(world.state.requests.count > 10)
    }

    /// Due transitions computed by looking at every pending request (the due queue's reference).
    static func dueByScanning(_ state: DomainState, at now: UnixSeconds) -> [DueTransition] {
        var due: [DueTransition] = []
        for request in state.requests.values where request.status == .pending {
            let reminderAt = request.createdAt + Schedule.automaticReminderAfter
            if request.automaticReminderAt == nil, request.manualReminderAt == nil, reminderAt <= now, reminderAt < request.deadline {
                due.append(DueTransition(requestId: request.id, dueAt: reminderAt, command: .sendAutomaticReminder(requestId: request.id, dueAt: reminderAt)))
            }
            if request.deadline <= now {
                due.append(DueTransition(requestId: request.id, dueAt: request.deadline, command: .expire(requestId: request.id, dueAt: request.deadline)))
            }
        }
        return due.sorted { ($0.dueAt, $0.requestId) < ($1.dueAt, $1.requestId) }
    }

    static func nextDueByScanning(_ state: DomainState) -> UnixSeconds? {
        state.requests.values.filter { $0.status == .pending }.map { state.nextDue($0) }.min()
    }

    /// The state rebuilt from its snapshot items, in the order they are written.
    static func restored(_ state: DomainState) -> DomainState {
        var restorer = SnapshotRestorer()
        var count = 0
        state.forEachSnapshotItem {
            restorer.add($0)
            count += 1
        }
        #expect(count == state.snapshotItemCount)
        return restorer.finish()
    }

    static func checkInvariants(_ state: DomainState) throws {
        // At most one open request per review, and the index agrees.
        var pendingPerReview: [String: Int] = [:]
        for request in state.requests.values where request.status == .pending {
            pendingPerReview[request.reviewId, default: 0] += 1
            #expect(state.pendingRequest(ofReview: request.reviewId)?.id == request.id)
        }
        #expect(pendingPerReview.values.allSatisfy { $0 == 1 })
        for request in state.requests.values {
            // Every notifying timeline step has exactly one outbox entry.
            let notifying = request.timeline.filter {
                [.created, .automaticReminderSent, .manualReminderSent, .answered, .declined, .expired].contains($0.kind)
            }.count
            #expect(state.outbox.values.filter { $0.requestId == request.id }.count == notifying)
            // Final states stay final: only the one manual reminder leaves one (expired → pending).
            let kinds = request.timeline.map(\.kind)
            let reopenings = kinds.filter { $0 == .manualReminderSent }.count
            let finals = kinds.filter { [.answered, .declined, .withdrawn, .expired].contains($0) }.count
            #expect(reopenings <= 1)
            #expect(finals <= 1 + reopenings)
            #expect(request.timeline.map(\.at) == request.timeline.map(\.at).sorted())
        }
    }

    @Test("a snapshot (item stream) restores an equal state that goes on exactly like the live one")
    func snapshotRoundTrip() throws {
        var world = World.make()
        let (id, token) = world.create()
        world.must(.reply(token: token, ReviewerReply(note: "hello")))
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
