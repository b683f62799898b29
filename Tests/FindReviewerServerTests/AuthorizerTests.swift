import Credentials
import Foundation
import FindReviewerServer
import Testing

@Suite("Keys file and authorization (DESIGN.md §6)")
struct AuthorizerTests {
    static func makeKeys() -> KeysFile {
        KeysFile(keys: [
            .init(name: "ops", role: .admin, key: "frk_admin_0123456789"),
            .init(name: "portal-acme", role: .businessPortal, key: "frk_portal_0123456789", businesses: ["biz-acme"]),
            .init(name: "portal-all", role: .businessPortal, key: "frk_portalall_0123456789"),
            .init(name: "site", role: .consumerSite, key: "frk_site_0123456789"),
        ])
    }

    @Test("a known key with an allowed role is the caller, with or without 'Bearer '")
    func accepts() throws {
        let authorizer = Authorizer(Self.makeKeys())
        let caller = try authorizer.authorize(authorization: "Bearer frk_portal_0123456789", roles: [.businessPortal, .admin])
        #expect(caller.name == "portal-acme")
        #expect(caller.role == .businessPortal)
        #expect(caller.mayActFor(businessId: "biz-acme"))
        #expect(!caller.mayActFor(businessId: "biz-other"))
        let all = try authorizer.authorize(authorization: "frk_portalall_0123456789", roles: [.businessPortal])
        #expect(all.mayActFor(businessId: "anything"))
    }

    @Test("keys that end alike (one bucket) are still told apart by the whole key")
    func sameEnding() throws {
        // All four keys end in the same 8 bytes: each must still find its own caller.
        let authorizer = Authorizer(Self.makeKeys())
        #expect(try authorizer.authorize(authorization: "frk_admin_0123456789", roles: [.admin]).name == "ops")
        #expect(try authorizer.authorize(authorization: "frk_site_0123456789", roles: [.consumerSite]).name == "site")
        #expect(throws: AuthorizationFailure.unauthenticated("unknown key: check the key against the server's keys file")) {
            try authorizer.authorize(authorization: "frk_other_0123456789", roles: [.admin])
        }
        #expect(throws: AuthorizationFailure.self) { try authorizer.authorize(authorization: "0123456789", roles: [.admin]) }
    }

    @Test("no key or an unknown key is unauthenticated")
    func unauthenticated() {
        let authorizer = Authorizer(Self.makeKeys())
        for presented in [nil, "", "Bearer ", "frk_admin_012345678", "frk_admin_01234567890", "Bearer nope"] as [String?] {
            var failure: AuthorizationFailure?
            do {
                _ = try authorizer.authorize(authorization: presented, roles: [.admin])
            } catch {
                failure = error
            }
            guard case .unauthenticated = failure else {
                Issue.record("\(presented ?? "nil"): expected unauthenticated, got \(String(describing: failure))")
                continue
            }
        }
    }

    @Test("a known key with the wrong role is permission denied")
    func wrongRole() {
        let authorizer = Authorizer(Self.makeKeys())
        #expect(throws: AuthorizationFailure.permissionDenied("a consumer-site key may not call this method (allowed: admin, business-portal)")) {
            _ = try authorizer.authorize(authorization: "frk_site_0123456789", roles: [.businessPortal, .admin])
        }
    }

    @Test("first start writes a keys file with mode 0600 and one fresh key per role")
    func createsKeysFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("keys.json").path
        let (created, wasCreated) = try KeysFile.loadOrCreate(path: path)
        #expect(wasCreated)
        #expect(Set(created.keys.map(\.role)) == Set(Role.allCases))
        #expect(Set(created.keys.map(\.key)).count == Role.allCases.count)
        #expect(created.keys.allSatisfy { $0.key.count == 4 + 64 })
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let (loaded, createdAgain) = try KeysFile.loadOrCreate(path: path)
        #expect(!createdAgain)
        #expect(loaded == created)
    }

    @Test("a malformed keys file stops the start with a message naming the file")
    func malformedKeysFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bad-keys-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(#"{"keys":[{"name":"x","role":"boss","key":"frk_0123456789abcdef"}]}"#.utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: KeysFileError.self) { _ = try KeysFile.load(path: path) }
        #expect(error?.message.contains(path) == true)
    }
}
