/// Limits a decoder enforces before it allocates anything for a frame.
public struct FrameLimits: Sendable, Equatable {
    /// Largest protobuf header (default 8 KiB).
    public var maxHeaderBytes: Int
    /// Largest payload (default 4 MiB).
    public var maxPayloadBytes: Int

    /// The defaults of PROTOCOL.md.
    public static let `default` = FrameLimits(maxHeaderBytes: 8 << 10, maxPayloadBytes: 4 << 20)

    /// Creates limits.
    public init(maxHeaderBytes: Int, maxPayloadBytes: Int) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxPayloadBytes = maxPayloadBytes
    }
}

/// Why the byte stream cannot be read any further: a connection-level error.
public struct FrameError: Error, Sendable, Equatable {
    /// RESOURCE_EXHAUSTED for limits, INVALID_ARGUMENT for malformed frames or preface.
    public var code: StatusCode
    /// What was wrong, for the CONNECTION_ERROR frame.
    public var message: String
    /// Which limit or rule it broke, for `findreviewer_rpc_frames_refused_total`.
    public var reason: FrameRefusal = .malformed
}

/// Incremental frame decoding: bytes in, frames out, pure (no I/O).
///
/// Feed bytes as they arrive; `next()` returns a complete frame or nil when more bytes are
/// needed. The fixed part is checked against the limits before the rest is awaited, so an
/// oversized frame is refused from its first 12 bytes.
public struct FrameDecoder: Sendable {
    /// The limits in force.
    public let limits: FrameLimits
    private var buffer: [UInt8] = []
    private var start = 0
    private var expectsPreface: Bool

    /// A decoder; with `expectingPreface` the stream must begin with ``Preface/bytes``.
    public init(limits: FrameLimits = .default, expectingPreface: Bool = false) {
        self.limits = limits
        self.expectsPreface = expectingPreface
    }

    /// Bytes received but not yet returned as frames.
    public var bufferedCount: Int { self.buffer.count - self.start }

    /// Whether a frame has started but not yet completed (for the half-received-frame timeout).
    public var isMidFrame: Bool { self.bufferedCount > 0 }

    /// Adds received bytes.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        if self.start > 0 && self.start == self.buffer.count {
            self.buffer.removeAll(keepingCapacity: true)
            self.start = 0
        }
        self.buffer.append(contentsOf: bytes)
    }

    /// Adds received bytes.
    public mutating func feed(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { self.feed($0) }
    }

    /// The next complete frame, or nil when more bytes are needed.
    public mutating func next() throws(FrameError) -> Frame? {
        try self.nextView { frame in
            Frame(type: frame.type, flags: frame.flags, callId: frame.callId, header: Array(frame.header), payload: Array(frame.payload))
        }
    }

    /// Like ``next()``, without copying: `body` sees the next complete frame's header and payload
    /// in the decoder's buffer (valid only during the call) and its result is returned; nil when
    /// more bytes are needed. For readers that look at most frames without keeping them (a load
    /// generator checking statuses).
    public mutating func nextView<Result>(_ body: (FrameView) -> Result) throws(FrameError) -> Result? {
        if self.expectsPreface {
            guard self.bufferedCount >= Preface.bytes.count else {
                // Refuse a wrong magic as soon as it shows, without waiting for all 8 bytes.
                let seen = Array(self.buffer[self.start...].prefix(4))
                if seen != Array(Preface.magic.prefix(seen.count)) { throw self.badPreface() }
                return nil
            }
            let preface = Array(self.buffer[self.start..<self.start + Preface.bytes.count])
            guard Array(preface.prefix(4)) == Preface.magic else { throw self.badPreface() }
            let version = UInt16(preface[4]) << 8 | UInt16(preface[5])
            guard version == Preface.version else {
                throw FrameError(
                    code: .unimplemented, message: "protocol version \(version) is not supported; this server speaks version \(Preface.version)",
                    reason: .unsupportedVersion)
            }
            self.start += Preface.bytes.count
            self.expectsPreface = false
        }
        guard self.bufferedCount >= Frame.fixedSize else { return nil }
        let fixed = self.start
        let length = Int(self.buffer[fixed]) << 24 | Int(self.buffer[fixed + 1]) << 16 | Int(self.buffer[fixed + 2]) << 8
            | Int(self.buffer[fixed + 3])
        let typeByte = self.buffer[fixed + 4]
        let flags = self.buffer[fixed + 5]
        let headerLength = Int(self.buffer[fixed + 6]) << 8 | Int(self.buffer[fixed + 7])
        let callId = UInt32(self.buffer[fixed + 8]) << 24 | UInt32(self.buffer[fixed + 9]) << 16
            | UInt32(self.buffer[fixed + 10]) << 8 | UInt32(self.buffer[fixed + 11])
        guard let type = FrameType(rawValue: typeByte) else {
            throw FrameError(code: .invalidArgument, message: "unknown frame type \(typeByte)", reason: .unknownType)
        }
        guard headerLength <= length else {
            throw FrameError(code: .invalidArgument, message: "header length \(headerLength) exceeds frame length \(length)")
        }
        guard headerLength <= self.limits.maxHeaderBytes else {
            throw FrameError(
                code: .resourceExhausted, message: "frame header of \(headerLength) bytes exceeds the limit of \(self.limits.maxHeaderBytes)",
                reason: .headerTooLarge)
        }
        let payloadLength = length - headerLength
        guard payloadLength <= self.limits.maxPayloadBytes else {
            throw FrameError(
                code: .resourceExhausted, message: "payload of \(payloadLength) bytes exceeds the limit of \(self.limits.maxPayloadBytes)",
                reason: .payloadTooLarge)
        }
        guard self.bufferedCount >= Frame.fixedSize + length else { return nil }
        let headerStart = fixed + Frame.fixedSize
        let result = self.buffer.withUnsafeBytes { bytes in
            body(
                FrameView(
                    type: type, flags: flags, callId: callId,
                    header: UnsafeRawBufferPointer(rebasing: bytes[headerStart..<headerStart + headerLength]),
                    payload: UnsafeRawBufferPointer(rebasing: bytes[headerStart + headerLength..<headerStart + length])))
        }
        self.start += Frame.fixedSize + length
        // Compact once the consumed prefix dominates, so the buffer does not grow without bound.
        if self.start == self.buffer.count {
            self.buffer.removeAll(keepingCapacity: true)
            self.start = 0
        } else if self.start > 65_536 && self.start * 2 > self.buffer.count {
            self.buffer.removeFirst(self.start)
            self.start = 0
        }
        return result
    }

    private func badPreface() -> FrameError {
        FrameError(code: .invalidArgument, message: "bad connection preface: expected the bytes 46 52 56 57 00 01 00 00 (\"FRVW\", version 1)", reason: .badPreface)
    }
}

/// A decoded frame seen in place (``FrameDecoder/nextView(_:)``): `header` and `payload` point
/// into the decoder's buffer and are valid only while the closure that received them runs.
public struct FrameView {
    /// The frame's type.
    public var type: FrameType
    /// Reserved; always 0 in version 1.
    public var flags: UInt8
    /// The call it belongs to; 0 for connection-level frames.
    public var callId: UInt32
    /// The protobuf header bytes (may be empty).
    public var header: UnsafeRawBufferPointer
    /// The payload bytes (may be empty).
    public var payload: UnsafeRawBufferPointer
}
