/// Rows by string key, for a table whose rows hold the keys themselves (ids, reply tokens).
///
/// Each slot is 8 bytes: 32 bits of the key's hash and the row. A lookup compares those bits and
/// checks the key only in the row they point to, so probing never follows a pointer to a key's
/// characters (with a million keys, those chases were most of the cost of building the index).
/// Open addressing with linear probing, at most three quarters full, in 16 shards so that the
/// first insert after a snapshot copies one shard. Hashes are keyed SipHash (``SipHash``).
struct RowIndex: Sendable {
    typealias Row = Int32

    private static var shardBits: Int { 4 }
    /// Per shard: 0 is empty; otherwise the hash's upper 32 bits and row + 1.
    private var shards: [[UInt64]] = Array(repeating: [], count: 1 << 4)
    private var shardCounts: [Int] = Array(repeating: 0, count: 1 << 4)
    private(set) var count = 0

    /// The hash a key is filed under: of its UTF-8 bytes, so that a key kept as bytes (a packed
    /// id) hashes without a string built from it.
    static func hash(_ key: String) -> UInt64 {
        var key = key
        return key.withUTF8 { Self.hash(utf8: $0) }
    }

    static func hash(utf8 key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        SipHash.hash(UnsafeRawBufferPointer(key))
    }

    /// The hash a pair of keys is filed under (no joined string is built): the second key's,
    /// under this process's key mixed with the first key's hash.
    static func hash(_ first: String, _ second: String) -> UInt64 {
        let firstHash = Self.hash(first)
        var second = second
        return second.withUTF8 { SipHash.hash(UnsafeRawBufferPointer($0), key: (SipHash.key.0 ^ firstHash, SipHash.key.1)) }
    }

    /// The row filed under `hash` for which `matches` is true (it checks the key in that row).
    func find(_ hash: UInt64, where matches: (Row) -> Bool) -> Row? {
        let shard = Int(hash >> (64 - UInt64(Self.shardBits)))
        return self.shards[shard].withUnsafeBufferPointer { slots -> Row? in
            guard !slots.isEmpty else { return nil }
            let tag = hash >> 32
            let mask = slots.count - 1
            var position = Int(truncatingIfNeeded: tag) & mask
            while true {
                let slot = slots[position]
                if slot == 0 { return nil }
                if slot >> 32 == tag {
                    let row = Row(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1
                    if matches(row) { return row }
                }
                position = (position + 1) & mask
            }
        }
    }

    /// Every row filed under `hash`, and perhaps rows of other keys whose hash shares its upper
    /// bits: the caller checks the key in each (the index then serves as a multimap).
    func forEach(_ hash: UInt64, _ body: (Row) -> Void) {
        let shard = Int(hash >> (64 - UInt64(Self.shardBits)))
        let slots = self.shards[shard]
        guard !slots.isEmpty else { return }
        let tag = hash >> 32
        let mask = slots.count - 1
        var position = Int(truncatingIfNeeded: tag) & mask
        while slots[position] != 0 {
            if slots[position] >> 32 == tag { body(Row(truncatingIfNeeded: slots[position] & 0xFFFF_FFFF) - 1) }
            position = (position + 1) & mask
        }
    }

    /// Unfiles `row` from `hash`; false when it was not filed there. The entries after it in its
    /// probe run move back into the hole (backward-shift deletion), so lookups still stop at the
    /// first empty slot and the index looks as if the row had never been filed.
    @discardableResult
    mutating func remove(_ hash: UInt64, row: Row) -> Bool {
        let shard = Int(hash >> (64 - UInt64(Self.shardBits)))
        guard !self.shards[shard].isEmpty else { return false }
        let wanted = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(UInt32(bitPattern: row) &+ 1)
        let removed = self.shards[shard].withUnsafeMutableBufferPointer { slots -> Bool in
            let mask = slots.count - 1
            var hole = Int(truncatingIfNeeded: hash >> 32) & mask
            while slots[hole] != wanted {
                if slots[hole] == 0 { return false }
                hole = (hole + 1) & mask
            }
            var next = (hole + 1) & mask
            while slots[next] != 0 {
                let home = Int(truncatingIfNeeded: slots[next] >> 32) & mask
                // The entry at `next` stays reachable from its home in the hole only if the hole
                // lies on its probe path.
                if (hole - home) & mask < (next - home) & mask {
                    slots[hole] = slots[next]
                    hole = next
                }
                next = (next + 1) & mask
            }
            slots[hole] = 0
            return true
        }
        guard removed else { return false }
        self.shardCounts[shard] -= 1
        self.count -= 1
        return true
    }

    /// Files `row` under `hash` (the caller has checked that its key is not filed yet).
    mutating func insert(_ hash: UInt64, row: Row) {
        let shard = Int(hash >> (64 - UInt64(Self.shardBits)))
        if (self.shardCounts[shard] + 1) * 4 > self.shards[shard].count * 3 { self.resize(shard, to: max(16, self.shards[shard].count * 2)) }
        Self.place((hash & 0xFFFF_FFFF_0000_0000) | UInt64(UInt32(row) + 1), in: &self.shards[shard])
        self.shardCounts[shard] += 1
        self.count += 1
    }

    /// Room for `capacity` keys without resizing.
    mutating func reserveCapacity(_ capacity: Int) {
        let perShard = capacity / (1 << Self.shardBits) + 1
        var size = 16
        while size * 3 < perShard * 4 { size *= 2 }
        for shard in self.shards.indices where self.shards[shard].count < size { self.resize(shard, to: size) }
    }

    private mutating func resize(_ shard: Int, to size: Int) {
        var slots = [UInt64](repeating: 0, count: size)
        for slot in self.shards[shard] where slot != 0 { Self.place(slot, in: &slots) }
        self.shards[shard] = slots
    }

    private static func place(_ slot: UInt64, in slots: inout [UInt64]) {
        let mask = slots.count - 1
        var position = Int(truncatingIfNeeded: slot >> 32) & mask
        while slots[position] != 0 { position = (position + 1) & mask }
        slots[position] = slot
    }
}

extension RowIndex: Equatable {
    /// The same rows filed under the same hashes, wherever the probing put them.
    static func == (lhs: RowIndex, rhs: RowIndex) -> Bool {
        lhs.count == rhs.count
            && zip(lhs.shards, rhs.shards).allSatisfy { $0.filter { $0 != 0 }.sorted() == $1.filter { $0 != 0 }.sorted() }
    }
}
