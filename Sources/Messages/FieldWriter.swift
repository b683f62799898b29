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
        try StructEncoder.write(value, field: try self.field(number), layout: self.layout, base: self.base)
    }
}
