// The typed client: this file holds the connection and the one chokepoint every call passes
// through; its methods, one blocking and one async per rpc of every service of Protos/, are
// generated (Generated/FindReviewerClient.generated.swift, `make protos`).
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

    /// Methods a retry can never apply twice (the method table: each rpc's
    /// `(findreviewer.v1.idempotent)` option); the RPC client retries them after UNAVAILABLE.
    public static let idempotentMethods: Set<String> = ProtoMethods.idempotentFullNames

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

    /// Closes every connection (a later call opens one again). An idle blocking client does not
    /// read its socket, so it sees a server's GOAWAY only at its next call: close a client that
    /// will stay idle, or the draining server waits for it (PROTOCOL.md §3.5, "linger close").
    public func close() {
        if let router { router.close() } else { self.rpc.close() }
    }

    /// The chokepoint: every generated method calls this (not public: callers use the methods).
    func call<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: String, _ request: Request, _ metadata: [MetadataEntry]
    ) throws(RPCError) -> Response {
        if let router { return try router.call(method, request, as: Response.self, metadata: metadata, timeout: self.timeout) }
        return try self.rpc.call(method, request, as: Response.self, metadata: metadata, timeout: self.timeout)
    }

    /// The chokepoint, async: every generated async method calls this.
    func call<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: String, _ request: Request, _ metadata: [MetadataEntry]
    ) async throws(RPCError) -> Response {
        if let router { return try await router.call(method, request, as: Response.self, metadata: metadata, timeout: self.timeout) }
        return try await self.rpc.call(method, request, as: Response.self, metadata: metadata, timeout: self.timeout)
    }

    /// `findreviewer.v1.FindReviewer/CreateInfoRequest` with an `idempotency-key` (none when nil):
    /// with one, a retry returns the request the first call created.
    public func createInfoRequest(_ request: CreateInfoRequestRequest, idempotencyKey: String?) throws(RPCError) -> CreateInfoRequestResponse {
        try self.createInfoRequest(request, metadata: Self.idempotencyMetadata(idempotencyKey))
    }

    /// `findreviewer.v1.FindReviewer/CreateInfoRequest` with an `idempotency-key`, async.
    public func createInfoRequest(_ request: CreateInfoRequestRequest, idempotencyKey: String?) async throws(RPCError) -> CreateInfoRequestResponse {
        try await self.createInfoRequest(request, metadata: Self.idempotencyMetadata(idempotencyKey))
    }

    private static func idempotencyMetadata(_ key: String?) -> [MetadataEntry] {
        key.map { [MetadataEntry(key: "idempotency-key", value: $0)] } ?? []
    }
}
