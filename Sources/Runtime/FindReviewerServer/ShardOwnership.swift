import Messages
import RPC
import Sharding
import Synchronization

/// Which slots this process owns (`--shard NAME --shard-map FILE`; without them, every slot),
/// the one check of every call keyed by business or by reply token, and the shard-tagged
/// reply tokens (Protos/PROTOCOL.md §9).
public final class ShardOwnership: Sendable {
    /// The name a server started without `--shard` answers as, in `GetShardMap`.
    public static let defaultName = "default"

    /// This process's shard name (``defaultName`` when unsharded).
    public let name: String
    /// The map the server was started with; nil: unsharded, this process owns every slot.
    public let map: ShardMap?
    /// The address the server listens on, for the one-shard map of an unsharded server.
    private let listenAddress: Mutex<String>

    /// An unsharded process listening at `listen`: owns every slot, tokens without a shard.
    public init(listen: String = "127.0.0.1:7450") {
        self.name = Self.defaultName
        self.map = nil
        self.listenAddress = Mutex(listen)
    }

    /// The shard `name` of `map` (the caller checked that the map names it).
    public init(name: String, map: ShardMap) {
        self.name = name
        self.map = map
        self.listenAddress = Mutex(map.shard(named: name)?.address ?? "")
    }

    /// Called once the server listens.
    public func setListenAddress(_ address: String) { self.listenAddress.withLock { $0 = address } }

    /// The map `GetShardMap` answers: the configured one, or one shard owning every slot at
    /// the listen address.
    public var servedMap: ShardMap? {
        if let map { return map }
        let address = self.listenAddress.withLock { $0 }
        return try? ShardMap(shards: [ShardMap.Shard(name: Self.defaultName, address: address, slots: [0...(Slots.count - 1)])])
    }

    /// A fresh reply token: 48 hex digits, prefixed `NAME.` on a sharded server.
    public func newToken(_ random: String) -> String {
        self.map == nil ? random : self.name + "." + random
    }

    /// FAILED_PRECONDITION `WRONG_SHARD` unless this process owns the call's business (or,
    /// for a token, was the shard that issued it). Changes nothing.
    /// `holdsToken` says whether this shard's state holds a token of another shard: a business
    /// moved here keeps its tokens (PROTOCOL.md §9.5), and they are served where they are.
    func check(_ key: ShardKey, field: String, holdsToken: (String) -> Bool = { _ in false }) throws(RPCError) {
        guard let map else { return }
        switch key {
        case .business(let id):
            guard !id.isEmpty else { return }  // validation answers INVALID_FIELD
            let slot = Slots.slot(ofBusiness: id)
            let owner = map.owner(ofSlot: slot)
            guard owner.name != self.name else { return }
            throw Self.wrongShard(
                "business \"\(id)\" (slot \(slot)) belongs to shard \"\(owner.name)\" at \(owner.address), not to this shard \"\(self.name)\"",
                owner: owner, field: field)
        case .token(let token):
            // A token without a shard (issued before sharding) is looked up here.
            guard let dot = token.firstIndex(of: "."), dot != token.startIndex else { return }
            let shard = String(token[..<dot])
            guard shard != self.name, let owner = map.shard(named: shard) else { return }  // unknown shard: NOT_FOUND
            if holdsToken(token) { return }  // imported with its business
            throw Self.wrongShard(
                "this reply token belongs to shard \"\(owner.name)\" at \(owner.address), not to this shard \"\(self.name)\"",
                owner: owner, field: field)
        }
    }

    private static func wrongShard(_ message: String, owner: ShardMap.Shard, field: String) -> RPCError {
        RPCError(
            .failedPrecondition, message,
            details: [ErrorDetail(reason: "WRONG_SHARD", field: field, description: "\(owner.name) \(owner.address)")])
    }
}

/// What a request is routed by.
enum ShardKey {
    case business(String)
    case token(String)
}

/// A request keyed by business id or reply token: checked once per call by ``FindReviewerService/serve``.
protocol ShardKeyed {
    /// The key and the lowerCamelCase field that holds it.
    var shardKey: (key: ShardKey, field: String) { get }
}

extension UpsertBusinessRequest: ShardKeyed { var shardKey: (key: ShardKey, field: String) { (.business(self.business?.id ?? ""), "business.id") } }
extension PublishReviewRequest: ShardKeyed {
    var shardKey: (key: ShardKey, field: String) { (.business(self.review?.businessId ?? ""), "review.businessId") }
}
extension GetBusinessRequest: ShardKeyed { var shardKey: (key: ShardKey, field: String) { (.business(self.businessId), "businessId") } }
extension GetReviewRequest: ShardKeyed { var shardKey: (key: ShardKey, field: String) { (.business(self.businessId), "businessId") } }
extension ListReviewsRequest: ShardKeyed { var shardKey: (key: ShardKey, field: String) { (.business(self.businessId), "businessId") } }
extension GetIntroductionRequest: ShardKeyed { var shardKey: (key: ShardKey, field: String) { (.business(self.businessId), "businessId") } }
extension AcknowledgeIntroductionRequest: ShardKeyed {
    var shardKey: (key: ShardKey, field: String) { (.business(self.businessId), "businessId") }
}
extension CreateInfoRequestRequest: ShardKeyed { var shardKey: (key: ShardKey, field: String) { (.business(self.businessId), "businessId") } }
extension GetInfoRequestRequest: ShardKeyed { var shardKey: (key: ShardKey, field: String) { (.business(self.businessId), "businessId") } }
extension ListInfoRequestsRequest: ShardKeyed { var shardKey: (key: ShardKey, field: String) { (.business(self.businessId), "businessId") } }
extension GetTimelineRequest: ShardKeyed { var shardKey: (key: ShardKey, field: String) { (.business(self.businessId), "businessId") } }
extension SendManualReminderRequest: ShardKeyed { var shardKey: (key: ShardKey, field: String) { (.business(self.businessId), "businessId") } }
extension WithdrawInfoRequestRequest: ShardKeyed { var shardKey: (key: ShardKey, field: String) { (.business(self.businessId), "businessId") } }
extension OpenReplyRequest: ShardKeyed { var shardKey: (key: ShardKey, field: String) { (.business(self.businessId), "businessId") } }
extension SetPublicReplyRequest: ShardKeyed { var shardKey: (key: ShardKey, field: String) { (.business(self.businessId), "businessId") } }
extension DeletePublicReplyRequest: ShardKeyed { var shardKey: (key: ShardKey, field: String) { (.business(self.businessId), "businessId") } }
extension CreateReportRequest: ShardKeyed { var shardKey: (key: ShardKey, field: String) { (.business(self.businessId), "businessId") } }
extension ListReportsRequest: ShardKeyed { var shardKey: (key: ShardKey, field: String) { (.business(self.businessId), "businessId") } }
extension UnblockBusinessForReviewerRequest: ShardKeyed {
    var shardKey: (key: ShardKey, field: String) { (.business(self.businessId), "businessId") }
}
extension ViewRequestByTokenRequest: ShardKeyed { var shardKey: (key: ShardKey, field: String) { (.token(self.token), "token") } }
extension ReplyToRequestRequest: ShardKeyed { var shardKey: (key: ShardKey, field: String) { (.token(self.token), "token") } }
extension DeclineRequestRequest: ShardKeyed { var shardKey: (key: ShardKey, field: String) { (.token(self.token), "token") } }
extension BlockBusinessRequest: ShardKeyed { var shardKey: (key: ShardKey, field: String) { (.token(self.token), "token") } }
extension UnblockBusinessRequest: ShardKeyed { var shardKey: (key: ShardKey, field: String) { (.token(self.token), "token") } }
