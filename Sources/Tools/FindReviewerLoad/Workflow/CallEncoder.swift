import Messages
import RPC

/// Builds whole REQUEST frames (call id 0, patched in by the engine): the header of each method
/// (method name, deadline, authorization) is encoded once and reused.
struct CallEncoder {
    /// The deadline every call carries, in milliseconds.
    let timeoutMs: UInt64
    /// `authorization` (when there is a key).
    let metadata: [MetadataEntry]
    private var headers: [[UInt8]?] = Array(repeating: nil, count: LoadOperation.allCases.count)

    init(key: String?, timeoutMs: UInt64) {
        self.timeoutMs = timeoutMs
        self.metadata = key.map { [MetadataEntry(key: "authorization", value: "Bearer \($0)")] } ?? []
    }

    /// The frame of a call of `operation` with `message`; an `idempotencyKey` goes into the
    /// call's own header (so that header is encoded for this call alone).
    mutating func frame<Message: ProtoMessage>(_ operation: LoadOperation, _ message: Message, idempotencyKey: String? = nil) -> [UInt8] {
        let header: [UInt8]
        if let idempotencyKey {
            header = Self.encode(
                RequestHeader(
                    method: operation.method, timeoutMs: self.timeoutMs,
                    metadata: self.metadata + [MetadataEntry(key: "idempotency-key", value: idempotencyKey)]))
        } else if let cached = self.headers[operation.rawValue] {
            header = cached
        } else {
            header = Self.encode(RequestHeader(method: operation.method, timeoutMs: self.timeoutMs, metadata: self.metadata))
            self.headers[operation.rawValue] = header
        }
        let payload = Self.encode(message)
        var frame: [UInt8] = []
        frame.reserveCapacity(Frame.fixedSize + header.count + payload.count)
        Frame.encode(type: .request, callId: 0, header: header, payload: payload, into: &frame)
        return frame
    }

    /// The message's bytes; the load tool builds only valid messages, so a failure is a bug.
    static func encode<Message: ProtoMessage>(_ message: Message) -> [UInt8] {
        do {
            return try message.serializedBytes()
        } catch {
            preconditionFailure("cannot encode \(Message.protoName): \(error.message)")
        }
    }
}

/// A set of small integers (slot numbers) with O(1) insert, remove and random pick.
struct IndexPool {
    private(set) var items: [Int32] = []
    /// Position of each member in `items`, -1 for non-members, indexed by the number.
    private var positions: [Int32] = []

    var isEmpty: Bool { self.items.isEmpty }
    var count: Int { self.items.count }

    func contains(_ value: Int32) -> Bool { Int(value) < self.positions.count && self.positions[Int(value)] >= 0 }

    mutating func insert(_ value: Int32) {
        if Int(value) >= self.positions.count {
            self.positions.append(contentsOf: repeatElement(-1, count: Int(value) + 1 - self.positions.count))
        }
        guard self.positions[Int(value)] < 0 else { return }
        self.positions[Int(value)] = Int32(self.items.count)
        self.items.append(value)
    }

    mutating func remove(_ value: Int32) {
        guard self.contains(value) else { return }
        let position = Int(self.positions[Int(value)])
        let last = self.items.removeLast()
        if position < self.items.count {
            self.items[position] = last
            self.positions[Int(last)] = Int32(position)
        }
        self.positions[Int(value)] = -1
    }

    /// A member chosen by `random`, or nil when empty.
    func pick(_ random: UInt64) -> Int32? {
        self.items.isEmpty ? nil : self.items[Int(random % UInt64(self.items.count))]
    }
}
