import Dispatch
import Foundation
import Messages
import Synchronization
import Transport

/// A client with a small pool of connections, metadata defaults and safe retries.
///
/// Retries happen only when they cannot apply a call twice: UNAVAILABLE before the request was
/// sent, or any UNAVAILABLE for a method listed in `idempotentMethods`.
public final class RPCClient: Sendable {
    /// The server's address.
    public let address: SocketAddress
    private let connections: [ClientConnection]
    private let next = Atomic<Int>(0)
    private let defaultMetadata: [MetadataEntry]
    private let idempotentMethods: Set<String>
    private let maxAttempts: Int
    private static let queue = DispatchQueue(label: "findreviewer.rpc-client", attributes: .concurrent)

    /// A client for `address` (`HOST:PORT`). `key` becomes `authorization: Bearer <key>`.
    public init(
        address: String, key: String? = nil, connections: Int = 1, idempotentMethods: Set<String> = [], maxAttempts: Int = 3
    ) throws(RPCError) {
        let parsed: SocketAddress
        do {
            parsed = try SocketAddress(parsing: address)
        } catch {
            throw RPCError(.invalidArgument, "\"\(address)\" is not HOST:PORT")
        }
        Socket.ignoreSIGPIPE()
        self.address = parsed
        self.connections = (0..<max(1, connections)).map { _ in ClientConnection(address: parsed) }
        self.defaultMetadata = key.map { [MetadataEntry(key: "authorization", value: "Bearer \($0)")] } ?? []
        self.idempotentMethods = idempotentMethods
        self.maxAttempts = max(1, maxAttempts)
    }

    /// Calls `method` with raw payload bytes, blocking the calling thread (never call it from
    /// Swift's cooperative pool: use the async variant there).
    public func callRaw(
        method: String, request: [UInt8], metadata: [MetadataEntry] = [], timeout: Duration? = .seconds(30)
    ) throws(RPCError) -> [UInt8] {
        var entries = self.defaultMetadata + metadata
        if !entries.contains(where: { $0.key == "request-id" }) {
            entries.append(MetadataEntry(key: "request-id", value: Self.requestId()))
        }
        var attempt = 0
        while true {
            attempt += 1
            let connection = self.connections[self.next.wrappingAdd(1, ordering: .relaxed).oldValue % self.connections.count]
            do {
                return try connection.call(method: method, request: request, metadata: entries, timeout: timeout)
            } catch {
                let retriable = error.error.code == .unavailable && (!error.sent || self.idempotentMethods.contains(method))
                guard retriable, attempt < self.maxAttempts else { throw error.error }
                // Backoff before reconnecting: 25 ms, 50 ms, ...
                usleep(UInt32(25_000 << (attempt - 1)))
            }
        }
    }

    /// Calls `method` with a typed request and decodes the typed response (blocking).
    public func call<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: String, _ request: Request, as response: Response.Type = Response.self, metadata: [MetadataEntry] = [],
        timeout: Duration? = .seconds(30)
    ) throws(RPCError) -> Response {
        let bytes: [UInt8]
        do {
            bytes = try request.serializedBytes()
        } catch {
            throw RPCError(.invalidArgument, "cannot encode \(Request.protoName): \(error.message)")
        }
        let answer = try self.callRaw(method: method, request: bytes, metadata: metadata, timeout: timeout)
        do {
            return try Response(serializedBytes: answer)
        } catch {
            throw RPCError(.internal, "the server's answer is not a valid \(Response.protoName): \(error.message)")
        }
    }

    /// The async form: the blocking work runs on a client queue, never on the cooperative pool.
    public func call<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: String, _ request: Request, as response: Response.Type = Response.self, metadata: [MetadataEntry] = [],
        timeout: Duration? = .seconds(30)
    ) async throws(RPCError) -> Response {
        let result: Result<Response, RPCError> = await withCheckedContinuation { continuation in
            Self.queue.async {
                do throws(RPCError) {
                    continuation.resume(returning: .success(try self.call(method, request, as: Response.self, metadata: metadata, timeout: timeout)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    /// Closes every connection.
    public func close() { for connection in self.connections { connection.close() } }

    private static func requestId() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(generator.next() as UInt64, radix: 36)
    }
}
