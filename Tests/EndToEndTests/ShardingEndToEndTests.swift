import FindReviewerClient
import FindReviewerTestSupport
import Foundation
import Messages
import RPC
import Sharding
import Testing

/// Three real shard processes on loopback (`--shard shard-I --shard-map FILE`).
@Suite("Shards: three processes, WRONG_SHARD, isolation, the shard map", .serialized)
struct ShardingEndToEndTests {
    static func business(_ id: String) -> Business {
        Business(id: id, displayName: "Business \(id)", notificationEmail: "owner@\(id).example", locale: "en", plan: .free)
    }

    @Test("a call for another shard's business: FAILED_PRECONDITION WRONG_SHARD with the owner's name and address; nothing changes; the shard keeps serving")
    func wrongShard() throws {
        let cluster = try ShardCluster()
        defer { cluster.stop() }
        let onOne = cluster.business(onShard: 1)
        let shard0 = try RPCClient(address: cluster.map.shards[0].address, key: cluster.key(role: "admin"))
        let shard1 = try RPCClient(address: cluster.map.shards[1].address, key: cluster.key(role: "admin"))
        let owner = cluster.map.shards[1]

        let refused = #expect(throws: RPCError.self) {
            _ = try shard0.call(
                "findreviewer.v1.FindReviewer/UpsertBusiness", UpsertBusinessRequest(business: Self.business(onOne)), as: UpsertBusinessResponse.self)
        }
        #expect(refused?.code == .failedPrecondition)
        #expect(refused?.details == [ErrorDetail(reason: "WRONG_SHARD", field: "business.id", description: "shard-1 \(owner.address)")])
        #expect(refused?.message.contains("belongs to shard \"shard-1\" at \(owner.address)") == true)

        // Nothing was stored on shard-0, and it keeps serving.
        let listed = try shard0.call("findreviewer.v1.FindReviewer/ListBusinesses", ListBusinessesRequest(), as: ListBusinessesResponse.self)
        #expect(listed.businesses.isEmpty)
        let health = try shard0.call("findreviewer.v1.Health/Check", HealthCheckRequest(), as: HealthCheckResponse.self)
        #expect(health.status == .serving)

        // The owner takes it; a read keyed by it on a third shard is refused the same way.
        let created = try shard1.call(
            "findreviewer.v1.FindReviewer/UpsertBusiness", UpsertBusinessRequest(business: Self.business(onOne)), as: UpsertBusinessResponse.self)
        #expect(created.created)
        let shard2 = try RPCClient(address: cluster.map.shards[2].address, key: cluster.key(role: "business-portal"))
        let read = #expect(throws: RPCError.self) {
            _ = try shard2.call("findreviewer.v1.FindReviewer/ListReviews", ListReviewsRequest(businessId: onOne), as: ListReviewsResponse.self)
        }
        #expect(read?.code == .failedPrecondition)
        #expect(read?.details.first?.reason == "WRONG_SHARD")
        #expect(read?.details.first?.field == "businessId")
        #expect(read?.details.first?.description == "shard-1 \(owner.address)")
        // A token issued by shard-1 sent to shard-2: WRONG_SHARD naming shard-1 (a token of no known shard is NOT_FOUND).
        let site = try RPCClient(address: cluster.map.shards[2].address, key: cluster.key(role: "consumer-site"))
        let token = "shard-1." + String(repeating: "ab", count: 24)
        let byToken = #expect(throws: RPCError.self) {
            _ = try site.call("findreviewer.v1.FindReviewer/ViewRequestByToken", ViewRequestByTokenRequest(token: token), as: ViewRequestByTokenResponse.self)
        }
        #expect(byToken?.details == [ErrorDetail(reason: "WRONG_SHARD", field: "token", description: "shard-1 \(owner.address)")])
        let unknown = #expect(throws: RPCError.self) {
            _ = try site.call(
                "findreviewer.v1.FindReviewer/ViewRequestByToken", ViewRequestByTokenRequest(token: "shard-9." + String(repeating: "ab", count: 24)),
                as: ViewRequestByTokenResponse.self)
        }
        #expect(unknown?.code == .notFound)
        for server in cluster.servers { #expect(server.isRunning) }
    }

    @Test("GetShardMap: every shard answers the map it was started with and its own name, to any role")
    func getShardMap() throws {
        let cluster = try ShardCluster()
        defer { cluster.stop() }
        for (index, shard) in cluster.map.shards.enumerated() {
            let client = try RPCClient(address: shard.address, key: cluster.key(role: "consumer-site"))
            let answer = try client.call("findreviewer.v1.ShardMapService/GetShardMap", GetShardMapRequest(), as: GetShardMapResponse.self)
            #expect(answer.shard == "shard-\(index)")
            #expect(try ShardMap.decode(Data(answer.shardMapJson.utf8)) == cluster.map)
        }
    }

    @Test("an unsharded server answers a one-shard map named default at its own address, owning every slot")
    func unshardedMap() throws {
        let server = try ServerProcess()
        defer { server.stop(); server.cleanUp() }
        let client = try RPCClient(address: "127.0.0.1:\(server.port)", key: server.key(role: "reviews-ingest"))
        let answer = try client.call("findreviewer.v1.ShardMapService/GetShardMap", GetShardMapRequest(), as: GetShardMapResponse.self)
        let map = try ShardMap.decode(Data(answer.shardMapJson.utf8))
        #expect(answer.shard == "default")
        #expect(map.shards == [ShardMap.Shard(name: "default", address: "127.0.0.1:\(server.port)", slots: [0...16_383])])
    }

    // MARK: clients route

    static let t0: Int64 = 1_800_000_000

    /// The reply tokens in the emails of a shard's outbox.
    static func tokens(_ server: ServerProcess) -> [String] {
        var tokens: [String] = []
        for email in OutboxContents.emails(in: server.dataDirectory.appendingPathComponent("outbox")) {
            let raw = email.raw.replacingOccurrences(of: "=\r\n", with: "")
            if let range = raw.range(of: #"token=3D[a-z0-9-]+\.[0-9a-f]{48}"#, options: .regularExpression) {
                tokens.append(String(raw[range].dropFirst("token=3D".count)))
            }
        }
        return tokens
    }

    /// Waits (polling, bounded) for `count` tokens in `server`'s outbox; the delivery thread writes them.
    static func waitForTokens(_ server: ServerProcess, count: Int) -> [String] {
        for _ in 0..<1_500 {
            let tokens = Self.tokens(server)
            if tokens.count >= count { return tokens }
            usleep(20_000)
        }
        return Self.tokens(server)
    }

    @Test("the story across three shards: one business per shard, one reviewer on all three; tokens, public pages, lists, the clock and erasure routed by the client")
    func storyAcrossShards() throws {
        let cluster = try ShardCluster(arguments: ["--test-clock", "--test-clock-start", String(Self.t0)])
        defer { cluster.stop() }
        func client(_ role: String) throws -> FindReviewerClient {
            try FindReviewerClient(router: ShardRouter(map: cluster.map, key: cluster.key(role: role)))
        }
        let ingest = try client("reviews-ingest")
        let portal = try client("business-portal")
        let site = try client("consumer-site")
        let admin = try client("admin")
        let businesses = (0..<3).map { cluster.business(onShard: $0, prefix: "hotel") }

        // The ingest path: the reviewer is upserted on the shard of each review's business, then the review.
        for (index, id) in businesses.enumerated() {
            #expect(try ingest.upsertBusiness(UpsertBusinessRequest(business: Self.business(id))).created)
            _ = try ingest.upsertReviewer(
                UpsertReviewerRequest(reviewer: Reviewer(id: "ann", displayName: "Ann", email: "ann@mail.example", locale: "en")), forBusiness: id)
            _ = try ingest.publishReview(
                PublishReviewRequest(review: Review(id: "rev-\(index)", businessId: id, reviewerId: "ann", rating: 1, title: "Bad", text: "Bad stay", createdAt: Self.t0 - 86_400, source: .organic)))
        }
        // Isolation: each shard holds exactly its own business; the merged list has all three in id order, across pages.
        for (index, shard) in cluster.map.shards.enumerated() {
            let direct = try RPCClient(address: shard.address, key: cluster.key(role: "admin"))
            let own = try direct.call("findreviewer.v1.FindReviewer/ListBusinesses", ListBusinessesRequest(), as: ListBusinessesResponse.self)
            #expect(own.businesses.map(\.id) == [businesses[index]])
        }
        #expect(try admin.listBusinesses(ListBusinessesRequest()).businesses.map(\.id) == businesses.sorted())
        var paged: [String] = []
        var token = ""
        repeat {
            let page = try admin.listBusinesses(ListBusinessesRequest(pageSize: 2, pageToken: token))
            #expect(page.businesses.count <= 2)
            paged += page.businesses.map(\.id)
            token = page.nextPageToken
        } while !token.isEmpty
        #expect(paged == businesses.sorted())
        // A public page and the reviewer, by id alone: the shard that holds them answers.
        #expect(try site.getPublicReview(GetPublicReviewRequest(reviewId: "rev-2")).review?.businessDisplayName == "Business \(businesses[2])")
        #expect((#expect(throws: RPCError.self) { _ = try site.getPublicReview(GetPublicReviewRequest(reviewId: "nowhere")) })?.code == .notFound)
        #expect(try ingest.getReviewer(GetReviewerRequest(reviewerId: "ann")).reviewer?.email == "ann@mail.example")

        // A request per business; each email's token names the shard that issued it.
        var requests: [String] = []
        for (index, id) in businesses.enumerated() {
            let created = try portal.createInfoRequest(
                CreateInfoRequestRequest(businessId: id, reviewId: "rev-\(index)", message: "Which booking?", requestedFields: [.referenceNumber], acknowledgeIntro: true))
            requests.append(try #require(created.request).id)
        }
        var tokens: [String] = []
        for (index, server) in cluster.servers.enumerated() {
            let found = Self.waitForTokens(server, count: 1)
            #expect(found.count == 1)
            let token = try #require(found.first)
            #expect(token.hasPrefix("shard-\(index)."))
            #expect(token.count == "shard-\(index).".count + 48)
            tokens.append(token)
        }
        // The consumer site routes by the token: view and reply on shard 1, decline on shard 2.
        #expect(try site.viewRequestByToken(ViewRequestByTokenRequest(token: tokens[1])).request?.businessDisplayName == "Business \(businesses[1])")
        #expect(try site.replyToRequest(ReplyToRequestRequest(token: tokens[1], referenceNumber: "BK-1")).request?.status == .answered)
        #expect(try site.declineRequest(DeclineRequestRequest(token: tokens[2])).request?.status == .declined)
        let opened = try #require(try portal.openReply(OpenReplyRequest(businessId: businesses[1], requestId: requests[1])).request)
        #expect(opened.reply?.referenceNumber == "BK-1")
        // The test clock moves on every shard: the pending request on shard 0 expires after five days.
        let moved = try admin.advanceClock(AdvanceClockRequest(seconds: 120 * 3_600))
        #expect(moved.transitionsApplied >= 1)
        for index in 0..<3 {
            let now = try RPCClient(address: cluster.map.shards[index].address, key: cluster.key(role: "admin"))
                .call("findreviewer.v1.Admin/GetClock", GetClockRequest(), as: ClockResponse.self).now
            #expect(now == Self.t0 + 120 * 3_600)
        }
        let expired = try portal.getInfoRequest(GetInfoRequestRequest(businessId: businesses[0], requestId: requests[0])).request
        #expect(expired?.status == .expired)
        // Erasure reaches the reviewer on all three shards; the counts are summed.
        let erased = try admin.eraseReviewer(EraseReviewerRequest(reviewerId: "ann"))
        #expect(erased.reviews == 3)
        #expect(erased.requests == 3)
        for server in cluster.servers { #expect(server.isRunning) }
    }

    @Test("a client with a stale map follows WRONG_SHARD: it refreshes the map from the server and retries once, at the owner")
    func staleMap() throws {
        let cluster = try ShardCluster()
        defer { cluster.stop() }
        // Every shard's slots handed to the next shard's address: each business routes to a wrong shard first.
        let shards = cluster.map.shards
        let stale = try ShardMap(shards: shards.enumerated().map { index, shard in
            ShardMap.Shard(name: shard.name, address: shard.address, slots: shards[(index + 1) % shards.count].slots)
        })
        let router = ShardRouter(map: stale, key: try cluster.key(role: "admin"))
        let client = try FindReviewerClient(router: router)
        let id = cluster.business(onShard: 1)
        #expect(stale.owner(ofBusiness: id).name != "shard-1")
        #expect(try client.upsertBusiness(UpsertBusinessRequest(business: Self.business(id))).created)
        #expect(router.redirectCount == 1)
        #expect(router.map == cluster.map)
        // With the fresh map the next call goes straight to the owner.
        #expect(try client.getBusiness(GetBusinessRequest(businessId: id)).business?.id == id)
        #expect(router.redirectCount == 1)
        // The business is on its owner only.
        let owner = try RPCClient(address: shards[1].address, key: cluster.key(role: "admin"))
        #expect(try owner.call("findreviewer.v1.FindReviewer/GetBusiness", GetBusinessRequest(businessId: id), as: GetBusinessResponse.self).business?.id == id)
    }

    @Test("a token without a shard (issued by an unsharded server): the client tries each shard in map order until one knows it")
    func shardlessToken() throws {
        // Two unsharded servers stand in for shards holding data from before sharding.
        let first = try ServerProcess(arguments: ["--keys-file", ServerProcess.makeDataDirectory().appendingPathComponent("keys.json").path])
        defer { first.stop(); first.cleanUp() }
        let second = try ServerProcess(arguments: ["--keys-file", first.keysFile])
        defer { second.stop(); second.cleanUp() }
        let direct = try FindReviewerClient(address: "127.0.0.1:\(second.port)", key: second.key(role: "admin"))
        _ = try direct.upsertBusiness(UpsertBusinessRequest(business: Self.business("old")))
        _ = try direct.upsertReviewer(UpsertReviewerRequest(reviewer: Reviewer(id: "ann", displayName: "Ann", email: "ann@mail.example")))
        _ = try direct.publishReview(PublishReviewRequest(review: Review(id: "old-1", businessId: "old", reviewerId: "ann", rating: 1, source: .organic)))
        _ = try direct.createInfoRequest(
            CreateInfoRequestRequest(businessId: "old", reviewId: "old-1", message: "Which booking?", requestedFields: [.email], acknowledgeIntro: true))
        var token: String?
        for _ in 0..<1_500 where token == nil {
            for email in OutboxContents.emails(in: second.dataDirectory.appendingPathComponent("outbox")) {
                let raw = email.raw.replacingOccurrences(of: "=\r\n", with: "")
                if let range = raw.range(of: #"token=3D[0-9a-f]{48}"#, options: .regularExpression) { token = String(raw[range].dropFirst(8)) }
            }
            if token == nil { usleep(20_000) }
        }
        let shardless = try #require(token)
        #expect(!shardless.contains("."))
        let map = try ShardMap(shards: [
            ShardMap.Shard(name: "a", address: "127.0.0.1:\(first.port)", slots: [0...8_191]),
            ShardMap.Shard(name: "b", address: "127.0.0.1:\(second.port)", slots: [8_192...16_383]),
        ])
        let site = try FindReviewerClient(router: ShardRouter(map: map, key: first.key(role: "consumer-site")))
        #expect(try site.viewRequestByToken(ViewRequestByTokenRequest(token: shardless)).request?.businessDisplayName == "Business old")
        let unknown = String(repeating: "cd", count: 24)
        #expect((#expect(throws: RPCError.self) { _ = try site.viewRequestByToken(ViewRequestByTokenRequest(token: unknown)) })?.code == .notFound)
    }
}
