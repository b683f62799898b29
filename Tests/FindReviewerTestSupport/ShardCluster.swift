import Foundation
import Glibc
import Sharding

/// N real `findreviewer-server` processes on loopback, one per shard of an evenly split map
/// (`--shard shard-I --shard-map FILE`), sharing one keys file.
public final class ShardCluster: @unchecked Sendable {
    /// The map every shard was started with.
    public let map: ShardMap
    /// The map's JSON file.
    public let mapFile: URL
    /// The processes, in the map's order.
    public let servers: [ServerProcess]
    /// The shared keys file.
    public let keysFile: String

    /// Starts `count` shards with `arguments` each (beyond the shard flags).
    public init(count: Int = 3, arguments: [String] = []) throws {
        let ports = try Self.freePorts(count)
        let map = try ShardMap.evenly(count: count) { "127.0.0.1:\(ports[$0])" }
        // One root: ROOT/keys.json (shared), ROOT/shard-map.json, ROOT/<shard name>/ per shard.
        let directory = ServerProcess.makeDataDirectory()
        let mapFile = directory.appendingPathComponent("shard-map.json")
        try map.encoded().write(to: mapFile)
        let keysFile = directory.appendingPathComponent("keys.json").path
        var servers: [ServerProcess] = []
        for (index, shard) in map.shards.enumerated() {
            do {
                let data = directory.appendingPathComponent(shard.name)
                try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
                servers.append(try ServerProcess(arguments: [
                    "--listen", shard.address, "--shard", shard.name, "--shard-map", mapFile.path, "--keys-file", keysFile,
                ] + arguments, dataDirectory: data))
            } catch {
                for server in servers { server.stop(); server.cleanUp() }
                throw ServerProcessError(message: "shard \(index): \(error)")
            }
        }
        self.map = map
        self.mapFile = mapFile
        self.servers = servers
        self.keysFile = keysFile
        self.root = directory
    }

    /// The directory holding the keys file, the map and one data directory per shard (named after it).
    public let root: URL

    /// The key of `role` (the same on every shard).
    public func key(role: String) throws -> String { try self.servers[0].key(role: role) }

    /// The server of the shard called `name`.
    public func server(named name: String) -> ServerProcess {
        self.servers[self.map.shards.firstIndex { $0.name == name }!]
    }

    /// The first business id `prefix-N` that the shard `index` owns.
    public func business(onShard index: Int, prefix: String = "biz") -> String {
        let name = self.map.shards[index].name
        for number in 0... {
            let id = "\(prefix)-\(number)"
            if self.map.owner(ofBusiness: id).name == name { return id }
        }
        fatalError("unreachable")
    }

    /// Stops every shard and removes the data.
    public func stop() {
        for server in self.servers {
            server.stop()
            server.cleanUp()
        }
        try? FileManager.default.removeItem(at: self.mapFile.deletingLastPathComponent())
    }

    /// `count` distinct loopback ports that were free a moment ago (bound to port 0, then closed).
    public static func freePorts(_ count: Int) throws -> [Int] {
        var sockets: [Int32] = []
        defer { for fd in sockets { close(fd) } }
        var ports: [Int] = []
        for _ in 0..<count {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw ServerProcessError(message: "socket: \(errno)") }
            sockets.append(fd)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else { throw ServerProcessError(message: "bind: \(errno)") }
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            ports.append(Int(UInt16(bigEndian: address.sin_port)))
        }
        return ports
    }
}
