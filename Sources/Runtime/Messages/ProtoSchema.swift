import CProtobufC
import FindReviewerProto

/// Every message, enum and service of `Protos/`, read from protobuf-c's descriptors.
///
/// The registry is built once, on first use, and never changes afterwards.
public enum ProtoSchema {
    /// One method of a service.
    public struct MethodSchema: Sendable, Equatable {
        /// e.g. `CreateInfoRequest`.
        public let name: String
        /// e.g. `findreviewer.v1.FindReviewer/CreateInfoRequest`.
        public let fullName: String
        /// Full name of the request message type.
        public let inputType: String
        /// Full name of the response message type.
        public let outputType: String
    }

    /// One service and its methods, in declaration order.
    public struct ServiceSchema: Sendable, Equatable {
        /// e.g. `findreviewer.v1.FindReviewer`.
        public let name: String
        /// The methods in .proto order.
        public let methods: [MethodSchema]
    }

    private struct Registry: @unchecked Sendable {
        var messages: [String: MessageLayout] = [:]
        var messagesByDescriptor: [UnsafeRawPointer: MessageLayout] = [:]
        var enums: [String: EnumLayout] = [:]
        var services: [ServiceSchema] = []
    }

    private static let registry: Registry = {
        var registry = Registry()
        for index in 0..<findreviewer_message_descriptor_count {
            let descriptor = findreviewer_message_descriptor_at(index)!
            let layout = MessageLayout(descriptor)
            registry.messages[layout.name] = layout
            registry.messagesByDescriptor[UnsafeRawPointer(descriptor)] = layout
        }
        for index in 0..<findreviewer_enum_descriptor_count {
            let layout = EnumLayout(findreviewer_enum_descriptor_at(index)!)
            registry.enums[layout.name] = layout
        }
        for index in 0..<findreviewer_service_descriptor_count {
            let service = findreviewer_service_descriptor_at(index)!.pointee
            let name = String(cString: service.name)
            let methods = (0..<Int(service.n_methods)).map { position in
                let method = service.methods[position]
                let methodName = String(cString: method.name)
                return MethodSchema(
                    name: methodName,
                    fullName: "\(name)/\(methodName)",
                    inputType: String(cString: method.input.pointee.name),
                    outputType: String(cString: method.output.pointee.name))
            }
            registry.services.append(ServiceSchema(name: name, methods: methods))
        }
        registry.services.sort { $0.name < $1.name }
        return registry
    }()

    /// All message types by full name.
    public static var messages: [String: MessageLayout] { self.registry.messages }

    /// All enum types by full name.
    public static var enums: [String: EnumLayout] { self.registry.enums }

    /// All services, sorted by name.
    public static var services: [ServiceSchema] { self.registry.services }

    /// The method with this full name (`package.Service/Method`), if any.
    public static func method(fullName: String) -> MethodSchema? {
        for service in self.registry.services {
            if let method = service.methods.first(where: { $0.fullName == fullName }) { return method }
        }
        return nil
    }

    /// The layout of a message type that must exist; generated Swift types call this once each.
    public static func messageLayout(named name: String) -> MessageLayout {
        guard let layout = self.registry.messages[name] else {
            fatalError("message type \(name) is not in Protos/: run `make protos`")
        }
        return layout
    }

    /// The layout of a message by its protobuf-c descriptor.
    static func layout(of descriptor: UnsafePointer<ProtobufCMessageDescriptor>) -> MessageLayout {
        self.registry.messagesByDescriptor[UnsafeRawPointer(descriptor)]!
    }
}

extension ProtoSchema {
    /// A message or enum type as the reflection service describes it.
    public static func describe(typeName: String) -> DescribeTypeResponse? {
        if let layout = self.messages[typeName] {
            return DescribeTypeResponse(
                typeName: typeName, kind: "message",
                fields: layout.fields.map {
                    FieldInfo(
                        name: $0.name, jsonName: $0.jsonName, number: $0.number, type: $0.kind.rawValue,
                        typeName: $0.typeName ?? "", repeated: $0.isRepeated)
                })
        }
        if let layout = self.enums[typeName] {
            return DescribeTypeResponse(
                typeName: typeName, kind: "enum", values: layout.values.map { EnumValueInfo(name: $0.name, number: $0.number) })
        }
        return nil
    }
}
