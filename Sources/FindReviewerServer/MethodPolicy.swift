import Credentials
import Messages

/// Who may call each method, and whether a retry of it is always safe.
///
/// Every method of `Protos/` must appear here: a test fails otherwise, so no method is
/// ever reachable without a decision about its roles.
public struct MethodPolicy: Sendable, Equatable {
    /// Roles whose keys may call the method; empty means no key is needed.
    public var roles: Set<Role>
    /// True when repeating the call can never apply it twice (reads, and writes keyed by the caller's id).
    public var idempotent: Bool

    private static let ingest: Set<Role> = [.reviewsIngest, .admin]
    private static let business: Set<Role> = [.businessPortal, .admin]
    private static let consumer: Set<Role> = [.consumerSite, .admin]
    private static let anyKey: Set<Role> = Set(Role.allCases)

    private static func read(_ roles: Set<Role>) -> MethodPolicy { MethodPolicy(roles: roles, idempotent: true) }
    private static func write(_ roles: Set<Role>, idempotent: Bool = false) -> MethodPolicy {
        MethodPolicy(roles: roles, idempotent: idempotent)
    }

    /// The policy of every method by full name (`package.Service/Method`).
    public static let all: [String: MethodPolicy] = {
        let service = "findreviewer.v1.FindReviewer/"
        var table: [String: MethodPolicy] = [
            "findreviewer.v1.Health/Check": MethodPolicy(roles: [], idempotent: true),
            "findreviewer.v1.ServerInfoService/GetServerInfo": read(anyKey),
            "findreviewer.v1.ServerInfoService/DescribeType": read(anyKey),
            "findreviewer.v1.Admin/TriggerSnapshot": MethodPolicy(roles: [.admin], idempotent: true),
            "findreviewer.v1.Admin/GetClock": read([.admin]),
            "findreviewer.v1.Admin/SetClock": write([.admin], idempotent: true),
            "findreviewer.v1.Admin/AdvanceClock": write([.admin]),
            "findreviewer.v1.Admin/GetStats": read([.admin]),
            // The shard map: every client routes by it, whatever its role.
            "findreviewer.v1.ShardMapService/GetShardMap": read(anyKey),
        ]
        let methods: [(String, MethodPolicy)] = [
            // Upserts keyed by the caller's ids: repeating one stores the same thing.
            ("UpsertBusiness", write(ingest, idempotent: true)),
            ("GetBusiness", read([.businessPortal, .reviewsIngest, .admin])),
            ("ListBusinesses", read(ingest)),
            ("UpsertReviewer", write(ingest, idempotent: true)),
            ("GetReviewer", read(ingest)),
            ("PublishReview", write(ingest, idempotent: true)),
            ("GetReview", read(business)),
            ("ListReviews", read(business)),
            ("GetIntroduction", read(business)),
            ("AcknowledgeIntroduction", write(business, idempotent: true)),
            // Idempotent only with an idempotency-key; clients retry it only then.
            ("CreateInfoRequest", write(business)),
            ("GetInfoRequest", read(business)),
            ("ListInfoRequests", read(business)),
            ("GetTimeline", read(business)),
            ("SendManualReminder", write(business)),
            ("WithdrawInfoRequest", write(business)),
            ("OpenReply", write(business, idempotent: true)),
            ("SetPublicReply", write(business, idempotent: true)),
            ("DeletePublicReply", write(business, idempotent: true)),
            ("CreateReport", write(business)),
            ("ListReports", read(business)),
            ("ViewRequestByToken", read(consumer)),
            ("ReplyToRequest", write(consumer)),
            ("DeclineRequest", write(consumer)),
            // A public page: nothing in it is private, so any key may read it.
            ("GetPublicReview", read(anyKey)),
            // Repeating a block, an unblock or an erasure changes nothing more.
            ("BlockBusiness", write(consumer, idempotent: true)),
            ("UnblockBusiness", write(consumer, idempotent: true)),
            ("UnblockBusinessForReviewer", write([.admin], idempotent: true)),
            ("ListReviewerBlocks", read([.admin])),
            ("EraseReviewer", write([.admin], idempotent: true)),
        ]
        for (name, policy) in methods { table[service + name] = policy }
        return table
    }()
}
