/// A growable array kept in chunks of 1,024 elements. A copy (the snapshot's copy of the state)
/// shares every chunk; a later write copies only the chunk it touches, not the whole array.
/// Unused capacity is never touched, so it costs address space, not resident memory.
public struct ChunkedArray<Element: Sendable>: Sendable, RandomAccessCollection {
    static var chunkShift: Int { 10 }
    static var chunkMask: Int { (1 << Self.chunkShift) - 1 }

    private var chunks: [[Element]] = []
    public private(set) var count = 0

    /// An empty array.
    public init() {}

    public var startIndex: Int { 0 }
    public var endIndex: Int { self.count }

    public subscript(position: Int) -> Element {
        get { self.chunks[position >> Self.chunkShift][position & Self.chunkMask] }
        _modify { yield &self.chunks[position >> Self.chunkShift][position & Self.chunkMask] }
    }

    /// Adds `element` at the end.
    public mutating func append(_ element: Element) {
        if self.count & Self.chunkMask == 0 {
            var chunk: [Element] = []
            chunk.reserveCapacity(1 << Self.chunkShift)
            self.chunks.append(chunk)
        }
        self.chunks[self.chunks.count - 1].append(element)
        self.count += 1
    }

    /// Room for `capacity` elements in the list of chunks (the chunks themselves come as needed).
    public mutating func reserveCapacity(_ capacity: Int) {
        self.chunks.reserveCapacity((capacity >> Self.chunkShift) + 1)
    }
}

/// What a ``Table`` holds: values with a string id.
public protocol TableRow: Sendable, Equatable {
    var id: String { get }
}

/// Entities by id, in insertion order: the values sit in a ``ChunkedArray`` (a row number never
/// changes, so indexes store 4-byte rows instead of id strings) and a hash index maps ids to rows.
/// The index is split into shards so that the first insert after a snapshot copies one shard,
/// not an index of a million ids. Entities are never removed.
public struct Table<Value: TableRow>: Sendable, Equatable {
    /// A row number.
    public typealias Row = Int32

    private static var shardCount: Int { 16 }

    public private(set) var values = ChunkedArray<Value>()
    private var shards: [[String: Row]] = Array(repeating: [:], count: 16)

    /// An empty table.
    public init() {}

    public var count: Int { self.values.count }
    public var isEmpty: Bool { self.values.isEmpty }

    /// The value with `id`, if any.
    public subscript(id: String) -> Value? {
        guard let row = self.row(of: id) else { return nil }
        return self.values[Int(row)]
    }

    /// The row of `id`, if any.
    public func row(of id: String) -> Row? { self.shards[Self.shard(id)][id] }

    /// The value in `row` (which must exist).
    public subscript(row row: Row) -> Value {
        get { self.values[Int(row)] }
        _modify { yield &self.values[Int(row)] }
    }

    /// Stores `value` under its id: a new row at the end, or in place of the value with the same id.
    @discardableResult
    public mutating func upsert(_ value: Value) -> (row: Row, inserted: Bool) {
        let shard = Self.shard(value.id)
        if let row = self.shards[shard][value.id] {
            self.values[Int(row)] = value
            return (row, false)
        }
        let row = Row(self.values.count)
        self.shards[shard][value.id] = row
        self.values.append(value)
        return (row, true)
    }

    /// Changes the value with `id` in place; false (and nothing happens) when there is none.
    @discardableResult
    public mutating func update(_ id: String, _ body: (inout Value) -> Void) -> Bool {
        guard let row = self.row(of: id) else { return false }
        body(&self.values[Int(row)])
        return true
    }

    /// Room for `capacity` values without rehashing.
    public mutating func reserveCapacity(_ capacity: Int) {
        self.values.reserveCapacity(capacity)
        let perShard = capacity / Self.shardCount + capacity / (4 * Self.shardCount) + 16
        for shard in 0..<Self.shardCount { self.shards[shard].reserveCapacity(perShard) }
    }

    public static func == (lhs: Table, rhs: Table) -> Bool {
        lhs.count == rhs.count && lhs.values.elementsEqual(rhs.values)
    }

    /// FNV-1a over the last 8 bytes of the id: ids made from a counter differ at the end. The
    /// spread matters for copy sizes only; lookups are correct whatever the shard.
    private static func shard(_ id: String) -> Int {
        var hash: UInt32 = 2_166_136_261
        for byte in id.utf8.suffix(8) { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return Int(hash & UInt32(Self.shardCount - 1))
    }
}

extension ChunkedArray: Equatable where Element: Equatable {
    public static func == (lhs: ChunkedArray, rhs: ChunkedArray) -> Bool { lhs.elementsEqual(rhs) }
}
