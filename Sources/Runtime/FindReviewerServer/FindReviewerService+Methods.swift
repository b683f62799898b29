import Credentials
import Dispatch
import FindReviewerDomain
import FindReviewerEngine
import Foundation
import Messages
import RPC

/// Serves a generated service protocol's rpcs through ``FindReviewerService/serve(_:_:_:_:)``.
public protocol HandlerRegistrar {
    /// Serves `method` (`package.Service/Method`): the request decoded, the caller authorized, then `body`.
    func serve<Request: ProtoMessage>(
        _ method: String, _ type: Request.Type, _ body: @escaping @Sendable (Request, Caller, CallContext, Responder) throws -> Void)
}

/// The registrar of ``FindReviewerService/install(on:outboxDirectory:snapshot:)``.
struct ServiceRegistrar: HandlerRegistrar {
    let service: FindReviewerService
    let server: RPCServer

    func serve<Request: ProtoMessage>(
        _ method: String, _ type: Request.Type, _ body: @escaping @Sendable (Request, Caller, CallContext, Responder) throws -> Void
    ) {
        self.service.serve(self.server, method, type, body)
    }
}

extension FindReviewerService: FindReviewerHandlers, AdminHandlers, ShardMapServiceHandlers {
    /// Registers every method of findreviewer.v1.FindReviewer and Admin, and the key check for
    /// every method of the server (policies from ``MethodPolicy``: the generated method table).
    /// `outboxDirectory`: where delivered emails are files (``OutboxFiles``); EraseReviewer removes the reviewer's.
    public func install(
        on server: RPCServer, outboxDirectory: String? = nil,
        snapshot: (@Sendable () throws(RPCError) -> TriggerSnapshotResponse)? = nil
    ) {
        let authorizer = self.authorizer
        server.interceptor = { (context, _) throws(RPCError) in
            // A method without a policy is admin-only: nothing is reachable without a decision.
            let roles = MethodPolicy.all[context.method]?.roles ?? [.admin]
            guard !roles.isEmpty else { return }
            do {
                // Once per call: the handler takes the caller from the context.
                context.principal = try authorizer.authorize(authorization: context.metadata["authorization"], roles: roles)
            } catch {
                throw RPCError(converting: error)
            }
        }
        self.wiring.withLock {
            $0.outboxDirectory = outboxDirectory
            $0.snapshot = snapshot
        }
        // One method per rpc of each service (the generated FindReviewerHandlers, AdminHandlers and ShardMapServiceHandlers).
        let registrar = ServiceRegistrar(service: self, server: server)
        self.registerFindReviewer(with: registrar)
        self.registerAdmin(with: registrar)
        self.registerShardMapService(with: registrar)
        // Health and ServerInfoService are the RPC server's own; GetServerInfo answers from the method table.
    }

    /// Registers `method` (`package.Service/Method`) with its policy: decode, the caller, a log
    /// line per call, then `body`.
    func serve<Request: ProtoMessage>(
        _ server: RPCServer, _ method: String, _ type: Request.Type,
        _ body: @escaping @Sendable (Request, Caller, CallContext, Responder) throws -> Void
    ) {
        let policy = MethodPolicy.all[method]!
        let logger = self.logger
        server.register(method, idempotent: policy.idempotent, roles: policy.roles.map(\.rawValue).sorted()) {
            [self] payload, context, responder in
            let started = DispatchTime.now().uptimeNanoseconds
            // One line per call, with its request id: failures at info, successes at debug.
            let logged = Responder { result in
                let level: LogLevel = (try? result.get()) == nil ? .info : .debug
                if logger.enabled(level) {
                    let status = if case .failure(let error) = result { error.code.name } else { "OK" }
                    let micros = (DispatchTime.now().uptimeNanoseconds - started) / 1_000
                    logger.log(level, "call", [
                        "method": method, "status": status, "request_id": context.requestId, "peer": context.peer,
                        "duration_us": String(micros),
                    ])
                }
                responder.complete(result)
            }
            do {
                // The interceptor authorized the call and left the caller in the context.
                guard let caller = context.principal as? Caller else {
                    throw RPCError(.unauthenticated, "the call was not authorized")
                }
                let request = try Self.decodeRequest(Request.self, payload)
                // Once per call, before any command: a business (or token) of another shard
                // is WRONG_SHARD and changes nothing.
                if let keyed = request as? any ShardKeyed {
                    let (key, field) = keyed.shardKey
                    try self.ownership.check(key, field: field) { token in self.engine.withState { $0.holdsToken(token) } }
                }
                try body(request, caller, context, logged)
            } catch {
                logged.fail(RPCError(converting: error))
            }
        }
    }

    /// Unparsable payloads are INVALID_ARGUMENT; the connection stays open.
    static func decodeRequest<Request: ProtoMessage>(_ type: Request.Type, _ payload: [UInt8]) throws(RPCError) -> Request {
        do {
            return try Request(serializedBytes: payload)
        } catch {
            throw RPCError.undecodable(error, as: Request.protoName)
        }
    }

    /// PERMISSION_DENIED unless the caller may act for `businessId`.
    func scope(_ caller: Caller, _ businessId: String) throws(RPCError) {
        guard caller.mayActFor(businessId: businessId) else {
            throw RPCError(.permissionDenied, "this key may not act for business \"\(businessId)\"")
        }
    }

    // MARK: reviews pipeline

    /// `UpsertBusiness`.
    public func upsertBusiness(_ request: UpsertBusinessRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        let business = try WireMapping.business(request.business)
        // Whether it existed is read under the same lock as the write (no race with another upsert).
        self.write(.upsertBusiness(business), responder: responder, before: { $0.businesses[business.id] != nil }) { state, _, existed in
            UpsertBusinessResponse(business: (try? state.getBusiness(business.id)).map(WireMapping.business), created: !existed)
        }
    }

    /// `GetBusiness`.
    public func getBusiness(_ request: GetBusinessRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        try self.scope(caller, request.businessId)
        self.read(responder: responder) { state in
            GetBusinessResponse(business: WireMapping.business(try state.getBusiness(request.businessId)))
        }
    }

    /// `ListBusinesses`.
    public func listBusinesses(_ request: ListBusinessesRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        self.read(responder: responder) { state in
            let page = try state.listBusinesses(pageSize: Int(request.pageSize), pageToken: request.pageToken)
            return ListBusinessesResponse(businesses: page.items.map(WireMapping.business), nextPageToken: page.nextPageToken)
        }
    }

    /// `UpsertReviewer`.
    public func upsertReviewer(_ request: UpsertReviewerRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        let reviewer = try WireMapping.reviewer(request.reviewer)
        // Whether it existed is read under the same lock as the write (no race with another upsert).
        self.write(.upsertReviewer(reviewer), responder: responder, before: { $0.reviewers[reviewer.id] != nil }) { state, _, existed in
            UpsertReviewerResponse(reviewer: (try? state.getReviewer(reviewer.id)).map(WireMapping.reviewer), created: !existed)
        }
    }

    /// `GetReviewer`.
    public func getReviewer(_ request: GetReviewerRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        self.read(responder: responder) { state in
            GetReviewerResponse(reviewer: WireMapping.reviewer(try state.getReviewer(request.reviewerId)))
        }
    }

    /// `PublishReview`.
    public func publishReview(_ request: PublishReviewRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        let review = try WireMapping.review(request.review)
        // Whether it existed is read under the same lock as the write (no race with another upsert).
        self.write(.publishReview(review), responder: responder, before: { $0.reviews[review.id] != nil }) { state, _, existed in
            PublishReviewResponse(review: state.reviews[review.id].map(WireMapping.review), created: !existed)
        }
    }

    /// `ShardMapService/GetShardMap`: the map this server was started with (or its one-shard map).
    public func getShardMap(_ request: GetShardMapRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        guard let map = self.ownership.servedMap else { throw RPCError(.internal, "no shard map for this server's address") }
        responder.respond(GetShardMapResponse(shardMapJson: String(decoding: map.encoded(), as: UTF8.self), shard: self.ownership.name))
    }

    // MARK: business portal

    /// `GetReview`.
    public func getReview(_ request: GetReviewRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        try self.scope(caller, request.businessId)
        self.read(responder: responder) { state in
            GetReviewResponse(view: WireMapping.reviewView(try state.businessView(reviewId: request.reviewId, businessId: request.businessId)))
        }
    }

    /// `ListReviews`.
    public func listReviews(_ request: ListReviewsRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        try self.scope(caller, request.businessId)
        var statuses = Set<FindReviewerDomain.RequestStatus>()
        for status in request.statuses { statuses.insert(try WireMapping.status(status, field: "statuses")) }
        let contact: ReviewFilter.Contact =
            switch request.contactFilter {
            case .any: .any
            case .contacted: .contacted
            case .notContacted: .notContacted
            }
        let filter = ReviewFilter(contact: contact, statuses: statuses, eligibleOnly: request.eligibleOnly)
        self.read(responder: responder) { state in
            let page = try state.listReviews(
                businessId: request.businessId, filter: filter, pageSize: Int(request.pageSize), pageToken: request.pageToken,
                item: WireMapping.reviewView)
            return ListReviewsResponse(reviews: page.items, nextPageToken: page.nextPageToken)
        }
    }

    /// `GetIntroduction`.
    public func getIntroduction(_ request: GetIntroductionRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        try self.scope(caller, request.businessId)
        self.read(responder: responder) { state in
            let introduction = try state.introduction(businessId: request.businessId)
            return GetIntroductionResponse(
                acknowledged: introduction.acknowledgedAt != nil, acknowledgedAt: introduction.acknowledgedAt ?? 0,
                text: introduction.text)
        }
    }

    /// `AcknowledgeIntroduction`.
    public func acknowledgeIntroduction(_ request: AcknowledgeIntroductionRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        try self.scope(caller, request.businessId)
        self.write(.acknowledgeIntroduction(businessId: request.businessId), responder: responder) { state, _ in
            AcknowledgeIntroductionResponse(business: (try? state.getBusiness(request.businessId)).map(WireMapping.business))
        }
    }

    /// `CreateInfoRequest`.
    public func createInfoRequest(_ request: CreateInfoRequestRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        try self.scope(caller, request.businessId)
        var fields: [FindReviewerDomain.RequestedField] = []
        for field in request.requestedFields { fields.append(try WireMapping.field(field, name: "requestedFields")) }
        let key = context.metadata["idempotency-key"]
        let command = DomainCommand.createRequest(
            .init(
                businessId: request.businessId, reviewId: request.reviewId, message: request.message, requestedFields: fields,
                referenceLabel: request.referenceLabel, acknowledgeIntroduction: request.acknowledgeIntro,
                idempotencyKey: key, token: self.ownership.newToken(TokenSource.shared.next()),
                skipBusinessNotificationEmail: request.skipBusinessNotificationEmail))
        self.write(command, responder: responder) { state, events in
            var id: String?
            for case .requestCreated(let created) in events { id = created.requestId }
            if id == nil, let key { id = state.request(idempotencyKey: key, businessId: request.businessId)?.id }
            // Not throwing: the answer is built after the events are applied.
            let view = id.flatMap { try? state.businessView(requestId: $0, businessId: request.businessId) }
            return CreateInfoRequestResponse(request: view.map(WireMapping.request))
        }
    }

    /// `GetInfoRequest`.
    public func getInfoRequest(_ request: GetInfoRequestRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        try self.scope(caller, request.businessId)
        self.read(responder: responder) { state in
            GetInfoRequestResponse(
                request: WireMapping.request(try state.businessView(requestId: request.requestId, businessId: request.businessId)))
        }
    }

    /// `ListInfoRequests`.
    public func listInfoRequests(_ request: ListInfoRequestsRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        try self.scope(caller, request.businessId)
        var statuses = Set<FindReviewerDomain.RequestStatus>()
        for status in request.statuses { statuses.insert(try WireMapping.status(status, field: "statuses")) }
        self.read(responder: responder) { state in
            let (page, counts) = try state.listRequests(
                businessId: request.businessId, statuses: statuses, reviewId: request.reviewId, pageSize: Int(request.pageSize),
                pageToken: request.pageToken, item: WireMapping.request)
            return ListInfoRequestsResponse(
                requests: page.items, nextPageToken: page.nextPageToken,
                counts: FindReviewerDomain.RequestStatus.allCases.map {
                    StatusCount(status: WireMapping.status($0), count: UInt64(counts[$0] ?? 0))
                },
                totalMatching: UInt64(page.totalMatching ?? 0))
        }
    }

    /// `GetTimeline`.
    public func getTimeline(_ request: GetTimelineRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        try self.scope(caller, request.businessId)
        self.read(responder: responder) { state in
            GetTimelineResponse(entries: WireMapping.timeline(try state.timeline(requestId: request.requestId, businessId: request.businessId)))
        }
    }

    /// `SendManualReminder`.
    public func sendManualReminder(_ request: SendManualReminderRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        try self.scope(caller, request.businessId)
        self.writeRequest(.sendManualReminder(businessId: request.businessId, requestId: request.requestId), request.businessId, request.requestId, responder) {
            SendManualReminderResponse(request: $0)
        }
    }

    /// `WithdrawInfoRequest`.
    public func withdrawInfoRequest(_ request: WithdrawInfoRequestRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        try self.scope(caller, request.businessId)
        self.writeRequest(.withdrawRequest(businessId: request.businessId, requestId: request.requestId), request.businessId, request.requestId, responder) {
            WithdrawInfoRequestResponse(request: $0)
        }
    }

    /// `OpenReply`.
    public func openReply(_ request: OpenReplyRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        try self.scope(caller, request.businessId)
        self.writeRequest(.openReply(businessId: request.businessId, requestId: request.requestId), request.businessId, request.requestId, responder) {
            OpenReplyResponse(request: $0)
        }
    }

    /// `SetPublicReply`.
    public func setPublicReply(_ request: SetPublicReplyRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        try self.scope(caller, request.businessId)
        self.write(.setPublicReply(businessId: request.businessId, reviewId: request.reviewId, text: request.text), responder: responder) { state, _ in
            SetPublicReplyResponse(review: state.reviews[request.reviewId].map(WireMapping.review))
        }
    }

    /// `DeletePublicReply`.
    public func deletePublicReply(_ request: DeletePublicReplyRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        try self.scope(caller, request.businessId)
        self.write(.deletePublicReply(businessId: request.businessId, reviewId: request.reviewId), responder: responder) { state, _ in
            DeletePublicReplyResponse(review: state.reviews[request.reviewId].map(WireMapping.review))
        }
    }

    /// `CreateReport`.
    public func createReport(_ request: CreateReportRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        try self.scope(caller, request.businessId)
        let command = DomainCommand.createReport(
            businessId: request.businessId, reviewId: request.reviewId, reason: WireMapping.reason(request.reason),
            explanation: request.explanation, acknowledged: request.acknowledgeGuidelines)
        self.write(command, responder: responder) { _, events in
            guard case .reportCreated(let report)? = events.first else { return CreateReportResponse() }
            return CreateReportResponse(report: WireMapping.report(report))
        }
    }

    /// `ListReports`.
    public func listReports(_ request: ListReportsRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        try self.scope(caller, request.businessId)
        self.read(responder: responder) { state in
            let page = try state.listReports(
                businessId: request.businessId, reviewId: request.reviewId, pageSize: Int(request.pageSize), pageToken: request.pageToken)
            return ListReportsResponse(reports: page.items.map(WireMapping.report), nextPageToken: page.nextPageToken)
        }
    }

    /// A write about one request whose answer is the request as the business sees it.
    private func writeRequest<Response: ProtoMessage>(
        _ command: DomainCommand, _ businessId: String, _ requestId: String, _ responder: Responder,
        _ wrap: @escaping (Messages.InfoRequest?) -> Response
    ) {
        self.write(command, responder: responder) { state, _ in
            wrap((try? state.businessView(requestId: requestId, businessId: businessId)).map(WireMapping.request))
        }
    }

    // MARK: consumer site

    /// `ViewRequestByToken`.
    public func viewRequestByToken(_ request: ViewRequestByTokenRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        self.read(responder: responder) { state in
            ViewRequestByTokenResponse(request: WireMapping.reviewerView(try state.reviewerView(token: request.token)))
        }
    }

    /// `ReplyToRequest`.
    public func replyToRequest(_ request: ReplyToRequestRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        let reply = FindReviewerDomain.ReviewerReply(
            email: request.email, referenceNumber: request.referenceNumber, fullName: request.fullName, phone: request.phone,
            note: request.note)
        self.write(.reply(token: request.token, reply), responder: responder) { state, _ in
            ReplyToRequestResponse(request: (try? state.reviewerView(token: request.token)).map(WireMapping.reviewerView))
        }
    }

    /// `DeclineRequest`.
    public func declineRequest(_ request: DeclineRequestRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        self.write(.decline(token: request.token), responder: responder) { state, _ in
            DeclineRequestResponse(request: (try? state.reviewerView(token: request.token)).map(WireMapping.reviewerView))
        }
    }

    /// `GetPublicReview`.
    public func getPublicReview(_ request: GetPublicReviewRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        self.read(responder: responder) { state in
            GetPublicReviewResponse(review: WireMapping.publicView(try state.publicView(reviewId: request.reviewId)))
        }
    }

    // MARK: admin

    /// `GetClock`.
    public func getClock(_ request: GetClockRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        responder.respond(ClockResponse(now: self.clock.now(), testClock: self.clock.isTestClock))
    }

    /// `SetClock`.
    public func setClock(_ request: SetClockRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        try self.moveClock(responder) { now in request.now }
    }

    /// `AdvanceClock`.
    public func advanceClock(_ request: AdvanceClockRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        guard (1...31_536_000).contains(request.seconds) else {
            throw RPCError(.invalidArgument, "seconds must be 1 to 31536000 (one year), not \(request.seconds)",
                details: [ErrorDetail(reason: "INVALID_FIELD", field: "seconds")])
        }
        try self.moveClock(responder) { now in now + request.seconds }
    }

    /// `TriggerSnapshot`.
    public func triggerSnapshot(_ request: TriggerSnapshotRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        guard let snapshot = self.wiring.withLock({ $0.snapshot }) else {
            throw RPCError(.failedPrecondition, "this server keeps no snapshots")
        }
        // A snapshot takes a while at scale: off the event loop, on a thread of its own.
        Thread {
            do throws(RPCError) {
                responder.respond(try snapshot())
            } catch {
                responder.fail(error)
            }
        }.start()
    }

    /// `GetStats`: the figures of the metrics registry (``Wiring/stats``, set by ServerApp),
    /// computed off the event loop (a scrape takes a millisecond or two).
    public func getStats(_ request: GetStatsRequest, caller: Caller, context: CallContext, responder: Responder) throws {
        guard let stats = self.wiring.withLock({ $0.stats }) else {
            throw RPCError(.unimplemented, "this server keeps no metrics")
        }
        Self.statsQueue.async { responder.respond(stats()) }
    }

    private static let statsQueue = DispatchQueue(label: "findreviewer-stats")

    /// Moves the test clock and applies what became due; the answer says how many transitions ran.
    private func moveClock(_ responder: Responder, _ target: (Int64) -> Int64) throws {
        guard self.clock.isTestClock else {
            throw RPCError(
                .failedPrecondition, "the clock can only be moved on a server started with --test-clock",
                details: [ErrorDetail(reason: "NO_TEST_CLOCK")])
        }
        let now = self.clock.now()
        let wanted = target(now)
        guard wanted >= now else {
            throw RPCError(.invalidArgument, "the test clock does not move backwards (now \(now), asked \(wanted))",
                details: [ErrorDetail(reason: "INVALID_FIELD", field: "now")])
        }
        _ = self.clock.set(wanted)
        let applied = self.applyDueTransitions()
        responder.respond(ClockResponse(now: self.clock.now(), testClock: true, transitionsApplied: UInt32(applied)))
    }
}
