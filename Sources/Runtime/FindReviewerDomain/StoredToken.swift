/// A reply token as a request keeps it. The server's tokens are 48 lowercase hex digits, after
/// a shard's short prefix when it runs sharded (`shard-2.` + digits); a native string of that
/// length is a heap allocation of 96 bytes (112 with the allocator's header) beside its 16 inline
/// bytes, once per request. Here the digits are 24 bytes inline and the prefix, at most 15 bytes,
/// is a small string without storage of its own. Any other token is kept as it was given.
///
/// Lookups turn the token they are given into this form first (no allocation), so the index of
/// tokens hashes and compares the stored form, never a string rebuilt from it.
///
/// 40 bytes: whether the digits are packed needs no flag of its own. They are packed exactly
/// when they are not all zero; a token whose 48 digits are all zero is kept as given, so every
/// token has one stored form and the fields compare as the tokens do.
struct StoredToken: Sendable, Hashable {
    /// The prefix before the digits, or the whole token when ``packed`` is false.
    private var text: String
    /// (0, 0, 0) when the token is kept as given.
    private var digits: (UInt64, UInt64, UInt64)

    private var packed: Bool { self.digits != (0, 0, 0) }

    private static let digitCount = 48

    init(_ token: String) {
        self.text = token
        self.digits = (0, 0, 0)
        let prefixCount = token.utf8.count - Self.digitCount
        guard prefixCount >= 0, prefixCount <= 15 else { return }
        var token = token
        let parsed = token.withUTF8 { bytes -> (prefix: String, digits: (UInt64, UInt64, UInt64))? in
            // One word of 16 hex digits, without a branch per digit; nil if any is not 0-9 or a-f.
            func word(_ start: Int) -> UInt64? {
                var value: UInt64 = 0
                var invalid = false
                for index in start..<(start + 16) {
                    let digit = bytes[index] &- 0x30
                    let letter = bytes[index] &- 0x61
                    invalid = invalid || (digit >= 10 && letter >= 6)
                    value = value << 4 | UInt64((digit < 10 ? digit : letter &+ 10) & 0xF)
                }
                return invalid ? nil : value
            }
            guard let first = word(prefixCount), let second = word(prefixCount + 16), let third = word(prefixCount + 32) else { return nil }
            // The byte after the prefix is an ASCII digit, so the prefix ends where a character does.
            return (String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<prefixCount]), as: UTF8.self), (first, second, third))
        }
        guard let parsed, parsed.digits != (0, 0, 0) else { return }
        self.text = parsed.prefix
        self.digits = parsed.digits
    }

    /// The token as it was given.
    var string: String {
        guard self.packed else { return self.text }
        var prefix = self.text
        return prefix.withUTF8 { prefix in
            String(unsafeUninitializedCapacity: prefix.count + Self.digitCount) { out in
                for index in 0..<prefix.count { out[index] = prefix[index] }
                func write(_ word: UInt64, at start: Int) {
                    for index in 0..<16 {
                        let nibble = UInt8(truncatingIfNeeded: word >> UInt64(60 - 4 * index)) & 0xF
                        out[start + index] = nibble < 10 ? 0x30 + nibble : 0x61 + nibble - 10
                    }
                }
                write(self.digits.0, at: prefix.count)
                write(self.digits.1, at: prefix.count + 16)
                write(self.digits.2, at: prefix.count + 32)
                return prefix.count + Self.digitCount
            }
        }
    }

    /// What the index of tokens files it under.
    var indexHash: UInt64 {
        var text = self.text
        let textHash = text.withUTF8 { SipHash.hash(UnsafeRawBufferPointer($0)) }
        return withUnsafeBytes(of: self.digits) { SipHash.hash($0, key: (SipHash.key.0 ^ textHash, SipHash.key.1)) }
    }

    var isEmpty: Bool { !self.packed && self.text.isEmpty }

    /// Whether both hold the same token, in a time that does not depend on where they differ.
    func equalsInConstantTime(_ other: StoredToken) -> Bool {
        let digits = (self.digits.0 ^ other.digits.0) | (self.digits.1 ^ other.digits.1) | (self.digits.2 ^ other.digits.2)
        // Both parts are compared before the results are joined: no early exit on a difference.
        let text = ConstantTime.equal(self.text, other.text)
        return digits == 0 && text
    }

    static func == (lhs: StoredToken, rhs: StoredToken) -> Bool {
        lhs.digits == rhs.digits && lhs.text == rhs.text
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(self.text)
        hasher.combine(self.digits.0)
        hasher.combine(self.digits.1)
        hasher.combine(self.digits.2)
    }
}
