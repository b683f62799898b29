import CProtobufC

/// The fields of one protobuf-c message type, with fast lookup by field number and by name.
///
/// Built once per type from protobuf-c's descriptor; immutable afterwards, so it is shared
/// across threads without locking.
public final class MessageLayout: @unchecked Sendable {
    /// Full type name, e.g. `findreviewer.v1.InfoRequest`.
    public let name: String
    /// Unqualified name as written in the .proto file.
    public let shortName: String
    /// Fields in field-number order (protobuf-c sorts them so).
    public let fields: [FieldLayout]
    /// The members of each `oneof`, in field-number order; the oneofs in the order of their
    /// lowest field number. (protobuf-c's descriptors do not name them: the members of one
    /// oneof share its case's offset.)
    public let oneofs: [[FieldLayout]]
    let descriptor: UnsafePointer<ProtobufCMessageDescriptor>
    private let indexByNumber: [Int]
    private let indexByName: [String: Int]
    /// What the direct wire writer needs of each field, by number, without reference counting.
    let wireSpecs: WireSpecTable

    init(_ descriptor: UnsafePointer<ProtobufCMessageDescriptor>) {
        self.descriptor = descriptor
        self.name = String(cString: descriptor.pointee.name)
        self.shortName = String(cString: descriptor.pointee.short_name)
        let count = Int(descriptor.pointee.n_fields)
        self.fields = (0..<count).map { FieldLayout(descriptor.pointee.fields[$0]) }
        let highest = Int(self.fields.map(\.number).max() ?? 0)
        var byNumber = [Int](repeating: -1, count: highest + 1)
        var byName: [String: Int] = [:]
        for (index, field) in self.fields.enumerated() {
            byNumber[Int(field.number)] = index
            byName[field.jsonName] = index
            byName[field.name] = index
        }
        self.indexByNumber = byNumber
        self.indexByName = byName
        self.wireSpecs = WireSpecTable(self.fields)
        var oneofs: [[FieldLayout]] = []
        var oneofByOffset: [Int: Int] = [:]
        for field in self.fields where field.isOneofMember {
            if let index = oneofByOffset[field.quantifierOffset] {
                oneofs[index].append(field)
            } else {
                oneofByOffset[field.quantifierOffset] = oneofs.count
                oneofs.append([field])
            }
        }
        self.oneofs = oneofs
    }

    /// The other members of `field`'s oneof that `base` has set instead (nil: none, or not a member).
    func oneofMemberSet(besides field: FieldLayout, in base: UnsafeRawPointer) -> FieldLayout? {
        guard field.isOneofMember else { return nil }
        let number = base.load(fromByteOffset: field.quantifierOffset, as: UInt32.self)
        guard number != 0, number != field.number else { return nil }
        return self.field(number: Int(number))
    }

    /// Size of the C struct, for allocation.
    var structSize: Int { Int(self.descriptor.pointee.sizeof_message) }

    /// The field with this number, if any.
    func field(number: Int) -> FieldLayout? {
        guard number >= 0, number < self.indexByNumber.count else { return nil }
        let index = self.indexByNumber[number]
        return index < 0 ? nil : self.fields[index]
    }

    /// The field with this JSON (lowerCamelCase) or proto (snake_case) name, if any.
    public func field(named name: String) -> FieldLayout? {
        self.indexByName[name].map { self.fields[$0] }
    }

    /// The field a Swift coding key stands for: by field number when the key has one
    /// (generated types use the field number as `intValue`), else by name.
    func field(for key: some CodingKey) -> FieldLayout? {
        if let number = key.intValue { return self.field(number: number) }
        return self.field(named: key.stringValue)
    }
}

/// The values of one protobuf enum type.
public struct EnumLayout: @unchecked Sendable {
    /// Full type name, e.g. `findreviewer.v1.RequestStatus`.
    public let name: String
    /// Unqualified name as written in the .proto file.
    public let shortName: String
    /// (proto name, number) in declaration order.
    public let values: [(name: String, number: Int32)]

    init(_ descriptor: UnsafePointer<ProtobufCEnumDescriptor>) {
        self.name = String(cString: descriptor.pointee.name)
        self.shortName = String(cString: descriptor.pointee.short_name)
        self.values = (0..<Int(descriptor.pointee.n_values)).map {
            let value = descriptor.pointee.values[$0]
            return (String(cString: value.name), value.value)
        }
    }

    /// The proto name of `number`, if it is a declared value.
    public func name(of number: Int32) -> String? {
        self.values.first { $0.number == number }?.name
    }

    /// The number of the value called `name`, if declared.
    public func number(of name: String) -> Int32? {
        self.values.first { $0.name == name }?.number
    }
}
