import Foundation

/// Refuses a NUL byte inside any string field, read from the wire bytes.
///
/// protobuf-c hands each string over as a NUL-terminated C string, so a NUL inside one would
/// reach Swift cut short: `"Hello\0there"` would be accepted, stored and emailed as `"Hello"`.
/// Only the wire bytes still hold the whole value, so this walks them (following the message's
/// descriptor into nested messages) before protobuf-c unpacks them, and names the field by its
/// lowerCamelCase path (`business.displayName`, `metadata[2].value`).
enum EmbeddedNULCheck {
    /// Where a NUL was found: the field names from the innermost outwards.
    private struct Found: Error {
        var path: [String]
        var byte: Int
    }

    /// Throws ``MessageError/Code/invalidValue`` for the first string field of `layout` (at any
    /// depth) in `bytes` that holds a NUL. Bytes that are not valid protobuf are left to
    /// protobuf-c, which says what is wrong with them.
    static func check(_ bytes: UnsafeRawBufferPointer, _ layout: MessageLayout) throws(MessageError) {
        // Most messages hold no zero byte at all (proto3 leaves zeros and empty strings out):
        // one memchr settles them.
        guard let base = bytes.baseAddress, memchr(base, 0, bytes.count) != nil else { return }
        do {
            try self.scan(bytes, layout)
        } catch {
            let name = error.path.reversed().joined(separator: ".")
            throw MessageError(
                .invalidValue,
                "\(name) contains a NUL character (byte \(error.byte) of its value); text may not contain control characters",
                field: name)
        }
    }

    /// Walks one message. Nothing is built on the way (a payload of a million empty
    /// sub-messages costs one pass): the field's name, and its index when it repeats, are
    /// worked out only once a NUL was found.
    private static func scan(_ bytes: UnsafeRawBufferPointer, _ layout: MessageLayout) throws(Found) {
        var reader = WireReader(bytes)
        while !reader.isAtEnd {
            let start = reader.offset
            guard let (number, type) = try? reader.nextField() else { return }
            guard type == .lengthDelimited, let field = layout.field(number: number), field.kind == .string || field.kind == .message
            else {
                guard (try? reader.skip(type)) != nil else { return }
                continue
            }
            guard let value = try? reader.lengthDelimited() else { return }
            do throws(Found) {
                if field.kind == .string {
                    guard let first = value.baseAddress, let nul = memchr(first, 0, value.count) else { continue }
                    throw Found(path: [], byte: UnsafeRawPointer(nul) - first)
                }
                if let child = field.messageDescriptor { try self.scan(value, ProtoSchema.layout(of: child)) }
            } catch {
                var found = error
                let index = field.isRepeated ? self.occurrences(of: number, in: bytes, before: start) : nil
                found.path.append(field.jsonName + (index.map { "[\($0)]" } ?? ""))
                throw found
            }
        }
    }

    /// How many times field `number` occurs in `bytes` before byte `end` (a repeated field's index).
    private static func occurrences(of number: Int, in bytes: UnsafeRawBufferPointer, before end: Int) -> Int {
        var reader = WireReader(bytes)
        var count = 0
        while reader.offset < end, let (seen, type) = try? reader.nextField() {
            if seen == number { count += 1 }
            guard (try? reader.skip(type)) != nil else { break }
        }
        return count
    }
}
