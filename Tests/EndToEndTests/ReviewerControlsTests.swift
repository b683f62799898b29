import FindReviewerClient
import FindReviewerTestSupport
import Foundation
import Messages
import RPC
import Testing

/// Issue 22 over the wire, against the real binary with a test clock: blocking a business,
/// lifting the block, the retention of shared details (with restarts and catch-up), the erasure
/// of a reviewer down to the files, fair use, and skip_business_notification_email.
@Suite("The reviewer's controls, end to end", .serialized)
struct ReviewerControlsTests {
    static let t0: Int64 = 1_790_000_000
    static let hour: Int64 = 3_600
    static let day: Int64 = 86_400

    /// A server (or a restarted one on the same directory) with clients of each role.
    struct World {
        var server: ServerProcess
        var ingest: FindReviewerClient
        var portal: FindReviewerClient
        var site: FindReviewerClient
        var admin: FindReviewerClient
        var tokens: Set<String> = []

        init(_ arguments: [String] = [], start: Int64 = ReviewerControlsTests.t0, directory: URL? = nil) throws {
            self.server = try ServerProcess(arguments: ["--test-clock", "--test-clock-start", String(start)] + arguments, dataDirectory: directory)
            let address = "127.0.0.1:\(self.server.port)"
            self.ingest = try FindReviewerClient(address: address, key: self.server.key(role: "reviews-ingest"))
            self.portal = try FindReviewerClient(address: address, key: self.server.key(role: "business-portal"))
            self.site = try FindReviewerClient(address: address, key: self.server.key(role: "consumer-site"))
            self.admin = try FindReviewerClient(address: address, key: self.server.key(role: "admin"))
        }

        /// Businesses acme (free) and other, reviewer Zelda, acknowledged introductions.
        func seed() throws {
            _ = try self.ingest.upsertBusiness(
                UpsertBusinessRequest(business: Business(id: "acme", displayName: "Acme Resor", notificationEmail: "team@acme.example", plan: .free)))
            _ = try self.ingest.upsertBusiness(
                UpsertBusinessRequest(business: Business(id: "other", displayName: "Other GmbH", notificationEmail: "x@other.example")))
            for business in ["acme", "other"] { _ = try self.portal.acknowledgeIntroduction(AcknowledgeIntroductionRequest(businessId: business)) }
            _ = try self.ingest.upsertReviewer(
                UpsertReviewerRequest(reviewer: Reviewer(id: "zelda", displayName: "Zelda Quimby", email: "zelda.quimby@mail.example")))
        }

        func publish(_ id: String, business: String = "acme", reviewer: String = "zelda") throws {
            _ = try self.ingest.publishReview(
                PublishReviewRequest(
                    review: Review(
                        id: id, businessId: business, reviewerId: reviewer, rating: 1, title: "Quimbytitle \(id)", text: "Quimbytext \(id)",
                        createdAt: ReviewerControlsTests.t0 - 86_400, source: .organic)))
        }

        /// A request on review `review` (published first when `publish`); its id and the token of the reviewer's email.
        mutating func request(
            on review: String, business: String = "acme", publish: Bool = true, skipBusinessEmail: Bool = false,
            fields: [RequestedField] = [.referenceNumber, .fullName]
        ) throws -> (id: String, token: String) {
            if publish { try self.publish(review, business: business) }
            let created = try self.portal.createInfoRequest(
                CreateInfoRequestRequest(
                    businessId: business, reviewId: review, message: "Hello, which booking?", requestedFields: fields,
                    skipBusinessNotificationEmail: skipBusinessEmail))
            let id = try #require(created.request?.id)
            return (id, try self.newToken())
        }

        /// The token of the first email with a token not seen before (the delivery thread writes it).
        mutating func newToken() throws -> String {
            let end = Date().addingTimeInterval(30)
            while Date() < end {
                let all = Set(StoryTests.emails(self.server).values.compactMap(StoryTests.token(in:)))
                if let new = all.subtracting(self.tokens).first {
                    self.tokens.insert(new)
                    return new
                }
                usleep(20_000)  // polling for the delivery thread's file, bounded
            }
            throw SampleError(message: "no email with a new token")
        }

        /// Emails of one kind (the X-FindReviewer-Kind header), waiting up to 10 s for `count`.
        func emails(kind: String, count: Int = 1) -> [String] {
            let end = Date().addingTimeInterval(10)
            var found: [String] = []
            repeat {
                found = StoryTests.emails(self.server).values.filter { $0.contains("X-FindReviewer-Kind: \(kind)\r\n") }
                if found.count >= count { break }
                usleep(20_000)
            } while Date() < end
            return found
        }

        func stop() { self.server.stop() }
    }

    static func refusal(_ body: () throws -> Void) -> RPCError? {
        do {
            try body()
            return nil
        } catch {
            return error as? RPCError
        }
    }

    @Test("block: pending requests declined, later creates REVIEWER_NOT_CONTACTABLE, the decline is a try; other businesses unaffected")
    func block() throws {
        var world = try World()
        defer { world.stop(); world.server.cleanUp() }
        try world.seed()
        let first = try world.request(on: "r1")
        let blocked = try #require(try world.site.blockBusiness(BlockBusinessRequest(token: first.token)).request)
        #expect(blocked.businessBlocked)
        #expect(blocked.status == .declined)
        // Repeating it changes nothing.
        #expect(try world.site.blockBusiness(BlockBusinessRequest(token: first.token)).request?.businessBlocked == true)
        // The business sees only a decline: no block on the timeline, an ordinary declined email.
        let seen = try #require(try world.portal.getInfoRequest(GetInfoRequestRequest(businessId: "acme", requestId: first.id)).request)
        #expect(seen.status == .declined)
        #expect(seen.timeline.map(\.kind) == [.created, .declined])
        let declinedMail = try #require(world.emails(kind: "declined").first)
        #expect(!declinedMail.lowercased().contains("block"))
        #expect(world.emails(kind: "businessBlocked").count == 1)
        // A create for another review by the same reviewer is refused, without saying why.
        try world.publish("r2")
        let refused = Self.refusal {
            _ = try world.portal.createInfoRequest(CreateInfoRequestRequest(businessId: "acme", reviewId: "r2", message: "Hi", requestedFields: [.email]))
        }
        #expect(refused?.code == .failedPrecondition)
        #expect(refused?.details.first?.reason == "REVIEWER_NOT_CONTACTABLE")
        #expect(refused?.message.contains("block") == false)
        // The declined request counts as a try: the not-genuine report is possible.
        let report = try world.portal.createReport(
            CreateReportRequest(businessId: "acme", reviewId: "r1", reason: .notGenuineExperience, explanation: "Not a guest of ours", acknowledgeGuidelines: true))
        #expect(report.report?.reason == .notGenuineExperience)
        // Another business still may ask.
        _ = try world.request(on: "o1", business: "other")
        // The admin sees the block.
        let blocks = try world.admin.listReviewerBlocks(ListReviewerBlocksRequest(reviewerId: "zelda")).blocks
        #expect(blocks.map(\.businessId) == ["acme"])
        #expect(blocks.first?.businessDisplayName == "Acme Resor")
        #expect(blocks.first?.blockedAt == Self.t0)
        // The block survives a restart.
        let directory = world.server.dataDirectory
        #expect(world.server.stop() == 0)
        world.server = try ServerProcess(arguments: ["--test-clock", "--test-clock-start", String(Self.t0 + 60)], dataDirectory: directory)
        let admin = try FindReviewerClient(address: "127.0.0.1:\(world.server.port)", key: world.server.key(role: "admin"))
        #expect(try admin.listReviewerBlocks(ListReviewerBlocksRequest(reviewerId: "zelda")).blocks.map(\.businessId) == ["acme"])
        let again = Self.refusal {
            _ = try admin.createInfoRequest(CreateInfoRequestRequest(businessId: "acme", reviewId: "r2", message: "Hi", requestedFields: [.email]))
        }
        #expect(again?.details.first?.reason == "REVIEWER_NOT_CONTACTABLE")
    }

    @Test("unblock: from the block email's link, and by an admin for the reviewer; each lets the business ask again")
    func unblock() throws {
        var world = try World()
        defer { world.stop(); world.server.cleanUp() }
        try world.seed()
        let first = try world.request(on: "r1")
        _ = try world.site.blockBusiness(BlockBusinessRequest(token: first.token))
        // The confirmation email carries the link that lifts the block.
        let blockMail = try #require(world.emails(kind: "businessBlocked").first)
        let link = try #require(StoryTests.token(in: blockMail))
        let lifted = try #require(try world.site.unblockBusiness(UnblockBusinessRequest(token: link)).request)
        #expect(!lifted.businessBlocked)
        #expect(world.emails(kind: "businessUnblocked").count == 1)
        #expect(try world.admin.listReviewerBlocks(ListReviewerBlocksRequest(reviewerId: "zelda")).blocks.isEmpty)
        // Asking again works; block again from the later request's link; the admin lifts it.
        let second = try world.request(on: "r2")
        _ = try world.site.blockBusiness(BlockBusinessRequest(token: second.token))
        #expect(try world.portal.getInfoRequest(GetInfoRequestRequest(businessId: "acme", requestId: second.id)).request?.status == .declined)
        let byAdmin = try world.admin.unblockBusinessForReviewer(UnblockBusinessForReviewerRequest(businessId: "acme", reviewerId: "zelda"))
        #expect(byAdmin.wasBlocked)
        #expect(try world.admin.unblockBusinessForReviewer(UnblockBusinessForReviewerRequest(businessId: "acme", reviewerId: "zelda")).wasBlocked == false)
        #expect(try world.site.viewRequestByToken(ViewRequestByTokenRequest(token: second.token)).request?.businessBlocked == false)
        _ = try world.request(on: "r3")
        // Unblocking without a block changes nothing.
        #expect(try world.site.unblockBusiness(UnblockBusinessRequest(token: first.token)).request?.businessBlocked == false)
    }

    @Test("retention: a reply's details erased exactly at the retention time, once; on the timeline; the views say so")
    func retention() throws {
        var world = try World(["--reply-retention-days", "2"])
        defer { world.stop(); world.server.cleanUp() }
        try world.seed()
        let request = try world.request(on: "r1")
        _ = try world.admin.advanceClock(AdvanceClockRequest(seconds: Self.hour))
        _ = try world.site.replyToRequest(ReplyToRequestRequest(token: request.token, referenceNumber: "BK-QZ-991", fullName: "Zelda Quimby"))
        var seen = try #require(try world.portal.openReply(OpenReplyRequest(businessId: "acme", requestId: request.id)).request)
        #expect(seen.reply?.referenceNumber == "BK-QZ-991")
        #expect(seen.replyRetainedUntil == Self.t0 + Self.hour + 2 * Self.day)
        #expect(try world.admin.advanceClock(AdvanceClockRequest(seconds: 2 * Self.day - 1)).transitionsApplied == 0)
        #expect(try world.portal.getInfoRequest(GetInfoRequestRequest(businessId: "acme", requestId: request.id)).request?.reply?.fullName == "Zelda Quimby")
        #expect(try world.admin.advanceClock(AdvanceClockRequest(seconds: 1)).transitionsApplied == 1)
        seen = try #require(try world.portal.getInfoRequest(GetInfoRequestRequest(businessId: "acme", requestId: request.id)).request)
        // The reply keeps its time only: no details to show.
        #expect(seen.reply == nil)
        #expect(seen.answeredAt == Self.t0 + Self.hour)
        #expect(seen.replyErasedAt == Self.t0 + Self.hour + 2 * Self.day)
        #expect(seen.replyErasureReason == .retentionPeriod)
        #expect(!seen.notice.isEmpty)
        #expect(seen.timeline.filter { $0.kind == .replyDetailsErased }.map(\.at) == [Self.t0 + Self.hour + 2 * Self.day])
        #expect(try world.admin.advanceClock(AdvanceClockRequest(seconds: 10 * Self.day)).transitionsApplied == 0)
        let reviewerView = try #require(try world.site.viewRequestByToken(ViewRequestByTokenRequest(token: request.token)).request)
        #expect(reviewerView.replyErasedAt == Self.t0 + Self.hour + 2 * Self.day)
    }

    @Test("retention after downtime: caught up at start before listening, at its due time, once; a snapshot and more restarts keep one erasure")
    func retentionCatchUp() throws {
        var world = try World(["--reply-retention-days", "3"])
        defer { world.server.cleanUp() }
        let directory = world.server.dataDirectory
        try world.seed()
        let request = try world.request(on: "r1")
        _ = try world.site.replyToRequest(ReplyToRequestRequest(token: request.token, referenceNumber: "BK-QZ-992", fullName: "Zelda Quimby"))
        #expect(world.server.stop() == 0)
        // Down for ten days: the first answer after the restart already has the details erased.
        let due = Self.t0 + 3 * Self.day
        world = try World(["--reply-retention-days", "3"], start: Self.t0 + 10 * Self.day, directory: directory)
        #expect(world.server.logs.contains("caught up after downtime"), "\(world.server.logs)")
        var seen = try #require(try world.portal.getInfoRequest(GetInfoRequestRequest(businessId: "acme", requestId: request.id)).request)
        #expect(seen.reply == nil)
        #expect(seen.replyErasedAt == due)
        #expect(seen.timeline.filter { $0.kind == .replyDetailsErased }.map(\.at) == [due])
        _ = try world.admin.triggerSnapshot(TriggerSnapshotRequest())
        #expect(world.server.stop() == 0)
        world = try World(["--reply-retention-days", "3"], start: Self.t0 + 20 * Self.day, directory: directory)
        defer { world.stop() }
        #expect(!world.server.logs.contains("caught up after downtime"), "\(world.server.logs)")
        seen = try #require(try world.portal.getInfoRequest(GetInfoRequestRequest(businessId: "acme", requestId: request.id)).request)
        #expect(seen.timeline.filter { $0.kind == .replyDetailsErased }.map(\.at) == [due])
        // The details are gone from the files too: the snapshot holds the erased state.
        #expect(!Self.dataBytes(directory, excludingOutbox: true).contains(Data("BK-QZ-992".utf8)))
    }

    /// Every file under the data directory, concatenated (the outbox optionally left out).
    static func dataBytes(_ directory: URL, excludingOutbox: Bool = false) -> Data {
        var all = Data()
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            if excludingOutbox && url.path.contains("/outbox/") { continue }
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            all.append((try? Data(contentsOf: url)) ?? Data())
        }
        return all
    }

    @Test("EraseReviewer: stubs remain, links stop working, and after the call no file in the data directory holds the personal data")
    func erasure() throws {
        var world = try World()
        defer { world.stop(); world.server.cleanUp() }
        try world.seed()
        let answered = try world.request(on: "r1", fields: [.email, .referenceNumber, .fullName, .phone])
        _ = try world.site.replyToRequest(
            ReplyToRequestRequest(token: answered.token, email: "zq.private@mail.example", referenceNumber: "BK-QZ-993", fullName: "Zelda Q. Quimby", phone: "+46 70 999 88 77", note: "Quimbynote room 12"))
        _ = try world.portal.openReply(OpenReplyRequest(businessId: "acme", requestId: answered.id))
        let pending = try world.request(on: "r2")
        _ = world.emails(kind: "replyReceived")
        let personal = [
            "zelda.quimby@mail.example", "Zelda Quimby", "zq.private@mail.example", "BK-QZ-993", "Zelda Q. Quimby", "+46 70 999 88 77",
            "Quimbynote", "Quimbytitle", "Quimbytext", answered.token, pending.token,
        ]
        // Before: the files hold all of it (the journal, and the emails).
        let before = Self.dataBytes(world.server.dataDirectory)
        for text in personal { #expect(before.contains(Data(text.utf8)), "\(text) before the erasure") }

        let erased = try world.admin.eraseReviewer(EraseReviewerRequest(reviewerId: "zelda"))
        #expect(erased.reviewer?.id == "zelda")
        #expect(erased.reviewer?.email == "")
        #expect(erased.reviewer?.displayName == "")
        #expect(erased.reviewer?.erasedAt == Self.t0)
        #expect(erased.reviews == 2)
        #expect(erased.requests == 2)
        // The last email may be written but not yet marked delivered: then it is cancelled (and its file deleted).
        #expect(erased.emailsCancelled <= 1)
        // After the answer: no file holds any of it.
        let after = Self.dataBytes(world.server.dataDirectory)
        for text in personal { #expect(!after.contains(Data(text.utf8)), "\(text) still in the data directory") }
        #expect(StoryTests.emails(world.server).isEmpty)
        // Links stop working; the business keeps stubs with consistent counts and timelines.
        #expect(Self.refusal { _ = try world.site.viewRequestByToken(ViewRequestByTokenRequest(token: pending.token)) }?.code == .notFound)
        let stub = try #require(try world.portal.getInfoRequest(GetInfoRequestRequest(businessId: "acme", requestId: answered.id)).request)
        #expect(stub.status == .answered)
        #expect(stub.reply == nil)
        #expect(stub.replyErasureReason == .reviewerErased)
        #expect(stub.timeline.last?.kind == .reviewerErased)
        let review = try #require(try world.portal.getReview(GetReviewRequest(businessId: "acme", reviewId: "r1")).view)
        #expect(review.reviewerErased)
        #expect(review.review?.title == "")
        let counts = try world.portal.listInfoRequests(ListInfoRequestsRequest(businessId: "acme")).counts
        #expect(counts.first { $0.status == .answered }?.count == 1)
        #expect(counts.first { $0.status == .pending }?.count == 1)
        // The erasure sticks and repeats change nothing.
        let upsert = Self.refusal {
            _ = try world.ingest.upsertReviewer(UpsertReviewerRequest(reviewer: Reviewer(id: "zelda", displayName: "Zelda", email: "z@mail.example")))
        }
        #expect(upsert?.details.first?.reason == "REVIEWER_ERASED")
        #expect(try world.admin.eraseReviewer(EraseReviewerRequest(reviewerId: "zelda")).reviewer?.erasedAt == Self.t0)
        // And after a restart.
        let directory = world.server.dataDirectory
        #expect(world.server.stop() == 0)
        world = try World(start: Self.t0 + 60, directory: directory)
        #expect(try world.admin.getReviewer(GetReviewerRequest(reviewerId: "zelda")).reviewer?.erasedAt == Self.t0)
        // The pending request runs to its deadline and expires then.
        _ = try world.admin.advanceClock(AdvanceClockRequest(seconds: 120 * Self.hour))
        #expect(try world.portal.getInfoRequest(GetInfoRequestRequest(businessId: "acme", requestId: pending.id)).request?.status == .expired)
        let later = Self.dataBytes(directory)
        for text in personal { #expect(!later.contains(Data(text.utf8)), "\(text) back in the data directory") }
    }

    @Test("EraseReviewer cancels the emails not sent yet to the reviewer (an SMTP relay that is down)")
    func erasureCancelsPendingEmails() throws {
        // A relay nobody listens on: every email stays pending.
        var world = try World(["--smtp", "127.0.0.1:1"])
        defer { world.stop(); world.server.cleanUp() }
        try world.seed()
        try world.publish("r1")
        _ = try world.portal.createInfoRequest(
            CreateInfoRequestRequest(businessId: "acme", reviewId: "r1", message: "Hello", requestedFields: [.fullName]))
        let erased = try world.admin.eraseReviewer(EraseReviewerRequest(reviewerId: "zelda"))
        #expect(erased.emailsCancelled == 1)
        #expect(erased.requests == 1)
        #expect(!Self.dataBytes(world.server.dataDirectory).contains(Data("zelda.quimby@mail.example".utf8)))
    }

    @Test("fair use: RESOURCE_EXHAUSTED REQUEST_LIMIT_REACHED with the retry time, counted from the durable state across a restart")
    func fairUse() throws {
        var world = try World(["--max-requests-per-day-free", "2"])
        defer { world.server.cleanUp() }
        let directory = world.server.dataDirectory
        try world.seed()
        _ = try world.request(on: "r1")
        _ = try world.admin.advanceClock(AdvanceClockRequest(seconds: Self.hour))
        let second = try world.request(on: "r2")
        // A withdrawn request still counts: it was created.
        _ = try world.portal.withdrawInfoRequest(WithdrawInfoRequestRequest(businessId: "acme", requestId: second.id))
        try world.publish("r3")
        let create = CreateInfoRequestRequest(businessId: "acme", reviewId: "r3", message: "Hi", requestedFields: [.email])
        let refused = Self.refusal { _ = try world.portal.createInfoRequest(create) }
        #expect(refused?.code == .resourceExhausted)
        #expect(refused?.details.first?.reason == "REQUEST_LIMIT_REACHED")
        #expect(refused?.details.first?.description == String(Self.t0 + Self.day))
        // Other businesses have their own count.
        _ = try world.request(on: "o1", business: "other")
        #expect(world.server.stop() == 0)
        world = try World(["--max-requests-per-day-free", "2"], start: Self.t0 + Self.day - 1, directory: directory)
        defer { world.stop() }
        let afterRestart = Self.refusal { _ = try world.portal.createInfoRequest(create) }
        #expect(afterRestart?.code == .resourceExhausted)
        #expect(afterRestart?.details.first?.description == String(Self.t0 + Self.day))
        _ = try world.admin.advanceClock(AdvanceClockRequest(seconds: 1))
        #expect(try world.portal.createInfoRequest(create).request?.status == .pending)
        // A paid plan has the other limit (the default 2,000).
        _ = try world.ingest.upsertBusiness(
            UpsertBusinessRequest(business: Business(id: "acme", displayName: "Acme Resor", notificationEmail: "team@acme.example", plan: .paid)))
        try world.publish("r4")
        #expect(try world.portal.createInfoRequest(CreateInfoRequestRequest(businessId: "acme", reviewId: "r4", message: "Hi", requestedFields: [.email])).request != nil)
    }

    @Test("skip_business_notification_email: no email to the business about the request; the views and timeline show everything")
    func skipBusinessEmail() throws {
        var world = try World()
        defer { world.stop(); world.server.cleanUp() }
        try world.seed()
        let quiet = try world.request(on: "r1", skipBusinessEmail: true)
        _ = try world.site.replyToRequest(ReplyToRequestRequest(token: quiet.token, referenceNumber: "BK-1", fullName: "Z"))
        let seen = try #require(try world.portal.getInfoRequest(GetInfoRequestRequest(businessId: "acme", requestId: quiet.id)).request)
        #expect(seen.skipBusinessNotificationEmail)
        #expect(seen.status == .answered)
        #expect(seen.replyAvailable)
        #expect(seen.timeline.map(\.kind) == [.created, .answered])
        // A request without the flag: its reply email arrives, and the quiet one's never did.
        let loud = try world.request(on: "r2")
        _ = try world.site.declineRequest(DeclineRequestRequest(token: loud.token))
        #expect(world.emails(kind: "declined").count == 1)
        #expect(world.emails(kind: "replyReceived", count: 0).isEmpty)
        #expect(try world.portal.getInfoRequest(GetInfoRequestRequest(businessId: "acme", requestId: loud.id)).request?.skipBusinessNotificationEmail == false)
    }

    @Test("wrong role, unknown ids, malformed tokens and ids: precise status codes; the server keeps serving")
    func badCalls() throws {
        var world = try World()
        defer { world.stop(); world.server.cleanUp() }
        try world.seed()
        let request = try world.request(on: "r1")
        // Roles: the portal cannot block for a reviewer nor erase; the site cannot use admin methods.
        #expect(Self.refusal { _ = try world.portal.blockBusiness(BlockBusinessRequest(token: request.token)) }?.code == .permissionDenied)
        #expect(Self.refusal { _ = try world.ingest.unblockBusiness(UnblockBusinessRequest(token: request.token)) }?.code == .permissionDenied)
        #expect(Self.refusal { _ = try world.site.eraseReviewer(EraseReviewerRequest(reviewerId: "zelda")) }?.code == .permissionDenied)
        #expect(Self.refusal { _ = try world.ingest.eraseReviewer(EraseReviewerRequest(reviewerId: "zelda")) }?.code == .permissionDenied)
        #expect(
            Self.refusal {
                _ = try world.site.unblockBusinessForReviewer(UnblockBusinessForReviewerRequest(businessId: "acme", reviewerId: "zelda"))
            }?.code == .permissionDenied)
        #expect(Self.refusal { _ = try world.portal.listReviewerBlocks(ListReviewerBlocksRequest(reviewerId: "zelda")) }?.code == .permissionDenied)
        // Tokens: empty and too long are INVALID_ARGUMENT naming token; unknown is NOT_FOUND.
        for bad in ["", String(repeating: "a", count: 129), "abc\u{7}def"] {
            let error = Self.refusal { _ = try world.site.blockBusiness(BlockBusinessRequest(token: bad)) }
            #expect(error?.code == .invalidArgument, "\(bad.count) bytes: \(String(describing: error))")
            #expect(error?.details.first?.field == "token")
            #expect(Self.refusal { _ = try world.site.unblockBusiness(UnblockBusinessRequest(token: bad)) }?.code == .invalidArgument)
        }
        let unknown = String(repeating: "0", count: 48)
        #expect(Self.refusal { _ = try world.site.blockBusiness(BlockBusinessRequest(token: unknown)) }?.code == .notFound)
        #expect(Self.refusal { _ = try world.site.unblockBusiness(UnblockBusinessRequest(token: unknown)) }?.code == .notFound)
        // A withdrawn request's link no longer works, for a block either.
        _ = try world.portal.withdrawInfoRequest(WithdrawInfoRequestRequest(businessId: "acme", requestId: request.id))
        #expect(Self.refusal { _ = try world.site.blockBusiness(BlockBusinessRequest(token: request.token)) }?.code == .notFound)
        // Ids: unknown NOT_FOUND, wrong shape INVALID_ARGUMENT naming the field.
        #expect(Self.refusal { _ = try world.admin.eraseReviewer(EraseReviewerRequest(reviewerId: "nobody")) }?.code == .notFound)
        let shape = Self.refusal { _ = try world.admin.eraseReviewer(EraseReviewerRequest(reviewerId: "bad id")) }
        #expect(shape?.code == .invalidArgument)
        #expect(shape?.details.first?.field == "reviewerId")
        #expect(
            Self.refusal {
                _ = try world.admin.unblockBusinessForReviewer(UnblockBusinessForReviewerRequest(businessId: "nobody", reviewerId: "zelda"))
            }?.code == .notFound)
        #expect(
            Self.refusal {
                _ = try world.admin.unblockBusinessForReviewer(UnblockBusinessForReviewerRequest(businessId: "acme", reviewerId: "nobody"))
            }?.code == .notFound)
        let field = Self.refusal {
            _ = try world.admin.unblockBusinessForReviewer(UnblockBusinessForReviewerRequest(businessId: "acme", reviewerId: ""))
        }
        #expect(field?.code == .invalidArgument)
        #expect(field?.details.first?.field == "reviewerId")
        #expect(Self.refusal { _ = try world.admin.listReviewerBlocks(ListReviewerBlocksRequest(reviewerId: "nobody")) }?.code == .notFound)
        let page = Self.refusal { _ = try world.admin.listReviewerBlocks(ListReviewerBlocksRequest(reviewerId: "zelda", pageSize: 501)) }
        #expect(page?.code == .invalidArgument)
        #expect(page?.details.first?.field == "pageSize")
        #expect(try world.admin.listReviewerBlocks(ListReviewerBlocksRequest(reviewerId: "zelda")).blocks.isEmpty)
        #expect(try world.admin.check().status == .serving)
    }
}
