import Messages
import Dispatch

/// What a handler knows about the call besides its request.
public struct CallContext: Sendable {
    /// Full method name, e.g. `findreviewer.v1.FindReviewer/GetReview`.
    public var method: String
    /// Metadata from the request header; the first value wins when a key repeats.
    public var metadata: CallMetadata
    /// When the call must be answered by (monotonic nanoseconds, `DispatchTime.now().uptimeNanoseconds`); nil for none.
    public var deadline: UInt64?
    /// The client's address, `127.0.0.1:50123`.
    public var peer: String
    /// The client's id for this call on its connection.
    public var callId: UInt32
    /// Who is calling, as the server's interceptor found it (it authorizes once per call and
    /// leaves the result here for the handler); nil before the interceptor ran or without one.
    public var principal: (any Sendable)?

    /// Creates a context (servers build these; tests may too).
    public init(method: String, metadata: [String: String] = [:], deadline: UInt64? = nil, peer: String = "", callId: UInt32 = 0) {
        self.method = method
        self.metadata = CallMetadata(metadata.map { MetadataEntry(key: $0.key, value: $0.value) })
        self.deadline = deadline
        self.peer = peer
        self.callId = callId
    }

    /// A context whose metadata are the header's entries as they came.
    init(method: String, entries: [MetadataEntry], deadline: UInt64?, peer: String, callId: UInt32) {
        self.method = method
        self.metadata = CallMetadata(entries)
        self.deadline = deadline
        self.peer = peer
        self.callId = callId
    }

    /// The `request-id` metadata, for logs.
    public var requestId: String { self.metadata["request-id"] ?? "" }
}

/// A request's metadata as its header lists them: a call carries a handful, so a key is found
/// by comparing it with each (no hashing and no table built per call); the first value wins
/// when a key repeats.
public struct CallMetadata: Sendable {
    /// The entries in header order.
    public let entries: [MetadataEntry]

    /// Metadata of `entries`, in order.
    public init(_ entries: [MetadataEntry]) {
        self.entries = entries
    }

    /// The first value of `key`, if any.
    public subscript(key: String) -> String? {
        for entry in self.entries where entry.key == key { return entry.value }
        return nil
    }
}
