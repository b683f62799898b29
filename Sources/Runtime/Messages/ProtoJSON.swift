import CProtobufC
import Foundation

/// The proto3 JSON mapping, driven by protobuf-c descriptors: protobuf-c struct ↔ ``JSONValue``.
///
/// Works for any message type of `Protos/` by name, so a client can turn JSON into wire bytes
/// for a method it only knows by name (the CLI's `call`).
public enum ProtoJSON {
    /// JSON text → wire bytes of the message type `typeName` (e.g. `findreviewer.v1.Review`).
    public static func wireBytes(typeName: String, json: String) throws(MessageError) -> [UInt8] {
        let layout = try self.layout(named: typeName)
        let message = try self.build(layout, from: JSONValue.parse(json), path: "")
        defer { CMessage.free(message) }
        return CMessage.pack(message)
    }

    /// Wire bytes of the message type `typeName` → JSON text.
    public static func jsonString(
        typeName: String, wireBytes: [UInt8], pretty: Bool = false, emitDefaults: Bool = false
    ) throws(MessageError) -> String {
        let layout = try self.layout(named: typeName)
        do {
            return try wireBytes.withUnsafeBytes { buffer in
                try CMessage.withUnpacked(layout, buffer, budget: MessageLimits.defaultBudget(forInputSize: buffer.count)) {
                    (pointer) throws(MessageError) in
                    try EmbeddedNULCheck.check(buffer, layout)
                    return self.value(of: pointer, layout: layout, emitDefaults: emitDefaults).serialized(pretty: pretty)
                }
            }
        } catch {
            throw MessageError.wrap(error)
        }
    }

    private static func layout(named typeName: String) throws(MessageError) -> MessageLayout {
        guard let layout = ProtoSchema.messages[typeName] else {
            throw MessageError(.unknownType, "no message type named \(typeName) in Protos/")
        }
        return layout
    }

    // MARK: struct → JSON

    /// The JSON object for a protobuf-c struct, members in field-number order.
    static func value(of base: UnsafeRawPointer, layout: MessageLayout, emitDefaults: Bool) -> JSONValue {
        var members: [(String, JSONValue)] = []
        for field in layout.fields {
            if field.isOneofMember {
                // Only the case that is set, and that even at its default (it says which case).
                guard field.isPresent(in: base) else { continue }
                members.append((field.jsonName, self.value(at: base + field.offset, field: field, emitDefaults: emitDefaults) ?? .object([])))
            } else if field.isRepeated {
                let count = base.load(fromByteOffset: field.quantifierOffset, as: Int.self)
                if count == 0 && !emitDefaults { continue }
                let elements = base.load(fromByteOffset: field.offset, as: UnsafeRawPointer?.self)
                let values = (0..<count).map {
                    self.value(at: elements! + $0 * field.storageSize, field: field, emitDefaults: emitDefaults) ?? .null
                }
                members.append((field.jsonName, .array(values)))
            } else if let value = self.value(at: base + field.offset, field: field, emitDefaults: emitDefaults) {
                if !emitDefaults && self.isDefault(value) { continue }
                members.append((field.jsonName, value))
            } else if emitDefaults {
                members.append((field.jsonName, .null))
            }
        }
        return .object(members)
    }

    private static func isDefault(_ value: JSONValue) -> Bool {
        switch value {
        case .bool(false), .number("0"), .string(""), .string("0"), .null: return true
        default: return false
        }
    }

    /// One stored value as JSON; `nil` for an absent submessage.
    private static func value(at slot: UnsafeRawPointer, field: FieldLayout, emitDefaults: Bool) -> JSONValue? {
        switch field.kind {
        case .string:
            guard let cString = slot.load(as: UnsafePointer<CChar>?.self) else { return .string("") }
            return .string(String(cString: cString))
        case .int32, .sint32, .sfixed32: return .number(String(slot.load(as: Int32.self)))
        case .uint32, .fixed32: return .number(String(slot.load(as: UInt32.self)))
        case .int64, .sint64, .sfixed64: return .string(String(slot.load(as: Int64.self)))
        case .uint64, .fixed64: return .string(String(slot.load(as: UInt64.self)))
        case .float: return self.floating(Double(slot.load(as: Float.self)))
        case .double: return self.floating(slot.load(as: Double.self))
        case .bool: return .bool(slot.load(as: protobuf_c_boolean.self) != 0)
        case .enum:
            let number = slot.load(as: Int32.self)
            let enumLayout = EnumLayout(field.enumDescriptor!)
            // The zero value is the default; name it so isDefault can still recognise it as "0".
            if number == 0 && !emitDefaults { return .number("0") }
            return enumLayout.name(of: number).map(JSONValue.string) ?? .number(String(number))
        case .bytes:
            let binary = slot.load(as: ProtobufCBinaryData.self)
            guard binary.len > 0 else { return .string("") }
            return .string(Data(bytes: binary.data, count: binary.len).base64EncodedString())
        case .message:
            guard let child = slot.load(as: UnsafeRawPointer?.self) else { return nil }
            return self.value(of: child, layout: ProtoSchema.layout(of: field.messageDescriptor!), emitDefaults: emitDefaults)
        }
    }

    private static func floating(_ number: Double) -> JSONValue {
        if number.isNaN { return .string("NaN") }
        if number.isInfinite { return .string(number > 0 ? "Infinity" : "-Infinity") }
        if number == number.rounded(), abs(number) < 1e15 { return .number(String(Int64(number))) }
        return .number("\(number)")
    }

    // MARK: JSON → struct

    /// A malloc'd protobuf-c struct holding `json`; the caller frees it with ``CMessage/free(_:)``.
    static func build(_ layout: MessageLayout, from json: JSONValue, path: String) throws(MessageError) -> UnsafeMutableRawPointer {
        guard case .object(let members) = json else {
            throw MessageError(.invalidJSON, "\(path.isEmpty ? layout.name : path) must be a JSON object", field: path.isEmpty ? nil : path)
        }
        let message = CMessage.allocate(layout)
        do throws(MessageError) {
            var seen = Set<UInt32>()
            for (name, value) in members {
                let fieldPath = path.isEmpty ? name : "\(path).\(name)"
                guard let field = layout.field(named: name) else {
                    throw MessageError(.invalidJSON, "unknown field \"\(fieldPath)\" in \(layout.name)", field: fieldPath)
                }
                guard seen.insert(field.number).inserted else {
                    throw MessageError(.invalidJSON, "field \"\(fieldPath)\" appears twice", field: fieldPath)
                }
                if case .null = value { continue }
                if let other = layout.oneofMemberSet(besides: field, in: message) {
                    let otherPath = path.isEmpty ? other.jsonName : "\(path).\(other.jsonName)"
                    throw MessageError(
                        .invalidJSON, "\"\(fieldPath)\" and \"\(otherPath)\" are cases of one oneof: set one of them", field: fieldPath)
                }
                if field.isRepeated {
                    guard case .array(let elements) = value else {
                        throw MessageError(.invalidJSON, "\"\(fieldPath)\" must be a JSON array", field: fieldPath)
                    }
                    let size = field.storageSize
                    let array = elements.isEmpty ? nil : calloc(elements.count, size)!
                    message.storeBytes(of: elements.count, toByteOffset: field.quantifierOffset, as: Int.self)
                    message.storeBytes(of: array, toByteOffset: field.offset, as: UnsafeMutableRawPointer?.self)
                    for (index, element) in elements.enumerated() {
                        try self.store(element, field: field, at: array! + index * size, path: "\(fieldPath)[\(index)]", repeated: true)
                    }
                } else {
                    // A oneof member's empty string is an owned copy: protobuf-c packs it then.
                    try self.store(value, field: field, at: message + field.offset, path: fieldPath, repeated: field.isOneofMember)
                    field.markPresent(in: message)
                }
            }
        } catch {
            CMessage.free(message)
            throw error
        }
        return message
    }

    private static func store(
        _ value: JSONValue, field: FieldLayout, at slot: UnsafeMutableRawPointer, path: String, repeated: Bool
    ) throws(MessageError) {
        func invalid(_ expected: String) -> MessageError {
            MessageError(.invalidJSON, "\"\(path)\" must be \(expected)", field: path)
        }
        func integer<I: FixedWidthInteger>(_ type: I.Type) throws(MessageError) -> I {
            let text: String
            switch value {
            case .number(let number): text = number
            case .string(let string): text = string
            default: throw invalid("an integer")
            }
            if let exact = I(text) { return exact }
            // proto3 JSON allows 1.0 or 1e2 for integers as long as the value is whole.
            if let double = Double(text), double == double.rounded(), let exact = I(exactly: double) { return exact }
            throw invalid("an integer in the range of \(field.kind.rawValue)")
        }
        func floating() throws(MessageError) -> Double {
            switch value {
            case .number(let text): if let number = Double(text) { return number }
            case .string("NaN"): return .nan
            case .string("Infinity"): return .infinity
            case .string("-Infinity"): return -.infinity
            case .string(let text): if let number = Double(text) { return number }
            default: break
            }
            throw invalid("a number")
        }
        switch field.kind {
        case .string:
            guard case .string(let string) = value else { throw invalid("a string") }
            if string.isEmpty && !repeated { return }
            if string.utf8.contains(0) { throw invalid("a string without NUL characters") }
            slot.storeBytes(of: strdup(string), as: UnsafeMutablePointer<CChar>?.self)
        case .int32, .sint32, .sfixed32: slot.storeBytes(of: try integer(Int32.self), as: Int32.self)
        case .uint32, .fixed32: slot.storeBytes(of: try integer(UInt32.self), as: UInt32.self)
        case .int64, .sint64, .sfixed64: slot.storeBytes(of: try integer(Int64.self), as: Int64.self)
        case .uint64, .fixed64: slot.storeBytes(of: try integer(UInt64.self), as: UInt64.self)
        case .float: slot.storeBytes(of: Float(try floating()), as: Float.self)
        case .double: slot.storeBytes(of: try floating(), as: Double.self)
        case .bool:
            guard case .bool(let flag) = value else { throw invalid("true or false") }
            slot.storeBytes(of: flag ? 1 : 0, as: protobuf_c_boolean.self)
        case .enum:
            let enumLayout = EnumLayout(field.enumDescriptor!)
            let number: Int32?
            switch value {
            case .string(let name): number = enumLayout.number(of: name)
            case .number(let text): number = Int32(text).flatMap { enumLayout.name(of: $0) != nil ? $0 : nil }
            default: number = nil
            }
            guard let number else {
                throw invalid("one of " + enumLayout.values.map(\.name).joined(separator: ", "))
            }
            slot.storeBytes(of: number, as: Int32.self)
        case .bytes:
            guard case .string(let text) = value else { throw invalid("a base64 string") }
            let standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            let padded = standard + String(repeating: "=", count: (4 - standard.count % 4) % 4)
            guard let data = Data(base64Encoded: padded) else { throw invalid("a base64 string") }
            if data.isEmpty { return }
            let copy = malloc(data.count)!
            data.copyBytes(to: copy.assumingMemoryBound(to: UInt8.self), count: data.count)
            slot.storeBytes(
                of: ProtobufCBinaryData(len: data.count, data: copy.assumingMemoryBound(to: UInt8.self)),
                as: ProtobufCBinaryData.self)
        case .message:
            let child = try self.build(ProtoSchema.layout(of: field.messageDescriptor!), from: value, path: path)
            slot.storeBytes(of: child, as: UnsafeMutableRawPointer?.self)
        }
    }
}
