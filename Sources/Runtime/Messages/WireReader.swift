/// Reads protobuf wire format straight from bytes, field by field, in pure Swift: for bulk
/// decoding (a snapshot of a million items) where unpacking into protobuf-c structs first and
/// copying out of them costs more than the reading. It checks what protobuf-c checks: varints
/// of at most 10 bytes, lengths inside the buffer, known wire types, and strings that are valid
/// UTF-8 without NUL (as the protobuf-c path requires). Callers map field numbers themselves
/// and skip the ones they do not know, as protobuf does.
public struct WireReader {
    /// Protobuf wire types.
    public enum WireType: Int, Sendable {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5
    }

    @usableFromInline let bytes: UnsafeRawBufferPointer
    @usableFromInline var offset: Int

    /// A reader over `bytes`, which must outlive it.
    @inlinable public init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        self.offset = 0
    }

    /// Whether every byte has been read.
    @inlinable public var isAtEnd: Bool { self.offset >= self.bytes.count }

    /// The next field's number and wire type, or nil at the end.
    @inlinable public mutating func nextField() throws(MessageError) -> (number: Int, type: WireType)? {
        guard !self.isAtEnd else { return nil }
        let key = try self.varint()
        guard let type = WireType(rawValue: Int(key & 7)), key >> 3 > 0, key >> 3 <= 536_870_911 else {
            throw MessageError(.malformed, "field key \(key) at byte \(self.offset) has an invalid number or wire type")
        }
        return (Int(key >> 3), type)
    }

    /// A base-128 varint.
    @inlinable public mutating func varint() throws(MessageError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while self.offset < self.bytes.count {
            let byte = self.bytes[self.offset]
            self.offset += 1
            if shift == 63 && byte > 1 { break }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
        throw MessageError(.malformed, "a varint is truncated or longer than 10 bytes (byte \(self.offset))")
    }

    /// An `int64` field.
    @inlinable public mutating func int64(_ type: WireType) throws(MessageError) -> Int64 { Int64(bitPattern: try self.uint64(type)) }

    /// A `uint64` field.
    @inlinable public mutating func uint64(_ type: WireType) throws(MessageError) -> UInt64 {
        try self.expect(type, .varint)
        return try self.varint()
    }

    /// An `int32` or enum field (negative values are sign-extended varints).
    @inlinable public mutating func int32(_ type: WireType) throws(MessageError) -> Int32 { Int32(truncatingIfNeeded: try self.uint64(type)) }

    /// A `uint32` field (protobuf-c keeps the low 32 bits of a longer varint, as here).
    @inlinable public mutating func uint32(_ type: WireType) throws(MessageError) -> UInt32 { UInt32(truncatingIfNeeded: try self.uint64(type)) }

    /// A `bool` field: any varint but 0 is true, as protobuf-c reads it.
    @inlinable public mutating func bool(_ type: WireType) throws(MessageError) -> Bool { try self.uint64(type) != 0 }

    /// An enum field; a number `E` does not declare is an error (`field` names it), as on the
    /// protobuf-c path.
    @inlinable public mutating func enumValue<E: ProtoEnum>(_ type: WireType, field: StaticString) throws(MessageError) -> E {
        try Self.member(try self.int32(type), field: field)
    }

    /// A repeated enum field, packed or not: appends to `values`; unknown numbers are errors.
    @inlinable public mutating func enums<E: ProtoEnum>(_ type: WireType, into values: inout [E], field: StaticString) throws(MessageError) {
        if type == .lengthDelimited {
            var packed = WireReader(try self.lengthDelimited())
            while !packed.isAtEnd { values.append(try Self.member(Int32(truncatingIfNeeded: try packed.varint()), field: field)) }
        } else {
            values.append(try self.enumValue(type, field: field))
        }
    }

    @inlinable static func member<E: ProtoEnum>(_ number: Int32, field: StaticString) throws(MessageError) -> E {
        guard let value = E(rawValue: number) else {
            throw MessageError(.invalidValue, "\(field): \(number) is not a value of \(E.protoName)", field: "\(field)")
        }
        return value
    }

    /// A length-delimited field's bytes (valid until the buffer goes).
    @inlinable public mutating func lengthDelimited() throws(MessageError) -> UnsafeRawBufferPointer {
        let length = try self.varint()
        guard length <= UInt64(self.bytes.count - self.offset) else {
            throw MessageError(.malformed, "a length of \(length) at byte \(self.offset) runs past the end (\(self.bytes.count) bytes)")
        }
        let start = self.offset
        self.offset += Int(length)
        return UnsafeRawBufferPointer(rebasing: self.bytes[start..<self.offset])
    }

    /// An embedded message field's bytes.
    @inlinable public mutating func message(_ type: WireType) throws(MessageError) -> UnsafeRawBufferPointer {
        try self.expect(type, .lengthDelimited)
        return try self.lengthDelimited()
    }

    /// A `string` field.
    @inlinable public mutating func string(_ type: WireType) throws(MessageError) -> String {
        let raw = try self.message(type)
        if raw.isEmpty { return "" }
        // Most strings (ids, tokens) are ASCII: checked a word at a time, then taken as they are.
        var ascii = true
        var nul = false
        var index = 0
        while index + 8 <= raw.count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            ascii = ascii && word & 0x8080_8080_8080_8080 == 0
            nul = nul || (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080 != 0
            index += 8
        }
        while index < raw.count {
            ascii = ascii && raw[index] < 0x80
            nul = nul || raw[index] == 0
            index += 1
        }
        if ascii && !nul { return String(decoding: raw, as: UTF8.self) }
        guard !nul, let string = String(validating: raw, as: UTF8.self) else {
            throw MessageError(.malformed, "a string before byte \(self.offset) is not UTF-8 without NUL")
        }
        return string
    }

    /// A repeated enum field, packed or not: appends to `values`.
    @inlinable public mutating func enums(_ type: WireType, into values: inout [Int32]) throws(MessageError) {
        if type == .lengthDelimited {
            var packed = WireReader(try self.lengthDelimited())
            while !packed.isAtEnd { values.append(Int32(truncatingIfNeeded: try packed.varint())) }
        } else {
            values.append(try self.int32(type))
        }
    }

    /// Checks that a known field came with the wire type its declaration gives.
    @inlinable public func expect(_ type: WireType, _ declared: WireType) throws(MessageError) {
        guard type == declared else {
            throw MessageError(.malformed, "wire type \(type.rawValue) where \(declared.rawValue) was declared (byte \(self.offset))")
        }
    }

    /// Skips a field this reader does not know.
    @inlinable public mutating func skip(_ type: WireType) throws(MessageError) {
        switch type {
        case .varint: _ = try self.varint()
        case .lengthDelimited: _ = try self.lengthDelimited()
        case .fixed64, .fixed32:
            let width = type == .fixed64 ? 8 : 4
            guard self.bytes.count - self.offset >= width else {
                throw MessageError(.malformed, "a fixed-width field at byte \(self.offset) is truncated")
            }
            self.offset += width
        }
    }
}
