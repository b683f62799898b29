import Messages
import Testing

@Suite("proto3 JSON mapping")
struct JSONMappingTests {
    @Test("lowerCamelCase names, enums by name, 64-bit integers as strings, defaults left out")
    func encodesCanonically() throws {
        let request = InfoRequest(
            id: "req_1", requestedFields: [.email, .phone], status: .pending, createdAt: 1_790_000_000, replyAvailable: false)
        #expect(
            try request.jsonString()
                == #"{"id":"req_1","requestedFields":["REQUESTED_FIELD_EMAIL","REQUESTED_FIELD_PHONE"],"status":"REQUEST_STATUS_PENDING","createdAt":"1790000000"}"#
        )
    }

    @Test("emitDefaults writes every field")
    func emitsDefaults() throws {
        let json = try HealthCheckResponse().jsonString(emitDefaults: true)
        #expect(json == #"{"status":"SERVING_STATUS_UNKNOWN"}"#)
    }

    @Test("proto names, numbers for enums and numbers for 64-bit fields are accepted")
    func acceptsAlternativeForms() throws {
        let parsed = try InfoRequest(
            jsonString: #"{"business_id":"b","status":2,"createdAt":1790000000,"deadlineAt":"1790000100","timeline":null}"#)
        #expect(parsed.businessId == "b")
        #expect(parsed.status == .answered)
        #expect(parsed.createdAt == 1_790_000_000)
        #expect(parsed.deadlineAt == 1_790_000_100)
    }

    @Test("strings with escapes and non-ASCII text survive")
    func escapes() throws {
        let original = ReviewerReply(fullName: "Jürgen \"JJ\" Ölund", note: "tab\there\nnew line \u{1F600} \\ /")
        let back = try ReviewerReply(jsonString: original.jsonString(pretty: true))
        #expect(back == original)
    }

    struct BadJSON: Sendable, CustomTestStringConvertible {
        let json: String
        let field: String?
        let fragment: String
        var testDescription: String { self.json }
    }

    @Test(
        "invalid JSON is an error naming the field",
        arguments: [
            BadJSON(json: #"{"businessId":"b","colour":"red"}"#, field: "colour", fragment: "unknown field \"colour\""),
            BadJSON(json: #"{"request":{"replyy":{}}}"#, field: "request.replyy", fragment: "unknown field \"request.replyy\""),
            BadJSON(json: #"{"businessId":5}"#, field: "businessId", fragment: "must be a string"),
            BadJSON(json: #"{"requestedFields":"REQUESTED_FIELD_EMAIL"}"#, field: "requestedFields", fragment: "JSON array"),
            BadJSON(json: #"{"requestedFields":["EMAIL"]}"#, field: "requestedFields[0]", fragment: "one of"),
            BadJSON(json: #"{"acknowledgeIntro":"yes"}"#, field: "acknowledgeIntro", fragment: "true or false"),
            BadJSON(json: #"{"businessId":"a","businessId":"b"}"#, field: "businessId", fragment: "appears twice"),
            BadJSON(json: #"{"request":{"createdAt":"12x"}}"#, field: "request.createdAt", fragment: "integer"),
            BadJSON(json: #"{"request":{"createdAt":"99999999999999999999"}}"#, field: "request.createdAt", fragment: "range"),
            BadJSON(json: #"{"request":{"createdAt":1.5}}"#, field: "request.createdAt", fragment: "integer"),
            BadJSON(json: #"["not an object"]"#, field: nil, fragment: "must be a JSON object"),
            BadJSON(json: #"{"businessId":"b""#, field: nil, fragment: "unterminated"),
            BadJSON(json: #"{"businessId":"b"} x"#, field: nil, fragment: "after the JSON value"),
            BadJSON(json: #"{"businessId":"\u0000"}"#, field: "businessId", fragment: "NUL"),
        ])
    func rejects(bad: BadJSON) throws {
        let error = try #require(throws: MessageError.self) {
            _ = try Self.decodeEither(bad.json)
        }
        #expect(error.field == bad.field)
        #expect(error.message.contains(bad.fragment), "\(error.message)")
    }

    /// CreateInfoRequestRequest carries most top-level cases; GetInfoRequestResponse nests InfoRequest.
    private static func decodeEither(_ json: String) throws -> Any {
        if json.contains("\"request\"") { return try GetInfoRequestResponse(jsonString: json) }
        return try CreateInfoRequestRequest(jsonString: json)
    }

    @Test("JSON nested deeper than the limit is refused, not a stack overflow")
    func depthLimit() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: MessageError.self) { _ = try JSONValue.parse(deep) }
    }

    @Test("unknown type names are refused by the generic API")
    func unknownType() {
        let error = #expect(throws: MessageError.self) {
            _ = try ProtoJSON.wireBytes(typeName: "findreviewer.v1.Nope", json: "{}")
        }
        #expect(error?.code == .unknownType)
    }
}
