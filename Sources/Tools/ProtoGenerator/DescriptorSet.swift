import Foundation
import Messages

/// The services of a `FileDescriptorSet` (`protoc --include_imports --descriptor_set_out`),
/// with their methods' custom options: what protobuf-c's descriptors do not carry.
///
/// Read with ``WireReader`` (pure Swift): only the fields of descriptor.proto it needs, by
/// their numbers there (FileDescriptorSet.file = 1; FileDescriptorProto.name = 1, package = 2,
/// message_type = 4, service = 6, extension = 7; DescriptorProto.name = 1, field = 2,
/// oneof_decl = 8; OneofDescriptorProto.name = 1; ServiceDescriptorProto.name = 1, method = 2;
/// MethodDescriptorProto.name = 1, input_type = 2, output_type = 3, options = 4;
/// FieldDescriptorProto.name = 1, extendee = 2, number = 3, oneof_index = 9). The option
/// numbers are not written here: they are read from options.proto's
/// `extend google.protobuf.MethodOptions`.
public struct DescriptorSet {
    /// What a message declares that protobuf-c's descriptors leave out: its file and the names
    /// of its oneofs.
    public struct Message {
        /// e.g. `findreviewer.v1.SnapshotItem`.
        public var fullName = ""
        /// e.g. `findreviewer/v1/storage.proto`.
        public var file = ""
        /// The oneofs' names, in declaration order.
        public var oneofNames: [String] = []
        /// The oneof (an index into `oneofNames`) of each member, by field number.
        public var oneofIndexByField: [Int: Int] = [:]
    }

    /// One method as declared.
    public struct Method {
        public var name = ""
        public var inputType = ""
        public var outputType = ""
        /// MethodOptions' bytes (extensions included).
        public var options: [UInt8] = []
    }

    /// One service as declared.
    public struct Service {
        public var file = ""
        public var package = ""
        public var name = ""
        public var methods: [Method] = []
        public var fullName: String { "\(self.package).\(self.name)" }
    }

    /// An extension of `google.protobuf.MethodOptions`, by full name (`findreviewer.v1.roles`).
    public var methodOptionNumbers: [String: Int] = [:]
    /// Every service, in file then declaration order.
    public var services: [Service] = []
    /// Every top-level message by full name.
    public var messages: [String: Message] = [:]

    /// The name of the oneof field `number` of `message` belongs to.
    public func oneofName(message: String, field number: UInt32) -> String? {
        guard let declared = self.messages[message], let index = declared.oneofIndexByField[Int(number)],
            index < declared.oneofNames.count
        else { return nil }
        return declared.oneofNames[index]
    }

    /// What `bytes` (a serialized FileDescriptorSet) declares.
    public init(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { raw in
            var set = WireReader(raw)
            while let (number, type) = try set.nextField() {
                if number == 1 { try self.readFile(set.message(type)) } else { try set.skip(type) }
            }
        }
    }

    /// The set in the file at `path`.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MessageError(.malformed, "cannot read the descriptor set \(path)")
        }
        try self.init([UInt8](data))
    }

    private mutating func readFile(_ bytes: UnsafeRawBufferPointer) throws(MessageError) {
        var reader = WireReader(bytes)
        var name = ""
        var package = ""
        var services: [UnsafeRawBufferPointer] = []
        var extensions: [UnsafeRawBufferPointer] = []
        var messageTypes: [UnsafeRawBufferPointer] = []
        while let (number, type) = try reader.nextField() {
            switch number {
            case 1: name = try reader.string(type)
            case 2: package = try reader.string(type)
            case 4: messageTypes.append(try reader.message(type))
            case 6: services.append(try reader.message(type))
            case 7: extensions.append(try reader.message(type))
            default: try reader.skip(type)
            }
        }
        for bytes in extensions {
            var field = WireReader(bytes)
            var fieldName = ""
            var extendee = ""
            var fieldNumber = 0
            while let (number, type) = try field.nextField() {
                switch number {
                case 1: fieldName = try field.string(type)
                case 2: extendee = try field.string(type)
                case 3: fieldNumber = Int(try field.int32(type))
                default: try field.skip(type)
                }
            }
            if extendee == ".google.protobuf.MethodOptions" { self.methodOptionNumbers["\(package).\(fieldName)"] = fieldNumber }
        }
        for bytes in messageTypes {
            var message = try Self.readMessage(bytes)
            message.file = name
            message.fullName = "\(package).\(message.fullName)"
            self.messages[message.fullName] = message
        }
        for bytes in services {
            var service = Service(file: name, package: package)
            var reader = WireReader(bytes)
            while let (number, type) = try reader.nextField() {
                switch number {
                case 1: service.name = try reader.string(type)
                case 2: service.methods.append(try Self.readMethod(reader.message(type)))
                default: try reader.skip(type)
                }
            }
            self.services.append(service)
        }
    }

    /// A DescriptorProto's name (unqualified), oneof names and members.
    private static func readMessage(_ bytes: UnsafeRawBufferPointer) throws(MessageError) -> Message {
        var message = Message()
        var reader = WireReader(bytes)
        while let (number, type) = try reader.nextField() {
            switch number {
            case 1: message.fullName = try reader.string(type)
            case 2:
                var field = WireReader(try reader.message(type))
                var fieldNumber = 0
                var oneofIndex: Int?
                while let (number, type) = try field.nextField() {
                    switch number {
                    case 3: fieldNumber = Int(try field.int32(type))
                    case 9: oneofIndex = Int(try field.int32(type))
                    default: try field.skip(type)
                    }
                }
                if let oneofIndex { message.oneofIndexByField[fieldNumber] = oneofIndex }
            case 8:
                var oneof = WireReader(try reader.message(type))
                var oneofName = ""
                while let (number, type) = try oneof.nextField() {
                    if number == 1 { oneofName = try oneof.string(type) } else { try oneof.skip(type) }
                }
                message.oneofNames.append(oneofName)
            default: try reader.skip(type)
            }
        }
        return message
    }

    private static func readMethod(_ bytes: UnsafeRawBufferPointer) throws(MessageError) -> Method {
        var method = Method()
        var reader = WireReader(bytes)
        while let (number, type) = try reader.nextField() {
            switch number {
            case 1: method.name = try reader.string(type)
            // ".findreviewer.v1.X": fully qualified, with protoc's leading dot.
            case 2: method.inputType = String(try reader.string(type).drop { $0 == "." })
            case 3: method.outputType = String(try reader.string(type).drop { $0 == "." })
            case 4: method.options = Array(try reader.message(type))
            default: try reader.skip(type)
            }
        }
        return method
    }
}

/// What one method's options say (the options of options.proto), or why they are incomplete.
public struct MethodOptionValues: Equatable {
    public var roles: [String] = []
    /// nil when the option is absent (every rpc must set it, true or false).
    public var idempotent: Bool?
    public var noKey = false

    /// Reads `options` (MethodOptions' bytes) with the extension numbers of `numbers`.
    public init(_ options: [UInt8], numbers: [String: Int]) throws {
        let roles = numbers["findreviewer.v1.roles"]
        let idempotent = numbers["findreviewer.v1.idempotent"]
        let noKey = numbers["findreviewer.v1.no_key"]
        try options.withUnsafeBytes { raw in
            var reader = WireReader(raw)
            while let (number, type) = try reader.nextField() {
                if number == roles {
                    self.roles.append(try reader.string(type))
                } else if number == idempotent {
                    self.idempotent = try reader.uint64(type) != 0
                } else if number == noKey {
                    self.noKey = try reader.uint64(type) != 0
                } else {
                    try reader.skip(type)
                }
            }
        }
    }
}
