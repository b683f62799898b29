/// Rows by a 64-bit hash, several rows per hash: an index whose keys repeat (the pending
/// requests of one business to one reviewer).
///
/// ``RowIndex`` probes linearly, so rows that share a hash form one run that every insert walks
/// to its end: k rows under one key cost O(k) each to add, O(k²) in all (200,000 pending
/// requests to one reviewer made creating a request spend most of its time there). Here a key
/// holds its first row inline and the rest in an array, so adding and removing are O(1) and
/// O(rows under that key). The caller checks that a row's key is the one it asked for (two
/// keys may share a hash).
struct RowMultimap: Sendable {
    typealias Row = Int32

    private struct Rows: Sendable {
        var first: Row
        var more: [Row] = []
    }

    private var entries: [UInt64: Rows] = [:]
    private(set) var count = 0

    /// Files `row` under `hash` (the caller has checked it is not filed there yet).
    mutating func insert(_ hash: UInt64, row: Row) {
        if self.entries[hash] != nil {
            self.entries[hash]!.more.append(row)
        } else {
            self.entries[hash] = Rows(first: row)
        }
        self.count += 1
    }

    /// Unfiles `row` from `hash`; false when it was not filed there.
    @discardableResult
    mutating func remove(_ hash: UInt64, row: Row) -> Bool {
        // Taken out of the dictionary so that its array is uniquely held and edits in place.
        guard var rows = self.entries.removeValue(forKey: hash) else { return false }
        if rows.first == row {
            if rows.more.isEmpty {
                self.count -= 1
                return true
            }
            rows.first = rows.more.removeLast()
        } else if let index = rows.more.firstIndex(of: row) {
            rows.more.swapAt(index, rows.more.count - 1)
            rows.more.removeLast()
        } else {
            self.entries[hash] = rows
            return false
        }
        self.entries[hash] = rows
        self.count -= 1
        return true
    }

    /// Every row filed under `hash`, in no particular order.
    func forEach(_ hash: UInt64, _ body: (Row) -> Void) {
        guard let rows = self.entries[hash] else { return }
        body(rows.first)
        for row in rows.more { body(row) }
    }
}

extension RowMultimap: Equatable {
    /// The same rows under the same hashes, in whatever order they were filed.
    static func == (lhs: RowMultimap, rhs: RowMultimap) -> Bool {
        guard lhs.count == rhs.count, lhs.entries.count == rhs.entries.count else { return false }
        for (hash, rows) in lhs.entries {
            guard let other = rhs.entries[hash] else { return false }
            if ([rows.first] + rows.more).sorted() != ([other.first] + other.more).sorted() { return false }
        }
        return true
    }
}
