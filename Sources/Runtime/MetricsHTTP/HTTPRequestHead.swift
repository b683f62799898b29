/// A parsed request line and header section.
public struct HTTPRequestHead: Sendable, Equatable {
    /// A header field as received (name case preserved, value without surrounding whitespace).
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String
    }

    /// E.g. `GET` (case-sensitive, as RFC 9110 says).
    public var method: String
    /// The request target as sent (`/metrics?x=1`, or absolute-form `http://host/metrics`).
    public var target: String
    /// The path of the target, without query: what routing looks at.
    public var path: String
    /// The minor version of HTTP/1.x (0 or 1; a later 1.x is served as 1.1).
    public var minorVersion: Int
    /// The header fields in order.
    public var fields: [Field]

    /// The value of the first field called `name` (case-insensitive), if any.
    public func field(_ name: String) -> String? {
        let lowered = name.lowercased()
        return self.fields.first { $0.name.lowercased() == lowered }?.value
    }

    /// How many fields are called `name` (case-insensitive).
    public func count(of name: String) -> Int {
        let lowered = name.lowercased()
        return self.fields.count { $0.name.lowercased() == lowered }
    }
}
