// Measures the message layer's cost per message (release build: `make bench-messages`).
import Dispatch
import Messages

let request = CreateInfoRequestRequest(
    businessId: "biz-acme-stockholm", reviewId: "rev-0001234567",
    message: """
        Hello, and thank you for your review. We could not find your booking in our system. \
        Could you share your booking number and the name the booking was made under?
        """,
    requestedFields: [.referenceNumber, .fullName], referenceLabel: "Booking number", acknowledgeIntro: true)
let bytes = try request.serializedBytes()
let json = try request.jsonString()

/// Runs `body` `iterations` times, five rounds; prints the best round's nanoseconds per call.
func measure(_ name: String, iterations: Int = 200_000, _ body: () throws -> Void) rethrows {
    var best = UInt64.max
    for _ in 0..<5 {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<iterations { try body() }
        best = min(best, DispatchTime.now().uptimeNanoseconds - start)
    }
    let perCall = Double(best) / Double(iterations)
    print("\(name.padding(toLength: 34, withPad: " ", startingAt: 0)) \(String(format: "%8.0f", perCall)) ns/message")
}

var sink = 0
print("CreateInfoRequestRequest: \(bytes.count) bytes on the wire, \(json.utf8.count) bytes of JSON")
try measure("encode (Swift -> wire)") { sink &+= try request.serializedBytes().count }
try measure("decode (wire -> Swift)") { sink &+= try CreateInfoRequestRequest(serializedBytes: bytes).message.utf8.count }
// `messages-bench wire` skips JSON, for profiling the RPC hot path alone.
let wireOnly = CommandLine.arguments.dropFirst().first == "wire"
if !wireOnly {
try measure("encode JSON (Swift -> JSON)", iterations: 50_000) { sink &+= try request.jsonString().utf8.count }
try measure("decode JSON (JSON -> Swift)", iterations: 50_000) {
    sink &+= try CreateInfoRequestRequest(jsonString: json).message.utf8.count
}
}
let header = RequestHeader(
    method: "findreviewer.v1.FindReviewer/CreateInfoRequest", timeoutMs: 5_000,
    metadata: [MetadataEntry(key: "authorization", value: "k_0123456789abcdef0123456789abcdef"),
               MetadataEntry(key: "request-id", value: "req-42")])
let headerBytes = try header.serializedBytes()
try measure("decode RequestHeader") { sink &+= try RequestHeader(serializedBytes: headerBytes).metadata.count }
// A page of 20 requests as ListInfoRequests answers it (the read path's largest answer).
let page = ListInfoRequestsResponse(
    requests: (0..<20).map { index in
        InfoRequest(
            id: "req-01HZX3K9Q\(1000 + index)", businessId: "biz-acme-stockholm", reviewId: "rev-0001234\(index)",
            message: request.message, requestedFields: [.referenceNumber, .fullName], referenceLabel: "Booking number",
            status: .pending, createdAt: 1_780_000_000 + Int64(index), deadlineAt: 1_780_432_000, reminderSentAt: 1_780_259_200,
            timeline: [TimelineEntry(at: 1_780_000_000, kind: .created, detail: "Request sent"),
                       TimelineEntry(at: 1_780_259_200, kind: .automaticReminderSent, detail: "Reminder sent")],
            reviewerDisplayName: "Anna K.", notice: "")
    },
    nextPageToken: "req-01HZX3K9Q1019", counts: [StatusCount(status: .pending, count: 25)], totalMatching: 25)
print("ListInfoRequestsResponse (20 requests): \(try page.serializedBytes().count) bytes on the wire")
try measure("encode a page of 20 requests", iterations: 20_000) { sink &+= try page.serializedBytes().count }
print("(checksum \(sink))")
if wireOnly {
    let bare = try RequestHeader(method: "findreviewer.v1.FindReviewer/CreateInfoRequest", timeoutMs: 5_000).serializedBytes()
    try measure("decode RequestHeader, no metadata") { sink &+= try RequestHeader(serializedBytes: bare).method.utf8.count }
    let health = try HealthCheckResponse(status: .serving).serializedBytes()
    try measure("decode HealthCheckResponse") { sink &+= Int(try HealthCheckResponse(serializedBytes: health).status.rawValue) }
    try measure("encode ResponseHeader OK") { sink &+= try ResponseHeader(statusCode: 0).serializedBytes().count }
}
