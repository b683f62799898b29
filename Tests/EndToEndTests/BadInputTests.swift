import FindReviewerClient
import FindReviewerTestSupport
import Foundation
import Messages
import RPC
import Testing

/// Bad input gets a precise status and loses nothing; the server keeps serving.
@Suite("Bad input for every method, end to end", .serialized)
struct BadInputTests {
    @Test("an unparsable payload is INVALID_ARGUMENT for every method; the connection stays usable")
    func malformedPayloads() throws {
        let server = try ServerProcess(arguments: ["--test-clock"])
        defer { server.stop(); server.cleanUp() }
        let admin = try RPCClient(address: "127.0.0.1:\(server.port)", key: server.key(role: "admin"))
        let methods = ProtoSchema.services.flatMap { $0.methods.map(\.fullName) }
        for method in methods {
            // Field 1, length 5, but one byte follows: truncated for every request type.
            let error = #expect(throws: RPCError.self, "\(method)") { _ = try admin.callRaw(method: method, request: [0x0A, 0x05, 0x61]) }
            #expect(error?.code == .invalidArgument, "\(method): \(String(describing: error))")
        }
        #expect(try admin.call("findreviewer.v1.Health/Check", HealthCheckRequest(), as: HealthCheckResponse.self).status == .serving)
    }

    /// (method, JSON request, field the error must name).
    static let semantic: [(String, String, String)] = [
        ("UpsertBusiness", #"{"business":{"id":"bad id","displayName":"X","notificationEmail":"x@y.example"}}"#, "business.id"),
        ("UpsertBusiness", #"{"business":{"id":"b2","displayName":"X","notificationEmail":"not-an-email"}}"#, "business.notificationEmail"),
        ("UpsertBusiness", #"{}"#, "business"),
        ("UpsertReviewer", #"{"reviewer":{"id":"ann2","displayName":"","email":"a@b.example"}}"#, "reviewer.displayName"),
        ("PublishReview", #"{"review":{"id":"r9","businessId":"acme","reviewerId":"ann","rating":9,"source":"REVIEW_SOURCE_ORGANIC"}}"#, "review.rating"),
        ("PublishReview", #"{"review":{"id":"r9","businessId":"acme","reviewerId":"ann","rating":3}}"#, "review.source"),
        ("CreateInfoRequest", #"{"businessId":"acme","reviewId":"r1","message":" ","requestedFields":["REQUESTED_FIELD_EMAIL"]}"#, "message"),
        ("CreateInfoRequest", #"{"businessId":"acme","reviewId":"r1","message":"Hi","requestedFields":[]}"#, "requestedFields"),
        ("CreateInfoRequest", #"{"businessId":"acme","reviewId":"r1","message":"Hi","requestedFields":["REQUESTED_FIELD_EMAIL"],"referenceLabel":"Booking"}"#, "referenceLabel"),
        ("ListInfoRequests", #"{"businessId":"acme","pageSize":501}"#, "pageSize"),
        ("ListInfoRequests", #"{"businessId":"acme","pageToken":"nonsense"}"#, "pageToken"),
        ("ListReviews", #"{"businessId":"acme","statuses":["REQUEST_STATUS_UNSPECIFIED"]}"#, "statuses"),
        ("SetPublicReply", #"{"businessId":"acme","reviewId":"r1","text":""}"#, "text"),
        ("CreateReport", #"{"businessId":"acme","reviewId":"r1","reason":"REPORT_REASON_HARMFUL_OR_ILLEGAL","explanation":"x"}"#, "acknowledgeGuidelines"),
        ("CreateReport", #"{"businessId":"acme","reviewId":"r1","explanation":"x","acknowledgeGuidelines":true}"#, "reason"),
        ("ReplyToRequest", #"{"token":""}"#, "token"),
        ("DeclineRequest", #"{"token":""}"#, "token"),
        ("findreviewer.v1.Admin/AdvanceClock", #"{"seconds":"0"}"#, "seconds"),
    ]

    @Test("rule-breaking input is INVALID_ARGUMENT naming the field, and nothing is stored")
    func semanticErrors() throws {
        let server = try ServerProcess(arguments: ["--test-clock"])
        defer { server.stop(); server.cleanUp() }
        let address = "127.0.0.1:\(server.port)"
        let admin = try FindReviewerClient(address: address, key: server.key(role: "admin"))
        _ = try admin.upsertBusiness(UpsertBusinessRequest(business: Business(id: "acme", displayName: "Acme", notificationEmail: "a@acme.example")))
        _ = try admin.acknowledgeIntroduction(AcknowledgeIntroductionRequest(businessId: "acme"))
        _ = try admin.upsertReviewer(UpsertReviewerRequest(reviewer: Reviewer(id: "ann", displayName: "Ann", email: "ann@m.example")))
        _ = try admin.publishReview(PublishReviewRequest(review: Review(id: "r1", businessId: "acme", reviewerId: "ann", rating: 2, source: .organic)))
        let raw = admin.rpc
        for (name, json, field) in Self.semantic {
            let method = name.contains("/") ? name : "findreviewer.v1.FindReviewer/\(name)"
            let input = try #require(ProtoSchema.method(fullName: method)).inputType
            let bytes = try ProtoJSON.wireBytes(typeName: input, json: json)
            let error = #expect(throws: RPCError.self, "\(name) \(json)") { _ = try raw.callRaw(method: method, request: bytes) }
            #expect(error?.code == .invalidArgument, "\(name): \(String(describing: error))")
            #expect(error?.details.first?.field == field, "\(name): \(String(describing: error))")
        }
        // Nothing partial was stored.
        #expect(try admin.listInfoRequests(ListInfoRequestsRequest(businessId: "acme")).totalMatching == 0)
        #expect(try admin.listBusinesses(ListBusinessesRequest()).businesses.map(\.id) == ["acme"])
        #expect(try admin.getReview(GetReviewRequest(businessId: "acme", reviewId: "r1")).view?.review?.publicReply == nil)
        #expect(try admin.listReports(ListReportsRequest(businessId: "acme")).reports.isEmpty)
    }

    @Test("unknown ids are NOT_FOUND")
    func unknownIds() throws {
        let server = try ServerProcess()
        defer { server.stop(); server.cleanUp() }
        let admin = try FindReviewerClient(address: "127.0.0.1:\(server.port)", key: server.key(role: "admin"))
        let calls: [() throws -> Void] = [
            { _ = try admin.getBusiness(GetBusinessRequest(businessId: "nope")) },
            { _ = try admin.getReviewer(GetReviewerRequest(reviewerId: "nope")) },
            { _ = try admin.getPublicReview(GetPublicReviewRequest(reviewId: "nope")) },
            { _ = try admin.viewRequestByToken(ViewRequestByTokenRequest(token: String(repeating: "a", count: 48))) },
            { _ = try admin.getIntroduction(GetIntroductionRequest(businessId: "nope")) },
        ]
        for call in calls { #expect((#expect(throws: RPCError.self) { try call() })?.code == .notFound) }
    }
}
