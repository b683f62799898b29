/// A growable array kept in chunks of 1,024 elements. A copy (the snapshot's copy of the state)
/// shares every chunk; a later write copies only the chunk it touches, not the whole array.
/// The first chunk grows as an array does (a short list stays small); later ones are
/// reserved whole. Unused capacity is never touched, so it costs address space, not resident
/// memory.
public struct ChunkedArray<Element: Sendable>: Sendable, RandomAccessCollection, ExpressibleByArrayLiteral {
    static var chunkShift: Int { 10 }
    static var chunkMask: Int { (1 << Self.chunkShift) - 1 }

    private var chunks: [[Element]] = []
    public private(set) var count = 0

    /// An empty array.
    public init() {}

    /// An array of `elements`.
    public init(arrayLiteral elements: Element...) {
        for element in elements { self.append(element) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { self.count }

    public subscript(position: Int) -> Element {
        _read { yield self.chunks[position >> Self.chunkShift][position & Self.chunkMask] }
        _modify { yield &self.chunks[position >> Self.chunkShift][position & Self.chunkMask] }
    }

    /// Adds `element` at the end.
    public mutating func append(_ element: consuming Element) {
        if self.count & Self.chunkMask == 0 {
            var chunk: [Element] = []
            if self.count > 0 { chunk.reserveCapacity(1 << Self.chunkShift) }
            self.chunks.append(chunk)
        }
        self.chunks[self.chunks.count - 1].append(element)
        self.count += 1
    }

    /// Removes and returns the last element (the array must not be empty).
    @discardableResult
    public mutating func removeLast() -> Element {
        precondition(self.count > 0, "removeLast on an empty ChunkedArray")
        let element = self.chunks[self.chunks.count - 1].removeLast()
        if self.chunks[self.chunks.count - 1].isEmpty { self.chunks.removeLast() }
        self.count -= 1
        return element
    }

    /// Exchanges the elements at `i` and `j`.
    public mutating func swapAt(_ i: Int, _ j: Int) {
        guard i != j else { return }
        let element = self[i]
        self[i] = self[j]
        self[j] = element
    }

    /// Calls `body` with each chunk's elements in place and the index of its first element: a
    /// scan that reads a field of each element without copying the element.
    public func forEachChunk(_ body: (UnsafeBufferPointer<Element>, Int) throws -> Void) rethrows {
        var start = 0
        for chunk in self.chunks {
            try chunk.withUnsafeBufferPointer { try body($0, start) }
            start += chunk.count
        }
    }

    /// Room for `capacity` elements in the list of chunks (the chunks themselves come as needed).
    public mutating func reserveCapacity(_ capacity: Int) {
        self.chunks.reserveCapacity((capacity >> Self.chunkShift) + 1)
    }
}

/// What a ``Table`` holds: values with a string id.
public protocol TableRow: Sendable, Equatable {
    var id: String { get }
    /// Calls `body` with the id's UTF-8 bytes: what the table hashes and what a lookup checks
    /// in the row the index points to (a value whose id is packed, not a string of its own,
    /// gives its bytes without building a string).
    func withID<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R
}

extension TableRow {
    public func withID<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        var id = self.id
        return try id.withUTF8(body)
    }
}

/// Entities by id, in insertion order: the values sit in a ``ChunkedArray`` (a row number never
/// changes, so indexes store 4-byte rows instead of id strings) and a ``RowIndex`` maps ids to
/// rows. Entities are never removed.
///
/// Tables whose ids the state numbers itself (`req_00000042` is the 42nd request) need no hash
/// index: the row follows from the id and is checked against the id stored there. An id that
/// does not fit its row still works; it goes to the hash index.
public struct Table<Value: TableRow>: Sendable, Equatable {
    /// A row number.
    public typealias Row = Int32

    public private(set) var values = ChunkedArray<Value>()
    private var index = RowIndex()
    /// For numbered ids: the prefix before the number, as bytes.
    private let numberPrefix: [UInt8]?
    /// How many ids the hash index holds (none, in a numbered table used as intended).
    private var hashed = 0

    /// An empty table whose ids are arbitrary strings.
    public init() { self.numberPrefix = nil }

    /// An empty table whose ids are mostly `prefix` + the row number + 1 (any digit count).
    public init(numberedWithPrefix prefix: String) { self.numberPrefix = Array(prefix.utf8) }

    public var count: Int { self.values.count }
    public var isEmpty: Bool { self.values.isEmpty }

    /// The value with `id`, if any.
    public subscript(id: String) -> Value? {
        guard let row = self.row(of: id) else { return nil }
        return self.values[Int(row)]
    }

    /// What `read` takes from the value with `id`, if any, reading it in place: a query that
    /// needs one field of a value (a name, a language) copies that field, not the whole value.
    @inline(__always)
    public func lookup<T>(_ id: String, _ read: (borrowing Value) -> T) -> T? {
        guard let row = self.row(of: id) else { return nil }
        return read(self.values[Int(row)])
    }

    /// The row of `id`, if any. Ids are compared and hashed as UTF-8 bytes (ids are ASCII).
    public func row(of id: String) -> Row? {
        var id = id
        return id.withUTF8 { self.row(utf8: $0) }
    }

    /// The row of the id with these UTF-8 bytes, if any.
    func row(utf8 id: UnsafeBufferPointer<UInt8>) -> Row? {
        if let row = self.numberedRow(id), Int(row) < self.count, self.holds(id, in: row) { return row }
        return self.hashed == 0 ? nil : self.hashedRow(of: id, hash: RowIndex.hash(utf8: id))
    }

    private func holds(_ id: UnsafeBufferPointer<UInt8>, in row: Row) -> Bool {
        self.values[Int(row)].withID { sameBytes($0, id) }
    }

    /// The value in `row` (which must exist).
    public subscript(row row: Row) -> Value {
        _read { yield self.values[Int(row)] }
        _modify { yield &self.values[Int(row)] }
    }

    /// Stores `value` under its id: a new row at the end, or in place of the value with the same id.
    @discardableResult
    public mutating func upsert(_ value: consuming Value) -> (row: Row, inserted: Bool) {
        let next = Row(self.values.count)
        // A numbered id that names the next row of a table without hashed ids is appended
        // without hashing it: the common insert of a numbered table.
        let numbered = value.withID { self.numberedRow($0) }
        if numbered == next, self.hashed == 0 {
            self.values.append(value)
            return (next, true)
        }
        let (hash, existing) = value.withID { id -> (UInt64, Row?) in
            let hash = RowIndex.hash(utf8: id)
            return (hash, self.hashed == 0 ? nil : self.hashedRow(of: id, hash: hash))
        }
        if let row = numbered {
            if row == next, existing == nil {
                self.values.append(value)
                return (row, true)
            }
            if Int(row) < self.count, value.withID({ self.holds($0, in: row) }) {
                self.values[Int(row)] = value
                return (row, false)
            }
        }
        if let row = existing {
            self.values[Int(row)] = value
            return (row, false)
        }
        self.index.insert(hash, row: next)
        self.values.append(value)
        self.hashed += 1
        return (next, true)
    }

    private func hashedRow(of id: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Row? {
        self.index.find(hash) { self.holds(id, in: $0) }
    }

    /// The rows from `first` on whose values satisfy `predicate`, in row order: one pass over
    /// that part of the table, each value read in place.
    public func rows(from first: Int = 0, where predicate: (Value) -> Bool) -> [Row] {
        var rows: [Row] = []
        self.values.forEachChunk { values, start in
            guard start + values.count > first else { return }
            for index in max(0, first - start)..<values.count where predicate(values[index]) { rows.append(Row(start + index)) }
        }
        return rows
    }

    /// Changes the value with `id` in place; false (and nothing happens) when there is none.
    @discardableResult
    public mutating func update(_ id: String, _ body: (inout Value) -> Void) -> Bool {
        guard let row = self.row(of: id) else { return false }
        body(&self.values[Int(row)])
        return true
    }

    /// The row an id names by its number (`req_00000042` → 41), before checking it.
    private func numberedRow(_ id: UnsafeBufferPointer<UInt8>) -> Row? {
        guard let prefix = self.numberPrefix, id.count > prefix.count else { return nil }
        for index in prefix.indices { guard id[index] == prefix[index] else { return nil } }
        var number = 0
        var digits = 0
        for byte in id[prefix.count...] {
            guard byte >= 0x30, byte <= 0x39, digits < 9 else { return nil }
            number = number * 10 + Int(byte - 0x30)
            digits += 1
        }
        return digits > 0 && number > 0 ? Row(number - 1) : nil
    }

    /// Room for `capacity` values without rehashing.
    public mutating func reserveCapacity(_ capacity: Int) {
        self.values.reserveCapacity(capacity)
        if self.numberPrefix == nil { self.index.reserveCapacity(capacity) }
    }

    public static func == (lhs: Table, rhs: Table) -> Bool {
        lhs.count == rhs.count && lhs.values.elementsEqual(rhs.values)
    }
}

extension ChunkedArray: Equatable where Element: Equatable {
    public static func == (lhs: ChunkedArray, rhs: ChunkedArray) -> Bool { lhs.elementsEqual(rhs) }
}
