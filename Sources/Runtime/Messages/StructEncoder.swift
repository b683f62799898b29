import CProtobufC
import Foundation

/// An `Encoder` that writes a generated message struct into a protobuf-c struct, field by
/// field, following the protobuf-c descriptor.
struct StructEncoder: Encoder {
    let layout: MessageLayout
    let base: UnsafeMutableRawPointer
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(layout: MessageLayout, base: UnsafeMutableRawPointer) {
        self.layout = layout
        self.base = base
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyedContainer(layout: self.layout, base: self.base))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        UnsupportedContainer(layout: self.layout)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        UnsupportedContainer(layout: self.layout)
    }

    /// Writes one Swift value into one field.
    static func write(_ value: Any, field: FieldLayout, layout: MessageLayout, base: UnsafeMutableRawPointer) throws {
        if field.isRepeated {
            guard let elements = value as? [Any] else {
                throw MessageError(.schemaMismatch, "\(layout.name).\(field.name) is repeated but the Swift value is \(type(of: value))", field: field.jsonName)
            }
            let size = field.storageSize
            let array = elements.isEmpty ? nil : calloc(elements.count, size)!
            // Count and pointer are set together so a failure below leaves a struct that frees cleanly.
            base.storeBytes(of: elements.count, toByteOffset: field.quantifierOffset, as: Int.self)
            base.storeBytes(of: array, toByteOffset: field.offset, as: UnsafeMutableRawPointer?.self)
            for (index, element) in elements.enumerated() {
                try self.store(element, field: field, layout: layout, at: array! + index * size, repeated: true)
            }
        } else {
            // A oneof member is written even at its default (it is the case that is set), so an
            // empty string is an owned copy: protobuf-c does not pack its shared default.
            try self.store(value, field: field, layout: layout, at: base + field.offset, repeated: field.isOneofMember)
            field.markPresent(in: base)
        }
    }

    private static func store(
        _ value: Any, field: FieldLayout, layout: MessageLayout, at slot: UnsafeMutableRawPointer, repeated: Bool
    ) throws {
        func mismatch() -> MessageError {
            MessageError(
                .schemaMismatch, "\(layout.name).\(field.name) is \(field.kind.rawValue) but the Swift value is \(type(of: value))",
                field: field.jsonName)
        }
        switch field.kind {
        case .string:
            guard let string = value as? String else { throw mismatch() }
            // A singular empty string keeps protobuf-c's shared default; array elements are always owned.
            try self.storeString(string, field: field, layout: layout, at: slot, repeated: repeated)
        case .int32, .sint32, .sfixed32:
            guard let number = value as? Int32 else { throw mismatch() }
            slot.storeBytes(of: number, as: Int32.self)
        case .uint32, .fixed32:
            guard let number = value as? UInt32 else { throw mismatch() }
            slot.storeBytes(of: number, as: UInt32.self)
        case .int64, .sint64, .sfixed64:
            guard let number = value as? Int64 else { throw mismatch() }
            slot.storeBytes(of: number, as: Int64.self)
        case .uint64, .fixed64:
            guard let number = value as? UInt64 else { throw mismatch() }
            slot.storeBytes(of: number, as: UInt64.self)
        case .float:
            guard let number = value as? Float else { throw mismatch() }
            slot.storeBytes(of: number, as: Float.self)
        case .double:
            guard let number = value as? Double else { throw mismatch() }
            slot.storeBytes(of: number, as: Double.self)
        case .bool:
            guard let flag = value as? Bool else { throw mismatch() }
            slot.storeBytes(of: flag ? 1 : 0, as: protobuf_c_boolean.self)
        case .enum:
            guard let member = value as? any ProtoEnum else { throw mismatch() }
            slot.storeBytes(of: member.rawValue, as: Int32.self)
        case .bytes:
            guard let data = value as? Data else { throw mismatch() }
            if data.isEmpty { return }
            let copy = malloc(data.count)!
            data.copyBytes(to: copy.assumingMemoryBound(to: UInt8.self), count: data.count)
            slot.storeBytes(
                of: ProtobufCBinaryData(len: data.count, data: copy.assumingMemoryBound(to: UInt8.self)),
                as: ProtobufCBinaryData.self)
        case .message:
            guard let message = value as? any ProtoMessage else { throw mismatch() }
            let child = ProtoSchema.layout(of: field.messageDescriptor!)
            let pointer = CMessage.allocate(child)
            slot.storeBytes(of: pointer, as: UnsafeMutableRawPointer?.self)
            try message.write(to: FieldWriter(layout: child, base: pointer))
        }
    }

    /// Stores a malloc'd NUL-terminated copy (protobuf-c strings cannot hold NUL).
    static func storeString(
        _ string: String, field: FieldLayout, layout: MessageLayout, at slot: UnsafeMutableRawPointer, repeated: Bool
    ) throws {
        // A singular empty string keeps protobuf-c's shared default; array elements are always owned.
        if string.isEmpty && !repeated { return }
        var string = string
        let copy: UnsafeMutablePointer<CChar>? = string.withUTF8 { utf8 in
            if utf8.count > 0, memchr(utf8.baseAddress!, 0, utf8.count) != nil { return nil }
            let copy = malloc(utf8.count + 1)!.assumingMemoryBound(to: CChar.self)
            if utf8.count > 0 { memcpy(copy, utf8.baseAddress!, utf8.count) }
            copy[utf8.count] = 0
            return copy
        }
        guard let copy else {
            throw MessageError(.invalidValue, "\(layout.name).\(field.name) contains a NUL character", field: field.jsonName)
        }
        slot.storeBytes(of: copy, as: UnsafeMutablePointer<CChar>?.self)
    }

    /// Stores a scalar after checking the field's kind; the fast path for the common field types.
    @inline(__always)
    static func storeScalar<S>(
        _ value: S, storage: FieldLayout.Storage, field: FieldLayout, layout: MessageLayout, base: UnsafeMutableRawPointer
    ) throws {
        guard !field.isRepeated, !field.isOneofMember, field.storage == storage else {
            return try self.write(value, field: field, layout: layout, base: base)
        }
        base.storeBytes(of: value, toByteOffset: field.offset, as: S.self)
    }

    private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let layout: MessageLayout
        let base: UnsafeMutableRawPointer
        var codingPath: [any CodingKey] { [] }

        private func field(_ key: Key) throws -> FieldLayout {
            guard let field = self.layout.field(for: key) else {
                throw MessageError(.schemaMismatch, "\(self.layout.name) has no field for Swift property \(key.stringValue)")
            }
            return field
        }

        mutating func encodeNil(forKey key: Key) throws {}
        mutating func encode(_ value: String, forKey key: Key) throws {
            let field = try self.field(key)
            guard field.kind == .string, !field.isRepeated, !field.isOneofMember else {
                return try StructEncoder.write(value, field: field, layout: self.layout, base: self.base)
            }
            try StructEncoder.storeString(value, field: field, layout: self.layout, at: self.base + field.offset, repeated: false)
        }
        mutating func encode(_ value: Bool, forKey key: Key) throws {
            let field = try self.field(key)
            guard field.kind == .bool, !field.isRepeated, !field.isOneofMember else {
                return try StructEncoder.write(value, field: field, layout: self.layout, base: self.base)
            }
            self.base.storeBytes(of: value ? 1 : 0, toByteOffset: field.offset, as: protobuf_c_boolean.self)
        }
        mutating func encode(_ value: Int32, forKey key: Key) throws {
            try StructEncoder.storeScalar(value, storage: .int32, field: self.field(key), layout: self.layout, base: self.base)
        }
        mutating func encode(_ value: Int64, forKey key: Key) throws {
            try StructEncoder.storeScalar(value, storage: .int64, field: self.field(key), layout: self.layout, base: self.base)
        }
        mutating func encode(_ value: UInt32, forKey key: Key) throws {
            try StructEncoder.storeScalar(value, storage: .uint32, field: self.field(key), layout: self.layout, base: self.base)
        }
        mutating func encode(_ value: UInt64, forKey key: Key) throws {
            try StructEncoder.storeScalar(value, storage: .uint64, field: self.field(key), layout: self.layout, base: self.base)
        }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try StructEncoder.write(value, field: self.field(key), layout: self.layout, base: self.base)
        }
        mutating func nestedContainer<NestedKey: CodingKey>(
            keyedBy keyType: NestedKey.Type, forKey key: Key
        ) -> KeyedEncodingContainer<NestedKey> {
            StructEncoder(layout: self.layout, base: self.base).container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            UnsupportedContainer(layout: self.layout)
        }
        mutating func superEncoder() -> any Encoder { StructEncoder(layout: self.layout, base: self.base) }
        mutating func superEncoder(forKey key: Key) -> any Encoder { self.superEncoder() }
    }
}

/// Containers a message never asks for; using one is a schema mismatch reported on first write.
private struct UnsupportedContainer: UnkeyedEncodingContainer, SingleValueEncodingContainer {
    let layout: MessageLayout
    var codingPath: [any CodingKey] { [] }
    var count: Int { 0 }

    private func refuse() -> MessageError {
        MessageError(.schemaMismatch, "\(self.layout.name) must be encoded as a keyed container")
    }
    mutating func encodeNil() throws { throw self.refuse() }
    mutating func encode<T: Encodable>(_ value: T) throws { throw self.refuse() }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        fatalError("\(self.layout.name): nested containers are not part of the protobuf mapping")
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { self }
    mutating func superEncoder() -> any Encoder {
        fatalError("\(self.layout.name): super encoders are not part of the protobuf mapping")
    }
}
