import CProtobufC
import Foundation

extension ProtoMessage {
    /// The `Codable` path, for conformers without a generated `write(to:)`.
    public func write(to writer: FieldWriter) throws {
        guard writer.wire == nil else { throw WireFallback() }
        try self.encode(to: StructEncoder(layout: Self.layout, base: writer.base))
    }
}

/// Writes the fields of one message by field number, for the generated `write(to:)` of every
/// message: either into a freshly allocated protobuf-c struct (the same conversions as the
/// `Codable` path, ``StructEncoder``, without its containers), or straight into wire bytes
/// (``WireBuffer``, what `serializedBytes()` uses).
public struct FieldWriter {
    // unowned(unsafe): a writer is made for one `write(to:)` call, and a layout lives as long
    // as the process; counting it cost a retain and a release per field written.
    unowned(unsafe) let layout: MessageLayout
    /// The protobuf-c struct (struct mode); never touched in wire mode.
    let base: UnsafeMutableRawPointer
    /// The bytes being written (wire mode), else nil.
    let wire: WireBuffer?
    /// The layout's wire specs (wire mode), copied out of the layout.
    let specs: WireSpecTable

    init(layout: MessageLayout, base: UnsafeMutableRawPointer) {
        self.layout = layout
        self.base = base
        self.wire = nil
        self.specs = layout.wireSpecs
    }

    init(layout: MessageLayout, wire: WireBuffer) {
        self.layout = layout
        self.base = FieldWriter.noStruct
        self.wire = wire
        self.specs = layout.wireSpecs
    }

    /// Stands in for the struct in wire mode; every path checks `wire` first.
    private nonisolated(unsafe) static let noStruct = UnsafeMutableRawPointer(bitPattern: 0x10)!

    private func field(_ number: Int) throws -> FieldLayout {
        guard let field = self.layout.field(number: number) else {
            throw MessageError(.schemaMismatch, "\(self.layout.name) has no field number \(number)")
        }
        return field
    }

    /// Stores `value` in field `number` (scalars, strings, bytes, enums, repeated fields).
    public func callAsFunction<T>(_ number: Int, _ value: T) throws {
        guard self.wire == nil else { throw WireFallback() }
        let field = try self.field(number)
        if let string = value as? String, field.kind == .string, !field.isRepeated, !field.isOneofMember {
            return try StructEncoder.storeString(string, field: field, layout: self.layout, at: self.base + field.offset, repeated: false)
        }
        try StructEncoder.write(value, field: field, layout: self.layout, base: self.base)
    }

    /// Stores the singular message field `number` when `value` is present.
    public func message<M: ProtoMessage>(_ number: Int, _ value: M?) throws {
        guard value != nil else { return }
        if let wire = self.wire {
            let spec = self.specs[number]
            guard spec.shape == .message, spec.messageDescriptor == M.layout.descriptor else { throw WireFallback() }
            // Optional chaining writes the value where it is; `guard let` copied it first.
            return try wire.delimited(UInt32(number)) { try value?.write(to: FieldWriter(layout: M.layout, wire: wire)) }
        }
        guard let value else { return }
        let field = try self.field(number)
        try self.message(field, value)
    }

    /// Stores the oneof member `number` (a message): the case of its oneof that is set. A
    /// member is written even when it is the default message, as its presence is the case.
    public func member<M: ProtoMessage>(_ number: Int, _ value: M) throws {
        let field = try self.field(number)
        guard field.isOneofMember else {
            throw MessageError(.schemaMismatch, "\(self.layout.name).\(field.name) is not in a oneof", field: field.jsonName)
        }
        try self.message(field, value)
    }

    /// A singular message field or oneof member.
    private func message<M: ProtoMessage>(_ field: FieldLayout, _ value: M) throws {
        if let wire = self.wire {
            let spec = self.specs[Int(field.number)]
            guard spec.shape == .message, spec.messageDescriptor == M.layout.descriptor else { throw WireFallback() }
            return try wire.delimited(field.number) { try value.write(to: FieldWriter(layout: M.layout, wire: wire)) }
        }
        guard field.kind == .message, !field.isRepeated, field.messageDescriptor == M.layout.descriptor else {
            guard self.wire == nil else { throw WireFallback() }
            return try StructEncoder.write(value, field: field, layout: self.layout, base: self.base)
        }
        let pointer = CMessage.allocate(M.layout)
        self.base.storeBytes(of: pointer, toByteOffset: field.offset, as: UnsafeMutableRawPointer?.self)
        field.markPresent(in: self.base)
        try value.write(to: FieldWriter(layout: M.layout, base: pointer))
    }

    // The overloads below are what the generated `write(to:)` calls for fields of these types
    // (the compiler picks the most specific one): the same stores as the generic path above,
    // without casting every value through `Any`. A field whose kind does not match falls back
    // to the generic path, which reports the mismatch (in wire mode: to protobuf-c).

    /// Stores a string field.
    public func callAsFunction(_ number: Int, _ value: String) throws {
        if let wire = self.wire {
            guard self.specs[number].shape == .string else { throw WireFallback() }
            if !value.isEmpty, !wire.string(value, number: number) { throw self.nul(number) }
            return
        }
        let field = try self.field(number)
        guard field.kind == .string, !field.isRepeated, !field.isOneofMember else { return try self.generic(value, field) }
        try StructEncoder.storeString(value, field: field, layout: self.layout, at: self.base + field.offset, repeated: false)
    }

    /// Stores a bytes field (in struct mode through the generic path).
    public func callAsFunction(_ number: Int, _ value: Data) throws {
        if let wire = self.wire {
            guard self.specs[number].shape == .bytes else { throw WireFallback() }
            if !value.isEmpty { wire.bytes(value, number: UInt32(number)) }
            return
        }
        let field = try self.field(number)
        try self.generic(value, field)
    }

    /// Stores a bool field.
    public func callAsFunction(_ number: Int, _ value: Bool) throws {
        if let wire = self.wire {
            guard self.specs[number].shape == .bool else { throw WireFallback() }
            if value {
                wire.tag(UInt32(number), 0)
                wire.varint(1)
            }
            return
        }
        let field = try self.field(number)
        guard field.kind == .bool, !field.isRepeated, !field.isOneofMember else { return try self.generic(value, field) }
        self.base.storeBytes(of: value ? 1 : 0, toByteOffset: field.offset, as: protobuf_c_boolean.self)
    }

    /// Stores a double field. Left out in wire mode when all its bits are zero (0.0; -0.0 is
    /// written), as protobuf-c packs a proto3 scalar.
    public func callAsFunction(_ number: Int, _ value: Double) throws {
        if let wire = self.wire {
            guard self.specs[number].shape == .double else { throw WireFallback() }
            if value.bitPattern != 0 {
                wire.tag(UInt32(number), 1)
                wire.fixed64(value.bitPattern)
            }
            return
        }
        let field = try self.field(number)
        guard field.kind == .double, !field.isRepeated, !field.isOneofMember else { return try self.generic(value, field) }
        self.base.storeBytes(of: value, toByteOffset: field.offset, as: Double.self)
    }

    /// Stores an int32, sint32 or sfixed32 field.
    public func callAsFunction(_ number: Int, _ value: Int32) throws {
        try self.integer(Int64(value), value, storage: .int32, number)
    }

    /// Stores a uint32 or fixed32 field.
    public func callAsFunction(_ number: Int, _ value: UInt32) throws {
        try self.integer(Int64(value), value, storage: .uint32, number)
    }

    /// Stores an int64, sint64 or sfixed64 field.
    public func callAsFunction(_ number: Int, _ value: Int64) throws {
        try self.integer(value, value, storage: .int64, number)
    }

    /// Stores a uint64 or fixed64 field.
    public func callAsFunction(_ number: Int, _ value: UInt64) throws {
        try self.integer(Int64(bitPattern: value), value, storage: .uint64, number)
    }

    /// Stores an enum field.
    public func callAsFunction<E: ProtoEnum>(_ number: Int, _ value: E) throws {
        if let wire = self.wire {
            guard self.specs[number].shape == .enumValue else { throw WireFallback() }
            if value.rawValue != 0 {
                wire.tag(UInt32(number), 0)
                wire.varint(UInt64(bitPattern: Int64(value.rawValue)))
            }
            return
        }
        let field = try self.field(number)
        guard field.kind == .enum, !field.isRepeated, !field.isOneofMember else { return try self.generic(value, field) }
        self.base.storeBytes(of: value.rawValue, toByteOffset: field.offset, as: Int32.self)
    }

    /// Stores a repeated enum field.
    public func callAsFunction<E: ProtoEnum>(_ number: Int, _ values: [E]) throws {
        if let wire = self.wire {
            let shape = self.specs[number].shape
            guard shape == .packedEnum || shape == .unpackedEnum else { throw WireFallback() }
            guard !values.isEmpty else { return }
            if shape == .packedEnum {
                wire.delimited(UInt32(number)) {
                    for value in values { wire.varint(UInt64(bitPattern: Int64(value.rawValue))) }
                }
            } else {
                for value in values {
                    wire.tag(UInt32(number), 0)
                    wire.varint(UInt64(bitPattern: Int64(value.rawValue)))
                }
            }
            return
        }
        let field = try self.field(number)
        guard field.kind == .enum, field.isRepeated else { return try self.generic(values, field) }
        guard !values.isEmpty else { return }
        let array = calloc(values.count, MemoryLayout<Int32>.stride)!
        for (index, value) in values.enumerated() {
            array.storeBytes(of: value.rawValue, toByteOffset: index * MemoryLayout<Int32>.stride, as: Int32.self)
        }
        self.base.storeBytes(of: values.count, toByteOffset: field.quantifierOffset, as: Int.self)
        self.base.storeBytes(of: array, toByteOffset: field.offset, as: UnsafeMutableRawPointer?.self)
    }

    /// Stores a repeated string field (every element an owned copy).
    public func callAsFunction(_ number: Int, _ values: [String]) throws {
        if let wire = self.wire {
            guard self.specs[number].shape == .repeatedString else { throw WireFallback() }
            for value in values where !wire.string(value, number: number) { throw self.nul(number) }
            return
        }
        let field = try self.field(number)
        guard field.kind == .string, field.isRepeated else { return try self.generic(values, field) }
        guard !values.isEmpty else { return }
        let size = MemoryLayout<UnsafeMutablePointer<CChar>?>.stride
        let array = calloc(values.count, size)!
        self.base.storeBytes(of: values.count, toByteOffset: field.quantifierOffset, as: Int.self)
        self.base.storeBytes(of: array, toByteOffset: field.offset, as: UnsafeMutableRawPointer?.self)
        for (index, value) in values.enumerated() {
            try StructEncoder.storeString(value, field: field, layout: self.layout, at: array + index * size, repeated: true)
        }
    }

    /// Stores a repeated message field.
    public func callAsFunction<M: ProtoMessage>(_ number: Int, _ values: [M]) throws {
        if let wire = self.wire {
            let spec = self.specs[number]
            guard spec.shape == .repeatedMessage, spec.messageDescriptor == M.layout.descriptor else { throw WireFallback() }
            guard !values.isEmpty else { return }
            let layout = M.layout
            // Through the buffer: each element is borrowed where it is, where `for value in values`
            // copies it (a retain and a release of each of its strings and arrays).
            try values.withUnsafeBufferPointer { elements in
                for index in elements.indices {
                    try wire.delimited(UInt32(number)) { try elements[index].write(to: FieldWriter(layout: layout, wire: wire)) }
                }
            }
            return
        }
        let field = try self.field(number)
        guard field.kind == .message, field.isRepeated, field.messageDescriptor == M.layout.descriptor else {
            return try self.generic(values, field)
        }
        guard !values.isEmpty else { return }
        let array = calloc(values.count, MemoryLayout<UnsafeMutableRawPointer?>.stride)!
        // Count and pointer are set together so a failure below leaves a struct that frees cleanly.
        self.base.storeBytes(of: values.count, toByteOffset: field.quantifierOffset, as: Int.self)
        self.base.storeBytes(of: array, toByteOffset: field.offset, as: UnsafeMutableRawPointer?.self)
        for (index, value) in values.enumerated() {
            let pointer = CMessage.allocate(M.layout)
            array.storeBytes(of: pointer, toByteOffset: index * MemoryLayout<UnsafeMutableRawPointer?>.stride, as: UnsafeMutableRawPointer?.self)
            try value.write(to: FieldWriter(layout: M.layout, base: pointer))
        }
    }

    // MARK: helpers

    /// A singular integer field: varint kinds in wire mode (0 left out), else the struct slot.
    @inline(__always)
    private func integer<S>(_ wide: Int64, _ value: S, storage: FieldLayout.Storage, _ number: Int) throws {
        if let wire = self.wire {
            // A oneof member is written even at 0 (protobuf-c packs it): its shape is `.fallback`.
            let spec = self.specs[number]
            guard spec.shape == .varint, spec.storage == storage else { throw WireFallback() }
            if wide != 0 {
                wire.tag(UInt32(number), 0)
                wire.varint(UInt64(bitPattern: wide))
            }
            return
        }
        let field = try self.field(number)
        try StructEncoder.storeScalar(value, storage: storage, field: field, layout: self.layout, base: self.base)
    }

    /// The error for a string field `number` holding a NUL, as protobuf-c must refuse it.
    private func nul(_ number: Int) -> MessageError {
        let field = self.layout.field(number: number)
        return MessageError(.invalidValue, "\(self.layout.name).\(field?.name ?? "\(number)") contains a NUL character", field: field?.jsonName)
    }

    /// The generic path for a value whose field does not match its overload.
    private func generic<T>(_ value: T, _ field: FieldLayout) throws {
        guard self.wire == nil else { throw WireFallback() }
        try StructEncoder.write(value, field: field, layout: self.layout, base: self.base)
    }
}
