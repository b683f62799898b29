import Foundation

/// The protobuf wire encoding written directly from a generated message's `write(to:)`,
/// without building a protobuf-c struct first (one `malloc` per string and submessage, a
/// pack, a free): the encoding every response and journal record takes.
///
/// It covers the field types of `Protos/` (strings, bools, int32/int64/uint32/uint64, enums,
/// messages, repeated strings, enums and messages) with proto3's rules, as protobuf-c packs
/// them: fields in number order, singular fields at their default left out, present
/// submessages written even when empty, repeated enums packed when the field is. Anything
/// else raises ``WireFallback`` and the message is encoded through protobuf-c instead.
///
/// A value holding one pointer to its state, so that passing it to every field's writer costs
/// no reference counting (a class did: a retain and a release per field). Whoever makes one
/// calls ``deallocate()`` once done with it and its copies.
struct WireBuffer {
    // A plain malloc'd buffer: appending is a store and an increment, without the uniqueness
    // and exclusivity checks of an Array.
    private struct State {
        var storage: UnsafeMutablePointer<UInt8>
        var count: Int
        var capacity: Int
    }

    private let state: UnsafeMutablePointer<State>

    private var storage: UnsafeMutablePointer<UInt8> {
        get { self.state.pointee.storage }
        nonmutating set { self.state.pointee.storage = newValue }
    }
    private var count: Int {
        get { self.state.pointee.count }
        nonmutating set { self.state.pointee.count = newValue }
    }
    private var capacity: Int {
        get { self.state.pointee.capacity }
        nonmutating set { self.state.pointee.capacity = newValue }
    }

    init(capacity: Int = 512) {
        self.state = .allocate(capacity: 1)
        self.state.initialize(to: State(storage: .allocate(capacity: capacity), count: 0, capacity: capacity))
    }

    /// Frees the bytes; neither this value nor its copies may be used after.
    func deallocate() {
        self.state.pointee.storage.deallocate()
        self.state.deinitialize(count: 1)
        self.state.deallocate()
    }

    /// What was written.
    var bytes: [UInt8] { [UInt8](UnsafeBufferPointer(start: self.storage, count: self.count)) }

    @inline(__always)
    private func reserve(_ extra: Int) {
        guard self.count + extra > self.capacity else { return }
        var capacity = self.capacity * 2
        while capacity < self.count + extra { capacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        grown.update(from: self.storage, count: self.count)
        self.storage.deallocate()
        self.storage = grown
        self.capacity = capacity
    }

    @inline(__always)
    func varint(_ value: UInt64) {
        self.reserve(10)
        var value = value
        var at = self.count
        while value >= 0x80 {
            self.storage[at] = UInt8(truncatingIfNeeded: value) | 0x80
            value >>= 7
            at += 1
        }
        self.storage[at] = UInt8(truncatingIfNeeded: value)
        self.count = at + 1
    }

    @inline(__always)
    func tag(_ number: UInt32, _ wireType: UInt64) {
        self.varint(UInt64(number) << 3 | wireType)
    }

    private func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        self.reserve(bytes.count)
        (self.storage + self.count).update(from: base, count: bytes.count)
        self.count += bytes.count
    }

    /// Eight bytes, little-endian (wire type 1: double, fixed64).
    func fixed64(_ value: UInt64) {
        self.reserve(8)
        var value = value
        for index in 0..<8 {
            self.storage[self.count + index] = UInt8(truncatingIfNeeded: value)
            value >>= 8
        }
        self.count += 8
    }

    /// A length-delimited field whose body `write` appends; the length is put in front after.
    func delimited(_ number: UInt32, _ write: () throws -> Void) rethrows {
        self.tag(number, 2)
        let start = self.count
        try write()
        let length = self.count - start
        var prefixLength = 1
        while UInt64(length) >> (7 * prefixLength) != 0 { prefixLength += 1 }
        self.reserve(prefixLength)
        (self.storage + start + prefixLength).update(from: self.storage + start, count: length)  // memmove
        var value = UInt64(length)
        for index in 0..<prefixLength {
            self.storage[start + index] = UInt8(truncatingIfNeeded: value) | (index < prefixLength - 1 ? 0x80 : 0)
            value >>= 7
        }
        self.count += prefixLength
    }

    /// A string field (also an element of a repeated one) numbered `number`; false, and nothing
    /// written, when it holds a NUL (which protobuf-c refuses: the caller reports it). Reads the
    /// string's bytes in place (a native string's are contiguous), without the copy that
    /// `withUTF8` needs.
    @inline(__always)
    func string(_ value: String, number: Int) -> Bool {
        if let written = value.utf8.withContiguousStorageIfAvailable({ self.string($0, number: number) }) { return written }
        var copy = value
        return copy.withUTF8 { self.string($0, number: number) }
    }

    private func string(_ utf8: UnsafeBufferPointer<UInt8>, number: Int) -> Bool {
        if utf8.count > 0, memchr(utf8.baseAddress!, 0, utf8.count) != nil { return false }
        self.tag(UInt32(number), 2)
        self.varint(UInt64(utf8.count))
        self.append(utf8)
        return true
    }

    /// A bytes field: its length and the bytes as they are.
    func bytes(_ value: Data, number: UInt32) {
        self.tag(number, 2)
        self.varint(UInt64(value.count))
        value.withUnsafeBytes { self.append($0.bindMemory(to: UInt8.self)) }
    }
}

/// A field the direct encoder does not write: encode the message through protobuf-c.
struct WireFallback: Error {}
