import CProtobufC

/// Where and how one field of a protobuf-c message struct is stored, read off its descriptor.
///
/// A class so the coder's hot path passes one reference instead of copying names.
public final class FieldLayout: @unchecked Sendable {
    /// The protobuf wire-level kind of a field, as protobuf-c names it.
    public enum Kind: String, Sendable {
        case int32, sint32, sfixed32, int64, sint64, sfixed64
        case uint32, fixed32, uint64, fixed64
        case float, double, bool, `enum`, string, bytes, message
    }

    /// How a value is held in the C struct: kinds that differ only on the wire share one.
    public enum Storage: Sendable {
        case int32, uint32, int64, uint64, float, double, bool, `enum`, string, bytes, message
    }

    /// The proto name, e.g. `reference_label`.
    public let name: String
    /// The proto3 JSON name (lowerCamelCase), e.g. `referenceLabel`.
    public let jsonName: String
    /// The field number.
    public let number: UInt32
    /// The wire-level kind.
    public let kind: Kind
    /// `repeated` in the .proto.
    public let isRepeated: Bool
    /// Byte offset of the value (or, for repeated fields, of the element pointer) in the C struct.
    let offset: Int
    /// Byte offset of the `n_` element count for repeated fields, or of the oneof's case
    /// (a `uint32_t` holding the number of the member that is set, 0: none) for oneof members.
    let quantifierOffset: Int
    /// A member of a `oneof`: protobuf-c keeps the oneof's members in one union, so a member's
    /// slot holds a value only while the case at `quantifierOffset` is this field's number.
    public let isOneofMember: Bool
    /// Full name of the message or enum type of a `.message` or `.enum` field.
    public let typeName: String?
    /// Descriptor of a `.message` field's type.
    let messageDescriptor: UnsafePointer<ProtobufCMessageDescriptor>?
    /// Descriptor of an `.enum` field's type.
    let enumDescriptor: UnsafePointer<ProtobufCEnumDescriptor>?
    /// A repeated scalar field written packed (proto3's default).
    let isPacked: Bool

    init(_ field: ProtobufCFieldDescriptor) {
        self.name = String(cString: field.name)
        self.jsonName = FieldLayout.lowerCamelCase(self.name)
        self.number = field.id
        self.isRepeated = field.label == PROTOBUF_C_LABEL_REPEATED
        self.offset = Int(field.offset)
        self.quantifierOffset = Int(field.quantifier_offset)
        self.kind = FieldLayout.kind(of: field.type)
        self.isPacked = field.flags & UInt32(PROTOBUF_C_FIELD_FLAG_PACKED.rawValue) != 0
        self.isOneofMember = field.flags & UInt32(PROTOBUF_C_FIELD_FLAG_ONEOF.rawValue) != 0
        switch self.kind {
        case .message:
            let descriptor = field.descriptor.assumingMemoryBound(to: ProtobufCMessageDescriptor.self)
            self.messageDescriptor = descriptor
            self.enumDescriptor = nil
            self.typeName = String(cString: descriptor.pointee.name)
        case .enum:
            let descriptor = field.descriptor.assumingMemoryBound(to: ProtobufCEnumDescriptor.self)
            self.messageDescriptor = nil
            self.enumDescriptor = descriptor
            self.typeName = String(cString: descriptor.pointee.name)
        default:
            self.messageDescriptor = nil
            self.enumDescriptor = nil
            self.typeName = nil
        }
    }

    /// Whether this field's slot holds its value in the struct at `base`: always, except for a
    /// oneof member whose case is another member (or none), whose slot holds another member's bytes.
    @inline(__always)
    func isPresent(in base: UnsafeRawPointer) -> Bool {
        !self.isOneofMember || base.load(fromByteOffset: self.quantifierOffset, as: UInt32.self) == self.number
    }

    /// Marks this oneof member as the one set in the struct at `base` (other fields: nothing).
    @inline(__always)
    func markPresent(in base: UnsafeMutableRawPointer) {
        if self.isOneofMember { base.storeBytes(of: self.number, toByteOffset: self.quantifierOffset, as: UInt32.self) }
    }

    /// How the value is held in the C struct.
    var storage: Storage {
        switch self.kind {
        case .int32, .sint32, .sfixed32: return .int32
        case .uint32, .fixed32: return .uint32
        case .int64, .sint64, .sfixed64: return .int64
        case .uint64, .fixed64: return .uint64
        case .float: return .float
        case .double: return .double
        case .bool: return .bool
        case .enum: return .enum
        case .string: return .string
        case .bytes: return .bytes
        case .message: return .message
        }
    }

    /// Size in bytes of one stored value of this kind in a protobuf-c struct or array.
    var storageSize: Int {
        switch self.kind {
        case .int32, .sint32, .sfixed32, .uint32, .fixed32, .float, .enum: return 4
        case .bool: return MemoryLayout<protobuf_c_boolean>.size
        case .int64, .sint64, .sfixed64, .uint64, .fixed64, .double: return 8
        case .string, .message: return MemoryLayout<UnsafeMutableRawPointer?>.size
        case .bytes: return MemoryLayout<ProtobufCBinaryData>.size
        }
    }

    /// True for the kinds whose JSON form is a string holding a decimal number.
    var isSixtyFourBit: Bool {
        switch self.kind {
        case .int64, .sint64, .sfixed64, .uint64, .fixed64: return true
        default: return false
        }
    }

    /// `reference_label` → `referenceLabel`, as protoc computes `json_name`.
    public static func lowerCamelCase(_ name: String) -> String {
        var result = ""
        var upperNext = false
        for character in name {
            if character == "_" {
                upperNext = true
            } else if upperNext {
                result += character.uppercased()
                upperNext = false
            } else {
                result.append(character)
            }
        }
        return result
    }

    private static func kind(of type: ProtobufCType) -> Kind {
        switch type {
        case PROTOBUF_C_TYPE_INT32: return .int32
        case PROTOBUF_C_TYPE_SINT32: return .sint32
        case PROTOBUF_C_TYPE_SFIXED32: return .sfixed32
        case PROTOBUF_C_TYPE_INT64: return .int64
        case PROTOBUF_C_TYPE_SINT64: return .sint64
        case PROTOBUF_C_TYPE_SFIXED64: return .sfixed64
        case PROTOBUF_C_TYPE_UINT32: return .uint32
        case PROTOBUF_C_TYPE_FIXED32: return .fixed32
        case PROTOBUF_C_TYPE_UINT64: return .uint64
        case PROTOBUF_C_TYPE_FIXED64: return .fixed64
        case PROTOBUF_C_TYPE_FLOAT: return .float
        case PROTOBUF_C_TYPE_DOUBLE: return .double
        case PROTOBUF_C_TYPE_BOOL: return .bool
        case PROTOBUF_C_TYPE_ENUM: return .enum
        case PROTOBUF_C_TYPE_STRING: return .string
        case PROTOBUF_C_TYPE_BYTES: return .bytes
        default: return .message
        }
    }
}
