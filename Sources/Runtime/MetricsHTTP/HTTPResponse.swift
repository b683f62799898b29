import Glibc

/// A response: status, header fields, body. Every response of this server closes the
/// connection (`Connection: close`), so it needs no framing beyond `Content-Length`.
public struct HTTPResponse: Sendable, Equatable {
    /// The status.
    public var status: HTTPStatus
    /// Fields besides `Content-Length`, `Connection` and `Date`, which serialization adds.
    public var fields: [(name: String, value: String)]
    /// The body (left out for HEAD).
    public var body: [UInt8]

    /// Creates a response.
    public init(_ status: HTTPStatus, fields: [(name: String, value: String)] = [], body: [UInt8]) {
        self.status = status
        self.fields = fields
        self.body = body
    }

    /// A plain-text response: `text` and a newline.
    public static func text(_ status: HTTPStatus, _ text: String, fields: [(name: String, value: String)] = []) -> HTTPResponse {
        HTTPResponse(status, fields: [("Content-Type", "text/plain; charset=utf-8")] + fields, body: Array((text + "\n").utf8))
    }

    /// The bytes on the wire; without the body when answering HEAD (the length stays the GET's).
    public func serialized(includeBody: Bool = true, date: String = HTTPResponse.date()) -> [UInt8] {
        var head = "HTTP/1.1 \(self.status.code) \(self.status.reason)\r\n"
        for field in self.fields { head += "\(field.name): \(field.value)\r\n" }
        head += "Content-Length: \(self.body.count)\r\nConnection: close\r\nDate: \(date)\r\n\r\n"
        var bytes = Array(head.utf8)
        if includeBody { bytes += self.body }
        return bytes
    }

    /// Now as an HTTP date (IMF-fixdate, RFC 9110 §5.6.7): `Sun, 06 Nov 1994 08:49:37 GMT`.
    public static func date(_ seconds: time_t = time(nil)) -> String {
        var seconds = seconds
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(1900 + parts.tm_year) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }

    public static func == (lhs: HTTPResponse, rhs: HTTPResponse) -> Bool {
        lhs.status == rhs.status && lhs.body == rhs.body && lhs.fields.map { "\($0.name): \($0.value)" } == rhs.fields.map { "\($0.name): \($0.value)" }
    }
}
