import FindReviewerClient
import FindReviewerTestSupport
import Foundation
import Messages
import RPC
import Testing

/// Every method against the real binary: no key, an unknown key, and a key of a wrong role.
@Suite("Authentication and roles, end to end (DESIGN.md §6)", .serialized)
struct AuthorizationTests {
    static let methods: [String] = ProtoSchema.services.flatMap { $0.methods.map(\.fullName) }

    /// Role of the keys file allowed for each method's first wrong role.
    static let roleNames = ["admin", "business-portal", "consumer-site", "reviews-ingest"]

    static func allowedRoles(_ method: String, server: ServerProcess, admin: RPCClient) throws -> Set<String> {
        let info = try admin.call("findreviewer.v1.ServerInfoService/GetServerInfo", GetServerInfoRequest(), as: ServerInfo.self)
        let entry = info.services.flatMap(\.methods).first { $0.fullName == method }
        return Set(entry?.roles ?? [])
    }

    @Test("every method: UNAUTHENTICATED without a key or with an unknown key; PERMISSION_DENIED for a wrong role")
    func everyMethod() throws {
        let server = try ServerProcess()
        defer { server.stop(); server.cleanUp() }
        let address = "127.0.0.1:\(server.port)"
        let admin = try RPCClient(address: address, key: server.key(role: "admin"))
        let anonymous = try RPCClient(address: address)
        let stranger = try RPCClient(address: address, key: "frk_not_a_key_0000000000000000")
        var clients: [String: RPCClient] = [:]
        for role in Self.roleNames { clients[role] = try RPCClient(address: address, key: server.key(role: role)) }
        #expect(Self.methods.count == 42)
        for method in Self.methods {
            let roles = try Self.allowedRoles(method, server: server, admin: admin)
            if method == "findreviewer.v1.Health/Check" {
                #expect(throws: Never.self) { _ = try anonymous.callRaw(method: method, request: []) }
                continue
            }
            for (client, expected) in [(anonymous, StatusCode.unauthenticated), (stranger, .unauthenticated)] {
                let error = #expect(throws: RPCError.self, "\(method)") { _ = try client.callRaw(method: method, request: []) }
                #expect(error?.code == expected, "\(method): \(String(describing: error))")
            }
            for role in Self.roleNames where !roles.isEmpty && !roles.contains(role) {
                let error = #expect(throws: RPCError.self, "\(method) as \(role)") { _ = try clients[role]!.callRaw(method: method, request: []) }
                #expect(error?.code == .permissionDenied, "\(method) as \(role): \(String(describing: error))")
            }
        }
        // The server kept serving through all of it.
        #expect(try admin.call("findreviewer.v1.Health/Check", HealthCheckRequest(), as: HealthCheckResponse.self).status == .serving)
    }

    @Test("a business-portal key limited to one business is PERMISSION_DENIED for another")
    func limitedKey() throws {
        let server = try KnownKeys.server()
        defer { server.stop(); server.cleanUp() }
        let portal = try FindReviewerClient(address: "127.0.0.1:\(server.port)", key: KnownKeys.acmePortal)
        let admin = try FindReviewerClient(address: "127.0.0.1:\(server.port)", key: KnownKeys.admin)
        for id in ["acme", "other"] {
            _ = try admin.upsertBusiness(UpsertBusinessRequest(business: Business(id: id, displayName: id, notificationEmail: "\(id)@biz.example")))
        }
        #expect(try portal.getBusiness(GetBusinessRequest(businessId: "acme")).business?.id == "acme")
        let error = #expect(throws: RPCError.self) { _ = try portal.getBusiness(GetBusinessRequest(businessId: "other")) }
        #expect(error?.code == .permissionDenied)
    }

    @Test("keys file: created on first start with mode 0600 and its path printed")
    func keysFileCreated() throws {
        let server = try ServerProcess()
        defer { server.stop(); server.cleanUp() }
        #expect(server.keysFile == server.dataDirectory.appendingPathComponent("keys.json").path)
        let attributes = try FileManager.default.attributesOfItem(atPath: server.keysFile)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test("the test clock RPC is FAILED_PRECONDITION without --test-clock")
    func clockRefused() throws {
        let server = try ServerProcess()
        defer { server.stop(); server.cleanUp() }
        let admin = try FindReviewerClient(address: "127.0.0.1:\(server.port)", key: server.key(role: "admin"))
        let error = #expect(throws: RPCError.self) { _ = try admin.advanceClock(AdvanceClockRequest(seconds: 60)) }
        #expect(error?.code == .failedPrecondition)
        #expect(try admin.getClock(GetClockRequest()).testClock == false)
    }

    @Test("SIGTERM stops the server cleanly with exit status 0")
    func cleanExit() throws {
        let server = try ServerProcess()
        defer { server.cleanUp() }
        #expect(server.stop() == 0)
    }
}
