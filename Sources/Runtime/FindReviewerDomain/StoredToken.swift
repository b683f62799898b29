/// A reply token as a request keeps it. The server's tokens are 48 lowercase hex digits, after
/// a shard's short prefix when it runs sharded (`shard-2.` + digits); a native string of that
/// length is a heap allocation of 96 bytes (112 with the allocator's header) beside its 16 inline
/// bytes, once per request. Here the digits are 24 bytes inline and the prefix, at most 15 bytes,
/// is a small string without storage of its own. Any other token is kept as it was given.
///
/// Lookups turn the token they are given into this form first (no allocation), so the index of
/// tokens hashes and compares the stored form, never a string rebuilt from it.
struct StoredToken: Sendable, Hashable {
    /// The prefix before the digits, or the whole token when ``packed`` is false.
    private var text: String
    private var digits: (UInt64, UInt64, UInt64)
    private var packed: Bool

    private static let digitCount = 48

    init(_ token: String) {
        self.text = token
        self.digits = (0, 0, 0)
        self.packed = false
        let count = token.utf8.count
        let prefixCount = count - Self.digitCount
        guard prefixCount >= 0, prefixCount <= 15 else { return }
        var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var index = 0
        for byte in token.utf8 {
            defer { index += 1 }
            guard index >= prefixCount else { continue }
            let value: UInt64
            switch byte {
            case 0x30...0x39: value = UInt64(byte - 0x30)
            case 0x61...0x66: value = UInt64(byte - 0x61 + 10)
            default: return
            }
            switch (index - prefixCount) / 16 {
            case 0: words.0 = words.0 << 4 | value
            case 1: words.1 = words.1 << 4 | value
            default: words.2 = words.2 << 4 | value
            }
        }
        self.text = String(token.utf8.prefix(prefixCount))!
        self.digits = words
        self.packed = true
    }

    /// The token as it was given.
    var string: String {
        guard self.packed else { return self.text }
        let prefix = self.text.utf8
        return String(unsafeUninitializedCapacity: prefix.count + Self.digitCount) { out in
            var index = 0
            for byte in prefix {
                out[index] = byte
                index += 1
            }
            for word in [self.digits.0, self.digits.1, self.digits.2] {
                for shift in stride(from: 60, through: 0, by: -4) {
                    let nibble = UInt8(truncatingIfNeeded: word >> UInt64(shift)) & 0xF
                    out[index] = nibble < 10 ? 0x30 + nibble : 0x61 + nibble - 10
                    index += 1
                }
            }
            return index
        }
    }

    /// What the index of tokens files it under.
    var indexHash: UInt64 { UInt64(bitPattern: Int64(self.hashValue)) }

    var isEmpty: Bool { !self.packed && self.text.isEmpty }

    /// Whether both hold the same token, in a time that does not depend on where they differ.
    func equalsInConstantTime(_ other: StoredToken) -> Bool {
        let digits = (self.digits.0 ^ other.digits.0) | (self.digits.1 ^ other.digits.1) | (self.digits.2 ^ other.digits.2)
        // Both parts are always compared: no early exit on the first difference.
        let text = ConstantTime.equal(self.text, other.text)
        let packed = self.packed == other.packed
        return [digits == 0, text, packed].allSatisfy { $0 }
    }

    static func == (lhs: StoredToken, rhs: StoredToken) -> Bool {
        lhs.packed == rhs.packed && lhs.digits == rhs.digits && lhs.text == rhs.text
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(self.text)
        hasher.combine(self.digits.0)
        hasher.combine(self.digits.1)
        hasher.combine(self.digits.2)
        hasher.combine(self.packed)
    }
}
