/// SipHash (Aumasson and Bernstein), the keyed hash the row indexes file ids under.
///
/// Swift's `Hasher` is SipHash-1-3 too, but fed through `combine(bytes:)` it buffers the bytes
/// one at a time and cost about 1,100 instructions per id (a fifth of the domain's share of a
/// create, by callgrind); this one reads eight bytes at a time. The key comes from `Hasher`'s
/// per-process random seed, so ids chosen by callers cannot be picked to collide (and
/// `SWIFT_DETERMINISTIC_HASHING` makes both deterministic alike). Hashes are never persisted.
enum SipHash {
    /// This process's key: two words of `Hasher`'s seeded output.
    static let key: (UInt64, UInt64) = {
        var first = Hasher()
        first.combine(0x5369_7048_6173_6831 as UInt64)
        var second = Hasher()
        second.combine(0x5369_7048_6173_6832 as UInt64)
        return (UInt64(bitPattern: Int64(first.finalize())), UInt64(bitPattern: Int64(second.finalize())))
    }()

    /// SipHash-1-3 of `bytes` under this process's key.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        Self.hash(bytes, key: Self.key)
    }

    /// SipHash-c-d of `bytes` under `key` (1-3 unless told: the rounds Swift's `Hasher` uses).
    static func hash(_ bytes: UnsafeRawBufferPointer, key: (UInt64, UInt64), compressionRounds: Int = 1, finalizationRounds: Int = 3) -> UInt64 {
        var state = State(key: key)
        let count = bytes.count
        var offset = 0
        while offset + 8 <= count {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            state.compress(word, rounds: compressionRounds)
            offset += 8
        }
        // The last 0–7 bytes, little-endian, with the length's low byte on top.
        var last = UInt64(truncatingIfNeeded: count) << 56
        var shift: UInt64 = 0
        while offset < count {
            last |= UInt64(bytes[offset]) << shift
            shift += 8
            offset += 1
        }
        state.compress(last, rounds: compressionRounds)
        return state.finalize(rounds: finalizationRounds)
    }

    private struct State {
        var v0: UInt64
        var v1: UInt64
        var v2: UInt64
        var v3: UInt64

        init(key: (UInt64, UInt64)) {
            self.v0 = key.0 ^ 0x736f_6d65_7073_6575
            self.v1 = key.1 ^ 0x646f_7261_6e64_6f6d
            self.v2 = key.0 ^ 0x6c79_6765_6e65_7261
            self.v3 = key.1 ^ 0x7465_6462_7974_6573
        }

        @inline(__always)
        mutating func compress(_ word: UInt64, rounds: Int) {
            self.v3 ^= word
            for _ in 0..<rounds { self.round() }
            self.v0 ^= word
        }

        @inline(__always)
        mutating func finalize(rounds: Int) -> UInt64 {
            self.v2 ^= 0xff
            for _ in 0..<rounds { self.round() }
            return self.v0 ^ self.v1 ^ self.v2 ^ self.v3
        }

        @inline(__always)
        private mutating func round() {
            self.v0 &+= self.v1
            self.v1 = Self.rotate(self.v1, 13)
            self.v1 ^= self.v0
            self.v0 = Self.rotate(self.v0, 32)
            self.v2 &+= self.v3
            self.v3 = Self.rotate(self.v3, 16)
            self.v3 ^= self.v2
            self.v0 &+= self.v3
            self.v3 = Self.rotate(self.v3, 21)
            self.v3 ^= self.v0
            self.v2 &+= self.v1
            self.v1 = Self.rotate(self.v1, 17)
            self.v1 ^= self.v2
            self.v2 = Self.rotate(self.v2, 32)
        }

        @inline(__always)
        private static func rotate(_ value: UInt64, _ bits: UInt64) -> UInt64 {
            (value << bits) | (value >> (64 - bits))
        }
    }
}
