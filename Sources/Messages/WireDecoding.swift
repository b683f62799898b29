import Foundation

/// Decoding straight from wire bytes into a generated message, without unpacking into a
/// protobuf-c struct first (one `malloc` per string and submessage, then copying out of them,
/// then a free each): the path every request, request header and answer takes.
///
/// It is a fast path, never a second opinion. ``validate(_:_:remaining:)`` walks the whole
/// message first and accepts only what it is sure protobuf-c accepts and reads the same way:
/// keys and length prefixes of at most 5 bytes (protobuf-c's limit), varints of at most 10,
/// every known field with the wire type its declaration allows, strings without NUL, and an
/// estimate of protobuf-c's allocations within the caller's budget. Anything else — and any
/// value the generated reader refuses (invalid UTF-8, an enum number the schema lacks, a
/// singular submessage sent twice, which protobuf merges) — makes ``decode(_:_:budget:)``
/// return nil, and the caller decodes through protobuf-c, whose answer (the value or the
/// precise error) stands. Tests and the fuzz target check that both paths agree.
enum WireDecoding {
    /// `bytes` decoded as an `M`, or nil when protobuf-c must decide.
    static func decode<M: ProtoMessage>(_ type: M.Type, _ bytes: UnsafeRawBufferPointer, budget: Int) -> M? {
        var remaining = budget
        guard self.validate(bytes, M.layout, remaining: &remaining) else { return nil }
        return try? M(reader: FieldReader(layout: M.layout, wire: bytes))
    }

    /// What one field occurrence may cost protobuf-c beyond its value's bytes: the scanned
    /// member record (slabs that double, so at most twice 40 bytes), an unknown field's record,
    /// a pointer or a terminating NUL. An overestimate: near the budget, protobuf-c decides.
    static let costPerField = 128

    /// Whether protobuf-c accepts `bytes` as a `layout` within `remaining` bytes of
    /// allocations (an estimate from above), and reads it as ``FieldReader`` would.
    static func validate(_ bytes: UnsafeRawBufferPointer, _ layout: MessageLayout, remaining: inout Int) -> Bool {
        remaining -= layout.structSize
        var reader = WireReader(bytes)
        while !reader.isAtEnd {
            let keyStart = reader.offset
            guard let (number, type) = try? reader.nextField(), reader.offset - keyStart <= 5 else { return false }
            remaining -= Self.costPerField
            guard let field = layout.field(number: number) else {
                // Unknown: protobuf-c keeps a copy of it.
                let start = reader.offset
                guard type != .lengthDelimited || self.prefixFits(reader), (try? reader.skip(type)) != nil else { return false }
                remaining -= reader.offset - start
                if remaining < 0 { return false }
                continue
            }
            switch (field.kind, type) {
            case (.string, .lengthDelimited), (.bytes, .lengthDelimited), (.message, .lengthDelimited):
                guard self.prefixFits(reader), let value = try? reader.lengthDelimited() else { return false }
                remaining -= value.count
                if field.kind == .string, let first = value.baseAddress, memchr(first, 0, value.count) != nil { return false }
                if field.kind == .message, let child = field.messageDescriptor {
                    guard self.validate(value, ProtoSchema.layout(of: child), remaining: &remaining) else { return false }
                }
            case (_, .lengthDelimited):
                // A packed run of scalars: only for repeated scalar fields.
                guard field.isRepeated, self.prefixFits(reader), let value = try? reader.lengthDelimited() else { return false }
                guard let count = self.packedCount(value, field.wireType) else { return false }
                remaining -= count * 8
            case (_, let wire) where wire == field.wireType:
                guard (try? reader.skip(wire)) != nil else { return false }
                remaining -= 8
            default:
                return false
            }
            if remaining < 0 { return false }
        }
        return true
    }

    /// Whether the length prefix at the reader's position has at most 5 bytes (protobuf-c reads no more).
    private static func prefixFits(_ reader: WireReader) -> Bool {
        var probe = reader
        let start = probe.offset
        guard (try? probe.varint()) != nil else { return false }
        return probe.offset - start <= 5
    }

    /// The number of values in a packed run, or nil when it is malformed.
    private static func packedCount(_ run: UnsafeRawBufferPointer, _ wire: WireReader.WireType) -> Int? {
        switch wire {
        case .fixed32: return run.count % 4 == 0 ? run.count / 4 : nil
        case .fixed64: return run.count % 8 == 0 ? run.count / 8 : nil
        case .varint:
            var reader = WireReader(run)
            var count = 0
            while !reader.isAtEnd {
                guard (try? reader.varint()) != nil else { return nil }
                count += 1
            }
            return count
        case .lengthDelimited: return nil
        }
    }

    /// One value as read off the wire: a number (varint or fixed) or a run of bytes.
    enum Value {
        case number(UInt64)
        case bytes(UnsafeRawBufferPointer)
    }

    /// Field `field` of the validated message in `wire` as a `T`: the last occurrence of a
    /// singular field (proto's rule for scalars and strings), every occurrence of a repeated one.
    static func read<T>(_ type: T.Type, field: FieldLayout, layout: MessageLayout, wire: UnsafeRawBufferPointer) throws -> T {
        if field.isRepeated {
            guard let arrayType = T.self as? any RepeatedWireField.Type else {
                throw MessageError(.schemaMismatch, "\(layout.name).\(field.name) is repeated but the Swift type is \(T.self)", field: field.jsonName)
            }
            return try arrayType.readWire(field: field, layout: layout, wire: wire) as! T
        }
        var last: Value?
        try self.forEach(field, in: wire) { value in last = value }
        return try self.load(T.self, field: field, layout: layout, value: last)
    }

    /// The singular message field's bytes, nil when absent; throws ``WireFallback`` when it
    /// occurs more than once (protobuf merges the occurrences: protobuf-c decides).
    static func messageBytes(field: FieldLayout, wire: UnsafeRawBufferPointer) throws -> UnsafeRawBufferPointer? {
        var found: UnsafeRawBufferPointer?
        var count = 0
        try self.forEach(field, in: wire) { value in
            count += 1
            if case .bytes(let bytes) = value { found = bytes }
        }
        guard count <= 1 else { throw WireFallback() }
        return found
    }

    /// Calls `body` with every value of `field` in `wire`, in order (a packed run value by value).
    static func forEach(_ field: FieldLayout, in wire: UnsafeRawBufferPointer, _ body: (Value) throws -> Void) throws {
        var reader = WireReader(wire)
        let number = Int(field.number)
        while let (seen, type) = try reader.nextField() {
            guard seen == number else {
                try reader.skip(type)
                continue
            }
            switch type {
            case .varint: try body(.number(try reader.varint()))
            case .fixed32, .fixed64:
                let width = type == .fixed32 ? 4 : 8
                guard wire.count - reader.offset >= width else { throw WireFallback() }
                let number = width == 4
                    ? UInt64(UInt32(littleEndian: wire.loadUnaligned(fromByteOffset: reader.offset, as: UInt32.self)))
                    : UInt64(littleEndian: wire.loadUnaligned(fromByteOffset: reader.offset, as: UInt64.self))
                reader.offset += width
                try body(.number(number))
            case .lengthDelimited:
                let bytes = try reader.lengthDelimited()
                if field.kind == .string || field.kind == .bytes || field.kind == .message {
                    try body(.bytes(bytes))
                } else {
                    var packed = WireReader(bytes)
                    while !packed.isAtEnd {
                        switch field.wireType {
                        case .varint: try body(.number(try packed.varint()))
                        case .fixed32:
                            try body(.number(UInt64(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: packed.offset, as: UInt32.self)))))
                            packed.offset += 4
                        case .fixed64:
                            try body(.number(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: packed.offset, as: UInt64.self))))
                            packed.offset += 8
                        case .lengthDelimited: throw WireFallback()
                        }
                    }
                }
            }
        }
    }

    /// One value (nil: the field's default) as a `T`, with ``StructDecoder``'s conversions.
    static func load<T>(_ type: T.Type, field: FieldLayout, layout: MessageLayout, value: Value?) throws -> T {
        func mismatch() -> MessageError {
            MessageError(
                .schemaMismatch, "\(layout.name).\(field.name) is \(field.kind.rawValue) but the Swift type is \(T.self)",
                field: field.jsonName)
        }
        var number: UInt64 = 0
        var bytes = UnsafeRawBufferPointer(start: nil, count: 0)
        switch value {
        case .number(let read)?: number = read
        case .bytes(let read)?: bytes = read
        case nil: break
        }
        func scalar<S>(_ converted: S) throws -> T {
            guard T.self == S.self else { throw mismatch() }
            return unsafeBitCast(converted, to: T.self)
        }
        switch field.kind {
        case .string:
            guard T.self == String.self else { throw mismatch() }
            if bytes.isEmpty { return unsafeBitCast("", to: T.self) }
            // Invalid UTF-8: protobuf-c's path names the field in its error.
            guard let string = String(validating: bytes, as: UTF8.self) else { throw WireFallback() }
            return unsafeBitCast(string, to: T.self)
        case .int32: return try scalar(Int32(truncatingIfNeeded: number))
        case .sint32:
            let raw = UInt32(truncatingIfNeeded: number)
            return try scalar(Int32(bitPattern: raw >> 1) ^ -Int32(bitPattern: raw & 1))
        case .sfixed32: return try scalar(Int32(bitPattern: UInt32(truncatingIfNeeded: number)))
        case .uint32, .fixed32: return try scalar(UInt32(truncatingIfNeeded: number))
        case .int64, .sfixed64: return try scalar(Int64(bitPattern: number))
        case .sint64: return try scalar(Int64(bitPattern: number >> 1) ^ -Int64(bitPattern: number & 1))
        case .uint64, .fixed64: return try scalar(number)
        case .float: return try scalar(Float(bitPattern: UInt32(truncatingIfNeeded: number)))
        case .double: return try scalar(Double(bitPattern: number))
        case .bool: return try scalar(number != 0)
        case .enum:
            guard let enumType = T.self as? any ProtoEnum.Type else { throw mismatch() }
            guard let member = enumType.init(rawValue: Int32(truncatingIfNeeded: number)) else { throw WireFallback() }
            return member as! T
        case .bytes:
            guard T.self == Data.self else { throw mismatch() }
            return Data(bytes) as! T
        case .message:
            guard let messageType = T.self as? any ProtoMessage.Type else { throw mismatch() }
            return try messageType.init(reader: FieldReader(layout: messageType.layout, wire: bytes)) as! T
        }
    }
}

/// Arrays of decodable values read from every occurrence of a repeated field on the wire.
protocol RepeatedWireField {
    static func readWire(field: FieldLayout, layout: MessageLayout, wire: UnsafeRawBufferPointer) throws -> Self
}

extension Array: RepeatedWireField where Element: Decodable {
    static func readWire(field: FieldLayout, layout: MessageLayout, wire: UnsafeRawBufferPointer) throws -> Self {
        var result: [Element] = []
        try WireDecoding.forEach(field, in: wire) { value in
            result.append(try WireDecoding.load(Element.self, field: field, layout: layout, value: value))
        }
        return result
    }
}

extension FieldLayout {
    /// The wire type a value of this kind takes outside a packed run.
    var wireType: WireReader.WireType {
        switch self.kind {
        case .int32, .sint32, .int64, .sint64, .uint32, .uint64, .bool, .enum: return .varint
        case .fixed32, .sfixed32, .float: return .fixed32
        case .fixed64, .sfixed64, .double: return .fixed64
        case .string, .bytes, .message: return .lengthDelimited
        }
    }
}

extension ProtoMessage {
    /// Whether the direct wire decoder and protobuf-c agree on `bytes`: either the direct one
    /// left it to protobuf-c, or both produce the same value (for tests and the fuzz target).
    public static func wireDecodingAgrees(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let budget = MessageLimits.defaultBudget(forInputSize: bytes.count)
        guard let direct = WireDecoding.decode(Self.self, bytes, budget: budget) else { return true }
        guard let unpacked = try? Self(protobufCBytes: bytes, budget: budget) else { return false }
        return direct == unpacked
    }

    /// Whether the direct wire decoder decodes `bytes` itself (rather than leaving it to protobuf-c).
    public static func decodesDirectly(_ bytes: UnsafeRawBufferPointer) -> Bool {
        WireDecoding.decode(Self.self, bytes, budget: MessageLimits.defaultBudget(forInputSize: bytes.count)) != nil
    }
}
