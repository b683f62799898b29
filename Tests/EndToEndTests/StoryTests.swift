import FindReviewerClient
import FindReviewerTestSupport
import Foundation
import Messages
import RPC
import Testing

/// The seed articles' story against the real binary with a test clock.
@Suite("The Find Reviewer story, end to end", .serialized)
struct StoryTests {
    static let t0: Int64 = 1_790_000_000
    static let hour: Int64 = 3_600

    /// Emails written so far, by outbox entry id.
    static func emails(_ server: ServerProcess) -> [String: String] {
        var emails: [String: String] = [:]
        for email in OutboxContents.emails(in: server.dataDirectory.appendingPathComponent("outbox")) {
            emails[email.entryId] = email.raw.replacingOccurrences(of: "=\r\n", with: "")
        }
        return emails
    }

    /// Waits (polling, bounded) until `count` emails exist; the delivery thread writes them.
    static func waitForEmails(_ server: ServerProcess, count: Int) -> [String: String] {
        let end = Date().addingTimeInterval(10)
        while Date() < end {
            let emails = self.emails(server)
            if emails.count >= count { return emails }
            usleep(20_000)
        }
        return self.emails(server)
    }

    static func token(in email: String) -> String? {
        guard let range = email.range(of: #"token=3D[0-9a-f]{48}"#, options: .regularExpression) else { return nil }
        return String(email[range].dropFirst("token=3D".count))
    }

    @Test("introduction, request, reviewer view, day-3 reminder, reply, opened reply, expiry, manual reminder, reports, public view")
    func story() throws {
        let server = try ServerProcess(arguments: ["--test-clock", "--test-clock-start", String(Self.t0)])
        defer { server.stop(); server.cleanUp() }
        let address = "127.0.0.1:\(server.port)"
        let ingest = try FindReviewerClient(address: address, key: server.key(role: "reviews-ingest"))
        let portal = try FindReviewerClient(address: address, key: server.key(role: "business-portal"))
        let site = try FindReviewerClient(address: address, key: server.key(role: "consumer-site"))
        let admin = try FindReviewerClient(address: address, key: server.key(role: "admin"))

        // The reviews pipeline feeds a business, a reviewer and reviews.
        let created = try ingest.upsertBusiness(
            UpsertBusinessRequest(business: Business(id: "acme", displayName: "Acme Resor", notificationEmail: "hitta@acme.example", locale: "sv", plan: .free)))
        #expect(created.created)
        _ = try ingest.upsertBusiness(UpsertBusinessRequest(business: Business(id: "other", displayName: "Other GmbH", notificationEmail: "x@other.example", locale: "de")))
        _ = try ingest.upsertReviewer(UpsertReviewerRequest(reviewer: Reviewer(id: "ann", displayName: "Ann", email: "ann@mail.example", locale: "en")))
        for (id, source) in [("r1", ReviewSource.organic), ("r2", .businessInvitation), ("r3", .platformInvitation), ("r4", .organic)] {
            _ = try ingest.publishReview(
                PublishReviewRequest(review: Review(id: id, businessId: "acme", reviewerId: "ann", rating: 1, title: "Review \(id)", text: "Bad trip", createdAt: Self.t0 - 86_400, source: source)))
        }
        _ = try ingest.publishReview(PublishReviewRequest(review: Review(id: "o1", businessId: "other", reviewerId: "ann", rating: 2, title: "Other", text: "Meh", source: .organic)))

        // First use without acknowledging: refused, with the introduction in Swedish.
        let create = CreateInfoRequestRequest(
            businessId: "acme", reviewId: "r1", message: "Hej! Vi hittar inte din bokning.\nKan du dela bokningsnummer och namn?",
            requestedFields: [.referenceNumber, .fullName], referenceLabel: "Bokningsnummer")
        let refused = #expect(throws: RPCError.self) { _ = try portal.createInfoRequest(create) }
        #expect(refused?.code == .failedPrecondition)
        #expect(refused?.details.first?.reason == "INTRODUCTION_NOT_ACKNOWLEDGED")
        #expect(refused?.details.first?.description.contains("5 dagar") == true)
        #expect(try portal.getIntroduction(GetIntroductionRequest(businessId: "acme")).acknowledged == false)
        #expect(try portal.acknowledgeIntroduction(AcknowledgeIntroductionRequest(businessId: "acme")).business?.introAcknowledged == true)

        // Platform-invited reviews cannot get a request.
        var platform = create
        platform.reviewId = "r3"
        #expect((#expect(throws: RPCError.self) { _ = try portal.createInfoRequest(platform) })?.code == .failedPrecondition)

        // The request is sent; the business never sees a token.
        let request = try #require(try portal.createInfoRequest(create, idempotencyKey: "create-r1").request)
        #expect(request.status == .pending)
        #expect(request.deadlineAt == Self.t0 + 120 * Self.hour)
        // A retry with the same idempotency key returns the same request.
        #expect(try portal.createInfoRequest(create, idempotencyKey: "create-r1").request?.id == request.id)

        var emails = Self.waitForEmails(server, count: 1)
        let first = try #require(emails.values.first)
        #expect(first.contains("To: Ann <ann@mail.example>"))
        #expect(first.contains("Subject: Acme Resor would like to know more about your review"))
        let token = try #require(Self.token(in: first))

        // The consumer site shows the request by token.
        let view = try #require(try site.viewRequestByToken(ViewRequestByTokenRequest(token: token)).request)
        #expect(view.businessDisplayName == "Acme Resor")
        #expect(view.requestedFields == [.referenceNumber, .fullName])
        #expect(view.referenceLabel == "Bokningsnummer")
        #expect(view.deadlineAt == Self.t0 + 120 * Self.hour)

        // Day 3: the automatic reminder is due, once.
        #expect(try admin.advanceClock(AdvanceClockRequest(seconds: 72 * Self.hour - 1)).transitionsApplied == 0)
        #expect(try admin.advanceClock(AdvanceClockRequest(seconds: 1)).transitionsApplied == 1)
        let timeline = try portal.getTimeline(GetTimelineRequest(businessId: "acme", requestId: request.id)).entries
        #expect(timeline.map(\.kind) == [.created, .automaticReminderSent])
        #expect(timeline.last?.at == Self.t0 + 72 * Self.hour)
        emails = Self.waitForEmails(server, count: 2)
        #expect(emails.values.contains { $0.contains("Subject: Reminder: Acme Resor is still waiting for your answer") })

        // The reviewer replies; the business is told, and sees the content once it opens it.
        _ = try site.replyToRequest(ReplyToRequestRequest(token: token, referenceNumber: "BK-4711", fullName: "Ann Andersson", note: "Sorry, wrong hotel?"))
        var seen = try #require(try portal.getInfoRequest(GetInfoRequestRequest(businessId: "acme", requestId: request.id)).request)
        #expect(seen.status == .answered)
        #expect(seen.replyAvailable)
        #expect(seen.reply == nil)
        emails = Self.waitForEmails(server, count: 3)
        let replyMail = try #require(emails.values.first { $0.contains("X-FindReviewer-Kind: replyReceived") })
        #expect(replyMail.contains("To: Acme Resor <hitta@acme.example>"))
        #expect(!replyMail.contains("ann@mail.example"))
        #expect(!replyMail.contains(token))
        seen = try #require(try portal.openReply(OpenReplyRequest(businessId: "acme", requestId: request.id)).request)
        #expect(seen.reply?.referenceNumber == "BK-4711")
        let under = try portal.getReview(GetReviewRequest(businessId: "acme", reviewId: "r1")).view
        #expect(under?.findReviewer?.reply?.fullName == "Ann Andersson")

        // A second request expires on day 5; a manual reminder reopens it once.
        var second = create
        second.reviewId = "r2"
        let secondRequest = try #require(try portal.createInfoRequest(second).request)
        #expect(try admin.advanceClock(AdvanceClockRequest(seconds: 120 * Self.hour)).transitionsApplied == 2)
        #expect(try portal.getInfoRequest(GetInfoRequestRequest(businessId: "acme", requestId: secondRequest.id)).request?.status == .expired)
        let reopened = try #require(try portal.sendManualReminder(SendManualReminderRequest(businessId: "acme", requestId: secondRequest.id)).request)
        #expect(reopened.status == .pending)
        #expect(reopened.deadlineAt == (try admin.getClock(GetClockRequest())).now + 120 * Self.hour)
        let again = #expect(throws: RPCError.self) {
            _ = try portal.sendManualReminder(SendManualReminderRequest(businessId: "acme", requestId: secondRequest.id))
        }
        #expect(again?.code == .failedPrecondition)

        // Reports: not genuine is refused before a try, accepted after one.
        let notGenuine = CreateReportRequest(
            businessId: "acme", reviewId: "r4", reason: .notGenuineExperience, explanation: "We have no such booking.", acknowledgeGuidelines: true)
        let beforeTry = #expect(throws: RPCError.self) { _ = try portal.createReport(notGenuine) }
        #expect(beforeTry?.code == .failedPrecondition)
        #expect(beforeTry?.message.contains("Find Reviewer") == true)
        var afterTry = notGenuine
        afterTry.reviewId = "r1"
        #expect(try portal.createReport(afterTry).report?.status == .open)

        // The public view: contacted flag, review unchanged, nothing private.
        let publicReview = try #require(try site.getPublicReview(GetPublicReviewRequest(reviewId: "r1")).review)
        #expect(publicReview.reviewerContacted)
        #expect(publicReview.text == "Bad trip")
        let json = try publicReview.jsonString(emitDefaults: true)
        for secret in ["ann@mail.example", token, "BK-4711"] { #expect(!json.contains(secret)) }
        #expect(try site.getPublicReview(GetPublicReviewRequest(reviewId: "r4")).review?.reviewerContacted == false)

        // Counts by status for the business.
        let list = try portal.listInfoRequests(ListInfoRequestsRequest(businessId: "acme"))
        #expect(list.totalMatching == 2)
        #expect(list.counts.first { $0.status == .answered }?.count == 1)
        #expect(list.counts.first { $0.status == .pending }?.count == 1)
    }

    @Test("cross-business isolation: another business's ids are NOT_FOUND")
    func isolation() throws {
        let server = try ServerProcess(arguments: ["--test-clock"])
        defer { server.stop(); server.cleanUp() }
        let address = "127.0.0.1:\(server.port)"
        let admin = try FindReviewerClient(address: address, key: server.key(role: "admin"))
        for id in ["acme", "other"] {
            _ = try admin.upsertBusiness(UpsertBusinessRequest(business: Business(id: id, displayName: id, notificationEmail: "\(id)@b.example")))
            _ = try admin.acknowledgeIntroduction(AcknowledgeIntroductionRequest(businessId: id))
        }
        _ = try admin.upsertReviewer(UpsertReviewerRequest(reviewer: Reviewer(id: "ann", displayName: "Ann", email: "ann@m.example")))
        _ = try admin.publishReview(PublishReviewRequest(review: Review(id: "o1", businessId: "other", reviewerId: "ann", rating: 3, source: .organic)))
        let theirs = try #require(try admin.createInfoRequest(
            CreateInfoRequestRequest(businessId: "other", reviewId: "o1", message: "Hi", requestedFields: [.email])).request)
        let calls: [() throws -> Void] = [
            { _ = try admin.getReview(GetReviewRequest(businessId: "acme", reviewId: "o1")) },
            { _ = try admin.getInfoRequest(GetInfoRequestRequest(businessId: "acme", requestId: theirs.id)) },
            { _ = try admin.getTimeline(GetTimelineRequest(businessId: "acme", requestId: theirs.id)) },
            { _ = try admin.withdrawInfoRequest(WithdrawInfoRequestRequest(businessId: "acme", requestId: theirs.id)) },
            { _ = try admin.openReply(OpenReplyRequest(businessId: "acme", requestId: theirs.id)) },
            { _ = try admin.sendManualReminder(SendManualReminderRequest(businessId: "acme", requestId: theirs.id)) },
            { _ = try admin.setPublicReply(SetPublicReplyRequest(businessId: "acme", reviewId: "o1", text: "x")) },
            { _ = try admin.deletePublicReply(DeletePublicReplyRequest(businessId: "acme", reviewId: "o1")) },
            { _ = try admin.createReport(CreateReportRequest(businessId: "acme", reviewId: "o1", reason: .harmfulOrIllegal, explanation: "x", acknowledgeGuidelines: true)) },
            { _ = try admin.createInfoRequest(CreateInfoRequestRequest(businessId: "acme", reviewId: "o1", message: "Hi", requestedFields: [.email])) },
        ]
        for call in calls {
            let error = #expect(throws: RPCError.self) { try call() }
            #expect(error?.code == .notFound, "\(String(describing: error))")
        }
        #expect(try admin.listInfoRequests(ListInfoRequestsRequest(businessId: "acme")).requests.isEmpty)
    }
}
