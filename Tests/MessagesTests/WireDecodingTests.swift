import Foundation
@testable import Messages
import Testing

/// `init(serializedBytes:)` reads straight from the wire when it is sure protobuf-c would read
/// the same; protobuf-c's unpacker is the reference, and decides everything else.
@Suite("Direct wire decoding: what protobuf-c unpacks, or left to it")
struct WireDecodingTests {
    @Test("every message type with every field set is decoded directly, to the value protobuf-c unpacks")
    func everyType() throws {
        for type in ProtoMessages.all {
            for seed in [1, 2, 300] { try Self.check(type, seed: seed) }
        }
    }

    private static func check<M: ProtoMessage>(_ type: M.Type, seed: Int) throws {
        let value = try M(jsonString: Fixtures.filledJSON(M.layout, seed: seed).serialized())
        let bytes = try value.serializedBytes()
        try bytes.withUnsafeBytes { raw in
            #expect(M.decodesDirectly(raw), "\(M.protoName) seed \(seed) was left to protobuf-c")
            let direct = try #require(WireDecoding.decode(M.self, raw, budget: 1 << 20))
            #expect(direct == value, "\(M.protoName) seed \(seed)")
            #expect(try M(protobufCBytes: raw, budget: 1 << 20) == direct)
        }
        let empty = try M(jsonString: "{}")
        #expect(try [UInt8]().withUnsafeBytes { try #require(WireDecoding.decode(M.self, $0, budget: 1 << 16)) } == empty)
    }

    @Test("mutated encodings of every type: the two decoders agree on each, and both paths are taken")
    func mutations() throws {
        var generator = SplitMix64(seed: 7)
        var direct = 0
        var total = 0
        for type in ProtoMessages.all {
            let (taken, count) = try Self.mutate(type, &generator)
            direct += taken
            total += count
        }
        // Both outcomes occur: the check is not vacuous.
        #expect(direct > total / 20, "\(direct) of \(total) mutants decoded directly")
        #expect(direct < total, "every mutant decoded directly")
    }

    private static func mutate<M: ProtoMessage>(_ type: M.Type, _ generator: inout SplitMix64) throws -> (Int, Int) {
        let original = try M(jsonString: Fixtures.filledJSON(M.layout, seed: 3).serialized()).serializedBytes()
        guard !original.isEmpty else { return (0, 0) }
        var direct = 0
        let rounds = 150
        for _ in 0..<rounds {
            var bytes = original
            for _ in 0...(generator.next() % 3) {
                let index = Int(generator.next() % UInt64(bytes.count))
                switch generator.next() % 4 {
                case 0: bytes[index] = UInt8(truncatingIfNeeded: generator.next())
                case 1: bytes[index] ^= 1 << (generator.next() % 8)
                case 2: bytes.removeSubrange(index...)
                default: bytes.insert(UInt8(truncatingIfNeeded: generator.next()), at: index)
                }
                if bytes.isEmpty { break }
            }
            bytes.withUnsafeBytes { raw in
                #expect(M.wireDecodingAgrees(raw), "\(M.protoName): \(bytes)")
                if M.decodesDirectly(raw) { direct += 1 }
            }
        }
        return (direct, rounds)
    }

    /// Field 1 (business_id) and 2 (review_id) of GetReviewRequest as wire bytes.
    private static func field(_ number: UInt8, _ text: String) -> [UInt8] {
        [number << 3 | 2, UInt8(text.utf8.count)] + Array(text.utf8)
    }

    @Test("a repeated scalar singular field: the last occurrence wins, as protobuf-c reads it")
    func lastWins() throws {
        let bytes = Self.field(1, "first") + Self.field(2, "review") + Self.field(1, "second")
        let request = try GetReviewRequest(serializedBytes: bytes)
        #expect(request.businessId == "second")
        #expect(request.reviewId == "review")
        #expect(bytes.withUnsafeBytes { GetReviewRequest.decodesDirectly($0) && GetReviewRequest.wireDecodingAgrees($0) })
    }

    @Test("unknown fields are skipped; packed and unpacked repeated enums both read")
    func unknownAndPacked() throws {
        // ListInfoRequestsRequest: statuses = 2 (repeated enum), page_size = 4.
        let unknown: [UInt8] = [0xF8, 0x01, 0x05, 0xFA, 0x01, 0x02, 0x41, 0x42]  // fields 31 (varint) and 31 (bytes)
        let packed: [UInt8] = [0x12, 0x02, 0x01, 0x02]
        let unpacked: [UInt8] = [0x10, 0x01, 0x10, 0x02]
        let business = Self.field(1, "b1")
        for statuses in [packed, unpacked] {
            let bytes = business + unknown + statuses + [0x20, 0x14]
            let request = try ListInfoRequestsRequest(serializedBytes: bytes)
            #expect(request.statuses.map(\.rawValue) == [1, 2])
            #expect(request.pageSize == 20)
            #expect(request.businessId == "b1")
            #expect(bytes.withUnsafeBytes { ListInfoRequestsRequest.decodesDirectly($0) && ListInfoRequestsRequest.wireDecodingAgrees($0) })
        }
    }

    @Test("what only protobuf-c may decide is left to it, with its precise errors")
    func leftToProtobufC() throws {
        // A key in 6 bytes (protobuf-c reads at most 5): malformed, not read as field 1.
        let longKey: [UInt8] = [0x8A, 0x80, 0x80, 0x80, 0x80, 0x00, 0x01, 0x41]
        #expect(!longKey.withUnsafeBytes { GetReviewRequest.decodesDirectly($0) })
        #expect(throws: MessageError.self) { try GetReviewRequest(serializedBytes: longKey) }
        // Invalid UTF-8 and an embedded NUL keep their errors, naming the field.
        let invalid = [0x0A, 0x02, 0xC3, 0x28] as [UInt8]
        #expect(!invalid.withUnsafeBytes { GetReviewRequest.decodesDirectly($0) })
        do {
            _ = try GetReviewRequest(serializedBytes: invalid)
            Issue.record("invalid UTF-8 was accepted")
        } catch {
            #expect(error.code == .malformed)
        }
        let nul = Self.field(2, "a\u{0}b")
        do {
            _ = try GetReviewRequest(serializedBytes: nul)
            Issue.record("a NUL was accepted")
        } catch {
            #expect(error.code == .invalidValue)
            #expect(error.field == "reviewId")
        }
        // A wire type the declaration does not allow (a varint for a string).
        let wrongType: [UInt8] = [0x08, 0x01]
        #expect(!wrongType.withUnsafeBytes { GetReviewRequest.decodesDirectly($0) })
        #expect(throws: MessageError.self) { try GetReviewRequest(serializedBytes: wrongType) }
        // An enum number the schema lacks.
        let unknownStatus: [UInt8] = [0x10, 0x63]
        #expect(!unknownStatus.withUnsafeBytes { ListInfoRequestsRequest.decodesDirectly($0) })
        #expect(throws: MessageError.self) { try ListInfoRequestsRequest(serializedBytes: unknownStatus) }
    }

    @Test("a singular submessage sent twice is merged by protobuf-c, not read directly")
    func mergedSubmessage() throws {
        // GetReviewResponse.view (field 1) twice: protobuf merges the two.
        let first = try BusinessReviewView(review: Review(id: "r1", businessId: "b1")).serializedBytes()
        let second = try BusinessReviewView(review: Review(title: "t")).serializedBytes()
        let bytes = [0x0A, UInt8(first.count)] + first + [0x0A, UInt8(second.count)] + second
        #expect(!bytes.withUnsafeBytes { GetReviewResponse.decodesDirectly($0) })
        let merged = try GetReviewResponse(serializedBytes: bytes)
        #expect(merged.view?.review?.id == "r1")
        #expect(merged.view?.review?.title == "t")
    }

    @Test("near the budget, protobuf-c decides")
    func budget() throws {
        let bytes = try ListInfoRequestsRequest(businessId: String(repeating: "b", count: 200)).serializedBytes()
        #expect(bytes.withUnsafeBytes { WireDecoding.decode(ListInfoRequestsRequest.self, $0, budget: 100) } == nil)
        #expect(throws: MessageError.self) { try ListInfoRequestsRequest(serializedBytes: bytes, budget: 100) }
        #expect(try ListInfoRequestsRequest(serializedBytes: bytes, budget: 4_096).businessId.count == 200)
    }
}
