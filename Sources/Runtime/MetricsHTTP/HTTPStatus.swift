/// An HTTP status code and its reason phrase (RFC 9110 §15), the ones this server sends.
public struct HTTPStatus: Sendable, Hashable, CustomStringConvertible {
    /// E.g. 404.
    public var code: Int
    /// E.g. `Not Found`.
    public var reason: String

    /// Creates a status.
    public init(_ code: Int, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public static let ok = HTTPStatus(200, "OK")
    /// Unparsable request: not HTTP, a malformed line, a missing Host.
    public static let badRequest = HTTPStatus(400, "Bad Request")
    /// No such path.
    public static let notFound = HTTPStatus(404, "Not Found")
    /// The path exists but not for this method; the response has `Allow`.
    public static let methodNotAllowed = HTTPStatus(405, "Method Not Allowed")
    /// The request head did not arrive within the time bound.
    public static let requestTimeout = HTTPStatus(408, "Request Timeout")
    /// The request line is longer than the limit.
    public static let uriTooLong = HTTPStatus(414, "URI Too Long")
    /// Too many header fields, one too long, or all of them too long together.
    public static let headerFieldsTooLarge = HTTPStatus(431, "Request Header Fields Too Large")
    /// Not ready (`/readyz`), or too many connections.
    public static let serviceUnavailable = HTTPStatus(503, "Service Unavailable")
    /// An HTTP major version other than 1.
    public static let versionNotSupported = HTTPStatus(505, "HTTP Version Not Supported")

    /// `404 Not Found`.
    public var description: String { "\(self.code) \(self.reason)" }
}
