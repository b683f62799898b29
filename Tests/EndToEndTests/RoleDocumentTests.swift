import FindReviewerTestSupport
import Foundation
import Messages
import RPC
import Testing

/// The roles and idempotency a client author reads (the `(findreviewer.v1.roles)`,
/// `(findreviewer.v1.no_key)` and `(findreviewer.v1.idempotent)` options of each rpc in the
/// .proto files, read here from the text, not through protogen) are what the server reports
/// (GetServerInfo) and enforces.
@Suite("Roles: the .proto method options, GetServerInfo and the server agree", .serialized)
struct RoleDocumentTests {
    /// The roles each method's options name; empty for `no_key`. Methods with neither are left out.
    static func documentedRoles() throws -> [String: Set<String>] {
        var roles: [String: Set<String>] = [:]
        for (method, options) in try ProtoDocument.comments().methodOptions {
            let named = Set(options.filter { $0.name == "findreviewer.v1.roles" }.map(\.value))
            let noKey = options.contains { $0.name == "findreviewer.v1.no_key" && $0.value == "true" }
            if !named.isEmpty || noKey { roles[method] = noKey ? [] : named }
        }
        return roles
    }

    /// Each method's `(findreviewer.v1.idempotent)` option; methods without one are left out.
    static func documentedIdempotency() throws -> [String: Bool] {
        var idempotent: [String: Bool] = [:]
        for (method, options) in try ProtoDocument.comments().methodOptions {
            if let option = options.first(where: { $0.name == "findreviewer.v1.idempotent" }) { idempotent[method] = option.value == "true" }
        }
        return idempotent
    }

    @Test("every rpc has roles (or no_key) and idempotent options, and GetServerInfo reports exactly those for every method")
    func protoOptionsMatchServerInfo() throws {
        let documented = try Self.documentedRoles()
        let idempotency = try Self.documentedIdempotency()
        let methods = Set(ProtoSchema.services.flatMap { $0.methods.map(\.fullName) })
        #expect(Set(documented.keys) == methods, "methods without roles: \(methods.subtracting(documented.keys).sorted())")
        #expect(Set(idempotency.keys) == methods, "methods without idempotent: \(methods.subtracting(idempotency.keys).sorted())")
        let server = try ServerProcess()
        defer { server.stop(); server.cleanUp() }
        let admin = try RPCClient(address: "127.0.0.1:\(server.port)", key: server.key(role: "admin"))
        let info = try admin.call("findreviewer.v1.ServerInfoService/GetServerInfo", GetServerInfoRequest(), as: ServerInfo.self)
        let reported = Dictionary(uniqueKeysWithValues: info.services.flatMap(\.methods).map { ($0.fullName, Set($0.roles)) })
        #expect(Set(reported.keys) == methods)
        for method in methods.sorted() {
            #expect(reported[method] == documented[method], "\(method): GetServerInfo \(reported[method] ?? []), proto \(documented[method] ?? [])")
        }
        let reportedIdempotency = Dictionary(uniqueKeysWithValues: info.services.flatMap(\.methods).map { ($0.fullName, $0.idempotent) })
        for method in methods.sorted() {
            #expect(reportedIdempotency[method] == idempotency[method], "\(method): idempotent in GetServerInfo vs the proto")
        }
        // The one method whose client list and server table disagreed before the options.
        #expect(reportedIdempotency["findreviewer.v1.Admin/TriggerSnapshot"] == true)
        // An empty list means "no key needed", and only Health/Check needs none.
        #expect(reported.filter { $0.value.isEmpty }.keys.sorted() == ["findreviewer.v1.Health/Check"])
    }

    @Test("the server enforces the documented roles: each role's key is let through exactly where the options list it")
    func enforcement() throws {
        let documented = try Self.documentedRoles()
        let server = try ServerProcess()
        defer { server.stop(); server.cleanUp() }
        let address = "127.0.0.1:\(server.port)"
        let roles = ["admin", "business-portal", "consumer-site", "reviews-ingest"]
        var clients: [String: RPCClient] = [:]
        for role in roles { clients[role] = try RPCClient(address: address, key: server.key(role: role)) }
        for (method, allowed) in documented.sorted(by: { $0.key < $1.key }) where !allowed.isEmpty {
            for role in roles {
                // An empty payload: a call let through fails later (or succeeds), never with PERMISSION_DENIED.
                let error = RequestSamples.outcome(clients[role]!, method, [])
                if allowed.contains(role) {
                    #expect(error?.code != .permissionDenied, "\(method) as \(role): \(String(describing: error))")
                } else {
                    #expect(error?.code == .permissionDenied, "\(method) as \(role): \(String(describing: error))")
                }
            }
        }
    }

    @Test("GetPublicReview: a public page is public, so any role's key reads it")
    func publicReviewForAnyKey() throws {
        let server = try ServerProcess()
        defer { server.stop(); server.cleanUp() }
        let address = "127.0.0.1:\(server.port)"
        let ingest = try RPCClient(address: address, key: server.key(role: "reviews-ingest"))
        _ = try ingest.call(
            "findreviewer.v1.FindReviewer/UpsertBusiness",
            UpsertBusinessRequest(business: Business(id: "acme", displayName: "Acme", notificationEmail: "a@acme.example")),
            as: UpsertBusinessResponse.self)
        _ = try ingest.call(
            "findreviewer.v1.FindReviewer/UpsertReviewer",
            UpsertReviewerRequest(reviewer: Reviewer(id: "ann", displayName: "Ann", email: "ann@m.example")), as: UpsertReviewerResponse.self)
        _ = try ingest.call(
            "findreviewer.v1.FindReviewer/PublishReview",
            PublishReviewRequest(review: Review(id: "r1", businessId: "acme", reviewerId: "ann", rating: 4, title: "Fine", source: .organic)),
            as: PublishReviewResponse.self)
        for role in ["admin", "business-portal", "consumer-site", "reviews-ingest"] {
            let client = try RPCClient(address: address, key: server.key(role: role))
            let page = try client.call(
                "findreviewer.v1.FindReviewer/GetPublicReview", GetPublicReviewRequest(reviewId: "r1"), as: GetPublicReviewResponse.self)
            #expect(page.review?.title == "Fine", "\(role)")
        }
    }
}
