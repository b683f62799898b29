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
