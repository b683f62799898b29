import Foundation
import Messages
import Testing

@Suite("Round trips of every message type")
struct RoundTripTests {
    static let allTypeNames = ProtoMessages.all.map { $0.protoName }

    @Test("Every message type in Protos/ has a generated Swift type")
    func everyDescriptorHasASwiftType() {
        #expect(Set(Self.allTypeNames) == Set(ProtoSchema.messages.keys))
        #expect(ProtoSchema.messages.count > 80)
    }

    @Test("wire and JSON round trip with every field set", arguments: allTypeNames)
    func roundTrip(typeName: String) throws {
        let type = try #require(ProtoMessages.all.first { $0.protoName == typeName })
        try Self.check(type)
    }

    private static func check<M: ProtoMessage>(_ type: M.Type) throws {
        let json = Fixtures.filledJSON(M.layout).serialized()
        let value = try M(jsonString: json)
        let bytes = try value.serializedBytes()
        let decoded = try M(serializedBytes: bytes)
        #expect(decoded == value)
        // Every field survives: the JSON we write is the JSON we read.
        #expect(try decoded.jsonString() == json)
        // The generic (type-erased) path gives the same bytes and JSON.
        #expect(try ProtoJSON.wireBytes(typeName: M.protoName, json: json) == bytes)
        #expect(try ProtoJSON.jsonString(typeName: M.protoName, wireBytes: bytes) == json)
        if !M.layout.fields.isEmpty {
            // A default message is empty on the wire.
            #expect(try M(jsonString: "{}").serializedBytes().isEmpty)
            #expect(try M(serializedBytes: []) != value)
        }
    }

    @Test("typed construction encodes as expected")
    func typedConstruction() throws {
        let request = Fixtures.makeCreateInfoRequest()
        let decoded = try CreateInfoRequestRequest(serializedBytes: request.serializedBytes())
        #expect(decoded.businessId == "biz-acme")
        #expect(decoded.requestedFields == [.referenceNumber, .fullName])
        #expect(decoded.acknowledgeIntro)
        let view = BusinessReviewView(review: Review(id: "r1", rating: 4), reviewerDisplayName: "Ann")
        let viewBack = try BusinessReviewView(serializedBytes: view.serializedBytes())
        #expect(viewBack.review?.rating == 4)
        #expect(viewBack.findReviewer == nil)
    }
}
