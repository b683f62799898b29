import Foundation
@testable import Messages
import Testing

/// `serializedBytes()` writes the wire format directly; protobuf-c's packer is the reference.
@Suite("Direct wire writer: byte for byte what protobuf-c packs")
struct WireWriterTests {
    @Test("every message type with every field set, with edge values, is packed identically")
    func everyType() throws {
        for type in ProtoMessages.all {
            for seed in [1, 2, 300] {
                try Self.check(type, seed: seed)
            }
        }
    }

    private static func check<M: ProtoMessage>(_ type: M.Type, seed: Int) throws {
        let value = try M(jsonString: Fixtures.filledJSON(M.layout, seed: seed).serialized())
        #expect(try value.serializedBytes() == value.protobufCBytes(), "\(M.protoName) seed \(seed)")
        // Written directly, not left to protobuf-c (every field type of Protos/ is covered).
        let wire = WireBuffer()
        defer { wire.deallocate() }
        try value.write(to: FieldWriter(layout: M.layout, wire: wire))
        #expect(wire.bytes == (try value.protobufCBytes()))
        let empty = try M(jsonString: "{}")
        #expect(try empty.serializedBytes() == empty.protobufCBytes())
    }

    @Test("long strings, empty submessages, negative numbers, NUL")
    func edgeCases() throws {
        let long = String(repeating: "å", count: 5_000)  // a two-byte length prefix and more
        let request = CreateInfoRequestRequest(
            businessId: long, reviewId: "", message: "x", requestedFields: [], referenceLabel: long, acknowledgeIntro: false)
        #expect(try request.serializedBytes() == request.protobufCBytes())
        let view = BusinessReviewView(review: Review(), reviewerDisplayName: "", findReviewer: nil)  // present but empty
        #expect(try view.serializedBytes() == view.protobufCBytes())
        #expect(try view.serializedBytes().count == 2)
        let reply = ReviewerReply(fullName: "Åsa", repliedAt: -5)
        #expect(try reply.serializedBytes() == reply.protobufCBytes())
        let nul = CreateInfoRequestRequest(businessId: "a\u{0}b")
        let error = #expect(throws: MessageError.self) { try nul.serializedBytes() }
        #expect(error?.code == .invalidValue)
    }
}
