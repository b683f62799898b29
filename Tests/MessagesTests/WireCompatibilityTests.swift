import Foundation
import Messages
import Testing

/// Bytes are checked against Google's own protobuf implementation (`protoc --encode/--decode`).
@Suite("Wire compatibility with protoc")
struct WireCompatibilityTests {
    static let file = "findreviewer/v1/findreviewer.proto"

    @Test("bytes from protoc --encode decode to the expected values")
    func decodesProtocBytes() throws {
        let text = """
            business_id: "biz-acme"
            review_id: "rev-1"
            message: "Hej! Kan du dela ditt bokningsnummer?\\nTack"
            requested_fields: REQUESTED_FIELD_REFERENCE_NUMBER
            requested_fields: REQUESTED_FIELD_PHONE
            reference_label: "Bokningsnummer"
            acknowledge_intro: true
            """
        let bytes = try Fixtures.protoc(
            ["--encode=findreviewer.v1.CreateInfoRequestRequest", Self.file], input: Data(text.utf8))
        let decoded = try CreateInfoRequestRequest(serializedBytes: [UInt8](bytes))
        #expect(decoded.businessId == "biz-acme")
        #expect(decoded.reviewId == "rev-1")
        #expect(decoded.message == "Hej! Kan du dela ditt bokningsnummer?\nTack")
        #expect(decoded.requestedFields == [.referenceNumber, .phone])
        #expect(decoded.referenceLabel == "Bokningsnummer")
        #expect(decoded.acknowledgeIntro)
    }

    @Test("nested messages, negative and 64-bit numbers from protoc decode exactly")
    func decodesNestedAndLargeNumbers() throws {
        let text = """
            request { id: "req_1" created_at: 1790000000123 status: REQUEST_STATUS_ANSWERED
              reply { full_name: "Åsa Öberg" replied_at: -5 }
              timeline { at: 1 kind: TIMELINE_EVENT_KIND_CREATED detail: "sent" }
              timeline { at: 2 kind: TIMELINE_EVENT_KIND_ANSWERED } }
            """
        let bytes = try Fixtures.protoc(
            ["--encode=findreviewer.v1.GetInfoRequestResponse", Self.file], input: Data(text.utf8))
        let decoded = try GetInfoRequestResponse(serializedBytes: [UInt8](bytes))
        let request = try #require(decoded.request)
        #expect(request.createdAt == 1_790_000_000_123)
        #expect(request.status == .answered)
        #expect(request.reply?.fullName == "Åsa Öberg")
        #expect(request.reply?.repliedAt == -5)
        #expect(request.timeline.map(\.kind) == [.created, .answered])
    }

    @Test("bytes this layer encodes are read back by protoc --decode")
    func protocDecodesOurBytes() throws {
        let bytes = try Fixtures.makeCreateInfoRequest(message: "Line one\nLine two").serializedBytes()
        let text = try Fixtures.protoc(
            ["--decode=findreviewer.v1.CreateInfoRequestRequest", Self.file], input: Data(bytes))
        let expected = """
            business_id: "biz-acme"
            review_id: "rev-000123"
            message: "Line one\\nLine two"
            requested_fields: REQUESTED_FIELD_REFERENCE_NUMBER
            requested_fields: REQUESTED_FIELD_FULL_NAME
            reference_label: "Booking number"
            acknowledge_intro: true

            """
        #expect(String(decoding: text, as: UTF8.self) == expected)
    }

    static let storage = "findreviewer/v1/storage.proto"

    @Test("a oneof case from protoc --encode decodes to that case through protobuf-c and through the wire reader")
    func oneofFromProtoc() throws {
        let text = """
            request_created { request_id: "req_1" business_id: "acme" requested_fields: REQUESTED_FIELD_PHONE at: 1790000000
              acknowledges_introduction: true }
            """
        let bytes = [UInt8](try Fixtures.protoc(["--encode=findreviewer.v1.StoredEvent", Self.storage], input: Data(text.utf8)))
        let expected = StoredEvent(
            event: .requestCreated(
                StoredRequestCreated(
                    requestId: "req_1", businessId: "acme", requestedFields: [.phone], at: 1_790_000_000, acknowledgesIntroduction: true)))
        #expect(try StoredEvent(serializedBytes: bytes) == expected)
        #expect(try bytes.withUnsafeBytes { try StoredEvent(wire: $0) } == expected)
        // An empty message as the case: still that case.
        let empty = [UInt8](try Fixtures.protoc(["--encode=findreviewer.v1.SnapshotItem", Self.storage], input: Data("counters {}".utf8)))
        #expect(empty == [0x3A, 0x00])
        #expect(try SnapshotItem(serializedBytes: empty) == SnapshotItem(item: .counters(SnapshotCounters())))
        #expect(try empty.withUnsafeBytes { try SnapshotItem(wire: $0) } == SnapshotItem(item: .counters(SnapshotCounters())))
    }

    @Test("two cases of one oneof in a row (two protoc encodings): the last one wins on both paths")
    func oneofLastCaseWins() throws {
        let first = try Fixtures.protoc(["--encode=findreviewer.v1.SnapshotItem", Self.storage], input: Data(#"business { id: "acme" }"#.utf8))
        let second = try Fixtures.protoc(
            ["--encode=findreviewer.v1.SnapshotItem", Self.storage], input: Data(#"block { reviewer_id: "ann" blocked_at: 5 }"#.utf8))
        let bytes = [UInt8](first + second)
        let expected = SnapshotItem(item: .block(StoredBlock(reviewerId: "ann", blockedAt: 5)))
        #expect(try SnapshotItem(serializedBytes: bytes) == expected)
        #expect(try bytes.withUnsafeBytes { try SnapshotItem(wire: $0) } == expected)
    }

    @Test("bytes this layer writes for a oneof case, an empty one included, are what protoc --decode reads and protobuf-c packs")
    func protocDecodesOneof() throws {
        let cases: [(any ProtoMessage, String)] = [
            (StoredEvent(event: .publicReplyDeleted(StoredPublicReplyDeleted())), "public_reply_deleted {\n}\n"),
            (StoredEvent(event: .outboxDelivered(StoredOutboxDelivered(outboxId: "out_1", at: 7))),
             "outbox_delivered {\n  outbox_id: \"out_1\"\n  at: 7\n}\n"),
            (SnapshotItem(item: .counters(SnapshotCounters(requests: 3))), "counters {\n  requests: 3\n}\n"),
            (SnapshotItem(item: .business(StoredBusiness())), "business {\n}\n"),
            (SnapshotItem(), ""),
        ]
        for (message, expected) in cases {
            let bytes = try message.serializedBytes()
            let name = type(of: message).protoName
            let text = try Fixtures.protoc(["--decode=\(name)", Self.storage], input: Data(bytes))
            #expect(String(decoding: text, as: UTF8.self) == expected)
            // protobuf-c, packing the struct built from the JSON form, writes the same bytes.
            #expect(try ProtoJSON.wireBytes(typeName: name, json: message.jsonString()) == bytes)
        }
    }

    @Test("JSON: a set case is written even when empty; two cases of one oneof are refused, naming both")
    func oneofJSON() throws {
        #expect(try SnapshotItem(item: .business(StoredBusiness())).jsonString() == #"{"business":{}}"#)
        #expect(try SnapshotItem(jsonString: #"{"business":{}}"#) == SnapshotItem(item: .business(StoredBusiness())))
        do {
            _ = try SnapshotItem(jsonString: #"{"business":{"id":"a"},"block":{}}"#)
            Issue.record("two cases were accepted")
        } catch {
            #expect(error.code == .invalidJSON)
            #expect(error.message.contains("\"block\" and \"business\""), "\(error.message)")
        }
    }

    @Test("a frame header round-trips through protoc")
    func requestHeaderThroughProtoc() throws {
        let header = RequestHeader(
            method: "findreviewer.v1.FindReviewer/CreateInfoRequest", timeoutMs: 1500,
            metadata: [MetadataEntry(key: "authorization", value: "Bearer k"), MetadataEntry(key: "request-id", value: "r-1")])
        let text = try Fixtures.protoc(
            ["--decode=findreviewer.v1.RequestHeader", "findreviewer/v1/rpc.proto"], input: Data(header.serializedBytes()))
        let again = try Fixtures.protoc(
            ["--encode=findreviewer.v1.RequestHeader", "findreviewer/v1/rpc.proto"], input: text)
        #expect(try RequestHeader(serializedBytes: [UInt8](again)) == header)
    }
}
