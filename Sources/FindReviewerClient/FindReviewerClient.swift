// One method per RPC of findreviewer.v1.FindReviewer, Admin, Health and ServerInfoService.
import Messages
import RPC

/// A typed client for internal Swift services: one method per RPC, blocking or async.
///
/// Blocking methods must not run on Swift's cooperative pool; use the `async` overloads there.
public final class FindReviewerClient: Sendable {
    /// The RPC client underneath (pool, retries, metadata).
    public let rpc: RPCClient
    /// The default deadline of each call.
    public let timeout: Duration

    /// Methods a retry can never apply twice; the RPC client retries them after UNAVAILABLE.
    public static let idempotentMethods: Set<String> = [
        "findreviewer.v1.FindReviewer/UpsertBusiness",
        "findreviewer.v1.Admin/GetStats",
        "findreviewer.v1.FindReviewer/GetBusiness",
        "findreviewer.v1.FindReviewer/ListBusinesses",
        "findreviewer.v1.FindReviewer/UpsertReviewer",
        "findreviewer.v1.FindReviewer/GetReviewer",
        "findreviewer.v1.FindReviewer/PublishReview",
        "findreviewer.v1.FindReviewer/GetReview",
        "findreviewer.v1.FindReviewer/ListReviews",
        "findreviewer.v1.FindReviewer/GetIntroduction",
        "findreviewer.v1.FindReviewer/AcknowledgeIntroduction",
        "findreviewer.v1.FindReviewer/GetInfoRequest",
        "findreviewer.v1.FindReviewer/ListInfoRequests",
        "findreviewer.v1.FindReviewer/GetTimeline",
        "findreviewer.v1.FindReviewer/OpenReply",
        "findreviewer.v1.FindReviewer/SetPublicReply",
        "findreviewer.v1.FindReviewer/DeletePublicReply",
        "findreviewer.v1.FindReviewer/ListReports",
        "findreviewer.v1.FindReviewer/ViewRequestByToken",
        "findreviewer.v1.FindReviewer/GetPublicReview",
        "findreviewer.v1.FindReviewer/BlockBusiness",
        "findreviewer.v1.FindReviewer/UnblockBusiness",
        "findreviewer.v1.FindReviewer/UnblockBusinessForReviewer",
        "findreviewer.v1.FindReviewer/ListReviewerBlocks",
        "findreviewer.v1.FindReviewer/EraseReviewer",
        "findreviewer.v1.Admin/GetClock",
        "findreviewer.v1.Admin/SetClock",
        "findreviewer.v1.Health/Check", "findreviewer.v1.ServerInfoService/GetServerInfo",
        "findreviewer.v1.ServerInfoService/DescribeType",
    ]

    /// Routes each call to its shard when the client was made with a shard map (ShardRouter.swift).
    let router: ShardRouter?

    /// A client for `address` (`HOST:PORT`) calling with `key` (sent as `authorization: Bearer <key>`).
    public init(address: String, key: String?, connections: Int = 1, timeout: Duration = .seconds(30)) throws(RPCError) {
        self.rpc = try RPCClient(address: address, key: key, connections: connections, idempotentMethods: Self.idempotentMethods)
        self.timeout = timeout
        self.router = nil
    }

    /// A client that routes every call by `router`'s shard map; ``rpc`` is the first shard's client.
    public init(router: ShardRouter, timeout: Duration = .seconds(30)) throws(RPCError) {
        self.rpc = try router.client(address: router.map.shards[0].address)
        self.timeout = timeout
        self.router = router
    }

    private func call<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: String, _ request: Request, _ metadata: [MetadataEntry]
    ) throws(RPCError) -> Response {
        if let router { return try router.call(method, request, as: Response.self, metadata: metadata, timeout: self.timeout) }
        return try self.rpc.call(method, request, as: Response.self, metadata: metadata, timeout: self.timeout)
    }

    private func call<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: String, _ request: Request, _ metadata: [MetadataEntry]
    ) async throws(RPCError) -> Response {
        if let router { return try await router.call(method, request, as: Response.self, metadata: metadata, timeout: self.timeout) }
        return try await self.rpc.call(method, request, as: Response.self, metadata: metadata, timeout: self.timeout)
    }

    /// `findreviewer.v1.Health/Check` (no key needed).
    public func check(_ request: HealthCheckRequest = HealthCheckRequest()) throws(RPCError) -> HealthCheckResponse {
        try self.call("findreviewer.v1.Health/Check", request, [])
    }

    /// `findreviewer.v1.ServerInfoService/GetServerInfo`.
    public func getServerInfo() throws(RPCError) -> ServerInfo {
        try self.call("findreviewer.v1.ServerInfoService/GetServerInfo", GetServerInfoRequest(), [])
    }

    /// `findreviewer.v1.ServerInfoService/DescribeType`.
    public func describeType(_ request: DescribeTypeRequest) throws(RPCError) -> DescribeTypeResponse {
        try self.call("findreviewer.v1.ServerInfoService/DescribeType", request, [])
    }

    /// `findreviewer.v1.FindReviewer/UpsertBusiness`.
    public func upsertBusiness(_ request: UpsertBusinessRequest) throws(RPCError) -> UpsertBusinessResponse {
        try self.call("findreviewer.v1.FindReviewer/UpsertBusiness", request, [])
    }

    /// `findreviewer.v1.FindReviewer/UpsertBusiness`, async.
    public func upsertBusiness(_ request: UpsertBusinessRequest) async throws(RPCError) -> UpsertBusinessResponse {
        try await self.call("findreviewer.v1.FindReviewer/UpsertBusiness", request, [])
    }

    /// `findreviewer.v1.FindReviewer/GetBusiness`.
    public func getBusiness(_ request: GetBusinessRequest) throws(RPCError) -> GetBusinessResponse {
        try self.call("findreviewer.v1.FindReviewer/GetBusiness", request, [])
    }

    /// `findreviewer.v1.FindReviewer/GetBusiness`, async.
    public func getBusiness(_ request: GetBusinessRequest) async throws(RPCError) -> GetBusinessResponse {
        try await self.call("findreviewer.v1.FindReviewer/GetBusiness", request, [])
    }

    /// `findreviewer.v1.FindReviewer/ListBusinesses`.
    public func listBusinesses(_ request: ListBusinessesRequest) throws(RPCError) -> ListBusinessesResponse {
        try self.call("findreviewer.v1.FindReviewer/ListBusinesses", request, [])
    }

    /// `findreviewer.v1.FindReviewer/ListBusinesses`, async.
    public func listBusinesses(_ request: ListBusinessesRequest) async throws(RPCError) -> ListBusinessesResponse {
        try await self.call("findreviewer.v1.FindReviewer/ListBusinesses", request, [])
    }

    /// `findreviewer.v1.FindReviewer/UpsertReviewer`.
    public func upsertReviewer(_ request: UpsertReviewerRequest) throws(RPCError) -> UpsertReviewerResponse {
        try self.call("findreviewer.v1.FindReviewer/UpsertReviewer", request, [])
    }

    /// `findreviewer.v1.FindReviewer/UpsertReviewer`, async.
    public func upsertReviewer(_ request: UpsertReviewerRequest) async throws(RPCError) -> UpsertReviewerResponse {
        try await self.call("findreviewer.v1.FindReviewer/UpsertReviewer", request, [])
    }

    /// `findreviewer.v1.FindReviewer/GetReviewer`.
    public func getReviewer(_ request: GetReviewerRequest) throws(RPCError) -> GetReviewerResponse {
        try self.call("findreviewer.v1.FindReviewer/GetReviewer", request, [])
    }

    /// `findreviewer.v1.FindReviewer/GetReviewer`, async.
    public func getReviewer(_ request: GetReviewerRequest) async throws(RPCError) -> GetReviewerResponse {
        try await self.call("findreviewer.v1.FindReviewer/GetReviewer", request, [])
    }

    /// `findreviewer.v1.FindReviewer/PublishReview`.
    public func publishReview(_ request: PublishReviewRequest) throws(RPCError) -> PublishReviewResponse {
        try self.call("findreviewer.v1.FindReviewer/PublishReview", request, [])
    }

    /// `findreviewer.v1.FindReviewer/PublishReview`, async.
    public func publishReview(_ request: PublishReviewRequest) async throws(RPCError) -> PublishReviewResponse {
        try await self.call("findreviewer.v1.FindReviewer/PublishReview", request, [])
    }

    /// `findreviewer.v1.FindReviewer/GetReview`.
    public func getReview(_ request: GetReviewRequest) throws(RPCError) -> GetReviewResponse {
        try self.call("findreviewer.v1.FindReviewer/GetReview", request, [])
    }

    /// `findreviewer.v1.FindReviewer/GetReview`, async.
    public func getReview(_ request: GetReviewRequest) async throws(RPCError) -> GetReviewResponse {
        try await self.call("findreviewer.v1.FindReviewer/GetReview", request, [])
    }

    /// `findreviewer.v1.FindReviewer/ListReviews`.
    public func listReviews(_ request: ListReviewsRequest) throws(RPCError) -> ListReviewsResponse {
        try self.call("findreviewer.v1.FindReviewer/ListReviews", request, [])
    }

    /// `findreviewer.v1.FindReviewer/ListReviews`, async.
    public func listReviews(_ request: ListReviewsRequest) async throws(RPCError) -> ListReviewsResponse {
        try await self.call("findreviewer.v1.FindReviewer/ListReviews", request, [])
    }

    /// `findreviewer.v1.FindReviewer/GetIntroduction`.
    public func getIntroduction(_ request: GetIntroductionRequest) throws(RPCError) -> GetIntroductionResponse {
        try self.call("findreviewer.v1.FindReviewer/GetIntroduction", request, [])
    }

    /// `findreviewer.v1.FindReviewer/GetIntroduction`, async.
    public func getIntroduction(_ request: GetIntroductionRequest) async throws(RPCError) -> GetIntroductionResponse {
        try await self.call("findreviewer.v1.FindReviewer/GetIntroduction", request, [])
    }

    /// `findreviewer.v1.FindReviewer/AcknowledgeIntroduction`.
    public func acknowledgeIntroduction(_ request: AcknowledgeIntroductionRequest) throws(RPCError) -> AcknowledgeIntroductionResponse {
        try self.call("findreviewer.v1.FindReviewer/AcknowledgeIntroduction", request, [])
    }

    /// `findreviewer.v1.FindReviewer/AcknowledgeIntroduction`, async.
    public func acknowledgeIntroduction(_ request: AcknowledgeIntroductionRequest) async throws(RPCError) -> AcknowledgeIntroductionResponse {
        try await self.call("findreviewer.v1.FindReviewer/AcknowledgeIntroduction", request, [])
    }

    /// `findreviewer.v1.FindReviewer/CreateInfoRequest`.
    public func createInfoRequest(_ request: CreateInfoRequestRequest, idempotencyKey: String? = nil) throws(RPCError) -> CreateInfoRequestResponse {
        try self.call("findreviewer.v1.FindReviewer/CreateInfoRequest", request, idempotencyKey.map { [MetadataEntry(key: "idempotency-key", value: $0)] } ?? [])
    }

    /// `findreviewer.v1.FindReviewer/CreateInfoRequest`, async.
    public func createInfoRequest(_ request: CreateInfoRequestRequest, idempotencyKey: String? = nil) async throws(RPCError) -> CreateInfoRequestResponse {
        try await self.call("findreviewer.v1.FindReviewer/CreateInfoRequest", request, idempotencyKey.map { [MetadataEntry(key: "idempotency-key", value: $0)] } ?? [])
    }

    /// `findreviewer.v1.FindReviewer/GetInfoRequest`.
    public func getInfoRequest(_ request: GetInfoRequestRequest) throws(RPCError) -> GetInfoRequestResponse {
        try self.call("findreviewer.v1.FindReviewer/GetInfoRequest", request, [])
    }

    /// `findreviewer.v1.FindReviewer/GetInfoRequest`, async.
    public func getInfoRequest(_ request: GetInfoRequestRequest) async throws(RPCError) -> GetInfoRequestResponse {
        try await self.call("findreviewer.v1.FindReviewer/GetInfoRequest", request, [])
    }

    /// `findreviewer.v1.FindReviewer/ListInfoRequests`.
    public func listInfoRequests(_ request: ListInfoRequestsRequest) throws(RPCError) -> ListInfoRequestsResponse {
        try self.call("findreviewer.v1.FindReviewer/ListInfoRequests", request, [])
    }

    /// `findreviewer.v1.FindReviewer/ListInfoRequests`, async.
    public func listInfoRequests(_ request: ListInfoRequestsRequest) async throws(RPCError) -> ListInfoRequestsResponse {
        try await self.call("findreviewer.v1.FindReviewer/ListInfoRequests", request, [])
    }

    /// `findreviewer.v1.FindReviewer/GetTimeline`.
    public func getTimeline(_ request: GetTimelineRequest) throws(RPCError) -> GetTimelineResponse {
        try self.call("findreviewer.v1.FindReviewer/GetTimeline", request, [])
    }

    /// `findreviewer.v1.FindReviewer/GetTimeline`, async.
    public func getTimeline(_ request: GetTimelineRequest) async throws(RPCError) -> GetTimelineResponse {
        try await self.call("findreviewer.v1.FindReviewer/GetTimeline", request, [])
    }

    /// `findreviewer.v1.FindReviewer/SendManualReminder`.
    public func sendManualReminder(_ request: SendManualReminderRequest) throws(RPCError) -> SendManualReminderResponse {
        try self.call("findreviewer.v1.FindReviewer/SendManualReminder", request, [])
    }

    /// `findreviewer.v1.FindReviewer/SendManualReminder`, async.
    public func sendManualReminder(_ request: SendManualReminderRequest) async throws(RPCError) -> SendManualReminderResponse {
        try await self.call("findreviewer.v1.FindReviewer/SendManualReminder", request, [])
    }

    /// `findreviewer.v1.FindReviewer/WithdrawInfoRequest`.
    public func withdrawInfoRequest(_ request: WithdrawInfoRequestRequest) throws(RPCError) -> WithdrawInfoRequestResponse {
        try self.call("findreviewer.v1.FindReviewer/WithdrawInfoRequest", request, [])
    }

    /// `findreviewer.v1.FindReviewer/WithdrawInfoRequest`, async.
    public func withdrawInfoRequest(_ request: WithdrawInfoRequestRequest) async throws(RPCError) -> WithdrawInfoRequestResponse {
        try await self.call("findreviewer.v1.FindReviewer/WithdrawInfoRequest", request, [])
    }

    /// `findreviewer.v1.FindReviewer/OpenReply`.
    public func openReply(_ request: OpenReplyRequest) throws(RPCError) -> OpenReplyResponse {
        try self.call("findreviewer.v1.FindReviewer/OpenReply", request, [])
    }

    /// `findreviewer.v1.FindReviewer/OpenReply`, async.
    public func openReply(_ request: OpenReplyRequest) async throws(RPCError) -> OpenReplyResponse {
        try await self.call("findreviewer.v1.FindReviewer/OpenReply", request, [])
    }

    /// `findreviewer.v1.FindReviewer/SetPublicReply`.
    public func setPublicReply(_ request: SetPublicReplyRequest) throws(RPCError) -> SetPublicReplyResponse {
        try self.call("findreviewer.v1.FindReviewer/SetPublicReply", request, [])
    }

    /// `findreviewer.v1.FindReviewer/SetPublicReply`, async.
    public func setPublicReply(_ request: SetPublicReplyRequest) async throws(RPCError) -> SetPublicReplyResponse {
        try await self.call("findreviewer.v1.FindReviewer/SetPublicReply", request, [])
    }

    /// `findreviewer.v1.FindReviewer/DeletePublicReply`.
    public func deletePublicReply(_ request: DeletePublicReplyRequest) throws(RPCError) -> DeletePublicReplyResponse {
        try self.call("findreviewer.v1.FindReviewer/DeletePublicReply", request, [])
    }

    /// `findreviewer.v1.FindReviewer/DeletePublicReply`, async.
    public func deletePublicReply(_ request: DeletePublicReplyRequest) async throws(RPCError) -> DeletePublicReplyResponse {
        try await self.call("findreviewer.v1.FindReviewer/DeletePublicReply", request, [])
    }

    /// `findreviewer.v1.FindReviewer/CreateReport`.
    public func createReport(_ request: CreateReportRequest) throws(RPCError) -> CreateReportResponse {
        try self.call("findreviewer.v1.FindReviewer/CreateReport", request, [])
    }

    /// `findreviewer.v1.FindReviewer/CreateReport`, async.
    public func createReport(_ request: CreateReportRequest) async throws(RPCError) -> CreateReportResponse {
        try await self.call("findreviewer.v1.FindReviewer/CreateReport", request, [])
    }

    /// `findreviewer.v1.FindReviewer/ListReports`.
    public func listReports(_ request: ListReportsRequest) throws(RPCError) -> ListReportsResponse {
        try self.call("findreviewer.v1.FindReviewer/ListReports", request, [])
    }

    /// `findreviewer.v1.FindReviewer/ListReports`, async.
    public func listReports(_ request: ListReportsRequest) async throws(RPCError) -> ListReportsResponse {
        try await self.call("findreviewer.v1.FindReviewer/ListReports", request, [])
    }

    /// `findreviewer.v1.FindReviewer/ViewRequestByToken`.
    public func viewRequestByToken(_ request: ViewRequestByTokenRequest) throws(RPCError) -> ViewRequestByTokenResponse {
        try self.call("findreviewer.v1.FindReviewer/ViewRequestByToken", request, [])
    }

    /// `findreviewer.v1.FindReviewer/ViewRequestByToken`, async.
    public func viewRequestByToken(_ request: ViewRequestByTokenRequest) async throws(RPCError) -> ViewRequestByTokenResponse {
        try await self.call("findreviewer.v1.FindReviewer/ViewRequestByToken", request, [])
    }

    /// `findreviewer.v1.FindReviewer/ReplyToRequest`.
    public func replyToRequest(_ request: ReplyToRequestRequest) throws(RPCError) -> ReplyToRequestResponse {
        try self.call("findreviewer.v1.FindReviewer/ReplyToRequest", request, [])
    }

    /// `findreviewer.v1.FindReviewer/ReplyToRequest`, async.
    public func replyToRequest(_ request: ReplyToRequestRequest) async throws(RPCError) -> ReplyToRequestResponse {
        try await self.call("findreviewer.v1.FindReviewer/ReplyToRequest", request, [])
    }

    /// `findreviewer.v1.FindReviewer/DeclineRequest`.
    public func declineRequest(_ request: DeclineRequestRequest) throws(RPCError) -> DeclineRequestResponse {
        try self.call("findreviewer.v1.FindReviewer/DeclineRequest", request, [])
    }

    /// `findreviewer.v1.FindReviewer/DeclineRequest`, async.
    public func declineRequest(_ request: DeclineRequestRequest) async throws(RPCError) -> DeclineRequestResponse {
        try await self.call("findreviewer.v1.FindReviewer/DeclineRequest", request, [])
    }

    /// `findreviewer.v1.FindReviewer/GetPublicReview`.
    public func getPublicReview(_ request: GetPublicReviewRequest) throws(RPCError) -> GetPublicReviewResponse {
        try self.call("findreviewer.v1.FindReviewer/GetPublicReview", request, [])
    }

    /// `findreviewer.v1.FindReviewer/GetPublicReview`, async.
    public func getPublicReview(_ request: GetPublicReviewRequest) async throws(RPCError) -> GetPublicReviewResponse {
        try await self.call("findreviewer.v1.FindReviewer/GetPublicReview", request, [])
    }

    /// `findreviewer.v1.FindReviewer/BlockBusiness`.
    public func blockBusiness(_ request: BlockBusinessRequest) throws(RPCError) -> BlockBusinessResponse {
        try self.call("findreviewer.v1.FindReviewer/BlockBusiness", request, [])
    }

    /// `findreviewer.v1.FindReviewer/BlockBusiness`, async.
    public func blockBusiness(_ request: BlockBusinessRequest) async throws(RPCError) -> BlockBusinessResponse {
        try await self.call("findreviewer.v1.FindReviewer/BlockBusiness", request, [])
    }

    /// `findreviewer.v1.FindReviewer/UnblockBusiness`.
    public func unblockBusiness(_ request: UnblockBusinessRequest) throws(RPCError) -> UnblockBusinessResponse {
        try self.call("findreviewer.v1.FindReviewer/UnblockBusiness", request, [])
    }

    /// `findreviewer.v1.FindReviewer/UnblockBusiness`, async.
    public func unblockBusiness(_ request: UnblockBusinessRequest) async throws(RPCError) -> UnblockBusinessResponse {
        try await self.call("findreviewer.v1.FindReviewer/UnblockBusiness", request, [])
    }

    /// `findreviewer.v1.FindReviewer/UnblockBusinessForReviewer`.
    public func unblockBusinessForReviewer(_ request: UnblockBusinessForReviewerRequest) throws(RPCError) -> UnblockBusinessForReviewerResponse {
        try self.call("findreviewer.v1.FindReviewer/UnblockBusinessForReviewer", request, [])
    }

    /// `findreviewer.v1.FindReviewer/UnblockBusinessForReviewer`, async.
    public func unblockBusinessForReviewer(_ request: UnblockBusinessForReviewerRequest) async throws(RPCError) -> UnblockBusinessForReviewerResponse {
        try await self.call("findreviewer.v1.FindReviewer/UnblockBusinessForReviewer", request, [])
    }

    /// `findreviewer.v1.FindReviewer/ListReviewerBlocks`.
    public func listReviewerBlocks(_ request: ListReviewerBlocksRequest) throws(RPCError) -> ListReviewerBlocksResponse {
        try self.call("findreviewer.v1.FindReviewer/ListReviewerBlocks", request, [])
    }

    /// `findreviewer.v1.FindReviewer/ListReviewerBlocks`, async.
    public func listReviewerBlocks(_ request: ListReviewerBlocksRequest) async throws(RPCError) -> ListReviewerBlocksResponse {
        try await self.call("findreviewer.v1.FindReviewer/ListReviewerBlocks", request, [])
    }

    /// `findreviewer.v1.FindReviewer/EraseReviewer`.
    public func eraseReviewer(_ request: EraseReviewerRequest) throws(RPCError) -> EraseReviewerResponse {
        try self.call("findreviewer.v1.FindReviewer/EraseReviewer", request, [])
    }

    /// `findreviewer.v1.FindReviewer/EraseReviewer`, async.
    public func eraseReviewer(_ request: EraseReviewerRequest) async throws(RPCError) -> EraseReviewerResponse {
        try await self.call("findreviewer.v1.FindReviewer/EraseReviewer", request, [])
    }

    /// `findreviewer.v1.Admin/TriggerSnapshot`.
    public func triggerSnapshot(_ request: TriggerSnapshotRequest) throws(RPCError) -> TriggerSnapshotResponse {
        try self.call("findreviewer.v1.Admin/TriggerSnapshot", request, [])
    }

    /// `findreviewer.v1.Admin/TriggerSnapshot`, async.
    public func triggerSnapshot(_ request: TriggerSnapshotRequest) async throws(RPCError) -> TriggerSnapshotResponse {
        try await self.call("findreviewer.v1.Admin/TriggerSnapshot", request, [])
    }

    /// `findreviewer.v1.Admin/GetClock`.
    public func getClock(_ request: GetClockRequest) throws(RPCError) -> ClockResponse {
        try self.call("findreviewer.v1.Admin/GetClock", request, [])
    }

    /// `findreviewer.v1.Admin/GetClock`, async.
    public func getClock(_ request: GetClockRequest) async throws(RPCError) -> ClockResponse {
        try await self.call("findreviewer.v1.Admin/GetClock", request, [])
    }

    /// `findreviewer.v1.Admin/SetClock`.
    public func setClock(_ request: SetClockRequest) throws(RPCError) -> ClockResponse {
        try self.call("findreviewer.v1.Admin/SetClock", request, [])
    }

    /// `findreviewer.v1.Admin/SetClock`, async.
    public func setClock(_ request: SetClockRequest) async throws(RPCError) -> ClockResponse {
        try await self.call("findreviewer.v1.Admin/SetClock", request, [])
    }

    /// `findreviewer.v1.Admin/AdvanceClock`.
    public func advanceClock(_ request: AdvanceClockRequest) throws(RPCError) -> ClockResponse {
        try self.call("findreviewer.v1.Admin/AdvanceClock", request, [])
    }

    /// `findreviewer.v1.Admin/AdvanceClock`, async.
    public func advanceClock(_ request: AdvanceClockRequest) async throws(RPCError) -> ClockResponse {
        try await self.call("findreviewer.v1.Admin/AdvanceClock", request, [])
    }

    /// `findreviewer.v1.Admin/GetStats`.
    public func getStats(_ request: GetStatsRequest) throws(RPCError) -> GetStatsResponse {
        try self.call("findreviewer.v1.Admin/GetStats", request, [])
    }

    /// `findreviewer.v1.Admin/GetStats`, async.
    public func getStats(_ request: GetStatsRequest) async throws(RPCError) -> GetStatsResponse {
        try await self.call("findreviewer.v1.Admin/GetStats", request, [])
    }
}
