import FindReviewerClient
import FindReviewerTestSupport
import Foundation
import Messages
import RPC
import Testing

/// `findreviewer admin export / import / forget` against two real servers (one keys file).
@Suite("findreviewer admin export, import, forget", .serialized)
struct MoveCLITests {
    @Test("export to a file (the business then refuses writes), import the file on another server, forget on the first; bad inputs exit with their status")
    func exportImportForget() throws {
        let old = try ServerProcess()
        defer { old.stop(); old.cleanUp() }
        let new = try ServerProcess(arguments: ["--keys-file", old.keysFile])
        defer { new.stop(); new.cleanUp() }
        let ingest = try FindReviewerClient(address: "127.0.0.1:\(old.port)", key: old.key(role: "reviews-ingest"))
        _ = try ingest.upsertBusiness(UpsertBusinessRequest(business: Business(id: "acme", displayName: "Acme", notificationEmail: "x@acme.example", locale: "en")))
        _ = try ingest.upsertReviewer(UpsertReviewerRequest(reviewer: Reviewer(id: "ann", displayName: "Ann", email: "ann@mail.example")))
        _ = try ingest.publishReview(PublishReviewRequest(review: Review(id: "acme-1", businessId: "acme", reviewerId: "ann", rating: 2, source: .organic)))
        let portal = try FindReviewerClient(address: "127.0.0.1:\(old.port)", key: old.key(role: "business-portal"))
        _ = try portal.createInfoRequest(
            CreateInfoRequestRequest(businessId: "acme", reviewId: "acme-1", message: "Which booking?", requestedFields: [.email], acknowledgeIntro: true))
        let file = old.dataDirectory.appendingPathComponent("acme.export").path
        func cli(_ server: ServerProcess, _ arguments: [String]) throws -> ToolProcess {
            try ToolProcess.run("findreviewer", ["--server", "127.0.0.1:\(server.port)", "--data-dir", old.dataDirectory.path] + arguments)
        }

        let exported = try cli(old, ["admin", "export", "--business", "acme", "--out", file])
        #expect(exported.status == 0, "\(exported.output)\n\(exported.errors)")
        #expect(exported.output.contains("requests"), "\(exported.output)")
        #expect(FileManager.default.fileExists(atPath: file))
        let refused = #expect(throws: RPCError.self) { _ = try portal.acknowledgeIntroduction(AcknowledgeIntroductionRequest(businessId: "acme")) }
        // An acknowledged introduction changes nothing, but the check comes first: the business is moving.
        #expect(refused?.details.first?.reason == "BUSINESS_MOVING")

        let garbage = old.dataDirectory.appendingPathComponent("garbage").path
        try Data([0x0A, 0xFF, 0xFF]).write(to: URL(fileURLWithPath: garbage))
        let bad = try cli(new, ["admin", "import", "--file", garbage])
        #expect(bad.status == 64 + 3, "\(bad.output)\n\(bad.errors)")
        let imported = try cli(new, ["admin", "import", "--file", file])
        #expect(imported.status == 0, "\(imported.output)\n\(imported.errors)")
        #expect(imported.output.contains("req_00000001"), "\(imported.output)")
        let twice = try cli(new, ["admin", "import", "--file", file])
        #expect(twice.status == 64 + 6, "\(twice.output)\n\(twice.errors)")  // ALREADY_EXISTS

        let notMoving = try cli(new, ["admin", "forget", "--business", "acme"])
        #expect(notMoving.status == 64 + 9, "\(notMoving.output)\n\(notMoving.errors)")
        #expect(notMoving.errors.contains("BUSINESS_NOT_MOVING") || notMoving.errors.contains("not moving"), "\(notMoving.errors)")
        let forgotten = try cli(old, ["admin", "forget", "--business", "acme"])
        #expect(forgotten.status == 0, "\(forgotten.output)\n\(forgotten.errors)")
        let gone = try cli(old, ["admin", "forget", "--business", "acme"])
        #expect(gone.status == 64 + 5, "\(gone.output)\n\(gone.errors)")  // NOT_FOUND
        let moved = try FindReviewerClient(address: "127.0.0.1:\(new.port)", key: old.key(role: "business-portal"))
        #expect(try moved.listInfoRequests(ListInfoRequestsRequest(businessId: "acme")).requests.count == 1)
        #expect(old.isRunning && new.isRunning)
    }
}
