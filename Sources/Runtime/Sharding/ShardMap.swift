import Foundation

/// Which shard owns which slots: read from a JSON file by the server (`--shard-map`) and the
/// tools, and served by the server so that clients can refresh a stale copy.
///
/// ```json
/// {"shards": [
///   {"name": "shard-0", "address": "findreviewer-0.findreviewer:7450", "slots": ["0-5460"]},
///   {"name": "shard-1", "address": "findreviewer-1.findreviewer:7450", "slots": ["5461-10921"]},
///   {"name": "shard-2", "address": "findreviewer-2.findreviewer:7450", "slots": ["10922-16383"]}
/// ]}
/// ```
/// A slot range is `"FIRST-LAST"` (both included) or one slot `"N"`. Every slot from 0 to
/// 16383 belongs to exactly one shard; names are 1 to 64 characters of `[a-z0-9-]`, unique;
/// an address is `HOST:PORT`.
public struct ShardMap: Sendable, Equatable {
    /// One shard: its name, where to reach it and the slots it owns, as sorted ranges.
    public struct Shard: Sendable, Equatable {
        public var name: String
        public var address: String
        public var slots: [ClosedRange<Int>]

        public init(name: String, address: String, slots: [ClosedRange<Int>]) {
            self.name = name
            self.address = address
            self.slots = slots
        }
    }

    /// The shards, in the file's order.
    public let shards: [Shard]
    /// The index into `shards` of each slot's owner.
    private let owners: [UInt16]

    /// A map from shards that together own every slot exactly once.
    public init(shards: [Shard]) throws(ShardMapError) {
        guard !shards.isEmpty else { throw ShardMapError("the shard map names no shard") }
        guard shards.count <= Int(UInt16.max) else { throw ShardMapError("the shard map names more than 65535 shards") }
        var owners = [Int](repeating: -1, count: Slots.count)
        var names = Set<String>()
        for (index, shard) in shards.enumerated() {
            try Self.check(name: shard.name)
            guard names.insert(shard.name).inserted else { throw ShardMapError("shard \"\(shard.name)\" appears twice") }
            try Self.check(address: shard.address, shard: shard.name)
            for range in shard.slots {
                guard range.lowerBound >= 0, range.upperBound < Slots.count else {
                    throw ShardMapError("shard \"\(shard.name)\": slots \(range.lowerBound)-\(range.upperBound) are outside 0-\(Slots.count - 1)")
                }
                for slot in range {
                    guard owners[slot] < 0 else {
                        throw ShardMapError("slot \(slot) belongs to both \"\(shards[owners[slot]].name)\" and \"\(shard.name)\"")
                    }
                    owners[slot] = index
                }
            }
        }
        if let free = owners.firstIndex(of: -1) {
            let end = owners[free...].firstIndex { $0 >= 0 }.map { $0 - 1 } ?? Slots.count - 1
            throw ShardMapError("slots \(free)-\(end) belong to no shard: every slot from 0 to \(Slots.count - 1) needs an owner")
        }
        self.shards = shards.map { shard in
            var shard = shard
            shard.slots = Self.merged(shard.slots)
            return shard
        }
        self.owners = owners.map { UInt16($0) }
    }

    /// `count` shards named `prefix-0` … owning equal runs of slots, at `address(ordinal)`.
    public static func evenly(count: Int, prefix: String = "shard", address: (Int) -> String) throws(ShardMapError) -> ShardMap {
        guard count >= 1, count <= Slots.count else { throw ShardMapError("a map holds 1 to \(Slots.count) shards, not \(count)") }
        let shards = (0..<count).map { ordinal in
            Shard(
                name: "\(prefix)-\(ordinal)", address: address(ordinal),
                slots: [(ordinal * Slots.count / count)...((ordinal + 1) * Slots.count / count - 1)])
        }
        return try ShardMap(shards: shards)
    }

    /// The shard that owns `slot`.
    public func owner(ofSlot slot: Int) -> Shard { self.shards[Int(self.owners[slot])] }

    /// The shard that owns the business `id`.
    public func owner(ofBusiness id: String) -> Shard { self.owner(ofSlot: Slots.slot(ofBusiness: id)) }

    /// The shard called `name`, if the map has one.
    public func shard(named name: String) -> Shard? { self.shards.first { $0.name == name } }

    // MARK: JSON

    private struct File: Codable {
        struct Entry: Codable {
            var name: String
            var address: String
            var slots: [String]
        }

        var shards: [Entry]
    }

    /// Reads the JSON form.
    public static func decode(_ data: Data) throws(ShardMapError) -> ShardMap {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch {
            throw ShardMapError("the shard map is not valid JSON of the form {\"shards\":[{\"name\":…,\"address\":…,\"slots\":[\"0-16383\"]}]}: \(error)")
        }
        var shards: [Shard] = []
        for entry in file.shards {
            var ranges: [ClosedRange<Int>] = []
            for text in entry.slots { ranges.append(try Self.range(text, shard: entry.name)) }
            shards.append(Shard(name: entry.name, address: entry.address, slots: ranges))
        }
        return try ShardMap(shards: shards)
    }

    /// Reads the file at `path`.
    public static func load(path: String) throws(ShardMapError) -> ShardMap {
        guard let data = FileManager.default.contents(atPath: path) else { throw ShardMapError("cannot read the shard map \(path)") }
        do throws(ShardMapError) {
            return try self.decode(data)
        } catch {
            throw ShardMapError("\(path): \(error.message)")
        }
    }

    /// The JSON form: shards in order, keys sorted, ranges merged.
    public func encoded() -> Data {
        let file = File(shards: self.shards.map { shard in
            File.Entry(
                name: shard.name, address: shard.address,
                slots: shard.slots.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" })
        })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(file)) ?? Data()
    }

    // MARK: checks

    private static func range(_ text: String, shard: String) throws(ShardMapError) -> ClosedRange<Int> {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let numbers = parts.map { part in part.allSatisfy(\.isASCII) && !part.isEmpty && part.count <= 5 ? Int(part) : nil }
        guard parts.count <= 2, let first = numbers.first ?? nil, let last = numbers.last ?? nil, first <= last else {
            throw ShardMapError("shard \"\(shard)\": \"\(text)\" is not a slot or a range FIRST-LAST of slots")
        }
        return first...last
    }

    private static func check(name: String) throws(ShardMapError) {
        let allowed = name.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
        guard !name.isEmpty, name.utf8.count <= 64, allowed else {
            throw ShardMapError("shard name \"\(name)\" must be 1 to 64 characters of a-z, 0-9 and -")
        }
    }

    private static func check(address: String, shard: String) throws(ShardMapError) {
        guard let colon = address.lastIndex(of: ":"), colon != address.startIndex,
            let port = Int(address[address.index(after: colon)...]), (1...65_535).contains(port)
        else {
            throw ShardMapError("shard \"\(shard)\": address \"\(address)\" is not HOST:PORT")
        }
    }

    private static func merged(_ ranges: [ClosedRange<Int>]) -> [ClosedRange<Int>] {
        var out: [ClosedRange<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = out.last, last.upperBound + 1 >= range.lowerBound {
                out[out.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                out.append(range)
            }
        }
        return out
    }
}

/// Why a shard map was refused, for a person.
public struct ShardMapError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { self.message }
}
