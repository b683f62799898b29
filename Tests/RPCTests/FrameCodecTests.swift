import Messages
@testable import RPC
import Testing

@Suite("Frame codec: pure, incremental, limits before allocation")
struct FrameCodecTests {
    static func sampleStream() -> [UInt8] {
        var bytes = Preface.bytes
        RawPeer.request(1, "findreviewer.v1.Health/Check", try! HealthCheckRequest(service: "x").serializedBytes()).encode(into: &bytes)
        Frame(type: .ping, callId: 0, payload: [1, 2, 3, 4, 5, 6, 7, 8]).encode(into: &bytes)
        Frame(type: .cancel, callId: 1).encode(into: &bytes)
        RawPeer.request(7, "test.Echo/Echo", [UInt8](repeating: 0x2A, count: 100_000)).encode(into: &bytes)
        return bytes
    }

    static func decodeAll(_ bytes: [UInt8], chunk: Int) throws -> [Frame] {
        var decoder = FrameDecoder(expectingPreface: true)
        var frames: [Frame] = []
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + chunk)
            decoder.feed(Array(bytes[offset..<end]))
            offset = end
            while let frame = try decoder.next() { frames.append(frame) }
        }
        #expect(decoder.bufferedCount == 0)
        return frames
    }

    @Test("byte by byte, in batches and all at once give the same frames", arguments: [1, 7, 12, 4_096, 1 << 30])
    func incremental(chunk: Int) throws {
        let bytes = Self.sampleStream()
        let frames = try Self.decodeAll(bytes, chunk: chunk)
        #expect(frames.map(\.type) == [.request, .ping, .cancel, .request])
        #expect(frames.map(\.callId) == [1, 0, 1, 7])
        #expect(frames[3].payload.count == 100_000)
        #expect(try frames == Self.decodeAll(bytes, chunk: 1 << 30))
    }

    @Test("encoding is the documented layout: big-endian length, type, flags, header length, call id")
    func layout() {
        let frame = Frame(type: .response, callId: 0x0102_0304, header: [0xAA], payload: [0xBB, 0xCC])
        #expect(frame.bytes == [0, 0, 0, 3, 2, 0, 0, 1, 1, 2, 3, 4, 0xAA, 0xBB, 0xCC])
    }

    @Test("an oversized payload is refused from the fixed part alone (RESOURCE_EXHAUSTED)")
    func oversizedPayload() {
        var decoder = FrameDecoder(limits: FrameLimits(maxHeaderBytes: 8 << 10, maxPayloadBytes: 4 << 20))
        // length 0x7FFFFFFF, REQUEST, header length 0: only the 12 bytes are ever sent.
        decoder.feed([0x7F, 0xFF, 0xFF, 0xFF, 1, 0, 0, 0, 0, 0, 0, 1])
        #expect(throws: FrameError(code: .resourceExhausted, message: "payload of 2147483647 bytes exceeds the limit of 4194304", reason: .payloadTooLarge)) {
            _ = try decoder.next()
        }
    }

    @Test("an oversized header is refused (RESOURCE_EXHAUSTED)")
    func oversizedHeader() {
        var decoder = FrameDecoder()
        decoder.feed([0, 0, 0x30, 0, 1, 0, 0x30, 0, 0, 0, 0, 1])
        #expect(throws: FrameError.self) { _ = try decoder.next() }
    }

    @Test("malformed frames: unknown type, header longer than frame, bad preface, wrong version")
    func malformed() {
        var unknownType = FrameDecoder()
        unknownType.feed([0, 0, 0, 0, 99, 0, 0, 0, 0, 0, 0, 0])
        #expect(throws: FrameError.self) { _ = try unknownType.next() }
        var headerTooLong = FrameDecoder()
        headerTooLong.feed([0, 0, 0, 1, 1, 0, 0, 2, 0, 0, 0, 1, 0])
        #expect(throws: FrameError.self) { _ = try headerTooLong.next() }
        var badPreface = FrameDecoder(expectingPreface: true)
        badPreface.feed(Array("GET / HTTP/1.1\r\n".utf8))
        #expect(throws: FrameError.self) { _ = try badPreface.next() }
        var wrongVersion = FrameDecoder(expectingPreface: true)
        wrongVersion.feed([0x46, 0x52, 0x56, 0x57, 0, 9, 0, 0])
        let error = #expect(throws: FrameError.self) { _ = try wrongVersion.next() }
        #expect(error?.code == .unimplemented)
    }

    @Test("an error's status message is cut to 1,024 characters, whatever its bytes; a shorter one goes as it is")
    func statusMessageLength() {
        for (message, expected) in [
            ("short", "short"), (String(repeating: "x", count: 1_024), String(repeating: "x", count: 1_024)),
            (String(repeating: "x", count: 2_000), String(repeating: "x", count: 1_024)),
            (String(repeating: "é", count: 600), String(repeating: "é", count: 600)),
            (String(repeating: "é", count: 1_500), String(repeating: "é", count: 1_024)),
        ] {
            #expect(RPCError(.failedPrecondition, message).responseHeader.statusMessage == expected)
        }
    }

    @Test("status codes have gRPC's numbers and names")
    func statusCodes() {
        #expect(StatusCode.unauthenticated.rawValue == 16)
        #expect(StatusCode.resourceExhausted.name == "RESOURCE_EXHAUSTED")
        #expect(StatusCode(name: "NOT_FOUND") == .notFound)
    }
}
