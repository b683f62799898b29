/// Bounds on what a request head may be; a request beyond them is refused with its status
/// (414, 431) as soon as the limit is crossed, before anything more is buffered.
public struct HTTPLimits: Sendable, Equatable {
    /// The request line (`GET /metrics HTTP/1.1`), including any empty lines before it:
    /// beyond it, 414. nginx's default buffer for a line is 8 KiB; a scraper sends ~30 bytes.
    public var maxRequestLineBytes = 8_192
    /// One header line: beyond it, 431.
    public var maxHeaderLineBytes = 8_192
    /// The whole header section after the request line: beyond it, 431.
    public var maxHeaderBytes = 16_384
    /// Header fields: beyond it, 431 (Prometheus sends 5, kubelet 4; Apache allows 100).
    public var maxHeaderCount = 64

    /// The defaults.
    public init() {}
}
