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
    let layout: MessageLayout
    /// The protobuf-c struct (struct mode); never touched in wire mode.
    let base: UnsafeMutableRawPointer
    /// The bytes being written (wire mode), else nil.
    let wire: WireBuffer?

    init(layout: MessageLayout, base: UnsafeMutableRawPointer) {
        self.layout = layout
        self.base = base
        self.wire = nil
    }

    init(layout: MessageLayout, wire: WireBuffer) {
        self.layout = layout
        self.base = FieldWriter.noStruct
        self.wire = wire
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
        guard field.kind == .message, !field.isRepeated, field.messageDescriptor == M.layout.descriptor else {
            guard self.wire == nil else { throw WireFallback() }
            return try StructEncoder.write(value, field: field, layout: self.layout, base: self.base)
        }
        if let wire = self.wire {
            return try wire.delimited(field.number) { try value.write(to: FieldWriter(layout: M.layout, wire: wire)) }
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
        let field = try self.field(number)
        guard field.kind == .string, !field.isRepeated, !field.isOneofMember else { return try self.generic(value, field) }
        if let wire = self.wire {
            if !value.isEmpty { try wire.string(value, field: field, layout: self.layout) }
            return
        }
        try StructEncoder.storeString(value, field: field, layout: self.layout, at: self.base + field.offset, repeated: false)
    }

    /// Stores a bytes field (in struct mode through the generic path).
    public func callAsFunction(_ number: Int, _ value: Data) throws {
        let field = try self.field(number)
        guard let wire = self.wire, field.kind == .bytes, !field.isRepeated, !field.isOneofMember else { return try self.generic(value, field) }
        if !value.isEmpty { wire.bytes(value, number: field.number) }
    }

    /// Stores a bool field.
    public func callAsFunction(_ number: Int, _ value: Bool) throws {
        let field = try self.field(number)
        guard field.kind == .bool, !field.isRepeated, !field.isOneofMember else { return try self.generic(value, field) }
        if let wire = self.wire {
            if value {
                wire.tag(field.number, 0)
                wire.varint(1)
            }
            return
        }
        self.base.storeBytes(of: value ? 1 : 0, toByteOffset: field.offset, as: protobuf_c_boolean.self)
    }

    /// Stores a double field. Left out in wire mode when all its bits are zero (0.0; -0.0 is
    /// written), as protobuf-c packs a proto3 scalar.
    public func callAsFunction(_ number: Int, _ value: Double) throws {
        let field = try self.field(number)
        guard field.kind == .double, !field.isRepeated, !field.isOneofMember else { return try self.generic(value, field) }
        if let wire = self.wire {
            if value.bitPattern != 0 {
                wire.tag(field.number, 1)
                wire.fixed64(value.bitPattern)
            }
            return
        }
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
        let field = try self.field(number)
        guard field.kind == .enum, !field.isRepeated, !field.isOneofMember else { return try self.generic(value, field) }
        if let wire = self.wire {
            if value.rawValue != 0 {
                wire.tag(field.number, 0)
                wire.varint(UInt64(bitPattern: Int64(value.rawValue)))
            }
            return
        }
        self.base.storeBytes(of: value.rawValue, toByteOffset: field.offset, as: Int32.self)
    }

    /// Stores a repeated enum field.
    public func callAsFunction<E: ProtoEnum>(_ number: Int, _ values: [E]) throws {
        let field = try self.field(number)
        guard field.kind == .enum, field.isRepeated else { return try self.generic(values, field) }
        guard !values.isEmpty else { return }
        if let wire = self.wire {
            if field.isPacked {
                wire.delimited(field.number) {
                    for value in values { wire.varint(UInt64(bitPattern: Int64(value.rawValue))) }
                }
            } else {
                for value in values {
                    wire.tag(field.number, 0)
                    wire.varint(UInt64(bitPattern: Int64(value.rawValue)))
                }
            }
            return
        }
        let array = calloc(values.count, MemoryLayout<Int32>.stride)!
        for (index, value) in values.enumerated() {
            array.storeBytes(of: value.rawValue, toByteOffset: index * MemoryLayout<Int32>.stride, as: Int32.self)
        }
        self.base.storeBytes(of: values.count, toByteOffset: field.quantifierOffset, as: Int.self)
        self.base.storeBytes(of: array, toByteOffset: field.offset, as: UnsafeMutableRawPointer?.self)
    }

    /// Stores a repeated string field (every element an owned copy).
    public func callAsFunction(_ number: Int, _ values: [String]) throws {
        let field = try self.field(number)
        guard field.kind == .string, field.isRepeated else { return try self.generic(values, field) }
        guard !values.isEmpty else { return }
        if let wire = self.wire {
            for value in values { try wire.string(value, field: field, layout: self.layout) }
            return
        }
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
        let field = try self.field(number)
        guard field.kind == .message, field.isRepeated, field.messageDescriptor == M.layout.descriptor else {
            return try self.generic(values, field)
        }
        guard !values.isEmpty else { return }
        if let wire = self.wire {
            for value in values {
                try wire.delimited(field.number) { try value.write(to: FieldWriter(layout: M.layout, wire: wire)) }
            }
            return
        }
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
        let field = try self.field(number)
        guard let wire = self.wire else {
            return try StructEncoder.storeScalar(value, storage: storage, field: field, layout: self.layout, base: self.base)
        }
        // A oneof member is written even at 0: protobuf-c packs it.
        guard !field.isRepeated, !field.isOneofMember, field.storage == storage else { throw WireFallback() }
        guard wide != 0 else { return }
        wire.tag(field.number, 0)
        try wire.integer(wide, field: field)
    }

    /// The generic path for a value whose field does not match its overload.
    private func generic<T>(_ value: T, _ field: FieldLayout) throws {
        guard self.wire == nil else { throw WireFallback() }
        try StructEncoder.write(value, field: field, layout: self.layout, base: self.base)
    }
}
