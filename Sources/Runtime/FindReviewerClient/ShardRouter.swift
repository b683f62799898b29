import Foundation
import Locking
import Messages
import RPC
import Sharding

/// Routes each call of a ``FindReviewerClient`` to the shard that owns it (Protos/PROTOCOL.md
/// §9.2): one ``RPCClient`` per shard address, the route from the request (business id or
/// reply token, see ``ShardRoute/of(method:request:)``), and on `WRONG_SHARD` a refresh of the
/// map by `GetShardMap` and one retry at the owner.
public final class ShardRouter: Sendable {
    private struct State {
        var map: ShardMap
        var clients: [String: RPCClient] = [:]
    }

    private let state: Locked<State>
    private let key: String?
    private let connections: Int
    private let idempotentMethods: Set<String>
    /// How many times a call followed `WRONG_SHARD` to another shard (for tests and the load tool).
    private let redirects = Locked(0)

    /// A router over `map`, each shard's client with `connections` connections calling with `key`.
    public init(map: ShardMap, key: String?, connections: Int = 1, idempotentMethods: Set<String> = FindReviewerClient.idempotentMethods) {
        self.state = Locked(State(map: map))
        self.key = key
        self.connections = connections
        self.idempotentMethods = idempotentMethods
    }

    /// A router over the shard map JSON file at `path` (README "Running shards").
    public convenience init(mapFile path: String, key: String?, connections: Int = 1) throws(RPCError) {
        do {
            self.init(map: try ShardMap.load(path: path), key: key, connections: connections)
        } catch {
            throw RPCError(.invalidArgument, "the shard map: \(error.message)")
        }
    }

    /// The map in use (refreshed after `WRONG_SHARD`).
    public var map: ShardMap { self.state.withLock { $0.map } }

    /// Calls that followed `WRONG_SHARD` to the owner so far.
    public var redirectCount: Int { self.redirects.withLock { $0 } }

    /// The client of the shard at `address`, created on first use.
    public func client(address: String) throws(RPCError) -> RPCClient {
        if let client = self.state.withLock({ $0.clients[address] }) { return client }
        let client = try RPCClient(address: address, key: self.key, connections: self.connections, idempotentMethods: self.idempotentMethods)
        return self.state.withLock { state in
            if let existing = state.clients[address] { return existing }
            state.clients[address] = client
            return client
        }
    }

    /// Closes every shard's connections.
    public func close() {
        for client in self.state.withLock({ Array($0.clients.values) }) { client.close() }
    }

    /// Asks `GetShardMap` of the shard at `preferred` first, then of the others, and keeps the
    /// first valid answer. False when none answered.
    @discardableResult
    public func refreshMap(preferring preferred: String? = nil) -> Bool {
        let current = self.map
        let addresses = (preferred.map { [$0] } ?? []) + current.shards.map(\.address).filter { $0 != preferred }
        for address in addresses {
            guard let client = try? self.client(address: address),
                let answer = try? client.call(
                    "findreviewer.v1.ShardMapService/GetShardMap", GetShardMapRequest(), as: GetShardMapResponse.self, timeout: .seconds(10)),
                let map = try? ShardMap.decode(Data(answer.shardMapJson.utf8))
            else { continue }
            self.state.withLock { $0.map = map }
            return true
        }
        return false
    }

    // MARK: calls

    /// Calls `method` on the shard(s) its request routes to (or `route` when given).
    public func call<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: String, _ request: Request, as type: Response.Type = Response.self, metadata: [MetadataEntry] = [],
        timeout: Duration?, route: ShardRoute? = nil
    ) throws(RPCError) -> Response {
        let route = route ?? ShardRoute.of(method: method, request: request)
        switch route {
        case .business(let id):
            return try self.callOwner(method, request, metadata, timeout) { $0.owner(ofBusiness: id) }
        case .token(let token):
            if let name = ShardRoute.shard(ofToken: token), self.map.shard(named: name) != nil {
                do {
                    return try self.callOwner(method, request, metadata, timeout) { $0.shard(named: name) ?? $0.shards[0] }
                } catch where error.code == .notFound && self.map.shards.count > 1 {
                    // Its business may have moved to another shard with its tokens (PROTOCOL.md §9.5).
                    return try self.firstFound(method, request, metadata, timeout)
                }
            }
            return try self.firstFound(method, request, metadata, timeout)
        case .firstFound:
            if method == "findreviewer.v1.FindReviewer/UpsertReviewer", let upsert = request as? UpsertReviewerRequest {
                return try self.upsertWhereHeld(upsert, metadata, timeout) as! Response
            }
            return try self.firstFound(method, request, metadata, timeout)
        case .everyShard:
            return try self.everyShard(method, request, metadata, timeout)
        case .anyShard:
            return try self.client(address: self.map.shards[0].address).call(method, request, as: Response.self, metadata: metadata, timeout: timeout)
        }
    }

    /// The owner by `owner(map)`; on WRONG_SHARD, a fresh map and one more try.
    private func callOwner<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: String, _ request: Request, _ metadata: [MetadataEntry], _ timeout: Duration?,
        owner: (ShardMap) -> ShardMap.Shard
    ) throws(RPCError) -> Response {
        let first = owner(self.map)
        do {
            return try self.client(address: first.address).call(method, request, as: Response.self, metadata: metadata, timeout: timeout)
        } catch where Self.isWrongShard(error) {
            self.refreshMap(preferring: first.address)
            var next = owner(self.map).address
            if next == first.address, let named = Self.owner(in: error) {
                next = named.address  // the map could not be refreshed: follow the details
            }
            self.redirects.withLock { $0 += 1 }
            return try self.client(address: next).call(method, request, as: Response.self, metadata: metadata, timeout: timeout)
        }
    }

    /// Each shard in map order until one answers other than NOT_FOUND.
    private func firstFound<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: String, _ request: Request, _ metadata: [MetadataEntry], _ timeout: Duration?
    ) throws(RPCError) -> Response {
        var last = RPCError(.notFound, "no shard knows it")
        for shard in self.map.shards {
            do {
                return try self.client(address: shard.address).call(method, request, as: Response.self, metadata: metadata, timeout: timeout)
            } catch where error.code == .notFound {
                last = error
            }
        }
        throw last
    }

    /// UpsertReviewer without a business: on every shard that already holds the reviewer.
    private func upsertWhereHeld(
        _ request: UpsertReviewerRequest, _ metadata: [MetadataEntry], _ timeout: Duration?
    ) throws(RPCError) -> UpsertReviewerResponse {
        let id = request.reviewer?.id ?? ""
        var answer: UpsertReviewerResponse?
        for shard in self.map.shards {
            let client = try self.client(address: shard.address)
            do {
                _ = try client.call(
                    "findreviewer.v1.FindReviewer/GetReviewer", GetReviewerRequest(reviewerId: id), as: GetReviewerResponse.self,
                    metadata: metadata, timeout: timeout)
            } catch where error.code == .notFound {
                continue
            }
            answer = try client.call(
                "findreviewer.v1.FindReviewer/UpsertReviewer", request, as: UpsertReviewerResponse.self, metadata: metadata, timeout: timeout)
        }
        guard let answer else {
            throw RPCError(
                .failedPrecondition,
                "no shard holds reviewer \"\(id)\" yet: upsert it with the business of its review (upsertReviewer(_:forBusiness:), PROTOCOL.md §9.4)")
        }
        return answer
    }

    /// Every shard, answers merged by method.
    private func everyShard<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: String, _ request: Request, _ metadata: [MetadataEntry], _ timeout: Duration?
    ) throws(RPCError) -> Response {
        let shards = self.map.shards
        switch request {
        case let request as ListBusinessesRequest:
            return try self.listBusinesses(request, shards, metadata, timeout) as! Response
        case let request as ListReviewerBlocksRequest:
            return try self.listReviewerBlocks(request, shards, metadata, timeout) as! Response
        case is EraseReviewerRequest:
            var total: EraseReviewerResponse?
            var last = RPCError(.notFound, "no shard knows the reviewer")
            for shard in shards {
                do {
                    let answer = try self.client(address: shard.address).call(
                        method, request, as: EraseReviewerResponse.self, metadata: metadata, timeout: timeout)
                    if var sum = total {
                        sum.reviews += answer.reviews
                        sum.requests += answer.requests
                        sum.emailsCancelled += answer.emailsCancelled
                        total = sum
                    } else {
                        total = answer
                    }
                } catch where error.code == .notFound {
                    last = error
                }
            }
            guard let total else { throw last }
            return total as! Response
        default:
            // The test clock and snapshots: every shard; the clock's transitions summed.
            var answers: [Response] = []
            for shard in shards {
                answers.append(try self.client(address: shard.address).call(method, request, as: Response.self, metadata: metadata, timeout: timeout))
            }
            if var clock = answers.first as? ClockResponse {
                clock.transitionsApplied = answers.compactMap { ($0 as? ClockResponse)?.transitionsApplied }.reduce(0, +)
                return clock as! Response
            }
            return answers[0]
        }
    }

    // MARK: merged lists

    /// One cursor per shard: the server token that produced the shard's current page, how many of
    /// its items the caller has seen, and whether the shard is exhausted.
    struct Cursor: Codable, Equatable {
        var token: String
        var skip: Int
        var done: Bool
    }

    static func encode(_ cursors: [String: Cursor]) -> String {
        let data = (try? JSONEncoder().encode(cursors)) ?? Data()
        return "s1." + data.base64EncodedString()
    }

    static func decode(_ token: String, field: String) throws(RPCError) -> [String: Cursor] {
        guard token.hasPrefix("s1."), let data = Data(base64Encoded: String(token.dropFirst(3))),
            let cursors = try? JSONDecoder().decode([String: Cursor].self, from: data)
        else {
            throw RPCError(.invalidArgument, "\(field) is not a page token of this list", details: [ErrorDetail(reason: "INVALID_FIELD", field: field)])
        }
        return cursors
    }

    /// ListBusinesses over every shard: a k-way merge by id (byte order), with its own page token.
    private func listBusinesses(
        _ request: ListBusinessesRequest, _ shards: [ShardMap.Shard], _ metadata: [MetadataEntry], _ timeout: Duration?
    ) throws(RPCError) -> ListBusinessesResponse {
        let method = "findreviewer.v1.FindReviewer/ListBusinesses"
        var cursors = request.pageToken.isEmpty ? [:] : try Self.decode(request.pageToken, field: "pageToken")
        var pages: [(name: String, items: [Business], next: String)] = []
        for shard in shards {
            let cursor = cursors[shard.name] ?? Cursor(token: "", skip: 0, done: false)
            if cursor.done { continue }
            var page = ListBusinessesRequest(pageSize: request.pageSize, pageToken: cursor.token)
            if cursor.skip > 0 { page.pageSize = request.pageSize == 0 ? 0 : request.pageSize + UInt32(cursor.skip) }
            let answer = try self.client(address: shard.address).call(method, page, as: ListBusinessesResponse.self, metadata: metadata, timeout: timeout)
            pages.append((shard.name, Array(answer.businesses.dropFirst(cursor.skip)), answer.nextPageToken))
            cursors[shard.name] = cursor
        }
        let limit = request.pageSize == 0 ? Int.max : Int(request.pageSize)
        var merged: [(name: String, business: Business)] = []
        for page in pages { merged += page.items.map { (page.name, $0) } }
        merged.sort { Array($0.business.id.utf8).lexicographicallyPrecedes(Array($1.business.id.utf8)) }
        let taken = Array(merged.prefix(limit))
        var more = false
        for page in pages {
            let used = taken.filter { $0.name == page.name }.count
            var cursor = cursors[page.name]!
            if used == page.items.count {
                // The shard's page is used up: continue after it.
                cursor = page.next.isEmpty ? Cursor(token: "", skip: 0, done: true) : Cursor(token: page.next, skip: 0, done: false)
            } else {
                cursor.skip += used
            }
            cursors[page.name] = cursor
            if !cursor.done { more = true }
        }
        return ListBusinessesResponse(businesses: taken.map(\.business), nextPageToken: more ? Self.encode(cursors) : "")
    }

    /// ListReviewerBlocks over every shard, concatenated in map order: `INDEX:TOKEN` pages.
    private func listReviewerBlocks(
        _ request: ListReviewerBlocksRequest, _ shards: [ShardMap.Shard], _ metadata: [MetadataEntry], _ timeout: Duration?
    ) throws(RPCError) -> ListReviewerBlocksResponse {
        var index = 0
        var token = ""
        if !request.pageToken.isEmpty {
            guard let colon = request.pageToken.firstIndex(of: ":"), let number = Int(request.pageToken[..<colon]), number < shards.count else {
                throw RPCError(.invalidArgument, "pageToken is not a page token of this list", details: [ErrorDetail(reason: "INVALID_FIELD", field: "pageToken")])
            }
            index = number
            token = String(request.pageToken[request.pageToken.index(after: colon)...])
        }
        var page = request
        page.pageToken = token
        var answer: ListReviewerBlocksResponse
        do {
            answer = try self.client(address: shards[index].address).call(
                "findreviewer.v1.FindReviewer/ListReviewerBlocks", page, as: ListReviewerBlocksResponse.self, metadata: metadata, timeout: timeout)
        } catch where error.code == .notFound {
            answer = ListReviewerBlocksResponse()
        }
        if !answer.nextPageToken.isEmpty {
            answer.nextPageToken = "\(index):\(answer.nextPageToken)"
        } else if index + 1 < shards.count {
            answer.nextPageToken = "\(index + 1):"
        }
        return answer
    }

    // MARK: WRONG_SHARD

    static func isWrongShard(_ error: RPCError) -> Bool {
        error.code == .failedPrecondition && error.details.first?.reason == "WRONG_SHARD"
    }

    /// The owner a WRONG_SHARD names: `details[0].description` is `NAME ADDRESS`.
    static func owner(in error: RPCError) -> (name: String, address: String)? {
        let parts = (error.details.first?.description ?? "").split(separator: " ")
        guard parts.count == 2 else { return nil }
        return (String(parts[0]), String(parts[1]))
    }
}

extension ShardRouter {
    /// The async form: the blocking work runs on a client queue, never on the cooperative pool.
    public func call<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: String, _ request: Request, as type: Response.Type = Response.self, metadata: [MetadataEntry] = [],
        timeout: Duration?, route: ShardRoute? = nil
    ) async throws(RPCError) -> Response {
        let result: Result<Response, RPCError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                do throws(RPCError) {
                    continuation.resume(returning: .success(try self.call(method, request, as: Response.self, metadata: metadata, timeout: timeout, route: route)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }
}

extension FindReviewerClient {
    /// `UpsertReviewer` on the shard of `businessId`, the business whose review is published next
    /// (the ingest path, PROTOCOL.md §9.4); without a router, the one server.
    public func upsertReviewer(_ request: UpsertReviewerRequest, forBusiness businessId: String) throws(RPCError) -> UpsertReviewerResponse {
        let method = "findreviewer.v1.FindReviewer/UpsertReviewer"
        if let router = self.router {
            return try router.call(method, request, as: UpsertReviewerResponse.self, timeout: self.timeout, route: .business(businessId))
        }
        return try self.rpc.call(method, request, as: UpsertReviewerResponse.self, timeout: self.timeout)
    }

    /// The shard router, when the client routes over a shard map.
    public var shardRouter: ShardRouter? { self.router }
}
