import FindReviewerTestSupport
import Foundation
import Messages
import RPC
import Testing

/// The roles a client author reads (the `// Roles:` comment above each rpc in the .proto files)
/// are the roles the server reports (GetServerInfo) and enforces.
@Suite("Roles: the .proto comments, GetServerInfo and the server agree", .serialized)
struct RoleDocumentTests {
    /// The roles the comment above each method names; empty for "none".
    static func documentedRoles() throws -> [String: Set<String>] {
        var roles: [String: Set<String>] = [:]
        for (method, lines) in try ProtoDocument.comments().methods {
            guard let line = lines.first(where: { $0.hasPrefix("Roles:") }) else { continue }
            let list = line.dropFirst("Roles:".count).trimmingCharacters(in: CharacterSet(charactersIn: " ."))
            roles[method] = list.hasPrefix("none") ? [] : Set(list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        }
        return roles
    }

    @Test("every rpc has a Roles comment, and GetServerInfo lists exactly those roles for every method")
    func protoCommentsMatchServerInfo() throws {
        let documented = try Self.documentedRoles()
        let methods = Set(ProtoSchema.services.flatMap { $0.methods.map(\.fullName) })
        #expect(Set(documented.keys) == methods, "methods without a Roles comment: \(methods.subtracting(documented.keys).sorted())")
        let server = try ServerProcess()
        defer { server.stop(); server.cleanUp() }
        let admin = try RPCClient(address: "127.0.0.1:\(server.port)", key: server.key(role: "admin"))
        let info = try admin.call("findreviewer.v1.ServerInfoService/GetServerInfo", GetServerInfoRequest(), as: ServerInfo.self)
        let reported = Dictionary(uniqueKeysWithValues: info.services.flatMap(\.methods).map { ($0.fullName, Set($0.roles)) })
        #expect(Set(reported.keys) == methods)
        for method in methods.sorted() {
            #expect(reported[method] == documented[method], "\(method): GetServerInfo \(reported[method] ?? []), proto \(documented[method] ?? [])")
        }
        // An empty list means "no key needed", and only Health/Check needs none.
        #expect(reported.filter { $0.value.isEmpty }.keys.sorted() == ["findreviewer.v1.Health/Check"])
    }

    @Test("the server enforces the documented roles: each role's key is let through exactly where the comment lists it")
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
