import CProtobufC

/// What the direct wire writer needs to know of one field, as a plain value: looking it up
/// costs a load, where a ``FieldLayout`` (a class) costs a retain and a release per field
/// written, which was most of the time spent encoding a page of a list.
/// (`@unchecked`: the descriptor pointer is to protobuf-c's static, read-only data.)
struct WireSpec: @unchecked Sendable {
    /// How ``FieldWriter`` writes the field in wire mode; `.fallback`: not directly (protobuf-c packs it).
    enum Shape: UInt8 {
        /// No field with this number.
        case absent
        /// A kind or label the direct writer leaves to protobuf-c (e.g. sint32, fixed64, float).
        case fallback
        /// Singular, outside a oneof, left out at its default.
        case string, bytes, bool, double, varint, enumValue
        /// Repeated.
        case packedEnum, unpackedEnum, repeatedString, repeatedMessage
        /// A singular message field or a oneof member that is a message: written when present.
        case message
    }

    var shape: Shape
    /// The C storage of a `.varint` field, which the Swift type written must match.
    var storage: FieldLayout.Storage
    /// A message field's type, which the Swift type written must be.
    var messageDescriptor: UnsafePointer<ProtobufCMessageDescriptor>?

    static let absent = WireSpec(shape: .absent, storage: .int32, messageDescriptor: nil)

    init(shape: Shape, storage: FieldLayout.Storage, messageDescriptor: UnsafePointer<ProtobufCMessageDescriptor>?) {
        self.shape = shape
        self.storage = storage
        self.messageDescriptor = messageDescriptor
    }

    init(_ field: FieldLayout) {
        self.storage = field.storage
        self.messageDescriptor = field.messageDescriptor
        switch (field.kind, field.isRepeated, field.isOneofMember) {
        case (.message, false, _): self.shape = .message
        case (.message, true, _): self.shape = .repeatedMessage
        case (_, false, true): self.shape = .fallback  // a oneof scalar is written even at 0: protobuf-c packs it
        case (.string, false, false): self.shape = .string
        case (.string, true, _): self.shape = .repeatedString
        case (.bytes, false, false): self.shape = .bytes
        case (.bool, false, false): self.shape = .bool
        case (.double, false, false): self.shape = .double
        case (.int32, false, false), (.int64, false, false), (.uint32, false, false), (.uint64, false, false): self.shape = .varint
        case (.enum, false, false): self.shape = .enumValue
        case (.enum, true, _): self.shape = field.isPacked ? .packedEnum : .unpackedEnum
        default: self.shape = .fallback
        }
    }
}

/// The specs of a message's fields by number, allocated once per layout (layouts live as long
/// as the process) and never written after: shared across threads without locking.
struct WireSpecTable: @unchecked Sendable {
    private let specs: UnsafeMutablePointer<WireSpec>
    private let count: Int

    init(_ fields: [FieldLayout]) {
        let count = Int(fields.map(\.number).max() ?? 0) + 1
        self.specs = .allocate(capacity: count)
        self.specs.initialize(repeating: .absent, count: count)
        for field in fields { self.specs[Int(field.number)] = WireSpec(field) }
        self.count = count
    }

    @inline(__always)
    subscript(number: Int) -> WireSpec {
        number >= 0 && number < self.count ? self.specs[number] : .absent
    }
}
