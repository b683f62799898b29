import CProtobufC
import Foundation

/// A `Decoder` that reads a generated message struct out of a protobuf-c struct, field by
/// field, following the protobuf-c descriptor. A `nil` base reads every field's default.
struct StructDecoder: Decoder {
    let layout: MessageLayout
    let base: UnsafeRawPointer?
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(KeyedContainer(layout: self.layout, base: self.base))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw MessageError(.schemaMismatch, "\(self.layout.name) must be decoded as a keyed container")
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw MessageError(.schemaMismatch, "\(self.layout.name) must be decoded as a keyed container")
    }

    /// Reads one field as a `T`.
    static func read<T>(_ type: T.Type, field: FieldLayout, layout: MessageLayout, base: UnsafeRawPointer?) throws -> T {
        if field.isRepeated {
            guard let arrayType = T.self as? any RepeatedField.Type else {
                throw MessageError(.schemaMismatch, "\(layout.name).\(field.name) is repeated but the Swift type is \(T.self)", field: field.jsonName)
            }
            let count = base?.load(fromByteOffset: field.quantifierOffset, as: Int.self) ?? 0
            let elements = base?.load(fromByteOffset: field.offset, as: UnsafeRawPointer?.self)
            return try arrayType.read(count: count, elements: elements, field: field, layout: layout) as! T
        }
        guard let base, field.isPresent(in: base) else { return try self.load(T.self, field: field, layout: layout, at: nil) }
        return try self.load(T.self, field: field, layout: layout, at: base + field.offset)
    }

    /// Reads one stored value (`nil` slot: the default).
    static func load<T>(_ type: T.Type, field: FieldLayout, layout: MessageLayout, at slot: UnsafeRawPointer?) throws -> T {
        func mismatch() -> MessageError {
            MessageError(
                .schemaMismatch, "\(layout.name).\(field.name) is \(field.kind.rawValue) but the Swift type is \(T.self)",
                field: field.jsonName)
        }
        func scalar<S>(_ stored: S.Type, _ zero: S) throws -> T {
            guard T.self == S.self else { throw mismatch() }
            return unsafeBitCast(slot?.load(as: S.self) ?? zero, to: T.self)
        }
        switch field.kind {
        case .string:
            guard T.self == String.self else { throw mismatch() }
            return unsafeBitCast(try self.loadString(field: field, layout: layout, at: slot), to: T.self)
        case .int32, .sint32, .sfixed32: return try scalar(Int32.self, 0)
        case .uint32, .fixed32: return try scalar(UInt32.self, 0)
        case .int64, .sint64, .sfixed64: return try scalar(Int64.self, 0)
        case .uint64, .fixed64: return try scalar(UInt64.self, 0)
        case .float: return try scalar(Float.self, 0)
        case .double: return try scalar(Double.self, 0)
        case .bool:
            guard T.self == Bool.self else { throw mismatch() }
            return unsafeBitCast((slot?.load(as: protobuf_c_boolean.self) ?? 0) != 0, to: T.self)
        case .enum:
            guard let enumType = T.self as? any ProtoEnum.Type else { throw mismatch() }
            let number = slot?.load(as: Int32.self) ?? 0
            guard let member = enumType.init(rawValue: number) else {
                throw MessageError(
                    .invalidValue, "\(layout.name).\(field.name): \(number) is not a value of \(enumType.protoName)",
                    field: field.jsonName)
            }
            return member as! T
        case .bytes:
            guard T.self == Data.self else { throw mismatch() }
            guard let binary = slot?.load(as: ProtobufCBinaryData.self), binary.len > 0 else { return Data() as! T }
            return Data(bytes: binary.data, count: binary.len) as! T
        case .message:
            guard let messageType = T.self as? any ProtoMessage.Type else { throw mismatch() }
            let child = slot?.load(as: UnsafeRawPointer?.self)
            return try messageType.init(reader: FieldReader(layout: messageType.layout, base: child)) as! T
        }
    }

    /// A string field's value; invalid UTF-8 is an error, not a repaired string.
    static func loadString(field: FieldLayout, layout: MessageLayout, at slot: UnsafeRawPointer?) throws -> String {
        guard let cString = slot?.load(as: UnsafePointer<CChar>?.self) else { return "" }
        guard let string = String(validatingCString: cString) else {
            throw MessageError(.malformed, "\(layout.name).\(field.name) is not valid UTF-8", field: field.jsonName)
        }
        return string
    }

    private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let layout: MessageLayout
        let base: UnsafeRawPointer?
        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { self.layout.fields.compactMap { Key(stringValue: $0.jsonName) } }

        private func field(_ key: Key) throws -> FieldLayout {
            guard let field = self.layout.field(for: key) else {
                throw MessageError(.schemaMismatch, "\(self.layout.name) has no field for Swift property \(key.stringValue)")
            }
            return field
        }

        func contains(_ key: Key) -> Bool { self.layout.field(for: key) != nil }

        func decodeNil(forKey key: Key) throws -> Bool {
            let field = try self.field(key)
            // A oneof member is absent unless it is the case; otherwise only a singular message
            // field can be absent, as every other proto3 field has a default.
            if field.isOneofMember { return self.base.map { !field.isPresent(in: $0) } ?? true }
            guard field.kind == .message, !field.isRepeated else { return false }
            return self.base?.load(fromByteOffset: field.offset, as: UnsafeRawPointer?.self) == nil
        }

        func decode(_ type: String.Type, forKey key: Key) throws -> String {
            let field = try self.field(key)
            guard field.kind == .string, !field.isRepeated, !field.isOneofMember else {
                return try StructDecoder.read(String.self, field: field, layout: self.layout, base: self.base)
            }
            return try StructDecoder.loadString(field: field, layout: self.layout, at: self.base.map { $0 + field.offset })
        }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            try StructDecoder.read(T.self, field: self.field(key), layout: self.layout, base: self.base)
        }

        func nestedContainer<NestedKey: CodingKey>(
            keyedBy type: NestedKey.Type, forKey key: Key
        ) throws -> KeyedDecodingContainer<NestedKey> {
            throw MessageError(.schemaMismatch, "\(self.layout.name): nested containers are not part of the protobuf mapping")
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            throw MessageError(.schemaMismatch, "\(self.layout.name): nested containers are not part of the protobuf mapping")
        }
        func superDecoder() throws -> any Decoder { StructDecoder(layout: self.layout, base: self.base) }
        func superDecoder(forKey key: Key) throws -> any Decoder { try self.superDecoder() }
    }
}

/// Arrays of decodable values read from a protobuf-c `n_` count and element array.
protocol RepeatedField {
    static func read(count: Int, elements: UnsafeRawPointer?, field: FieldLayout, layout: MessageLayout) throws -> Self
}

extension Array: RepeatedField where Element: Decodable {
    static func read(count: Int, elements: UnsafeRawPointer?, field: FieldLayout, layout: MessageLayout) throws -> Self {
        guard count > 0, let elements else { return [] }
        var result: [Element] = []
        result.reserveCapacity(count)
        let size = field.storageSize
        for index in 0..<count {
            result.append(try StructDecoder.load(Element.self, field: field, layout: layout, at: elements + index * size))
        }
        return result
    }
}
