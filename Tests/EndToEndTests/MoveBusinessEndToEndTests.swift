import FindReviewerClient
import FindReviewerTestSupport
import Foundation
import Messages
import RPC
import Sharding
import Testing

/// Moving a business between two real shard processes (issue 19 item 4, PROTOCOL.md §9.5):
/// export from the old owner, import on the new one, the map changes, forget on the old one.
@Suite("Moving a business between shards", .serialized)
struct MoveBusinessEndToEndTests {
    static let t0: Int64 = 1_800_000_000

    /// Two shards' processes, restarted with other flags as the move goes.
    final class Pair {
        let root = ServerProcess.makeDataDirectory()
        let ports: [Int]
        let oldMap: ShardMap
        let newMap: ShardMap
        let oldMapFile: URL
        let newMapFile: URL
        let keysFile: String
        let business: String
        var servers: [ServerProcess?] = [nil, nil]

        init() throws {
            self.ports = try ShardCluster.freePorts(2)
            let ports = self.ports
            let oldMap = try ShardMap.evenly(count: 2) { "127.0.0.1:\(ports[$0])" }
            self.oldMap = oldMap
            // The first mover-N on shard-0; the new map hands its slot (only that one) to shard-1.
            let business = (0...).lazy.map { "mover-\($0)" }.first { oldMap.owner(ofBusiness: $0).name == "shard-0" }!
            self.business = business
            let slot = Slots.slot(ofBusiness: business)
            var kept: [ClosedRange<Int>] = []
            let first = self.oldMap.shards[0].slots[0]
            if slot > first.lowerBound { kept.append(first.lowerBound...(slot - 1)) }
            if slot < first.upperBound { kept.append((slot + 1)...first.upperBound) }
            self.newMap = try ShardMap(shards: [
                ShardMap.Shard(name: "shard-0", address: self.oldMap.shards[0].address, slots: kept),
                ShardMap.Shard(name: "shard-1", address: self.oldMap.shards[1].address, slots: [slot...slot] + self.oldMap.shards[1].slots),
            ])
            self.oldMapFile = self.root.appendingPathComponent("old-map.json")
            self.newMapFile = self.root.appendingPathComponent("new-map.json")
            try self.oldMap.encoded().write(to: self.oldMapFile)
            try self.newMap.encoded().write(to: self.newMapFile)
            self.keysFile = self.root.appendingPathComponent("keys.json").path
        }

        /// (Re)starts shard `index` with `map` and `extra` flags, on its data directory.
        func start(_ index: Int, map: URL, _ extra: [String] = []) throws {
            self.servers[index]?.stop()
            let data = self.root.appendingPathComponent("shard-\(index)")
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
            self.servers[index] = try ServerProcess(arguments: [
                "--listen", "127.0.0.1:\(self.ports[index])", "--shard", "shard-\(index)", "--shard-map", map.path,
                "--keys-file", self.keysFile, "--test-clock", "--test-clock-start", String(MoveBusinessEndToEndTests.t0),
            ] + extra, dataDirectory: data)
        }

        func server(_ index: Int) -> ServerProcess { self.servers[index]! }

        func client(_ index: Int, _ role: String) throws -> FindReviewerClient {
            try FindReviewerClient(address: "127.0.0.1:\(self.ports[index])", key: self.server(index).key(role: role))
        }

        func stop() {
            for server in self.servers { server?.stop() }
            try? FileManager.default.removeItem(at: self.root)
        }
    }

    static func business(_ id: String) -> Business {
        Business(id: id, displayName: "Business \(id)", notificationEmail: "owner@\(id).example", locale: "en", plan: .free)
    }

    /// Publishes a review by a reviewer of its own on `client`'s shard.
    static func review(_ ingest: FindReviewerClient, business: String, id: String, reviewer: String) throws {
        _ = try ingest.upsertReviewer(UpsertReviewerRequest(reviewer: Reviewer(id: reviewer, displayName: reviewer, email: "\(reviewer)@mail.example", locale: "en")))
        _ = try ingest.publishReview(
            PublishReviewRequest(review: Review(id: id, businessId: business, reviewerId: reviewer, rating: 2, title: "Meh", text: "Meh stay", createdAt: t0 - 86_400, source: .organic)))
    }

    static func refusal(_ body: () throws -> Void) -> RPCError? {
        do {
            try body()
            return nil
        } catch let error as RPCError {
            return error
        } catch {
            return RPCError(.unknown, "\(error)")
        }
    }

    @Test("a business moved between shards with every request, email and timer intact; writes refused while it moves; forgotten on the old owner; kept by the new one over a restart")
    func moveBusiness() throws {
        let pair = try Pair()
        defer { pair.stop() }
        try pair.start(0, map: pair.oldMapFile)
        try pair.start(1, map: pair.oldMapFile)
        let mover = pair.business
        var ingest = try pair.client(0, "reviews-ingest")
        var portal = try pair.client(0, "business-portal")
        var site = try pair.client(0, "consumer-site")
        // shard-1 has a business of its own with a request: its ids are numbered as the mover's are.
        let resident = (0...).lazy.map { "resident-\($0)" }.first { pair.newMap.owner(ofBusiness: $0).name == "shard-1" }!
        let ingest1 = try pair.client(1, "reviews-ingest")
        _ = try ingest1.upsertBusiness(UpsertBusinessRequest(business: Self.business(resident)))
        try Self.review(ingest1, business: resident, id: "res-1", reviewer: "zed")
        let residentRequest = try #require(try pair.client(1, "business-portal").createInfoRequest(
            CreateInfoRequestRequest(businessId: resident, reviewId: "res-1", message: "Which room?", requestedFields: [.email], acknowledgeIntro: true)).request)
        #expect(residentRequest.id == "req_00000001")

        // On shard-0: the mover with three requests (to be: pending, answered, declined), one more later.
        _ = try ingest.upsertBusiness(UpsertBusinessRequest(business: Self.business(mover)))
        let other = (0...).lazy.map { "stayer-\($0)" }.first { pair.newMap.owner(ofBusiness: $0).name == "shard-0" }!
        _ = try ingest.upsertBusiness(UpsertBusinessRequest(business: Self.business(other)))
        for (index, reviewer) in ["ann", "bob", "cat", "dan"].enumerated() {
            try Self.review(ingest, business: mover, id: "mv-\(index)", reviewer: reviewer)
        }
        var ids: [String] = []
        for index in 0..<3 {
            let created = try portal.createInfoRequest(
                CreateInfoRequestRequest(businessId: mover, reviewId: "mv-\(index)", message: "Which booking?", requestedFields: [.referenceNumber], acknowledgeIntro: true),
                idempotencyKey: "key-\(index)")
            ids.append(try #require(created.request).id)
        }
        let tokens = ShardingEndToEndTests.waitForTokens(pair.server(0), count: 3)
        try #require(tokens.count == 3)
        _ = try site.replyToRequest(ReplyToRequestRequest(token: tokens[1], referenceNumber: "BK-42"))
        _ = try site.declineRequest(DeclineRequestRequest(token: tokens[2]))
        _ = try portal.openReply(OpenReplyRequest(businessId: mover, requestId: ids[1]))
        _ = try portal.setPublicReply(SetPublicReplyRequest(businessId: mover, reviewId: "mv-0", text: "Sorry to hear that"))
        _ = try portal.createReport(CreateReportRequest(businessId: mover, reviewId: "mv-2", reason: .notGenuineExperience, explanation: "Not a guest", acknowledgeGuidelines: true))

        // shard-0 again, its emails now stuck (the SMTP relay refuses them all): the fourth request's email stays pending.
        let smtp = try SMTPServer(refuse: 1_000_000)
        try pair.start(0, map: pair.oldMapFile, ["--smtp", "127.0.0.1:\(smtp.port)"])
        (ingest, portal, site) = (try pair.client(0, "reviews-ingest"), try pair.client(0, "business-portal"), try pair.client(0, "consumer-site"))
        ids.append(try #require(try portal.createInfoRequest(
            CreateInfoRequestRequest(businessId: mover, reviewId: "mv-3", message: "Which booking?", requestedFields: [.email], acknowledgeIntro: true)).request).id)
        var before: [InfoRequest] = []
        for id in ids { before.append(try #require(try portal.getInfoRequest(GetInfoRequestRequest(businessId: mover, requestId: id)).request)) }
        #expect(before.map(\.status) == [.pending, .answered, .declined, .pending])

        // 1. Export from shard-0: the business is moving there.
        let exporter = try pair.client(0, "admin")
        let export = try exporter.exportBusiness(ExportBusinessRequest(businessId: mover))
        let counts = try #require(export.counts)
        #expect(counts.reviews == 4)
        #expect(counts.reviewers == 4)
        #expect(counts.requests == 4)
        #expect(counts.reports == 1)
        #expect(counts.pendingEmails >= 1)
        #expect(counts.outboxEntries == 6)  // 4 requests to reviewers, the business's reply-received and declined
        // A repeated export answers the same.
        #expect(try exporter.exportBusiness(ExportBusinessRequest(businessId: mover)).data == export.data)
        // Writes to it are refused, by id and by token; reads work; another business is unaffected.
        let moving = Self.refusal { _ = try portal.withdrawInfoRequest(WithdrawInfoRequestRequest(businessId: mover, requestId: ids[0])) }
        #expect(moving?.code == .failedPrecondition)
        #expect(moving?.details.first?.reason == "BUSINESS_MOVING")
        let byToken = Self.refusal { _ = try site.declineRequest(DeclineRequestRequest(token: tokens[0])) }
        #expect(byToken?.code == .failedPrecondition)
        #expect(byToken?.details.first?.reason == "BUSINESS_MOVING")
        #expect(try portal.getInfoRequest(GetInfoRequestRequest(businessId: mover, requestId: ids[0])).request?.status == .pending)
        _ = try portal.acknowledgeIntroduction(AcknowledgeIntroductionRequest(businessId: other))
        // The mark is durable: after a restart of shard-0 its writes are still refused.
        try pair.start(0, map: pair.oldMapFile, ["--smtp", "127.0.0.1:\(smtp.port)"])
        portal = try pair.client(0, "business-portal")
        #expect(Self.refusal { _ = try portal.withdrawInfoRequest(WithdrawInfoRequestRequest(businessId: mover, requestId: ids[0])) }?.details.first?.reason == "BUSINESS_MOVING")

        // 2. Import on shard-1: refused while its map does not give it the slot; bad bytes refused.
        var admin1 = try pair.client(1, "admin")
        let notOwner = Self.refusal { _ = try admin1.importBusiness(ImportBusinessRequest(data: export.data)) }
        #expect(notOwner?.code == .failedPrecondition)
        #expect(notOwner?.details.first?.reason == "WRONG_SHARD")
        // 3. The map changes: shard-1 restarts with the new map.
        try pair.start(1, map: pair.newMapFile)
        admin1 = try pair.client(1, "admin")
        let garbage = Self.refusal { _ = try admin1.importBusiness(ImportBusinessRequest(data: Data([0xFF, 0x01, 0x02, 0x03, 0x04]))) }
        #expect(garbage?.code == .invalidArgument)
        #expect(garbage?.details.first?.field == "data")
        let imported = try admin1.importBusiness(ImportBusinessRequest(data: export.data))
        #expect(imported.businessId == mover)
        #expect(imported.counts == export.counts)
        // Ids are numbered per shard: the mover's requests come after the resident's.
        #expect(imported.requests.map(\.before) == ids)
        #expect(imported.requests.map(\.after) == ["req_00000002", "req_00000003", "req_00000004", "req_00000005"])
        let again = Self.refusal { _ = try admin1.importBusiness(ImportBusinessRequest(data: export.data)) }
        #expect(again?.code == .alreadyExists)

        // Every request intact on shard-1 (status, times, reply, timeline), under its new id.
        let portal1 = try pair.client(1, "business-portal")
        let newIds = imported.requests.map(\.after)
        for (old, id) in zip(before, newIds) {
            var moved = try #require(try portal1.getInfoRequest(GetInfoRequestRequest(businessId: mover, requestId: id)).request)
            #expect(moved.id == id)
            moved.id = old.id
            #expect(moved == old)
        }
        #expect(try portal1.getInfoRequest(GetInfoRequestRequest(businessId: resident, requestId: "req_00000001")).request?.businessId == resident)
        #expect(try portal1.listReports(ListReportsRequest(businessId: mover)).reports.count == 1)
        #expect(try pair.client(1, "consumer-site").getPublicReview(GetPublicReviewRequest(reviewId: "mv-0")).review?.publicReply?.text == "Sorry to hear that")
        // The pending email goes out from shard-1; the moved tokens work there.
        // (shard-1's outbox: the resident's request, then the mover's fourth, whose token names shard-0.)
        let delivered = ShardingEndToEndTests.waitForTokens(pair.server(1), count: 2).filter { $0.hasPrefix("shard-0.") }
        #expect(delivered.count == 1)
        let fourth = try #require(delivered.first)
        #expect(!tokens.contains(fourth))
        let site1 = try pair.client(1, "consumer-site")
        #expect(try site1.viewRequestByToken(ViewRequestByTokenRequest(token: tokens[0])).request?.businessDisplayName == "Business \(mover)")
        // The timers: 72 h on, the automatic reminders of the two pending requests go out from shard-1; at 120 h the first expires.
        let advanced = try admin1.advanceClock(AdvanceClockRequest(seconds: 72 * 3_600))
        #expect(advanced.transitionsApplied == 3)  // the resident's reminder too
        let reminders = ShardingEndToEndTests.waitForTokens(pair.server(1), count: 5).filter { $0.hasPrefix("shard-0.") }
        #expect(reminders.sorted() == [fourth, fourth, tokens[0]].sorted())
        #expect(try portal1.getInfoRequest(GetInfoRequestRequest(businessId: mover, requestId: newIds[0])).request?.reminderSentAt == Self.t0 + 72 * 3_600)
        _ = try admin1.advanceClock(AdvanceClockRequest(seconds: 48 * 3_600))
        #expect(try portal1.getInfoRequest(GetInfoRequestRequest(businessId: mover, requestId: newIds[0])).request?.status == .expired)

        // 4. Forget on shard-0: only a moving business; then it is gone there.
        let admin0 = try pair.client(0, "admin")
        let notMoving = Self.refusal { _ = try admin0.forgetBusiness(ForgetBusinessRequest(businessId: other)) }
        #expect(notMoving?.code == .failedPrecondition)
        #expect(notMoving?.details.first?.reason == "BUSINESS_NOT_MOVING")
        let forgotten = try admin0.forgetBusiness(ForgetBusinessRequest(businessId: mover))
        #expect(forgotten.counts?.requests == 4)
        portal = try pair.client(0, "business-portal")
        #expect(Self.refusal { _ = try portal.getBusiness(GetBusinessRequest(businessId: mover)) }?.code == .notFound)
        #expect(try portal.getBusiness(GetBusinessRequest(businessId: other)).business?.id == other)
        #expect(Self.refusal { _ = try pair.client(0, "consumer-site").viewRequestByToken(ViewRequestByTokenRequest(token: tokens[0])) }?.code == .notFound)
        // shard-0 restarts with the new map: the mover is WRONG_SHARD there, naming shard-1.
        try pair.start(0, map: pair.newMapFile)
        let wrong = Self.refusal { _ = try pair.client(0, "business-portal").getBusiness(GetBusinessRequest(businessId: mover)) }
        #expect(wrong?.details.first == ErrorDetail(reason: "WRONG_SHARD", field: "businessId", description: "shard-1 \(pair.newMap.shards[1].address)"))
        // A routing client finds everything at shard-1, tokens of shard-0 included.
        let routed = try FindReviewerClient(router: ShardRouter(map: pair.newMap, key: pair.server(0).key(role: "consumer-site")))
        #expect(try routed.viewRequestByToken(ViewRequestByTokenRequest(token: tokens[1])).request?.status == .answered)

        // shard-1 keeps the import over a restart.
        try pair.start(1, map: pair.newMapFile)
        let afterRestart = try pair.client(1, "business-portal")
        let statuses = try newIds.map { id in try #require(try afterRestart.getInfoRequest(GetInfoRequestRequest(businessId: mover, requestId: id)).request).status }
        #expect(statuses == [.expired, .answered, .declined, .expired])  // the fourth was created at t0 too
        for server in pair.servers { #expect(server?.isRunning == true) }
    }
}
