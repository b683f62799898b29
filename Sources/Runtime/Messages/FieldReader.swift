extension ProtoMessage {
    /// The `Codable` path, for conformers without a generated `init(reader:)`.
    public init(reader: FieldReader) throws {
        try self.init(from: StructDecoder(layout: Self.layout, base: reader.base))
    }
}

/// Reads the fields of one protobuf-c struct by field number, for the generated
/// `init(reader:)` of every message: the same conversions as the `Codable` path
/// (``StructDecoder``) without its containers, which cost more than the reading itself.
public struct FieldReader {
    let layout: MessageLayout
    let base: UnsafeRawPointer?

    init(layout: MessageLayout, base: UnsafeRawPointer?) {
        self.layout = layout
        self.base = base
    }

    private func field(_ number: Int) throws -> FieldLayout {
        guard let field = self.layout.field(number: number) else {
            throw MessageError(.schemaMismatch, "\(self.layout.name) has no field number \(number)")
        }
        return field
    }

    /// Field `number` as a `T` (scalars, strings, bytes, enums, repeated fields).
    public func callAsFunction<T>(_ number: Int) throws -> T {
        let field = try self.field(number)
        if T.self == String.self, field.kind == .string, !field.isRepeated, !field.isOneofMember {
            return unsafeBitCast(try StructDecoder.loadString(field: field, layout: self.layout, at: self.base.map { $0 + field.offset }), to: T.self)
        }
        return try StructDecoder.read(T.self, field: field, layout: self.layout, base: self.base)
    }

    /// The singular message field `number`, or nil when it is absent.
    public func message<M: ProtoMessage>(_ number: Int) throws -> M? {
        let field = try self.field(number)
        guard field.kind == .message, !field.isRepeated else {
            throw MessageError(.schemaMismatch, "\(self.layout.name).\(field.name) is not a singular message", field: field.jsonName)
        }
        guard let base = self.base, field.isPresent(in: base),
            let child = base.load(fromByteOffset: field.offset, as: UnsafeRawPointer?.self)
        else { return nil }
        return try M(reader: FieldReader(layout: M.layout, base: child))
    }

    /// The number of the member that is set in the oneof field `number` belongs to (0: none).
    public func oneofCase(_ number: Int) throws -> Int {
        let field = try self.field(number)
        guard field.isOneofMember else {
            throw MessageError(.schemaMismatch, "\(self.layout.name).\(field.name) is not in a oneof", field: field.jsonName)
        }
        return Int(self.base?.load(fromByteOffset: field.quantifierOffset, as: UInt32.self) ?? 0)
    }

    /// The oneof member `number` (a message), which ``oneofCase(_:)`` said is set; a case
    /// without its message (not what protobuf-c unpacks) reads as the default message.
    public func member<M: ProtoMessage>(_ number: Int) throws -> M {
        let field = try self.field(number)
        guard field.kind == .message, field.isOneofMember else {
            throw MessageError(.schemaMismatch, "\(self.layout.name).\(field.name) is not a oneof message", field: field.jsonName)
        }
        let child = self.base.flatMap { field.isPresent(in: $0) ? $0.load(fromByteOffset: field.offset, as: UnsafeRawPointer?.self) : nil }
        return try M(reader: FieldReader(layout: M.layout, base: child))
    }
}
