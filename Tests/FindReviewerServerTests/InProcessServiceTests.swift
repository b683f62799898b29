import Credentials
import FindReviewerClient
import FindReviewerServer
import FindReviewerTestSupport
import Messages
import RPC
import Testing

/// The service's methods through an in-process server (Tests/FindReviewerTestSupport/
/// InProcessServer.swift): real frames, interceptor and handlers, no binary spawned.
@Suite("The service in process")
struct InProcessServiceTests {
    @Test("a write and its read; the errors a client sees keep their codes and reasons")
    func writeReadAndErrors() throws {
        let server = try InProcessServer()
        defer { server.stop() }
        let ingest = try FindReviewerClient(address: server.address, key: server.key(.reviewsIngest))
        let portal = try FindReviewerClient(address: server.address, key: server.key(.businessPortal))
        let created = try ingest.upsertBusiness(UpsertBusinessRequest(business: Business(id: "acme", displayName: "Acme", notificationEmail: "a@acme.example")))
        #expect(created.created)
        #expect(created.business?.id == "acme")
        #expect(try !ingest.upsertBusiness(UpsertBusinessRequest(business: Business(id: "acme", displayName: "Acme 2", notificationEmail: "a@acme.example"))).created)
        #expect(try portal.getBusiness(GetBusinessRequest(businessId: "acme")).business?.displayName == "Acme 2")
        // A domain refusal: its code and reason, converted once (RPCErrorConvertible).
        let notFound = #expect(throws: RPCError.self) { try portal.getBusiness(GetBusinessRequest(businessId: "nobody")) }
        #expect(notFound?.code == .notFound)
        let missingReview = #expect(throws: RPCError.self) {
            try portal.createInfoRequest(CreateInfoRequestRequest(businessId: "acme", reviewId: "none", message: "Hi", requestedFields: [.fullName]))
        }
        #expect(missingReview?.code == .notFound)
        // Authorization runs once, in the interceptor: a wrong role is PERMISSION_DENIED, no key UNAUTHENTICATED.
        let denied = #expect(throws: RPCError.self) { try portal.upsertBusiness(UpsertBusinessRequest(business: Business(id: "x", displayName: "X", notificationEmail: "x@x.example"))) }
        #expect(denied?.code == .permissionDenied)
        let anonymous = try FindReviewerClient(address: server.address, key: nil)
        let unauthenticated = #expect(throws: RPCError.self) { try anonymous.getBusiness(GetBusinessRequest(businessId: "acme")) }
        #expect(unauthenticated?.code == .unauthenticated)
        // Invalid input names its field.
        let invalid = #expect(throws: RPCError.self) { try ingest.upsertBusiness(UpsertBusinessRequest(business: Business(id: "no such/id", displayName: "X", notificationEmail: "x@x.example"))) }
        #expect(invalid?.code == .invalidArgument)
        #expect(invalid?.details.first?.field.isEmpty == false)
        // The engine holds what the calls wrote.
        #expect(server.service.snapshot().businesses["acme"]?.displayName == "Acme 2")
    }
}
