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
    ]

    @Test("encode then decode gives the same event", arguments: events.indices)
    func roundTrip(index: Int) throws {
        let event = Self.events[index]
        #expect(try StorageMapping.decodeEvent(StorageMapping.encode(event)) == event)
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
        try state.forEachSnapshotItem { item in
            let bytes = try StorageMapping.encode(item)
            try bytes.withUnsafeBytes { restorer.add(try SnapshotItemReader.decode($0)) }
        }
        #expect(restorer.finish() == state)
        var replayed = DomainState(settings: state.settings)
        for record in log { replayed.apply(try StorageMapping.decodeEvent(record)) }
        #expect(replayed == state)
    }
}
