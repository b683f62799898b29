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

    /// (type, case) for every member of every oneof.
    static let oneofCases: [String] = ProtoMessages.all.flatMap { type in
        type.layout.oneofs.flatMap { $0.indices.map { "\(type.protoName)#\($0)" } }
    }

    @Test("wire and JSON round trip with each case of each oneof set", arguments: oneofCases)
    func oneofRoundTrip(typeAndCase: String) throws {
        let parts = typeAndCase.split(separator: "#")
        let type = try #require(ProtoMessages.all.first { $0.protoName == parts[0] })
        try Self.check(type, oneofCase: Int(parts[1])!)
    }

    @Test("messages with a oneof are here, and a oneof has more than one member")
    func oneofsAreKnown() throws {
        #expect(Self.oneofCases.count >= 8 + 23)
        let item = try #require(ProtoSchema.messages["findreviewer.v1.SnapshotItem"])
        #expect(item.oneofs.map { $0.map(\.number) } == [[1, 2, 3, 4, 5, 6, 7, 8]])
        #expect(ProtoSchema.messages["findreviewer.v1.StoredEvent"]?.oneofs.first?.count == 23)
    }

    private static func check<M: ProtoMessage>(_ type: M.Type, oneofCase: Int? = nil) throws {
        let json = Fixtures.filledJSON(M.layout, oneofCase: oneofCase).serialized()
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

    @Test("each generated wire reader (init(wire:)) reads what protobuf-c reads, every field set, each oneof case",
        arguments: ProtoMessages.wireReadable.map { $0.protoName })
    func wireReaderAgrees(typeName: String) throws {
        let type = try #require(ProtoMessages.wireReadable.first { $0.protoName == typeName })
        try Self.checkWire(type)
    }

    private static func checkWire<M: WireReadable>(_ type: M.Type) throws {
        for oneofCase in 0..<(M.layout.oneofs.map(\.count).max() ?? 1) {
            let json = Fixtures.filledJSON(M.layout, oneofCase: oneofCase).serialized()
            let bytes = try ProtoJSON.wireBytes(typeName: M.protoName, json: json)
            let reference = try M(serializedBytes: bytes)
            #expect(try bytes.withUnsafeBytes { try M(wire: $0) } == reference)
            #expect(try reference.jsonString() == json)
        }
    }

    @Test("the wire readers cover storage.proto: the journal record, its form 1 and the snapshot item")
    func wireReadersCoverStorage() {
        let names = Set(ProtoMessages.wireReadable.map { $0.protoName })
        for name in ["StoredEvent", "StoredEventV1", "SnapshotItem", "StoredRequest", "BusinessExport"] {
            #expect(names.contains("findreviewer.v1.\(name)"))
        }
        #expect(!names.contains("findreviewer.v1.InfoRequest"))
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
