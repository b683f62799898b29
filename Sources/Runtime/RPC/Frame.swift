/// Frame types (PROTOCOL.md "Frames").
public enum FrameType: UInt8, Sendable {
    /// Client → server: a call. Header: RequestHeader; payload: the request message.
    case request = 1
    /// Server → client: the outcome of a call. Header: ResponseHeader; payload: the response message (OK only).
    case response = 2
    /// Client → server: abandon a call; no response follows.
    case cancel = 3
    /// Either way: liveness check; payload (≤ 64 bytes) is echoed in a PONG.
    case ping = 4
    /// The answer to a PING, with its payload.
    case pong = 5
    /// Server → client: no new calls will be accepted. Header: GoAway.
    case goAway = 6
    /// Either way, just before closing: why. Header: ConnectionError.
    case connectionError = 7
}

/// One decoded frame. Header and payload are protobuf bytes (either may be empty).
public struct Frame: Sendable, Equatable {
    public var type: FrameType
    /// Reserved; always 0 in version 1.
    public var flags: UInt8
    /// Chosen by the client for REQUEST (non-zero, unique among its calls in flight); 0 for
    /// connection-level frames.
    public var callId: UInt32
    public var header: [UInt8]
    public var payload: [UInt8]

    /// Creates a frame.
    public init(type: FrameType, flags: UInt8 = 0, callId: UInt32, header: [UInt8] = [], payload: [UInt8] = []) {
        self.type = type
        self.flags = flags
        self.callId = callId
        self.header = header
        self.payload = payload
    }

    /// Size of the fixed part: u32 length, u8 type, u8 flags, u16 header length, u32 call id.
    public static let fixedSize = 12

    /// Appends the frame's bytes (big-endian fixed part, then header, then payload).
    public func encode(into buffer: inout [UInt8]) {
        Frame.encode(type: self.type, flags: self.flags, callId: self.callId, header: self.header, payload: self.payload, into: &buffer)
    }

    /// The frame's bytes.
    public var bytes: [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(Frame.fixedSize + self.header.count + self.payload.count)
        self.encode(into: &buffer)
        return buffer
    }

    /// Appends a frame without building a `Frame` first (the hot path).
    public static func encode(
        type: FrameType, flags: UInt8 = 0, callId: UInt32, header: [UInt8], payload: [UInt8], into buffer: inout [UInt8]
    ) {
        let length = UInt32(header.count + payload.count)
        buffer.append(UInt8(truncatingIfNeeded: length >> 24))
        buffer.append(UInt8(truncatingIfNeeded: length >> 16))
        buffer.append(UInt8(truncatingIfNeeded: length >> 8))
        buffer.append(UInt8(truncatingIfNeeded: length))
        buffer.append(type.rawValue)
        buffer.append(flags)
        buffer.append(UInt8(truncatingIfNeeded: header.count >> 8))
        buffer.append(UInt8(truncatingIfNeeded: header.count))
        buffer.append(UInt8(truncatingIfNeeded: callId >> 24))
        buffer.append(UInt8(truncatingIfNeeded: callId >> 16))
        buffer.append(UInt8(truncatingIfNeeded: callId >> 8))
        buffer.append(UInt8(truncatingIfNeeded: callId))
        buffer.append(contentsOf: header)
        buffer.append(contentsOf: payload)
    }
}

/// The connection preface each side sends first (PROTOCOL.md "Connection preface").
public enum Preface {
    /// `F R V W`, protocol version 1 (u16), two reserved zero bytes.
    public static let bytes: [UInt8] = [0x46, 0x52, 0x56, 0x57, 0x00, 0x01, 0x00, 0x00]
    /// The magic, the first four bytes.
    public static let magic: [UInt8] = Array(bytes.prefix(4))
    /// The protocol version this implementation speaks.
    public static let version: UInt16 = 1
}
