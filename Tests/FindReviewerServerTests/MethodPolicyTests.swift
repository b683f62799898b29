import Credentials
import FindReviewerServer
import Messages
import Testing

@Suite("Method policies")
struct MethodPolicyTests {
    @Test("every method in Protos/ has a policy, and every policy names a real method")
    func complete() {
        let methods = Set(ProtoSchema.services.flatMap { $0.methods.map(\.fullName) })
        #expect(methods == Set(MethodPolicy.all.keys))
        #expect(methods.count == 39)
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
    }
}
