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
}
