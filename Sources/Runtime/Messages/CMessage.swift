import CProtobufC
import Foundation

/// Allocation, packing, unpacking and freeing of protobuf-c message structs.
///
/// Every struct this layer builds is allocated with `malloc`, field by field, exactly as
/// protobuf-c's default allocator would, so `protobuf_c_message_free_unpacked` with the
/// default allocator releases it. Unpacked structs use a counting allocator instead.
enum CMessage {
    /// A fresh struct of the layout's type with every field at its default.
    static func allocate(_ layout: MessageLayout) -> UnsafeMutableRawPointer {
        let raw = malloc(layout.structSize)!
        layout.descriptor.pointee.message_init(raw.assumingMemoryBound(to: ProtobufCMessage.self))
        return raw
    }

    /// Frees a struct built by this layer (default allocator).
    static func free(_ message: UnsafeMutableRawPointer) {
        protobuf_c_message_free_unpacked(message.assumingMemoryBound(to: ProtobufCMessage.self), nil)
    }

    /// Builds the protobuf-c struct for a Swift value.
    static func build<M: ProtoMessage>(from value: M) throws(MessageError) -> UnsafeMutableRawPointer {
        let message = self.allocate(M.layout)
        do {
            try value.write(to: FieldWriter(layout: M.layout, base: message))
        } catch {
            self.free(message)
            throw MessageError.wrap(error)
        }
        return message
    }

    /// Reads a Swift value out of a protobuf-c struct (`nil`: every field at its default).
    static func decode<M: ProtoMessage>(_ type: M.Type, from message: UnsafeRawPointer?) throws(MessageError) -> M {
        do {
            return try M(reader: FieldReader(layout: M.layout, base: message))
        } catch {
            throw MessageError.wrap(error)
        }
    }

    /// The wire encoding of a struct.
    static func pack(_ message: UnsafeMutableRawPointer) -> [UInt8] {
        let typed = UnsafePointer(message.assumingMemoryBound(to: ProtobufCMessage.self))
        let size = protobuf_c_message_get_packed_size(typed)
        // An empty message is the empty array itself: with capacity 0 the array's initializer
        // would store the count into the standard library's shared empty-array storage, a write
        // that make tsan reported when two threads packed empty messages at once.
        guard size > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            count = protobuf_c_message_pack(typed, buffer.baseAddress)
        }
    }

    /// Unpacks `bytes` with a counting allocator limited to `budget` bytes, runs `body` on the
    /// struct, and frees it with the same allocator whatever happens.
    static func withUnpacked<R>(
        _ layout: MessageLayout, _ bytes: UnsafeRawBufferPointer, budget: Int,
        _ body: (UnsafeRawPointer) throws(MessageError) -> R
    ) throws(MessageError) -> R {
        var state = AllocationBudget(remaining: budget)
        return try withUnsafeMutablePointer(to: &state) { (statePointer) throws(MessageError) -> R in
            var allocator = ProtobufCAllocator(
                alloc: countingAlloc, free: countingFree, allocator_data: UnsafeMutableRawPointer(statePointer))
            let emptyByte: UInt8 = 0
            let unpacked: UnsafeMutablePointer<ProtobufCMessage>? = withUnsafePointer(to: emptyByte) { empty in
                // protobuf-c wants a non-null pointer even for an empty (all-default) message.
                let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? empty
                return protobuf_c_message_unpack(layout.descriptor, &allocator, bytes.count, base)
            }
            guard let unpacked else {
                if statePointer.pointee.exceeded {
                    throw MessageError(
                        .budgetExceeded,
                        "decoding \(bytes.count) bytes of \(layout.name) needs more than \(budget) bytes of memory")
                }
                throw MessageError(.malformed, "\(bytes.count) bytes are not a valid \(layout.name)")
            }
            defer { protobuf_c_message_free_unpacked(unpacked, &allocator) }
            return try body(UnsafeRawPointer(unpacked))
        }
    }
}

/// Bytes an unpack may still allocate; shared with the C callbacks through `allocator_data`.
private struct AllocationBudget {
    var remaining: Int
    var exceeded = false
}

private let countingAlloc: @convention(c) (UnsafeMutableRawPointer?, Int) -> UnsafeMutableRawPointer? = {
    data, size in
    let budget = data!.assumingMemoryBound(to: AllocationBudget.self)
    guard size <= budget.pointee.remaining else {
        budget.pointee.exceeded = true
        return nil
    }
    budget.pointee.remaining -= size
    return malloc(size)
}

private let countingFree: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> Void = {
    _, pointer in
    Foundation.free(pointer)
}

extension MessageError {
    /// Any error thrown through Codable, as a ``MessageError``.
    static func wrap(_ error: any Error) -> MessageError {
        if let error = error as? MessageError { return error }
        return MessageError(.schemaMismatch, "\(error)")
    }
}
