import Foundation
import Messages
import Testing

/// protobuf-c hands strings over NUL-terminated: decoding must refuse a NUL inside a string
/// instead of cutting the value there.
@Suite("A NUL inside a string field is refused, naming the field")
struct EmbeddedNULTests {
    static func error(_ body: () throws(MessageError) -> Void) -> MessageError? {
        do {
            try body()
            return nil
        } catch {
            return error
        }
    }

    @Test("top level, nested and repeated: invalidValue with the field's path")
    func refused() {
        // GetBusinessRequest{business_id: "ac\0me"}
        let top: [UInt8] = [0x0A, 0x05, 0x61, 0x63, 0x00, 0x6D, 0x65]
        let topError = Self.error { () throws(MessageError) in _ = try GetBusinessRequest(serializedBytes: top) }
        #expect(topError?.code == .invalidValue)
        #expect(topError?.field == "businessId")
        // UpsertBusinessRequest{business: {id: "b", display_name: "Hi\0"}}
        let nested: [UInt8] = [0x0A, 0x08, 0x0A, 0x01, 0x62, 0x12, 0x03, 0x48, 0x69, 0x00]
        let nestedError = Self.error { () throws(MessageError) in _ = try UpsertBusinessRequest(serializedBytes: nested) }
        #expect(nestedError?.field == "business.displayName")
        // RequestHeader{method: "m", metadata: [{key: "a"}, {key: "b", value: "x\0"}]}
        let repeated: [UInt8] = [0x0A, 0x01, 0x6D, 0x1A, 0x03, 0x0A, 0x01, 0x61, 0x1A, 0x07, 0x0A, 0x01, 0x62, 0x12, 0x02, 0x78, 0x00]
        let repeatedError = Self.error { () throws(MessageError) in _ = try RequestHeader(serializedBytes: repeated) }
        #expect(repeatedError?.field == "metadata[1].value")
        #expect(repeatedError?.message.contains("NUL") == true)
    }

    @Test("zero bytes outside strings (empty submessages, enum 0, lengths 0) decode as before")
    func zerosElsewhere() throws {
        // UpsertBusinessRequest{business: {}}: field 1, length 0.
        let empty = try UpsertBusinessRequest(serializedBytes: [0x0A, 0x00])
        #expect(empty.business == Business())
        // ListReviewsRequest{business_id: "a", statuses: [0 (packed)], page_size: 0 written out}
        let zeros = try ListReviewsRequest(serializedBytes: [0x0A, 0x01, 0x61, 0x1A, 0x01, 0x00, 0x28, 0x00])
        #expect(zeros.businessId == "a")
        #expect(zeros.statuses == [.unspecified])
        // An empty string written out: field 2 (display_name) of length 0 inside business.
        let blank = try UpsertBusinessRequest(serializedBytes: [0x0A, 0x02, 0x12, 0x00])
        #expect(blank.business?.displayName == "")
    }
}
