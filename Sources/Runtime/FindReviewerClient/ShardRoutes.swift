import Messages

/// How one call is routed over the shards (Protos/PROTOCOL.md §9.2).
public enum ShardRoute: Sendable, Equatable {
    /// To the owner of the business's slot.
    case business(String)
    /// To the shard a reply token names; a token without one goes to each shard until one knows it.
    case token(String)
    /// To each shard in map order until one answers other than NOT_FOUND.
    case firstFound
    /// To every shard, answers merged (lists, erasure, the test clock).
    case everyShard
    /// To the first shard of the map (the one the client was pointed at): health, info, stats.
    case anyShard
}

extension ShardRoute {
    /// The route of `method` (`package.Service/Method`) for `request`: the route key of each request type.
    public static func of(method: String, request: any ProtoMessage) -> ShardRoute {
        switch request {
        case let request as UpsertBusinessRequest: return .business(request.business?.id ?? "")
        case let request as PublishReviewRequest: return .business(request.review?.businessId ?? "")
        case let request as GetBusinessRequest: return .business(request.businessId)
        case let request as GetReviewRequest: return .business(request.businessId)
        case let request as ListReviewsRequest: return .business(request.businessId)
        case let request as GetIntroductionRequest: return .business(request.businessId)
        case let request as AcknowledgeIntroductionRequest: return .business(request.businessId)
        case let request as CreateInfoRequestRequest: return .business(request.businessId)
        case let request as GetInfoRequestRequest: return .business(request.businessId)
        case let request as ListInfoRequestsRequest: return .business(request.businessId)
        case let request as GetTimelineRequest: return .business(request.businessId)
        case let request as SendManualReminderRequest: return .business(request.businessId)
        case let request as WithdrawInfoRequestRequest: return .business(request.businessId)
        case let request as OpenReplyRequest: return .business(request.businessId)
        case let request as SetPublicReplyRequest: return .business(request.businessId)
        case let request as DeletePublicReplyRequest: return .business(request.businessId)
        case let request as CreateReportRequest: return .business(request.businessId)
        case let request as ListReportsRequest: return .business(request.businessId)
        case let request as UnblockBusinessForReviewerRequest: return .business(request.businessId)
        case let request as ViewRequestByTokenRequest: return .token(request.token)
        case let request as ReplyToRequestRequest: return .token(request.token)
        case let request as DeclineRequestRequest: return .token(request.token)
        case let request as BlockBusinessRequest: return .token(request.token)
        case let request as UnblockBusinessRequest: return .token(request.token)
        case is GetPublicReviewRequest, is GetReviewerRequest: return .firstFound
        // UpsertReviewer without a business: every shard that holds the reviewer (ShardRouter).
        case is UpsertReviewerRequest: return .firstFound
        case is ListBusinessesRequest, is ListReviewerBlocksRequest, is EraseReviewerRequest: return .everyShard
        case is SetClockRequest, is AdvanceClockRequest, is TriggerSnapshotRequest: return .everyShard
        // Moving a business (PROTOCOL.md §9.5): export and forget at its owner by the client's map (the
        // old map), the import at its owner by the map (the new one). Pointing at one server skips this.
        case let request as ExportBusinessRequest: return .business(request.businessId)
        case let request as ForgetBusinessRequest: return .business(request.businessId)
        case let request as ImportBusinessRequest:
            guard let export = try? BusinessExport(serializedBytes: Array(request.data)) else { return .anyShard }
            return .business(export.businessId)
        default: return .anyShard
        }
    }

    /// The shard name a reply token carries (`NAME.` + 48 hex digits), if any.
    public static func shard(ofToken token: String) -> String? {
        guard let dot = token.firstIndex(of: "."), dot != token.startIndex else { return nil }
        return String(token[..<dot])
    }
}
