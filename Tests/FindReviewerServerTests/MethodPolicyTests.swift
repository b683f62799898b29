import Credentials
import FindReviewerEngine
import FindReviewerServer
import Messages
import RPC
import Testing

@Suite("Method policies: the generated method table")
struct MethodPolicyTests {
    @Test("every method in Protos/ has a policy, and every policy names a real method")
    func complete() {
        let methods = Set(ProtoSchema.services.flatMap { $0.methods.map(\.fullName) })
        #expect(methods == Set(MethodPolicy.all.keys))
        #expect(methods.count == 42)
    }

    @Test("only the health check needs no key; admin may call everything else")
    func roles() {
        for (method, policy) in MethodPolicy.all {
            if method == "findreviewer.v1.Health/Check" {
                #expect(policy.roles.isEmpty)
            } else {
                #expect(policy.roles.contains(.admin), "\(method)")
            }
        }
        #expect(MethodPolicy.all["findreviewer.v1.FindReviewer/CreateInfoRequest"]?.roles == [.businessPortal, .admin])
        #expect(MethodPolicy.all["findreviewer.v1.FindReviewer/ReplyToRequest"]?.roles == [.consumerSite, .admin])
        // A public page is public: any key.
        #expect(MethodPolicy.all["findreviewer.v1.FindReviewer/GetPublicReview"]?.roles == Set(Role.allCases))
        // Idempotency comes from the same table the clients retry from.
        #expect(MethodPolicy.all["findreviewer.v1.Admin/TriggerSnapshot"]?.idempotent == true)
        #expect(MethodPolicy.all["findreviewer.v1.FindReviewer/CreateInfoRequest"]?.idempotent == false)
    }

    static func entry(_ fullName: String, roles: [String] = ["admin"]) -> ProtoMethod {
        let parts = fullName.split(separator: "/")
        return ProtoMethod(
            service: String(parts[0]), name: String(parts[1]), inputType: "findreviewer.v1.GetClockRequest",
            outputType: "findreviewer.v1.ClockResponse", roles: roles, idempotent: true, noKey: false)
    }

    func refusal(registered: [String], table: [ProtoMethod]) -> String? {
        do throws(ConfigurationError) {
            try MethodPolicy.verify(registered: registered, table: table)
            return nil
        } catch {
            return error.message
        }
    }

    @Test("the start check passes when handlers and table agree, and names what disagrees otherwise")
    func verify() {
        let table = ProtoMethods.all
        let all = table.map(\.fullName)
        #expect(self.refusal(registered: all, table: table) == nil)
        // A handler without an entry.
        let extra = self.refusal(registered: all + ["findreviewer.v1.FindReviewer/Unlisted"], table: table)
        #expect(extra?.contains("findreviewer.v1.FindReviewer/Unlisted has a handler but no entry in the method table") == true)
        // An entry without a handler.
        let missing = self.refusal(registered: all.filter { $0 != "findreviewer.v1.Admin/GetClock" }, table: table)
        #expect(missing?.contains("findreviewer.v1.Admin/GetClock is in the method table but has no handler") == true)
        // A role the keys file cannot hold.
        let unknown = self.refusal(
            registered: ["x.v1.S/M"], table: [Self.entry("x.v1.S/M", roles: ["admin", "editor"])])
        #expect(unknown?.contains("x.v1.S/M names the unknown role \"editor\"") == true)
    }

    @Test("the service's handlers (generated protocols) and the RPC server's own are exactly the method table")
    func wiringMatchesTable() throws {
        let service = FindReviewerService(
            clock: .test(start: 1_800_000_000), keys: KeysFile.generated(), eventLog: VolatileEventLog(),
            logger: Logger(level: .error, format: .text, sink: { _ in }))
        let server = RPCServer()
        service.install(on: server)
        #expect(server.methods.map(\.method) == ProtoMethods.all.map(\.fullName).sorted())
        #expect(self.refusal(registered: server.methods.map(\.method), table: ProtoMethods.all) == nil)
        // One more handler than the table has, as a server with a hand-registered extra would: refused.
        server.register("findreviewer.v1.Admin/Extra") { _, _, responder in responder.fail(RPCError(.unimplemented, "test")) }
        #expect(
            self.refusal(registered: server.methods.map(\.method), table: ProtoMethods.all)
                == "the server's methods and the method table disagree: findreviewer.v1.Admin/Extra has a handler but no entry in the method table (no rpc with roles and idempotent options in Protos/)")
    }
}
