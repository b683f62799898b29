import Credentials
import FindReviewerDomain
@testable import FindReviewerEngine
@testable import FindReviewerServer
import Messages
import Testing

@Suite("Journal records: every domain event survives encoding")
struct StorageMappingTests {
    static let block = FindReviewerDomain.ReviewerBlock(reviewerId: "ann", businessId: "acme", blockedAt: 1_700_000_300, requestId: "req_00000001")

    /// Every kind of event, the issue-22 ones with their edge cases (an empty outbox id: no email).
    static let events: [DomainEvent] = [
        .businessUpserted(FindReviewerDomain.Business(id: "acme", displayName: "Acme", notificationEmail: "a@acme.example", plan: .paid)),
        .reviewerUpserted(FindReviewerDomain.Reviewer(id: "ann", displayName: "Ann", email: "ann@mail.example", locale: "sv")),
        .requestCreated(
            DomainEvent.RequestCreated(
                requestId: "req_00000001", businessId: "acme", reviewId: "r1", reviewerId: "ann", message: "Hi", requestedFields: [.phone],
                referenceLabel: "", token: String(repeating: "ab", count: 24), at: 1_700_000_000, acknowledgesIntroduction: true,
                idempotencyKey: "k", outboxId: "out_00000001", skipBusinessEmails: true)),
        .requestAnswered(requestId: "req_00000001", reply: FindReviewerDomain.ReviewerReply(note: "x", repliedAt: 5), outboxId: ""),
        .requestDeclined(requestId: "req_00000001", at: 6, outboxId: ""),
        .requestExpired(requestId: "req_00000001", at: 7, outboxId: "out_00000002"),
        .businessBlocked(Self.block, outboxId: "out_00000003"),
        .businessUnblocked(reviewerId: "ann", businessId: "acme", at: 1_700_000_400, requestId: "req_00000002", outboxId: "out_00000004"),
        .businessUnblocked(reviewerId: "ann", businessId: "acme", at: 1_700_000_500, requestId: "req_00000002", outboxId: ""),
        .replyDetailsErased(requestId: "req_00000001", at: 1_707_776_000),
        .reviewerErased(reviewerId: "ann", at: 1_700_000_600, reviewIds: ["r1", "r2"]),
        .reviewerErased(reviewerId: "bo", at: 1_700_000_700, reviewIds: []),
        .outboxDelivered(outboxId: "out_00000001", at: 8),
        // The rest, so that every case of DomainEvent is here.
        .reviewPublished(FindReviewerDomain.Review(
            id: "r1", businessId: "acme", reviewerId: "ann", rating: 2, title: "T", text: "X", experienceDate: "2026-11-01",
            createdAt: 1_700_000_000, source: .businessInvitation,
            publicReply: FindReviewerDomain.PublicReply(text: "Sorry", createdAt: 1, updatedAt: 2))),
        .introductionAcknowledged(businessId: "acme", at: 1_700_000_001),
        .automaticReminderSent(requestId: "req_00000001", at: 9, outboxId: "out_00000005"),
        .manualReminderSent(requestId: "req_00000001", at: 10, deadline: 1_700_432_000, outboxId: "out_00000006"),
        .replyOpened(requestId: "req_00000001", at: 11),
        .requestWithdrawn(requestId: "req_00000001", at: 12),
        .publicReplySet(reviewId: "r1", text: "Thanks", at: 13),
        .publicReplyDeleted(reviewId: "r1"),
        .publicReplyDeleted(reviewId: ""),
        .reportCreated(FindReviewerDomain.Report(
            id: "rep_00000001", businessId: "acme", reviewId: "r1", reason: .notGenuineExperience, explanation: "No.", createdAt: 14)),
        .businessMarkedMoving(businessId: "acme", at: 15),
        .businessImported(items: [
            .business(FindReviewerDomain.Business(id: "acme", displayName: "Acme", notificationEmail: "a@acme.example")),
            .reviewer(FindReviewerDomain.Reviewer(id: "ann", displayName: "Ann", email: "ann@mail.example")),
            .block(Self.block),
        ]),
        .businessForgotten(businessId: "acme", at: 16),
    ]

    @Test("encode then decode gives the same event", arguments: events.indices)
    func roundTrip(index: Int) throws {
        let event = Self.events[index]
        #expect(try StorageMapping.decodeEvent(StorageMapping.encode(event)) == event)
    }

    @Test("a record is one case of StoredEvent's oneof, with none of record form 1's fields (1-18)", arguments: events.indices)
    func recordForm2(index: Int) throws {
        let bytes = try StorageMapping.encode(Self.events[index])
        let fields = try bytes.withUnsafeBytes { raw in
            var reader = WireReader(raw)
            var numbers: [Int] = []
            while let (number, type) = try reader.nextField() {
                numbers.append(number)
                try reader.skip(type)
            }
            return numbers
        }
        #expect(fields.count == 1)
        #expect(fields.allSatisfy { (21...43).contains($0) }, "fields \(fields)")
    }

    @Test("a record of form 1, as release 0.1.0 wrote it, reads as the same event", arguments: events.indices)
    func recordForm1(index: Int) throws {
        let event = Self.events[index]
        let legacy = try Self.release010Record(event).serializedBytes()
        #expect(try StorageMapping.decodeEvent(legacy) == event)
        // The same bytes through protobuf-c say the same.
        #expect(try LegacyEventMapping.event(StoredEventV1(serializedBytes: legacy)) == event)
    }

    @Test("a record of form 1 without the part its kind needs, or without a kind, is an error")
    func recordForm1Incomplete() throws {
        for stored in [StoredEventV1(kind: .businessUpserted), StoredEventV1(kind: .requestAnswered, requestId: "req_1"), StoredEventV1()] {
            #expect(throws: StorageMapping.Invalid.self) { try StorageMapping.decodeEvent(try stored.serializedBytes()) }
        }
    }

    /// What release 0.1.0's `StorageMapping.stored(_:)` wrote for `event` (record form 1): the
    /// reference the legacy reader is tested against.
    static func release010Record(_ event: DomainEvent) -> StoredEventV1 {
        switch event {
        case .businessUpserted(let business): return StoredEventV1(kind: .businessUpserted, business: StorageMapping.business(business))
        case .reviewerUpserted(let reviewer): return StoredEventV1(kind: .reviewerUpserted, reviewer: StorageMapping.reviewer(reviewer))
        case .reviewPublished(let review): return StoredEventV1(kind: .reviewPublished, review: StorageMapping.review(review))
        case .introductionAcknowledged(let businessId, let at): return StoredEventV1(kind: .introductionAcknowledged, businessId: businessId, at: at)
        case .requestCreated(let created): return StoredEventV1(kind: .requestCreated, created: StorageMapping.created(created))
        case .automaticReminderSent(let requestId, let at, let outboxId):
            return StoredEventV1(kind: .automaticReminderSent, requestId: requestId, outboxId: outboxId, at: at)
        case .manualReminderSent(let requestId, let at, let deadline, let outboxId):
            return StoredEventV1(kind: .manualReminderSent, requestId: requestId, outboxId: outboxId, at: at, deadline: deadline)
        case .requestAnswered(let requestId, let reply, let outboxId):
            return StoredEventV1(kind: .requestAnswered, reply: StorageMapping.reply(reply), requestId: requestId, outboxId: outboxId)
        case .replyOpened(let requestId, let at): return StoredEventV1(kind: .replyOpened, requestId: requestId, at: at)
        case .requestDeclined(let requestId, let at, let outboxId):
            return StoredEventV1(kind: .requestDeclined, requestId: requestId, outboxId: outboxId, at: at)
        case .requestWithdrawn(let requestId, let at): return StoredEventV1(kind: .requestWithdrawn, requestId: requestId, at: at)
        case .requestExpired(let requestId, let at, let outboxId):
            return StoredEventV1(kind: .requestExpired, requestId: requestId, outboxId: outboxId, at: at)
        case .publicReplySet(let reviewId, let text, let at): return StoredEventV1(kind: .publicReplySet, reviewId: reviewId, at: at, text: text)
        case .publicReplyDeleted(let reviewId): return StoredEventV1(kind: .publicReplyDeleted, reviewId: reviewId)
        case .reportCreated(let report): return StoredEventV1(kind: .reportCreated, report: StorageMapping.report(report))
        case .outboxDelivered(let outboxId, let at): return StoredEventV1(kind: .outboxDelivered, outboxId: outboxId, at: at)
        case .businessBlocked(let block, let outboxId): return StoredEventV1(kind: .businessBlocked, outboxId: outboxId, block: StorageMapping.block(block))
        case .businessUnblocked(let reviewerId, let businessId, let at, let requestId, let outboxId):
            return StoredEventV1(
                kind: .businessUnblocked, businessId: businessId, requestId: requestId, outboxId: outboxId, at: at, reviewerId: reviewerId)
        case .replyDetailsErased(let requestId, let at): return StoredEventV1(kind: .replyDetailsErased, requestId: requestId, at: at)
        case .reviewerErased(let reviewerId, let at, let reviewIds):
            return StoredEventV1(kind: .reviewerErased, at: at, reviewerId: reviewerId, reviewIds: reviewIds)
        case .businessMarkedMoving(let businessId, let at): return StoredEventV1(kind: .businessMarkedMoving, businessId: businessId, at: at)
        case .businessImported(let items): return StoredEventV1(kind: .businessImported, items: items.map(StorageMapping.storedItem))
        case .businessForgotten(let businessId, let at): return StoredEventV1(kind: .businessForgotten, businessId: businessId, at: at)
        }
    }

    @Test("a state with the new parts goes through snapshot items and journal records unchanged")
    func stateRoundTrip() throws {
        var state = DomainState(settings: DomainSettings(replyRetention: 86_400))
        var log: [[UInt8]] = []
        func run(_ command: DomainCommand, at now: Int64) throws {
            let events = try state.execute(command, now: now)
            state.apply(events)
            log += try events.map { try StorageMapping.encode($0) }
        }
        let t0: Int64 = 1_790_000_000
        try run(.upsertBusiness(FindReviewerDomain.Business(id: "acme", displayName: "Acme", notificationEmail: "a@acme.example")), at: t0)
        for id in ["ann", "bo"] {
            try run(.upsertReviewer(FindReviewerDomain.Reviewer(id: id, displayName: id, email: "\(id)@mail.example")), at: t0)
        }
        for (review, reviewer) in [("r1", "ann"), ("r2", "ann"), ("r3", "bo")] {
            try run(.publishReview(FindReviewerDomain.Review(
                id: review, businessId: "acme", reviewerId: reviewer, rating: 2, title: "T", text: "X", createdAt: t0, source: .organic)), at: t0)
        }
        let tokens = (0..<3).map { _ in TokenSource.shared.next() }
        for (index, review) in ["r1", "r2", "r3"].enumerated() {
            try run(.createRequest(.init(
                businessId: "acme", reviewId: review, message: "Hi", requestedFields: [.fullName], acknowledgeIntroduction: true,
                token: tokens[index], skipBusinessNotificationEmail: index == 2)), at: t0)
        }
        try run(.reply(token: tokens[2], FindReviewerDomain.ReviewerReply(fullName: "Bo B")), at: t0 + 10)
        try run(.blockBusiness(token: tokens[0]), at: t0 + 20)
        for due in state.dueTransitions(at: t0 + 2 * 86_400) { try run(due.command, at: t0 + 2 * 86_400) }
        try run(.eraseReviewer(reviewerId: "bo"), at: t0 + 3 * 86_400)
        #expect(state.request(id: "req_00000003")?.replyErasure == .retentionPeriod)

        var restorer = SnapshotRestorer(settings: state.settings)
        var texts: TextArena? = TextArena()
        try state.forEachSnapshotItem { item in
            let bytes = try StorageMapping.encode(item)
            try bytes.withUnsafeBytes { restorer.add(try StorageMapping.decodeItem($0, texts: &texts)) }
        }
        #expect(restorer.finish() == state)
        var replayed = DomainState(settings: state.settings)
        for record in log { replayed.apply(try StorageMapping.decodeEvent(record)) }
        #expect(replayed == state)
    }
}

@Suite("Requested fields on the wire")
struct RequestedFieldMappingTests {
    @Test("every list of distinct fields in declaration order maps as each field does; any other list too, in its own order")
    func sharedLists() {
        let all = FindReviewerDomain.RequestedField.allCases
        for bits in 0..<(1 << all.count) {
            let list = all.filter { bits & (1 << $0.ordinal) != 0 }
            #expect(WireMapping.fields(list) == list.map(WireMapping.field))
        }
        for list: [FindReviewerDomain.RequestedField] in [[.phone, .email], [.email, .email], [.fullName, .referenceNumber, .phone]] {
            #expect(WireMapping.fields(list) == list.map(WireMapping.field))
        }
    }
}
