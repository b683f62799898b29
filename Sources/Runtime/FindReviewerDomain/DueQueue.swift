/// Pending requests by the time their next transition is due: a binary min-heap of
/// (due time, request row). Entries are not removed when a request moves on; an entry counts
/// only while its request is pending and still due at that time (``DomainState`` checks), and
/// stale entries are dropped when they reach the top. So the timer looks at what is due, not at
/// every pending request (a scan of a million took about a second, under the state's lock).
struct DueQueue: Sendable {
    struct Entry: Sendable, Hashable, Comparable {
        var at: UnixSeconds
        var row: Int32

        static func < (lhs: Entry, rhs: Entry) -> Bool { (lhs.at, lhs.row) < (rhs.at, rhs.row) }
    }

    /// In chunks, so that the first push after a snapshot's copy copies the few chunks on one
    /// path from a leaf to the root, not all of it (16 MB at a million pending requests).
    private(set) var entries = ChunkedArray<Entry>()

    var first: Entry? { self.entries.first }

    mutating func push(_ entry: Entry) {
        self.entries.append(entry)
        var child = self.entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard self.entries[child] < self.entries[parent] else { break }
            self.entries.swapAt(child, parent)
            child = parent
        }
    }

    @discardableResult
    mutating func popFirst() -> Entry? {
        guard let first = self.entries.first else { return nil }
        let last = self.entries.removeLast()
        guard !self.entries.isEmpty else { return first }
        self.entries[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < self.entries.count else { break }
            let right = left + 1
            let child = right < self.entries.count && self.entries[right] < self.entries[left] ? right : left
            guard self.entries[child] < self.entries[parent] else { break }
            self.entries.swapAt(child, parent)
            parent = child
        }
        return first
    }

    mutating func reserveCapacity(_ capacity: Int) { self.entries.reserveCapacity(capacity) }
}
