import Foundation

/// Refuses a NUL byte inside any string field, read from the wire bytes.
///
/// protobuf-c hands each string over as a NUL-terminated C string, so a NUL inside one would
/// reach Swift cut short: `"Hello\0there"` would be accepted, stored and emailed as `"Hello"`.
/// Only the wire bytes still hold the whole value, so this walks them (following the message's
/// descriptor into nested messages) before protobuf-c unpacks them, and names the field by its
/// lowerCamelCase path (`business.displayName`, `metadata[2].value`).
enum EmbeddedNULCheck {
    /// Throws ``MessageError/Code/invalidValue`` for the first string field of `layout` (at any
    /// depth) in `bytes` that holds a NUL. Bytes that are not valid protobuf are left to
    /// protobuf-c, which says what is wrong with them.
    static func check(_ bytes: UnsafeRawBufferPointer, _ layout: MessageLayout) throws(MessageError) {
        // Most messages hold no zero byte at all (proto3 leaves zeros and empty strings out):
        // one memchr settles them.
        guard let base = bytes.baseAddress, memchr(base, 0, bytes.count) != nil else { return }
        try self.scan(bytes, layout, path: "")
    }

    private static func scan(_ bytes: UnsafeRawBufferPointer, _ layout: MessageLayout, path: String) throws(MessageError) {
        var reader = WireReader(bytes)
        var seen: [UInt32: Int] = [:]
        while !reader.isAtEnd {
            guard let (number, type) = try? reader.nextField() else { return }
            guard type == .lengthDelimited, let field = layout.field(number: number), field.kind == .string || field.kind == .message
            else {
                guard (try? reader.skip(type)) != nil else { return }
                continue
            }
            guard let value = try? reader.lengthDelimited() else { return }
            var name = path.isEmpty ? field.jsonName : path + "." + field.jsonName
            if field.isRepeated {
                let index = seen[field.number, default: 0]
                seen[field.number] = index + 1
                name += "[\(index)]"
            }
            if field.kind == .string {
                guard let start = value.baseAddress, let nul = memchr(start, 0, value.count) else { continue }
                throw MessageError(
                    .invalidValue,
                    "\(name) contains a NUL character (byte \(UnsafeRawPointer(nul) - start) of its value); text may not contain control characters",
                    field: name)
            }
            if let child = field.messageDescriptor { try self.scan(value, ProtoSchema.layout(of: child), path: name) }
        }
    }
}
