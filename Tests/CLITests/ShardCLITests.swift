import FindReviewerClient
import FindReviewerTestSupport
import Foundation
import Messages
import RPC
import Testing

/// `findreviewer --shard-map FILE` (or FINDREVIEWER_SHARD_MAP) against three real shards.
@Suite("findreviewer routes by a shard map", .serialized)
struct ShardCLITests {
    @Test("a business on the last shard: reviews show and the public page reach it by the map, by flag or environment")
    func routes() throws {
        let cluster = try ShardCluster()
        defer { cluster.stop() }
        let id = cluster.business(onShard: 2)
        let ingest = try FindReviewerClient(router: ShardRouter(map: cluster.map, key: cluster.key(role: "reviews-ingest")))
        _ = try ingest.upsertBusiness(UpsertBusinessRequest(business: Business(id: id, displayName: "Far Hotel", notificationEmail: "x@far.example", locale: "en")))
        _ = try ingest.upsertReviewer(UpsertReviewerRequest(reviewer: Reviewer(id: "ann", displayName: "Ann", email: "ann@mail.example")), forBusiness: id)
        _ = try ingest.publishReview(
            PublishReviewRequest(review: Review(id: "far-1", businessId: id, reviewerId: "ann", rating: 2, title: "Too far away", text: "Far", source: .organic)))

        let shown = try ToolProcess.run(
            "findreviewer", ["--shard-map", cluster.mapFile.path, "--data-dir", cluster.root.path, "reviews", "show", "--business", id, "far-1"])
        #expect(shown.status == 0, "\(shown.output)\n\(shown.errors)")
        #expect(shown.output.contains("Too far away"), "\(shown.output)")
        let page = try ToolProcess.run(
            "findreviewer", ["reviews", "public", "far-1"],
            environment: ["FINDREVIEWER_SHARD_MAP": cluster.mapFile.path, "FINDREVIEWER_DATA_DIR": cluster.root.path])
        #expect(page.status == 0, "\(page.output)\n\(page.errors)")
        #expect(page.output.contains("Too far away"), "\(page.output)")
        // The raw method caller routes the same way (by the request's businessId).
        let raw = try ToolProcess.run(
            "findreviewer",
            ["--shard-map", cluster.mapFile.path, "--data-dir", cluster.root.path, "call", "FindReviewer/GetReview",
             #"{"businessId": "\#(id)", "reviewId": "far-1"}"#])
        #expect(raw.status == 0, "\(raw.output)\n\(raw.errors)")
        #expect(raw.output.contains("Too far away"), "\(raw.output)")
        // Without the map the default server is not a shard: the call fails instead of reaching another business.
        let direct = try ToolProcess.run(
            "findreviewer", ["--server", cluster.map.shards[0].address, "--data-dir", cluster.root.path, "reviews", "show", "--business", id, "far-1"])
        #expect(direct.status != 0)
        #expect(direct.errors.contains("WRONG_SHARD") || direct.errors.contains("FAILED_PRECONDITION"), "\(direct.errors)")
    }
}
