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
final class WireBuffer {
    var bytes: [UInt8] = []

    init() {
        self.bytes.reserveCapacity(512)
    }

    @inline(__always)
    func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            self.bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        self.bytes.append(UInt8(truncatingIfNeeded: value))
    }

    @inline(__always)
    func tag(_ number: UInt32, _ wireType: UInt64) {
        self.varint(UInt64(number) << 3 | wireType)
    }

    /// A length-delimited field whose body `write` appends; the length is put in front after.
    func delimited(_ number: UInt32, _ write: () throws -> Void) rethrows {
        self.tag(number, 2)
        let start = self.bytes.count
        try write()
        let length = self.bytes.count - start
        if length < 0x80 {
            self.bytes.insert(UInt8(length), at: start)
        } else {
            var prefix: [UInt8] = []
            var value = UInt64(length)
            while value >= 0x80 {
                prefix.append(UInt8(truncatingIfNeeded: value) | 0x80)
                value >>= 7
            }
            prefix.append(UInt8(truncatingIfNeeded: value))
            self.bytes.insert(contentsOf: prefix, at: start)
        }
    }

    /// A string field (also an element of a repeated one); NUL is refused as protobuf-c must.
    func string(_ value: String, field: FieldLayout, layout: MessageLayout) throws {
        var value = value
        try value.withUTF8 { utf8 in
            if utf8.count > 0, memchr(utf8.baseAddress!, 0, utf8.count) != nil {
                throw MessageError(.invalidValue, "\(layout.name).\(field.name) contains a NUL character", field: field.jsonName)
            }
            self.tag(field.number, 2)
            self.varint(UInt64(utf8.count))
            self.bytes.append(contentsOf: utf8)
        }
    }

    /// An integer of a varint kind, as the field's kind encodes it.
    @inline(__always)
    func integer(_ value: Int64, field: FieldLayout) throws {
        switch field.kind {
        case .int32, .int64, .enum: self.varint(UInt64(bitPattern: value))
        case .uint32, .uint64: self.varint(UInt64(bitPattern: value))
        default: throw WireFallback()
        }
    }
}

/// A field the direct encoder does not write: encode the message through protobuf-c.
struct WireFallback: Error {}
