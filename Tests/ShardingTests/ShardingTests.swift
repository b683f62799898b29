import Foundation
import Sharding
import Testing

@Suite("slots and the shard map")
struct ShardingTests {
    @Test("CRC-16/XMODEM and the slots of Redis Cluster (CLUSTER KEYSLOT foo is 12182), cross-checked with Python's binascii.crc_hqx",
        arguments: [("foo", 12182), ("bar", 5061), ("hello", 866), ("acme", 11304), ("globex", 14041), ("biz-000001", 8993), ("ä", 13929)])
    func slots(id: String, slot: Int) {
        #expect(Slots.slot(ofBusiness: id) == slot)
    }

    @Test("the check value of CRC-16/XMODEM")
    func checkValue() {
        #expect(Slots.crc16(Array("123456789".utf8)) == 0x31C3)
        #expect(Slots.crc16([UInt8]()) == 0)
    }

    @Test("three shards evenly: every slot has one owner, and the JSON form reads back the same")
    func evenly() throws {
        let map = try ShardMap.evenly(count: 3) { "findreviewer-\($0).findreviewer:7450" }
        #expect(map.shards.map(\.slots) == [[0...5460], [5461...10921], [10922...16383]])
        #expect(map.owner(ofSlot: 0).name == "shard-0")
        #expect(map.owner(ofSlot: 16383).name == "shard-2")
        #expect(map.owner(ofBusiness: "acme").name == "shard-2")  // slot 11304
        #expect(map.owner(ofBusiness: "bar").name == "shard-0")  // slot 5061
        let again = try ShardMap.decode(map.encoded())
        #expect(again == map)
        #expect(String(decoding: map.encoded(), as: UTF8.self).contains("\"slots\":[\"0-5460\"]"))
    }

    @Test("ranges and single slots, in any order, merge per shard")
    func ranges() throws {
        let json = """
            {"shards":[{"name":"a","address":"127.0.0.1:7450","slots":["100-16383","0-98","99"]}]}
            """
        let map = try ShardMap.decode(Data(json.utf8))
        #expect(map.shards[0].slots == [0...16383])
    }

    @Test("a map that is not exact is refused, saying where", arguments: [
        (#"{"shards":[]}"#, "names no shard"),
        (#"{"shards":[{"name":"a","address":"h:1","slots":["0-16382"]}]}"#, "slots 16383-16383 belong to no shard"),
        (#"{"shards":[{"name":"a","address":"h:1","slots":["0-16383"]},{"name":"b","address":"h:2","slots":["5"]}]}"#, "slot 5 belongs to both \"a\" and \"b\""),
        (#"{"shards":[{"name":"a","address":"h:1","slots":["0-16384"]}]}"#, "outside 0-16383"),
        (#"{"shards":[{"name":"a","address":"h:1","slots":["9-3"]}]}"#, "is not a slot or a range"),
        (#"{"shards":[{"name":"a","address":"h:1","slots":["-1"]}]}"#, "is not a slot or a range"),
        (#"{"shards":[{"name":"a","address":"h:1","slots":["1-2-3"]}]}"#, "is not a slot or a range"),
        (#"{"shards":[{"name":"A","address":"h:1","slots":["0-16383"]}]}"#, "must be 1 to 64 characters"),
        (#"{"shards":[{"name":"a","address":"h:1","slots":["0-8000"]},{"name":"a","address":"h:2","slots":["8001-16383"]}]}"#, "appears twice"),
        (#"{"shards":[{"name":"a","address":"nohost","slots":["0-16383"]}]}"#, "is not HOST:PORT"),
        (#"{"shards":[{"name":"a","address":"h:0","slots":["0-16383"]}]}"#, "is not HOST:PORT"),
        (#"{"shards":[{"name":"a"}]}"#, "not valid JSON"),
        ("nope", "not valid JSON"),
    ])
    func refused(json: String, message: String) {
        #expect {
            _ = try ShardMap.decode(Data(json.utf8))
        } throws: { error in
            (error as? ShardMapError)?.message.contains(message) == true
        }
    }

    @Test("evenly over 1 and over 16384 shards")
    func extremes() throws {
        #expect(try ShardMap.evenly(count: 1) { _ in "h:1" }.shards[0].slots == [0...16383])
        let most = try ShardMap.evenly(count: Slots.count) { _ in "h:1" }
        #expect(most.owner(ofSlot: 77).name == "shard-77")
        #expect(throws: ShardMapError.self) { try ShardMap.evenly(count: 0) { _ in "h:1" } }
    }
}
