import Credentials
import FindReviewerEngine
import FindReviewerServer
import Foundation
import RPC

/// The service's methods in this process, without the binary (as grpc-swift's
/// `InProcessTransport` serves its tests): an ``RPCServer`` on an ephemeral loopback port with
/// the ``FindReviewerService`` installed over an engine with a volatile event log (or one the
/// test gives), generated keys and a test clock. Calls go through the real frames, interceptor
/// and handlers; nothing is spawned and nothing touches the disk.
public final class InProcessServer: @unchecked Sendable {
    /// The RPC server.
    public let server: RPCServer
    /// The service (and through it the engine).
    public let service: FindReviewerService
    /// The keys, one per role.
    public let keys: KeysFile
    /// `127.0.0.1:PORT`.
    public let address: String

    /// Starts the server; ``stop()`` (or deinit) shuts it down.
    public init(eventLog: EventLog = VolatileEventLog(), clockStart: Int64 = 1_800_000_000) throws {
        self.keys = KeysFile.generated()
        self.service = FindReviewerService(
            clock: .test(start: clockStart), keys: self.keys, eventLog: eventLog, logger: Logger(level: .error, format: .text, sink: { _ in }))
        var options = ServerOptions()
        options.address = "127.0.0.1:0"
        options.eventLoops = 1
        options.testClock = true
        self.server = RPCServer(options: options)
        self.service.install(on: self.server)
        self.address = "127.0.0.1:\(try self.server.start().port)"
    }

    /// The key of `role` (e.g. "admin", "businessPortal").
    public func key(_ role: Role) -> String { self.keys.keys.first { $0.role == role }!.key }

    /// Graceful shutdown (GOAWAY, drain).
    public func stop() { self.server.shutdown() }

    deinit { self.server.shutdown() }
}
