import CProtobufC
import Foundation
extension ProtoMessage {
    /// The `Codable` path, for conformers without a generated `write(to:)`.
    public func write(to writer: FieldWriter) throws {
        try self.encode(to: StructEncoder(layout: Self.layout, base: writer.base))
    }
}

/// Stores the fields of one message into a freshly allocated protobuf-c struct by field
/// number, for the generated `write(to:)` of every message: the same conversions as the
/// `Codable` path (``StructEncoder``) without its containers.
public struct FieldWriter {
    let layout: MessageLayout
    let base: UnsafeMutableRawPointer

    init(layout: MessageLayout, base: UnsafeMutableRawPointer) {
        self.layout = layout
        self.base = base
    }

    private func field(_ number: Int) throws -> FieldLayout {
        guard let field = self.layout.field(number: number) else {
            throw MessageError(.schemaMismatch, "\(self.layout.name) has no field number \(number)")
        }
        return field
    }

    /// Stores `value` in field `number` (scalars, strings, bytes, enums, repeated fields).
    public func callAsFunction<T>(_ number: Int, _ value: T) throws {
        let field = try self.field(number)
        if let string = value as? String, field.kind == .string, !field.isRepeated {
            return try StructEncoder.storeString(string, field: field, layout: self.layout, at: self.base + field.offset, repeated: false)
        }
        try StructEncoder.write(value, field: field, layout: self.layout, base: self.base)
    }

    /// Stores the singular message field `number` when `value` is present.
    public func message<M: ProtoMessage>(_ number: Int, _ value: M?) throws {
        guard let value else { return }
        let field = try self.field(number)
        guard field.kind == .message, !field.isRepeated, field.messageDescriptor == M.layout.descriptor else {
            return try StructEncoder.write(value, field: field, layout: self.layout, base: self.base)
        }
        let pointer = CMessage.allocate(M.layout)
        self.base.storeBytes(of: pointer, toByteOffset: field.offset, as: UnsafeMutableRawPointer?.self)
        try value.write(to: FieldWriter(layout: M.layout, base: pointer))
    }

    // The overloads below are what the generated `write(to:)` calls for fields of these types
    // (the compiler picks the most specific one): the same stores as the generic path above,
    // without casting every value through `Any`. A field whose kind does not match falls back
    // to the generic path, which reports the mismatch.

    /// Stores a string field.
    public func callAsFunction(_ number: Int, _ value: String) throws {
        let field = try self.field(number)
        guard field.kind == .string, !field.isRepeated else {
            return try StructEncoder.write(value, field: field, layout: self.layout, base: self.base)
        }
        try StructEncoder.storeString(value, field: field, layout: self.layout, at: self.base + field.offset, repeated: false)
    }

    /// Stores a bool field.
    public func callAsFunction(_ number: Int, _ value: Bool) throws {
        let field = try self.field(number)
        guard field.kind == .bool, !field.isRepeated else {
            return try StructEncoder.write(value, field: field, layout: self.layout, base: self.base)
        }
        self.base.storeBytes(of: value ? 1 : 0, toByteOffset: field.offset, as: protobuf_c_boolean.self)
    }

    /// Stores an int32, sint32 or sfixed32 field.
    public func callAsFunction(_ number: Int, _ value: Int32) throws {
        try StructEncoder.storeScalar(value, storage: .int32, field: self.field(number), layout: self.layout, base: self.base)
    }

    /// Stores a uint32 or fixed32 field.
    public func callAsFunction(_ number: Int, _ value: UInt32) throws {
        try StructEncoder.storeScalar(value, storage: .uint32, field: self.field(number), layout: self.layout, base: self.base)
    }

    /// Stores an int64, sint64 or sfixed64 field.
    public func callAsFunction(_ number: Int, _ value: Int64) throws {
        try StructEncoder.storeScalar(value, storage: .int64, field: self.field(number), layout: self.layout, base: self.base)
    }

    /// Stores a uint64 or fixed64 field.
    public func callAsFunction(_ number: Int, _ value: UInt64) throws {
        try StructEncoder.storeScalar(value, storage: .uint64, field: self.field(number), layout: self.layout, base: self.base)
    }

    /// Stores an enum field.
    public func callAsFunction<E: ProtoEnum>(_ number: Int, _ value: E) throws {
        let field = try self.field(number)
        guard field.kind == .enum, !field.isRepeated else {
            return try StructEncoder.write(value, field: field, layout: self.layout, base: self.base)
        }
        self.base.storeBytes(of: value.rawValue, toByteOffset: field.offset, as: Int32.self)
    }

    /// Stores a repeated enum field.
    public func callAsFunction<E: ProtoEnum>(_ number: Int, _ values: [E]) throws {
        let field = try self.field(number)
        guard field.kind == .enum, field.isRepeated else {
            return try StructEncoder.write(values, field: field, layout: self.layout, base: self.base)
        }
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
        let field = try self.field(number)
        guard field.kind == .string, field.isRepeated else {
            return try StructEncoder.write(values, field: field, layout: self.layout, base: self.base)
        }
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
        let field = try self.field(number)
        guard field.kind == .message, field.isRepeated, field.messageDescriptor == M.layout.descriptor else {
            return try StructEncoder.write(values, field: field, layout: self.layout, base: self.base)
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
}
