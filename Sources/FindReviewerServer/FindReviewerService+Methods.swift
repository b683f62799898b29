import Credentials
import Dispatch
import FindReviewerDomain
import FindReviewerEngine
import Foundation
import Messages
import RPC

extension FindReviewerService {
    /// Registers every method of findreviewer.v1.FindReviewer and Admin, and the key check for
    /// every method of the server (policies from ``MethodPolicy``).
    /// `outboxDirectory`: where delivered emails are files (`<outbox id>.eml`); EraseReviewer deletes the reviewer's.
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
        self.installIngest(on: server)
        self.installBusiness(on: server)
        self.installReviewer(on: server)
        self.installAdmin(on: server, snapshot: snapshot)
        self.installReviewerControls(on: server, outboxDirectory: outboxDirectory, snapshot: snapshot)
        self.serve(server, "findreviewer.v1.ShardMapService/GetShardMap", GetShardMapRequest.self) { _, _, _, responder in
            guard let map = self.ownership.servedMap else { throw RPCError(.internal, "no shard map for this server's address") }
            responder.respond(GetShardMapResponse(shardMapJson: String(decoding: map.encoded(), as: UTF8.self), shard: self.ownership.name))
        }
        // Health and ServerInfoService are the RPC server's own; GetServerInfo lists their roles too.
        for (method, policy) in MethodPolicy.all { server.setRoles(policy.roles.map(\.rawValue).sorted(), for: method) }
    }

    /// Registers `name` (a method of FindReviewer unless it contains `/`) with its policy.
    func serve<Request: ProtoMessage>(
        _ server: RPCServer, _ name: String, _ type: Request.Type,
        _ body: @escaping @Sendable (Request, Caller, CallContext, Responder) throws -> Void
    ) {
        let method = name.contains("/") ? name : "findreviewer.v1.FindReviewer/" + name
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
                    try self.ownership.check(key, field: field)
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

    private func installIngest(on server: RPCServer) {
        self.serve(server, "UpsertBusiness", UpsertBusinessRequest.self) { request, _, _, responder in
            let business = try WireMapping.business(request.business)
            // Whether it existed is read under the same lock as the write (no race with another upsert).
            self.write(.upsertBusiness(business), responder: responder, before: { $0.businesses[business.id] != nil }) { state, _, existed in
                UpsertBusinessResponse(business: (try? state.getBusiness(business.id)).map(WireMapping.business), created: !existed)
            }
        }
        self.serve(server, "GetBusiness", GetBusinessRequest.self) { request, caller, _, responder in
            try self.scope(caller, request.businessId)
            self.read(responder: responder) { state in
                GetBusinessResponse(business: WireMapping.business(try state.getBusiness(request.businessId)))
            }
        }
        self.serve(server, "ListBusinesses", ListBusinessesRequest.self) { request, _, _, responder in
            self.read(responder: responder) { state in
                let page = try state.listBusinesses(pageSize: Int(request.pageSize), pageToken: request.pageToken)
                return ListBusinessesResponse(businesses: page.items.map(WireMapping.business), nextPageToken: page.nextPageToken)
            }
        }
        self.serve(server, "UpsertReviewer", UpsertReviewerRequest.self) { request, _, _, responder in
            let reviewer = try WireMapping.reviewer(request.reviewer)
            // Whether it existed is read under the same lock as the write (no race with another upsert).
            self.write(.upsertReviewer(reviewer), responder: responder, before: { $0.reviewers[reviewer.id] != nil }) { state, _, existed in
                UpsertReviewerResponse(reviewer: (try? state.getReviewer(reviewer.id)).map(WireMapping.reviewer), created: !existed)
            }
        }
        self.serve(server, "GetReviewer", GetReviewerRequest.self) { request, _, _, responder in
            self.read(responder: responder) { state in
                GetReviewerResponse(reviewer: WireMapping.reviewer(try state.getReviewer(request.reviewerId)))
            }
        }
        self.serve(server, "PublishReview", PublishReviewRequest.self) { request, _, _, responder in
            let review = try WireMapping.review(request.review)
            // Whether it existed is read under the same lock as the write (no race with another upsert).
            self.write(.publishReview(review), responder: responder, before: { $0.reviews[review.id] != nil }) { state, _, existed in
                PublishReviewResponse(review: state.reviews[review.id].map(WireMapping.review), created: !existed)
            }
        }
    }

    // MARK: business portal

    private func installBusiness(on server: RPCServer) {
        self.serve(server, "GetReview", GetReviewRequest.self) { request, caller, _, responder in
            try self.scope(caller, request.businessId)
            self.read(responder: responder) { state in
                GetReviewResponse(view: WireMapping.reviewView(try state.businessView(reviewId: request.reviewId, businessId: request.businessId)))
            }
        }
        self.serve(server, "ListReviews", ListReviewsRequest.self) { request, caller, _, responder in
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
                    businessId: request.businessId, filter: filter, pageSize: Int(request.pageSize), pageToken: request.pageToken)
                return ListReviewsResponse(reviews: page.items.map(WireMapping.reviewView), nextPageToken: page.nextPageToken)
            }
        }
        self.serve(server, "GetIntroduction", GetIntroductionRequest.self) { request, caller, _, responder in
            try self.scope(caller, request.businessId)
            self.read(responder: responder) { state in
                let introduction = try state.introduction(businessId: request.businessId)
                return GetIntroductionResponse(
                    acknowledged: introduction.acknowledgedAt != nil, acknowledgedAt: introduction.acknowledgedAt ?? 0,
                    text: introduction.text)
            }
        }
        self.serve(server, "AcknowledgeIntroduction", AcknowledgeIntroductionRequest.self) { request, caller, _, responder in
            try self.scope(caller, request.businessId)
            self.write(.acknowledgeIntroduction(businessId: request.businessId), responder: responder) { state, _ in
                AcknowledgeIntroductionResponse(business: (try? state.getBusiness(request.businessId)).map(WireMapping.business))
            }
        }
        self.serve(server, "CreateInfoRequest", CreateInfoRequestRequest.self) { request, caller, context, responder in
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
        self.serve(server, "GetInfoRequest", GetInfoRequestRequest.self) { request, caller, _, responder in
            try self.scope(caller, request.businessId)
            self.read(responder: responder) { state in
                GetInfoRequestResponse(
                    request: WireMapping.request(try state.businessView(requestId: request.requestId, businessId: request.businessId)))
            }
        }
        self.serve(server, "ListInfoRequests", ListInfoRequestsRequest.self) { request, caller, _, responder in
            try self.scope(caller, request.businessId)
            var statuses = Set<FindReviewerDomain.RequestStatus>()
            for status in request.statuses { statuses.insert(try WireMapping.status(status, field: "statuses")) }
            self.read(responder: responder) { state in
                let (page, counts) = try state.listRequests(
                    businessId: request.businessId, statuses: statuses, reviewId: request.reviewId, pageSize: Int(request.pageSize),
                    pageToken: request.pageToken)
                return ListInfoRequestsResponse(
                    requests: page.items.map(WireMapping.request), nextPageToken: page.nextPageToken,
                    counts: FindReviewerDomain.RequestStatus.allCases.map {
                        StatusCount(status: WireMapping.status($0), count: UInt64(counts[$0] ?? 0))
                    },
                    totalMatching: UInt64(page.totalMatching ?? 0))
            }
        }
        self.serve(server, "GetTimeline", GetTimelineRequest.self) { request, caller, _, responder in
            try self.scope(caller, request.businessId)
            self.read(responder: responder) { state in
                GetTimelineResponse(entries: WireMapping.timeline(try state.timeline(requestId: request.requestId, businessId: request.businessId)))
            }
        }
        self.serve(server, "SendManualReminder", SendManualReminderRequest.self) { request, caller, _, responder in
            try self.scope(caller, request.businessId)
            self.writeRequest(.sendManualReminder(businessId: request.businessId, requestId: request.requestId), request.businessId, request.requestId, responder) {
                SendManualReminderResponse(request: $0)
            }
        }
        self.serve(server, "WithdrawInfoRequest", WithdrawInfoRequestRequest.self) { request, caller, _, responder in
            try self.scope(caller, request.businessId)
            self.writeRequest(.withdrawRequest(businessId: request.businessId, requestId: request.requestId), request.businessId, request.requestId, responder) {
                WithdrawInfoRequestResponse(request: $0)
            }
        }
        self.serve(server, "OpenReply", OpenReplyRequest.self) { request, caller, _, responder in
            try self.scope(caller, request.businessId)
            self.writeRequest(.openReply(businessId: request.businessId, requestId: request.requestId), request.businessId, request.requestId, responder) {
                OpenReplyResponse(request: $0)
            }
        }
        self.serve(server, "SetPublicReply", SetPublicReplyRequest.self) { request, caller, _, responder in
            try self.scope(caller, request.businessId)
            self.write(.setPublicReply(businessId: request.businessId, reviewId: request.reviewId, text: request.text), responder: responder) { state, _ in
                SetPublicReplyResponse(review: state.reviews[request.reviewId].map(WireMapping.review))
            }
        }
        self.serve(server, "DeletePublicReply", DeletePublicReplyRequest.self) { request, caller, _, responder in
            try self.scope(caller, request.businessId)
            self.write(.deletePublicReply(businessId: request.businessId, reviewId: request.reviewId), responder: responder) { state, _ in
                DeletePublicReplyResponse(review: state.reviews[request.reviewId].map(WireMapping.review))
            }
        }
        self.serve(server, "CreateReport", CreateReportRequest.self) { request, caller, _, responder in
            try self.scope(caller, request.businessId)
            let command = DomainCommand.createReport(
                businessId: request.businessId, reviewId: request.reviewId, reason: WireMapping.reason(request.reason),
                explanation: request.explanation, acknowledged: request.acknowledgeGuidelines)
            self.write(command, responder: responder) { _, events in
                guard case .reportCreated(let report)? = events.first else { return CreateReportResponse() }
                return CreateReportResponse(report: WireMapping.report(report))
            }
        }
        self.serve(server, "ListReports", ListReportsRequest.self) { request, caller, _, responder in
            try self.scope(caller, request.businessId)
            self.read(responder: responder) { state in
                let page = try state.listReports(
                    businessId: request.businessId, reviewId: request.reviewId, pageSize: Int(request.pageSize), pageToken: request.pageToken)
                return ListReportsResponse(reports: page.items.map(WireMapping.report), nextPageToken: page.nextPageToken)
            }
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

    private func installReviewer(on server: RPCServer) {
        self.serve(server, "ViewRequestByToken", ViewRequestByTokenRequest.self) { request, _, _, responder in
            self.read(responder: responder) { state in
                ViewRequestByTokenResponse(request: WireMapping.reviewerView(try state.reviewerView(token: request.token)))
            }
        }
        self.serve(server, "ReplyToRequest", ReplyToRequestRequest.self) { request, _, _, responder in
            let reply = FindReviewerDomain.ReviewerReply(
                email: request.email, referenceNumber: request.referenceNumber, fullName: request.fullName, phone: request.phone,
                note: request.note)
            self.write(.reply(token: request.token, reply), responder: responder) { state, _ in
                ReplyToRequestResponse(request: (try? state.reviewerView(token: request.token)).map(WireMapping.reviewerView))
            }
        }
        self.serve(server, "DeclineRequest", DeclineRequestRequest.self) { request, _, _, responder in
            self.write(.decline(token: request.token), responder: responder) { state, _ in
                DeclineRequestResponse(request: (try? state.reviewerView(token: request.token)).map(WireMapping.reviewerView))
            }
        }
        self.serve(server, "GetPublicReview", GetPublicReviewRequest.self) { request, _, _, responder in
            self.read(responder: responder) { state in
                GetPublicReviewResponse(review: WireMapping.publicView(try state.publicView(reviewId: request.reviewId)))
            }
        }
    }

    // MARK: admin

    private func installAdmin(on server: RPCServer, snapshot: (@Sendable () throws(RPCError) -> TriggerSnapshotResponse)?) {
        let admin = "findreviewer.v1.Admin/"
        self.serve(server, admin + "GetClock", GetClockRequest.self) { _, _, _, responder in
            responder.respond(ClockResponse(now: self.clock.now(), testClock: self.clock.isTestClock))
        }
        self.serve(server, admin + "SetClock", SetClockRequest.self) { request, _, _, responder in
            try self.moveClock(responder) { now in request.now }
        }
        self.serve(server, admin + "AdvanceClock", AdvanceClockRequest.self) { request, _, _, responder in
            guard (1...31_536_000).contains(request.seconds) else {
                throw RPCError(.invalidArgument, "seconds must be 1 to 31536000 (one year), not \(request.seconds)",
                    details: [ErrorDetail(reason: "INVALID_FIELD", field: "seconds")])
            }
            try self.moveClock(responder) { now in now + request.seconds }
        }
        self.serve(server, admin + "TriggerSnapshot", TriggerSnapshotRequest.self) { _, _, _, responder in
            guard let snapshot else { throw RPCError(.failedPrecondition, "this server keeps no snapshots") }
            // A snapshot takes a while at scale: off the event loop, on a thread of its own.
            Thread {
                do throws(RPCError) {
                    responder.respond(try snapshot())
                } catch {
                    responder.fail(error)
                }
            }.start()
        }
    }

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
