/// Ids in insertion order with O(1) append, membership and removal (amortised): the
/// undelivered outbox entries, where a delivery removes one from the front of a long list.
///
/// Removed ids leave a hole that iteration skips; the holes are compacted away once they
/// outnumber the live ids.
public struct OrderedIDs: Sendable, Sequence, Equatable {
    private var slots: [String?] = []
    private var positions: [String: Int] = [:]
    /// Slots before this index are all holes.
    private var head = 0

    /// An empty list.
    public init() {}

    /// Live ids.
    public var count: Int { self.positions.count }
    /// Whether no id is live.
    public var isEmpty: Bool { self.positions.isEmpty }
    /// The oldest live id.
    public var first: String? { self.first(where: { _ in true }) }

    /// Adds `id` at the end (nothing when it is already there).
    public mutating func append(_ id: String) {
        guard self.positions[id] == nil else { return }
        self.positions[id] = self.slots.count
        self.slots.append(id)
    }

    /// Removes `id` if present.
    public mutating func remove(_ id: String) {
        guard let position = self.positions.removeValue(forKey: id) else { return }
        self.slots[position] = nil
        while self.head < self.slots.count, self.slots[self.head] == nil { self.head += 1 }
        if self.slots.count > 64, self.slots.count - self.positions.count > self.positions.count { self.compact() }
    }

    private mutating func compact() {
        let live = self.slots[self.head...].compactMap { $0 }
        self.slots = live
        self.head = 0
        self.positions = Dictionary(uniqueKeysWithValues: live.enumerated().map { ($1, $0) })
    }

    /// Iterates the live ids, oldest first.
    public func makeIterator() -> some IteratorProtocol<String> {
        self.slots[self.head...].lazy.compactMap { $0 }.makeIterator()
    }

    public static func == (lhs: OrderedIDs, rhs: OrderedIDs) -> Bool {
        lhs.count == rhs.count && lhs.elementsEqual(rhs)
    }
}
