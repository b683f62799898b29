import FindReviewerServer
import Foundation
import Testing

@Suite("Server configuration: --shard and --shard-map")
struct ShardConfigurationTests {
    static func mapFile(_ json: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("shard-map-\(UUID().uuidString).json").path
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static let twoShards = #"{"shards":[{"name":"a","address":"127.0.0.1:1","slots":["0-8191"]},{"name":"b","address":"127.0.0.1:2","slots":["8192-16383"]}]}"#

    static func refusal(_ arguments: [String], environment: [String: String] = [:]) -> String? {
        do {
            _ = try ServerConfiguration.parse(arguments: arguments, environment: environment)
            return nil
        } catch {
            return error.message
        }
    }

    @Test("without --shard the server owns every slot: no map, tokens without a shard")
    func unshardedDefault() throws {
        let configuration = try #require(try ServerConfiguration.parse(arguments: [], environment: [:]))
        #expect(configuration.shard == nil && configuration.shardMap == nil)
        let ownership = configuration.ownership
        #expect(ownership.map == nil)
        #expect(ownership.name == "default")
        #expect(ownership.newToken("abc") == "abc")
        #expect(ownership.servedMap?.shards.map(\.slots) == [[0...16_383]])
    }

    @Test("--shard with its map: the map is read, tokens carry the shard; FINDREVIEWER_SHARD and FINDREVIEWER_SHARD_MAP work too")
    func sharded() throws {
        let path = try Self.mapFile(Self.twoShards)
        let configuration = try #require(try ServerConfiguration.parse(arguments: ["--shard", "b", "--shard-map", path], environment: [:]))
        #expect(configuration.shardMap?.shards.map(\.name) == ["a", "b"])
        #expect(configuration.ownership.newToken("abc") == "b.abc")
        let fromEnvironment = try #require(
            try ServerConfiguration.parse(arguments: [], environment: ["FINDREVIEWER_SHARD": "a", "FINDREVIEWER_SHARD_MAP": path]))
        #expect(fromEnvironment.ownership.name == "a")
    }

    @Test("refused at start with a message naming the flag: one flag without the other, a shard the map lacks, a bad map")
    func refusals() throws {
        let path = try Self.mapFile(Self.twoShards)
        #expect(Self.refusal(["--shard", "a"])?.contains("--shard needs --shard-map") == true)
        #expect(Self.refusal(["--shard-map", path])?.contains("--shard-map needs --shard") == true)
        #expect(Self.refusal(["--shard", "c", "--shard-map", path])?.contains("\"c\" is not in the shard map") == true)
        #expect(Self.refusal(["--shard", "a", "--shard-map", "/nonexistent/map.json"])?.contains("cannot read the shard map") == true)
        let gap = try Self.mapFile(#"{"shards":[{"name":"a","address":"127.0.0.1:1","slots":["0-100"]}]}"#)
        #expect(Self.refusal(["--shard", "a", "--shard-map", gap])?.contains("slots 101-16383 belong to no shard") == true)
    }
}
